//! Snapshot tests of compile errors: every program in `tests/uncompilable/`
//! is valid RASP that the compiler must reject, before building weights,
//! with one message per problem that names the node and its location.
//! Write new snapshots with `INSTA_UPDATE=always cargo test --test compile_errors`.

use std::fs;
use std::path::Path;

use tracr_tui::compiler::{CompileOptions, compile};
use tracr_tui::diagnostic::render_all;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::load_program;
use tracr_tui::source::SourceFile;

#[test]
fn uncompilable_programs_are_rejected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/uncompilable");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .expect("tests/uncompilable is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rasp"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "expected at least 10 cases");
    for path in paths {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 name")
            .to_string();
        let text = fs::read_to_string(&path).expect("readable case");
        let file = SourceFile::new(format!("tests/uncompilable/{name}.rasp"), text);
        let program = load_program(&file, &Overrides::default()).unwrap_or_else(|errors| {
            panic!("{name} must be valid RASP: {}", render_all(&errors, &file))
        });
        for tracr_compat in [false, true] {
            let Err(errors) = compile(&program, CompileOptions { tracr_compat }) else {
                panic!("{name} compiled, but it must be rejected");
            };
            assert!(
                errors
                    .iter()
                    .all(|e| e.message.starts_with("cannot compile `")),
                "{name}: {errors:?}"
            );
            if !tracr_compat {
                insta::assert_snapshot!(name.as_str(), render_all(&errors, &file));
            }
        }
    }
}
