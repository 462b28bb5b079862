//! The residual stream as a table: one row per named direction, grouped by
//! node, one column per position, and under each node its decoded value
//! beside the interpreter's.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::{Debugger, Editing, Pane};
use crate::tui::panes::{pad_label, pane_block};
use crate::tui::rows::{ResidualRow, RowKind};
use crate::tui::{theme, viewport};

pub struct ResidualPane<'a> {
    pub debugger: &'a Debugger,
    pub rows: &'a [ResidualRow],
}

/// Width of one position column.
pub fn cell_width(debugger: &Debugger) -> usize {
    let widest = debugger
        .session
        .trace
        .tokens
        .iter()
        .map(|t| t.to_string().chars().count())
        .max()
        .unwrap_or(0);
    widest.max(5) + 1
}

impl Widget for ResidualPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let debugger = self.debugger;
        let session = &debugger.session;
        let mut title = format!(
            " Residual stream after {} ",
            session.step_name(debugger.step)
        );
        if debugger.delta {
            title = format!(" Written by {} (delta) ", session.step_name(debugger.step));
        }
        let filter = match &debugger.editing {
            Some(Editing::Filter(text)) => Some(format!("/{text}▏")),
            _ if !debugger.filter.is_empty() => Some(format!("/{}", debugger.filter)),
            _ => None,
        };
        if let Some(filter) = &filter {
            title.push_str(&format!("· {filter} "));
        }
        if debugger.hide_zero_rows {
            title.push_str("· no zero rows ");
        }
        // Which positions show, when not all fit.
        let cell = cell_width(debugger);
        let tokens = &session.trace.tokens;
        let widest_label = self
            .rows
            .iter()
            .map(|row| row.label.chars().count())
            .max()
            .unwrap_or(9);
        let inner_width = area.width.saturating_sub(2) as usize;
        let room = inner_width.saturating_sub(tokens.len() * cell + 1);
        let label_width = widest_label.min(room).clamp(10, 40) + 1;
        let n_visible = viewport::columns_that_fit(inner_width, label_width, cell)
            .min(tokens.len().saturating_sub(debugger.first_position));
        if n_visible < tokens.len() {
            let last = debugger.first_position + n_visible - 1;
            title.push_str(&format!(
                "· positions {}-{last} of 0-{} (< >) ",
                debugger.first_position,
                tokens.len() - 1
            ));
        }
        let block = pane_block(title, debugger.focus == Pane::Residual);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 || inner.width == 0 {
            return;
        }

        let rows = self.rows;
        let positions: Vec<usize> = (debugger.first_position..tokens.len())
            .take(n_visible)
            .collect();

        let mut header = vec![Span::styled(
            pad_label("direction", label_width),
            theme::DIM,
        )];
        for &position in &positions {
            header.push(Span::styled(
                pad_label(&tokens[position].to_string(), cell),
                theme::TITLE,
            ));
        }
        let mut lines = vec![Line::from(header)];

        let height = inner.height as usize - 1;
        let offset = viewport::scroll_offset(debugger.selected_row, rows.len(), height);
        for (index, row) in rows.iter().enumerate().skip(offset).take(height) {
            let selected = index == debugger.selected_row;
            let owner_selected = row.node == Some(debugger.selected_node);
            let mut label_style = match row.kind {
                RowKind::Direction => theme::TEXT,
                RowKind::Decoded { .. } => theme::DECODED,
            };
            if owner_selected {
                label_style = label_style.patch(theme::EDGE);
            }
            if selected && debugger.focus == Pane::Residual {
                label_style = label_style.patch(theme::SELECTED);
            }
            // A decoded row's mark replaces its `▸`: ✓ or ✗ against RASP.
            let mut spans = match &row.kind {
                RowKind::Decoded {
                    agrees: Some(agrees),
                    ..
                } => {
                    let (mark, style) = if *agrees {
                        ("✓", theme::AGREE)
                    } else {
                        ("✗", theme::DISAGREE)
                    };
                    let rest: String = row.label.chars().skip(1).collect();
                    vec![
                        Span::styled(mark, style),
                        Span::styled(pad_label(&rest, label_width - 1), label_style),
                    ]
                }
                _ => vec![Span::styled(
                    pad_label(&row.label, label_width),
                    label_style,
                )],
            };
            for &position in &positions {
                let cell_data = &row.cells[position];
                let style: Style = match row.kind {
                    RowKind::Decoded { .. } => theme::DECODED,
                    RowKind::Direction if cell_data.changed => theme::CHANGED,
                    RowKind::Direction if cell_data.zero => theme::DIM,
                    RowKind::Direction => theme::TEXT,
                };
                spans.push(Span::styled(pad_label(&cell_data.text, cell), style));
            }
            if let RowKind::Decoded {
                rasp,
                agrees,
                ready,
            } = &row.kind
            {
                let shown: Vec<&str> = positions
                    .iter()
                    .filter(|&&p| p > 0)
                    .map(|&p| rasp[p].as_str())
                    .collect();
                match (agrees, ready) {
                    (Some(true), _) => spans.push(Span::styled(
                        format!("RASP {}", shown.join(" ")),
                        theme::AGREE,
                    )),
                    (Some(false), _) => spans.push(Span::styled(
                        format!("RASP {}", shown.join(" ")),
                        theme::DISAGREE,
                    )),
                    (None, false) => spans.push(Span::styled("not computed yet", theme::DIM)),
                    (None, true) => {}
                }
            }
            lines.push(Line::from(spans));
        }
        if rows.is_empty() {
            let message = if debugger.filter.is_empty() {
                "no rows: every row is zero (z shows them)".to_string()
            } else {
                format!(
                    "no row matches /{} (Esc clears the filter)",
                    debugger.filter
                )
            };
            lines.push(Line::from(Span::styled(message, theme::DIM)));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
