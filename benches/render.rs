//! Benchmarks drawing one full debugger frame into ratatui's `TestBackend`
//! at 160×48: the goal is under 2 ms a frame (docs/benchmarks.md).

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use tracr_tui::compiler::CompileOptions;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::tui::action::Action;
use tracr_tui::tui::app::{App, open_bundled};
use tracr_tui::tui::ui;

fn app_at_middle(name: &str) -> App {
    let program = library::find(name).expect("bundled program");
    let session = open_bundled(program, &Overrides::default(), CompileOptions::default())
        .expect("program opens");
    let mut app = App::with_session(session, Overrides::default(), CompileOptions::default());
    let steps = match &app.screen {
        tracr_tui::tui::app::Screen::Debugger(debugger) => debugger.last_step() / 2,
        tracr_tui::tui::app::Screen::Picker(_) => 0,
    };
    for _ in 0..steps {
        app.update(Action::NextStep);
    }
    app
}

fn draw_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw_frame_160x48");
    for name in ["sort", "shuffle_dyck2"] {
        let app = app_at_middle(name);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test terminal");
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal.draw(|frame| ui::draw(frame, &app)).expect("draw");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, draw_frames);
criterion_main!(benches);
