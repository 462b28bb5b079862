//! The three panes of the debugger, each a widget over the app state.

pub mod attention;
pub mod graph;
pub mod residual;

use ratatui::widgets::{Block, BorderType, Borders};

use crate::tui::theme;

/// Returns a pane's frame, highlighted when it has the focus.
pub fn pane_block(title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme::BORDER_FOCUSED
        } else {
            theme::BORDER
        })
        .title(title)
        .title_style(theme::TITLE)
}

/// Pads `text` with spaces to `width` characters, or cuts it to `width`.
pub fn pad(text: &str, width: usize) -> String {
    let mut out: String = text.chars().take(width).collect();
    let n = out.chars().count();
    out.push_str(&" ".repeat(width.saturating_sub(n)));
    out
}

/// Pads a label like [`pad`]; a label too long ends in `…` and keeps one
/// space before the next column.
pub fn pad_label(text: &str, width: usize) -> String {
    if text.chars().count() < width {
        return pad(text, width);
    }
    let mut out: String = text.chars().take(width.saturating_sub(2)).collect();
    out.push_str("… ");
    out
}
