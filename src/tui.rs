//! The terminal debugger. It renders a [`Session`](crate::session::Session)
//! computed before it starts; the only code that changes state is
//! [`app::App::update`], and only this module and its children use
//! ratatui and crossterm.

pub mod action;
pub mod app;
pub mod keymap;
pub mod panes;
pub mod rows;
pub mod theme;
pub mod ui;
pub mod viewport;

use std::io;

use ratatui::crossterm::event::{self, Event, KeyEventKind};

use app::App;

/// Runs the debugger until the user quits. The terminal is restored on
/// return, on error and (through ratatui's panic hook) on panic.
pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> io::Result<()> {
    while !app.quit {
        terminal.draw(|frame| ui::draw(frame, app))?;
        if let Event::Key(key) = event::read()? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            let action = if app.is_editing() {
                keymap::text_action(key)
            } else {
                keymap::action_for(key, app.on_picker())
            };
            if let Some(action) = action {
                app.update(action);
            }
        }
    }
    Ok(())
}
