//! Regenerates `screenshots/*.svg`: the debugger drawn headlessly into
//! ratatui's `TestBackend`, one image per bundled program and step, with
//! the terminal's colours kept.
//!
//! Run from the repository root: `cargo run --example screenshots`.

use std::fmt::Write;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use tracr_tui::compiler::CompileOptions;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::tui::action::Action;
use tracr_tui::tui::app::{App, open_bundled};
use tracr_tui::tui::ui;

const WIDTH: u16 = 140;
const HEIGHT: u16 = 45;
const CELL_WIDTH: f64 = 8.4;
const CELL_HEIGHT: f64 = 17.0;
const FOREGROUND: &str = "#d4d4d4";
const BACKGROUND: &str = "#1e1e1e";

/// The program and the number of steps to take before the picture.
const SHOTS: [(&str, usize); 4] = [("sort", 3), ("reverse", 7), ("hist", 2), ("frac_prevs", 3)];

fn main() {
    let dir = std::path::Path::new("screenshots");
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {error}", dir.display());
        std::process::exit(1);
    }
    for (name, steps) in SHOTS {
        let Some(program) = library::find(name) else {
            eprintln!("error: no bundled program `{name}`");
            std::process::exit(1);
        };
        let session = match open_bundled(program, &Overrides::default(), CompileOptions::default())
        {
            Ok(session) => session,
            Err(error) => {
                eprintln!("error: {error}");
                std::process::exit(1);
            }
        };
        let mut app = App::with_session(session, Overrides::default(), CompileOptions::default());
        for _ in 0..steps {
            app.update(Action::NextStep);
        }
        let mut terminal = match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
            Ok(terminal) => terminal,
            Err(error) => {
                eprintln!("error: cannot create a test terminal: {error}");
                std::process::exit(1);
            }
        };
        if let Err(error) = terminal.draw(|frame| ui::draw(frame, &app)) {
            eprintln!("error: cannot draw {name}: {error}");
            std::process::exit(1);
        }
        let path = dir.join(format!("{name}.svg"));
        if let Err(error) = std::fs::write(&path, svg(terminal.backend().buffer())) {
            eprintln!("error: cannot write {}: {error}", path.display());
            std::process::exit(1);
        }
        println!("wrote {}", path.display());
    }
}

/// Draws a buffer as SVG: a background rectangle per coloured cell and one
/// text run per stretch of equally styled cells.
fn svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = f64::from(area.width) * CELL_WIDTH;
    let height = f64::from(area.height) * CELL_HEIGHT;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{BACKGROUND}"/>"#
    );
    let _ = writeln!(
        out,
        r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" xml:space="preserve">"#
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let (fg, bg) = colours(cell.fg, cell.bg, cell.modifier);
            let bold = cell.modifier.contains(Modifier::BOLD);
            let underlined = cell.modifier.contains(Modifier::UNDERLINED);
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let next = &buffer[(x, y)];
                if colours(next.fg, next.bg, next.modifier) != (fg.clone(), bg.clone())
                    || next.modifier != cell.modifier
                {
                    break;
                }
                text.push_str(next.symbol());
                x += 1;
            }
            let left = f64::from(start) * CELL_WIDTH;
            let top = f64::from(y) * CELL_HEIGHT;
            let run_width = f64::from(x - start) * CELL_WIDTH;
            if bg != BACKGROUND {
                let _ = writeln!(
                    out,
                    r#"<rect x="{left}" y="{top}" width="{run_width}" height="{CELL_HEIGHT}" fill="{bg}"/>"#
                );
            }
            if !text.trim().is_empty() {
                let weight = if bold { r#" font-weight="bold""# } else { "" };
                let decoration = if underlined {
                    r#" text-decoration="underline""#
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    r#"<text x="{left}" y="{}" fill="{fg}"{weight}{decoration} textLength="{run_width}" lengthAdjust="spacingAndGlyphs">{}</text>"#,
                    top + CELL_HEIGHT * 0.78,
                    escape(&text)
                );
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn colours(fg: Color, bg: Color, modifier: Modifier) -> (String, String) {
    let fg = hex(fg).unwrap_or_else(|| FOREGROUND.to_string());
    let bg = hex(bg).unwrap_or_else(|| BACKGROUND.to_string());
    if modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// Returns the xterm colour of a named colour, or `None` for the default.
fn hex(colour: Color) -> Option<String> {
    let rgb = match colour {
        Color::Reset => return None,
        Color::Black => (0, 0, 0),
        Color::Red => (205, 49, 49),
        Color::Green => (13, 188, 121),
        Color::Yellow => (229, 229, 16),
        Color::Blue => (36, 114, 200),
        Color::Magenta => (188, 63, 188),
        Color::Cyan => (17, 168, 205),
        Color::Gray => (204, 204, 204),
        Color::DarkGray => (118, 118, 118),
        Color::LightRed => (241, 76, 76),
        Color::LightGreen => (35, 209, 139),
        Color::LightYellow => (245, 245, 67),
        Color::LightBlue => (59, 142, 234),
        Color::LightMagenta => (214, 112, 214),
        Color::LightCyan => (41, 184, 219),
        Color::White => (229, 229, 229),
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => (i, i, i),
    };
    Some(format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
