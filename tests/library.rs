//! The bundled programs: every file in `programs/` is built in, is
//! described, and produces the output its `# Example:` line promises.

use tracr_tui::input::parse_input;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::eval::evaluate_output;
use tracr_tui::rasp::library::PROGRAMS;
use tracr_tui::rasp::load_program;
use tracr_tui::report::format_value;

#[test]
fn every_file_is_bundled() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/programs");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("programs/ is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "rasp").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    files.sort();
    let bundled: Vec<&str> = PROGRAMS.iter().map(|program| program.name).collect();
    assert_eq!(files, bundled);
}

#[test]
fn every_program_has_description() {
    for program in PROGRAMS {
        assert!(
            !program.description().is_empty(),
            "{} has no description",
            program.name
        );
        assert!(
            program.description().ends_with('.'),
            "{}: description is not a sentence",
            program.name
        );
    }
}

#[test]
fn examples_match_interpreter() {
    for program in PROGRAMS {
        let source = program.source();
        let checked = load_program(&source, &Overrides::default());
        let checked = checked.unwrap_or_else(|errors| panic!("{}: {errors:?}", program.name));
        let (input, expected) = program
            .example()
            .unwrap_or_else(|| panic!("{} has no `# Example:` line", program.name));
        let tokens = parse_input(input, &checked.settings)
            .unwrap_or_else(|error| panic!("{}: {error}", program.name));
        let output = evaluate_output(&checked, &tokens);

        let mut words = vec![checked.settings.compiler_bos.clone()];
        words.extend(output.iter().map(format_value));
        let expected: Vec<&str> = expected.split_whitespace().collect();
        assert_eq!(words, expected, "example of {}", program.name);
    }
}
