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
