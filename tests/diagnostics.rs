//! Snapshot tests of the diagnostics for the bad programs in `tests/bad/`.
//!
//! Every `.rasp` file there is one case. Its rendered diagnostics must match
//! `tests/snapshots/diagnostics__NAME.snap`, so adding a file adds a case.
//! Write new snapshots with `INSTA_UPDATE=always cargo test --test diagnostics`.

use std::fs;
use std::panic;
use std::path::Path;

use tracr_tui::diagnostic::{Diagnostic, render_all};
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::load_program;
use tracr_tui::source::SourceFile;

/// One file of `tests/bad/`.
struct BadProgram {
    /// The file stem, which also names the snapshot.
    name: String,
    /// The path relative to the package root, so snapshots contain no absolute paths.
    path: String,
    text: String,
}

impl BadProgram {
    fn source(&self) -> SourceFile {
        SourceFile::new(self.path.clone(), self.text.clone())
    }

    fn diagnostics(&self) -> Vec<Diagnostic> {
        match load_program(&self.source(), &Overrides::default()) {
            Ok(_) => panic!("{} loaded without errors", self.path),
            Err(diagnostics) => diagnostics,
        }
    }

    /// Returns the text of the first line without its `#`, or `None` when
    /// the file does not start with a comment.
    fn description(&self) -> Option<&str> {
        let first_line = self.text.lines().next()?;
        first_line.strip_prefix('#').map(str::trim)
    }
}

/// Reads every `.rasp` file of `tests/bad/`, sorted by name.
fn bad_programs() -> Vec<BadProgram> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    let mut programs: Vec<BadProgram> = entries
        .map(|entry| entry.expect("cannot list tests/bad").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rasp"))
        .map(|path| {
            let file_name = path
                .file_name()
                .and_then(|name| name.to_str())
                .expect("file names in tests/bad are UTF-8");
            let name = file_name.trim_end_matches(".rasp").to_string();
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            BadProgram {
                name,
                path: format!("tests/bad/{file_name}"),
                text,
            }
        })
        .collect();
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!programs.is_empty(), "no .rasp files in {}", dir.display());
    programs
}

fn assert_diagnostics_snapshot(program: &BadProgram) {
    let rendered = render_all(&program.diagnostics(), &program.source());
    let mut settings = insta::Settings::clone_current();
    settings.set_input_file(&program.path);
    settings.set_description(program.description().unwrap_or_default());
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(program.name.as_str(), rendered));
}

#[test]
fn bad_programs_match_snapshots() {
    // Every file is checked before the test fails, as `insta::glob!` does,
    // so one run reports all changed snapshots.
    let mut failed = Vec::new();
    for program in bad_programs() {
        if panic::catch_unwind(|| assert_diagnostics_snapshot(&program)).is_err() {
            failed.push(program.path);
        }
    }
    assert!(failed.is_empty(), "snapshot mismatch for {failed:?}");
}

#[test]
fn bad_programs_report_an_error() {
    for program in bad_programs() {
        let diagnostics = program.diagnostics();
        assert!(
            diagnostics.iter().any(Diagnostic::is_error),
            "{} gave no error, only {diagnostics:?}",
            program.path
        );
    }
}

#[test]
fn bad_programs_start_with_comment() {
    for program in bad_programs() {
        let description = program.description();
        assert!(
            description.is_some_and(|text| !text.is_empty()),
            "{} must start with a `#` line that says what is wrong",
            program.path
        );
    }
}
