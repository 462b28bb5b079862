//! The RASP language front end: lexer, parser, checker, the checked program
//! representation, the reference interpreter and the bundled library.

pub mod ast;
pub mod check;
pub mod eval;
pub mod lexer;
pub mod library;
pub mod parser;
pub mod program;
pub mod scalar;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use check::Overrides;
use program::Program;

/// Parses and checks a program file. `Err` contains every error found, in
/// source order within each phase (parse errors first).
pub fn load_program(file: &SourceFile, overrides: &Overrides) -> Result<Program, Vec<Diagnostic>> {
    let (module, parse_diagnostics) = parser::parse(file.text());
    if parse_diagnostics.iter().any(Diagnostic::is_error) {
        return Err(parse_diagnostics);
    }
    let (program, diagnostics) = check::check(&module, &program_name(file.name()), overrides);
    match program {
        Some(program) => Ok(program),
        None => Err(diagnostics),
    }
}

/// Returns the program name for a file: its stem, as `sort` for `programs/sort.rasp`.
pub fn program_name(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let base = base.trim_start_matches('<').trim_end_matches('>');
    base.strip_suffix(".rasp").unwrap_or(base).to_string()
}
