//! Headless render tests: the whole screen drawn into ratatui's
//! `TestBackend` and compared with insta snapshots, plus style checks of
//! the attention heat map, which the text snapshots cannot show.
//! Write new snapshots with `INSTA_UPDATE=always cargo test --test render`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use tracr_tui::compiler::CompileOptions;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::tui::action::Action;
use tracr_tui::tui::app::{App, open_bundled};
use tracr_tui::tui::ui;

fn app_for(name: &str) -> App {
    let program = library::find(name).expect("bundled program");
    let session = open_bundled(program, &Overrides::default(), CompileOptions::default())
        .expect("program opens");
    App::with_session(session, Overrides::default(), CompileOptions::default())
}

fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| ui::draw(frame, app)).expect("draw");
    terminal
}

fn last_step(app: &App) -> usize {
    match &app.screen {
        tracr_tui::tui::app::Screen::Debugger(debugger) => debugger.last_step(),
        tracr_tui::tui::app::Screen::Picker(_) => 0,
    }
}

#[test]
fn program_screens_at_three_steps() {
    for name in ["sort", "reverse", "hist", "frac_prevs"] {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut app = app_for(name);
            let last = last_step(&app);
            for (label, step) in [("first", 0), ("middle", last / 2), ("last", last)] {
                app.update(Action::FirstStep);
                for _ in 0..step {
                    app.update(Action::NextStep);
                }
                let terminal = render(&app, width, height);
                insta::assert_snapshot!(
                    format!("{name}_{label}_{width}x{height}"),
                    terminal.backend()
                );
            }
        }
    }
}

#[test]
fn help_overlay_lists_keys() {
    let mut app = app_for("sort");
    app.update(Action::ToggleHelp);
    for (width, height) in [(80, 24), (160, 48)] {
        let terminal = render(&app, width, height);
        insta::assert_snapshot!(format!("help_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn picker_lists_programs() {
    let app = App::with_picker(Overrides::default(), CompileOptions::default());
    let terminal = render(&app, 100, 30);
    insta::assert_snapshot!("picker_100x30", terminal.backend());
}

#[test]
fn tiny_terminal_shows_message() {
    let app = app_for("sort");
    for (width, height) in [(40, 12), (1, 1), (59, 30)] {
        let terminal = render(&app, width, height);
        let text = buffer_text(terminal.backend().buffer());
        assert!(
            text.contains("terminal too small") || width < 20,
            "{width}x{height}: {text}"
        );
    }
    let terminal = render(&app, 40, 12);
    insta::assert_snapshot!("too_small_40x12", terminal.backend());
}

#[test]
fn heat_map_colours_follow_weights() {
    let mut app = app_for("reverse");
    app.update(Action::LastStep);
    let terminal = render(&app, 160, 48);
    let buffer = terminal.backend().buffer();
    // Find the heat map's rows: the line that starts with `1:1` (query 1, token 1).
    let row = (0..buffer.area.height)
        .find(|&y| {
            line_text(buffer, y)
                .trim_start_matches('│')
                .starts_with("1:1")
        })
        .expect("query row 1 is drawn");
    let line = line_text(buffer, row);
    let weight_column = line.find("1.00").expect("a full weight") as u16;
    let empty_column = line.find("   ").expect("an empty cell") as u16 + 2;
    let bright = buffer[(weight_column, row)].bg;
    let dark = buffer[(empty_column, row)].bg;
    assert_ne!(bright, dark, "full and empty weights differ in colour");
    assert!(
        matches!(bright, Color::Rgb(_, _, b) if b > 200),
        "{bright:?}"
    );
}

fn line_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

fn buffer_text(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| line_text(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}
