//! Every colour and style the debugger uses.

use ratatui::style::{Color, Modifier, Style};

pub const TITLE: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const HEADER: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
pub const FOOTER: Style = Style::new().fg(Color::Gray);
pub const FOOTER_KEY: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const BORDER: Style = Style::new().fg(Color::DarkGray);
pub const BORDER_FOCUSED: Style = Style::new().fg(Color::Cyan);
pub const TEXT: Style = Style::new();
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const CURRENT: Style = Style::new()
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::UNDERLINED);
pub const CHANGED: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const AGREE: Style = Style::new().fg(Color::Green);
pub const DISAGREE: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
pub const ERROR: Style = Style::new().fg(Color::White).bg(Color::Red);
pub const EDIT: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
pub const DECODED: Style = Style::new().fg(Color::Cyan);
pub const EDGE: Style = Style::new().fg(Color::Yellow);
pub const USER: Style = Style::new().fg(Color::LightMagenta);

/// Colours by block type in the graph.
pub const INPUT_NODE: Style = Style::new().fg(Color::White);
pub const ATTENTION_NODE: Style = Style::new().fg(Color::LightBlue);
pub const MLP_NODE: Style = Style::new().fg(Color::LightGreen);
pub const WIDTH_NODE: Style = Style::new().fg(Color::LightMagenta);
pub const SELECTOR_NODE: Style = Style::new().fg(Color::Gray);

/// Returns the heat map style of an attention weight in `[0, 1]`.
pub fn heat(weight: f64) -> Style {
    let level = (weight.clamp(0.0, 1.0) * 255.0).round() as u8;
    let background = Color::Rgb(level / 3, level / 2, level);
    let foreground = if level > 140 {
        Color::Black
    } else {
        Color::Gray
    };
    Style::new().fg(foreground).bg(background)
}
