//! Draws a frame from the app state.
//!
//! ```text
//! ┌ header: program · vocab · max_seq_len · input · mode     step · sublayer ┐
//! ├ Program ──────────┬ Residual stream ─────────────────────────────────────┤
//! │ graph             │ residual                                             │
//! ├ Attention / MLP ──┴──────────────────────────────────────────────────────┤
//! │ detail                                                                   │
//! └ footer: keys, or the line being typed, or the last error ────────────────┘
//! ```

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use crate::input::format_vocab;
use crate::rasp::library::PROGRAMS;
use crate::tui::app::{App, Debugger, Editing, Picker, Screen};
use crate::tui::keymap::{BINDINGS, Context, footer};
use crate::tui::panes::attention::AttentionPane;
use crate::tui::panes::graph::GraphPane;
use crate::tui::panes::residual::ResidualPane;
use crate::tui::{theme, viewport};

/// The smallest terminal the debugger draws in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    render_app(app, area, buf);
}

/// Draws into a buffer; [`draw`] and the render tests share it.
pub fn render_app(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let message = format!(
            "terminal too small: {}×{}, need at least {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        );
        Paragraph::new(message)
            .wrap(Wrap { trim: true })
            .style(theme::ERROR)
            .render(area, buf);
        return;
    }
    match &app.screen {
        Screen::Picker(picker) => render_picker(picker, area, buf),
        Screen::Debugger(debugger) => render_debugger(debugger, area, buf),
    }
    if app.show_help {
        render_help(app.on_picker(), area, buf);
    }
}

fn render_debugger(debugger: &Debugger, area: Rect, buf: &mut Buffer) {
    let [header_area, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let n_positions = debugger.session.trace.tokens.len() as u16;
    let detail_height = (n_positions + 3).clamp(5, body.height / 2);
    let [top, detail_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(detail_height)]).areas(body);
    let graph_width = (top.width * 2 / 5).clamp(28, 56);
    let [graph_area, residual_area] =
        Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(0)]).areas(top);

    render_header(debugger, header_area, buf);
    GraphPane { debugger }.render(graph_area, buf);
    let rows = debugger.rows();
    ResidualPane {
        debugger,
        rows: &rows,
    }
    .render(residual_area, buf);
    AttentionPane { debugger }.render(detail_area, buf);
    render_footer(debugger, footer_area, buf);
}

fn render_header(debugger: &Debugger, area: Rect, buf: &mut Buffer) {
    let session = &debugger.session;
    let settings = &session.program.settings;
    let tokens: Vec<String> = session
        .trace
        .tokens
        .iter()
        .map(ToString::to_string)
        .collect();
    let rasp = session.rasp_output();
    let output: Vec<String> = session.trace.decoded[1..]
        .iter()
        .map(crate::tui::rows::format_cell_value)
        .collect();
    let agrees = session
        .trace
        .decoded
        .iter()
        .zip(&rasp)
        .skip(1)
        .all(|(ours, theirs)| crate::report::outputs_agree(ours, theirs));
    let verdict = if agrees { "✓" } else { "✗ RASP differs" };
    let mode = if session.compiled.options.tracr_compat {
        "tracr-compat"
    } else {
        "corrected"
    };
    let left = format!(
        " tracr-tui · {} · vocab {} · max_seq_len {} · {} · {mode}",
        session.program.name,
        format_vocab(&settings.vocab),
        settings.max_seq_len,
        tokens.join(" "),
    );
    let right = format!(
        "output {} {verdict} · step {}/{} · {} ",
        output.join(" "),
        debugger.step,
        debugger.last_step(),
        session.step_name(debugger.step)
    );

    buf.set_style(area, theme::HEADER);
    let right_width = right.chars().count() as u16;
    // The step on the right always shows; the left part is cut to fit.
    let left_width = area.width.saturating_sub(right_width + 1) as usize;
    let left = if left.chars().count() > left_width {
        let mut cut: String = left.chars().take(left_width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        left
    };
    Paragraph::new(left).style(theme::HEADER).render(
        Rect {
            width: area.width.saturating_sub(right_width),
            ..area
        },
        buf,
    );

    let right_area = Rect {
        x: area.x + area.width.saturating_sub(right_width),
        width: right_width.min(area.width),
        ..area
    };
    Paragraph::new(right)
        .style(theme::HEADER)
        .alignment(Alignment::Right)
        .render(right_area, buf);
}

fn render_footer(debugger: &Debugger, area: Rect, buf: &mut Buffer) {
    let line = match (&debugger.editing, &debugger.error) {
        (Some(Editing::Input(text)), _) => Line::from(vec![
            Span::styled(" input: ", theme::EDIT),
            Span::styled(format!("{text}▏"), theme::EDIT),
            Span::styled("  Enter run · Esc cancel", theme::FOOTER),
        ]),
        (Some(Editing::Filter(text)), _) => Line::from(vec![
            Span::styled(" filter: ", theme::EDIT),
            Span::styled(format!("{text}▏"), theme::EDIT),
            Span::styled("  Enter keep · Esc cancel", theme::FOOTER),
        ]),
        (None, Some(error)) => Line::from(Span::styled(format!(" {error}"), theme::ERROR)),
        (None, None) => key_hints(false),
    };
    Paragraph::new(line).render(area, buf);
}

fn key_hints(on_picker: bool) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (keys, description) in footer(on_picker) {
        spans.push(Span::styled(keys, theme::FOOTER_KEY));
        spans.push(Span::styled(format!(" {description}  "), theme::FOOTER));
    }
    Line::from(spans)
}

fn render_picker(picker: &Picker, area: Rect, buf: &mut Buffer) {
    let [header_area, list_area, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    buf.set_style(header_area, theme::HEADER);
    Paragraph::new(" tracr-tui · choose a bundled program")
        .style(theme::HEADER)
        .render(header_area, buf);

    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::BORDER_FOCUSED)
        .title(" Programs ")
        .title_style(theme::TITLE);
    let inner = block.inner(list_area);
    block.render(list_area, buf);
    let name_width = PROGRAMS.iter().map(|p| p.name.len()).max().unwrap_or(0) + 2;
    // Two lines a program: the name and description, then the example.
    let height = (inner.height / 2) as usize;
    let offset = viewport::scroll_offset(picker.selected, PROGRAMS.len(), height);
    let mut lines = Vec::new();
    for (index, program) in PROGRAMS.iter().enumerate().skip(offset).take(height) {
        let style = if index == picker.selected {
            theme::SELECTED
        } else {
            theme::TEXT
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<name_width$}", program.name),
                style.patch(theme::TITLE),
            ),
            Span::styled(program.description(), style),
        ]));
        let example = program.example().map_or(String::new(), |(input, output)| {
            format!("{input}  →  {output}")
        });
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(name_width)),
            Span::styled(example, theme::DIM),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);

    let footer_line = match &picker.error {
        Some(error) => Line::from(Span::styled(format!(" {error}"), theme::ERROR)),
        None => key_hints(true),
    };
    Paragraph::new(footer_line).render(footer_area, buf);
}

fn render_help(on_picker: bool, area: Rect, buf: &mut Buffer) {
    let bindings: Vec<_> = BINDINGS
        .iter()
        .filter(|binding| match binding.context {
            Context::Everywhere => true,
            Context::Debugger => !on_picker,
            Context::Picker => on_picker,
        })
        .collect();
    let key_width = bindings
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let entry = |binding: &&crate::tui::keymap::Binding| {
        vec![
            Span::styled(format!(" {:<key_width$}", binding.label), theme::FOOTER_KEY),
            Span::styled(binding.description, theme::TEXT),
        ]
    };

    // One column when it fits the height, else two side by side.
    let available = area.height.saturating_sub(4) as usize;
    let two_columns = bindings.len() + 1 > available;
    let column_width = (area.width.saturating_sub(4) / 2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    if two_columns {
        let half = bindings.len().div_ceil(2);
        for row in 0..half {
            let mut spans = entry(&bindings[row]);
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            spans.push(Span::raw(" ".repeat(column_width.saturating_sub(used))));
            if let Some(right) = bindings.get(row + half) {
                spans.extend(entry(right));
            }
            lines.push(Line::from(spans));
        }
    } else {
        lines.extend(bindings.iter().map(|binding| Line::from(entry(binding))));
    }

    if !on_picker {
        lines.push(Line::from(Span::styled(
            " ▸ rows: a node's decoded value, ✓/✗ against the RASP interpreter",
            theme::DIM,
        )));
    }
    let width = if two_columns {
        2 * column_width as u16 + 2
    } else {
        72
    }
    .min(area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };

    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::BORDER_FOCUSED)
        .title(" Keys · ? or Esc closes ")
        .title_style(theme::TITLE);
    Paragraph::new(lines).block(block).render(popup, buf);
}
