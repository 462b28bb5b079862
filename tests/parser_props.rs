//! Robustness tests of the front end. On any text, `load_program` and
//! `render_all` must return without panicking, every `Err` must contain an
//! error, and a program that loads must run in the interpreter.
//!
//! The inputs are arbitrary strings, soups of RASP fragments, mutations of
//! the bundled programs and a few deeply nested programs.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::FileFailurePersistence;

use tracr_tui::diagnostic::{Diagnostic, render_all};
use tracr_tui::rasp::check::{MAX_NODES, Overrides};
use tracr_tui::rasp::eval::evaluate;
use tracr_tui::rasp::library::{LibraryProgram, PROGRAMS};
use tracr_tui::rasp::load_program;
use tracr_tui::rasp::parser::MAX_DEPTH;
use tracr_tui::rasp::program::Settings;
use tracr_tui::source::SourceFile;
use tracr_tui::value::Value;

/// Cases per property. With 100,000 cases each, `cargo test --test
/// parser_props` took about 9 s in a debug build on a 2-core machine.
const CASES: u32 = 100_000;

/// Upper bound on one deep-input case, far above the milliseconds it takes,
/// so that only a hang fails it.
const DEADLINE: Duration = Duration::from_secs(10);

const SETTINGS: &str = "vocab = {1, 2, 3};\nmax_seq_len = 5;\n";

/// Pieces of RASP text, valid and invalid, for token soups and insertions.
const FRAGMENTS: &[&str] = &[
    "select(",
    "aggregate(",
    "selector_width(",
    "map(",
    "sequence_map(",
    "linear_sequence_map(",
    "numerical(",
    "categorical(",
    "round(",
    "abs(",
    "indicator(",
    "min(",
    "max(",
    "lambda x:",
    "lambda x, y:",
    "lambda:",
    "def f(x) {",
    "def g(a, b) {",
    "f(",
    "g(",
    "return",
    "output",
    "tokens",
    "indices",
    "length",
    "vocab",
    "max_seq_len",
    "causal",
    "x",
    "y",
    "a",
    "a =",
    "b =",
    "x =",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "and",
    "or",
    "not",
    "in",
    "if",
    "else",
    "True",
    "False",
    "None",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ":",
    "0",
    "1",
    "-1",
    "2.5",
    "1e308",
    "1e999",
    "99999999999999999999",
    "3x",
    "\"a\"",
    "'b'",
    "\"",
    "'",
    "\"\\",
    "#",
    "\n",
    "\t",
    "\r\n",
    "é",
    "\u{0}",
    "@",
    "output x;",
    "x = tokens;",
    "vocab = {1, 2, 3};",
    "max_seq_len = 5;",
    "select(tokens, tokens, ==)",
    "aggregate(select(indices, indices, <=), tokens)",
];

/// Loads `text`, renders its diagnostics and, when it loads, evaluates it.
fn exercise(text: &str) {
    let file = SourceFile::new("prop.rasp", text);
    match load_program(&file, &Overrides::default()) {
        Ok(program) => {
            let input = sample_input(&program.settings);
            let values = evaluate(&program, &input);
            assert_eq!(values.len(), program.nodes.len());
            let output = values[program.output].as_sop();
            assert_eq!(output.map(<[Value]>::len), Some(input.len()));
        }
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(Diagnostic::is_error),
                "Err contains no error: {diagnostics:?}"
            );
            for diagnostic in &diagnostics {
                let span = diagnostic.span;
                assert!(
                    span.start <= span.end,
                    "span {span:?} ends before it starts"
                );
                assert!(
                    span.end <= text.len(),
                    "span {span:?} ends past the text of {} bytes",
                    text.len()
                );
                assert!(
                    text.is_char_boundary(span.start),
                    "span {span:?} starts inside a character"
                );
                assert!(
                    text.is_char_boundary(span.end),
                    "span {span:?} ends inside a character"
                );
            }
            let rendered = render_all(&diagnostics, &file);
            assert!(rendered.contains("error: could not compile `prop.rasp`"));
        }
    }
}

/// Returns up to three tokens of the vocabulary, cycled.
fn sample_input(settings: &Settings) -> Vec<Value> {
    let length = settings.max_seq_len.min(3);
    settings
        .vocab
        .iter()
        .cycle()
        .take(length)
        .cloned()
        .collect()
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(any::<char>(), 0..200)
            .prop_map(|chars| chars.into_iter().collect()),
        proptest::collection::vec(any::<u8>(), 0..300)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ]
}

fn token_soup() -> impl Strategy<Value = String> {
    let piece = (select(FRAGMENTS), select(&[" ", "", "\n"][..]));
    (
        prop_oneof![Just(""), Just(SETTINGS)],
        proptest::collection::vec(piece, 0..80),
    )
        .prop_map(|(prefix, pieces)| {
            let mut text = prefix.to_string();
            for (fragment, separator) in pieces {
                text.push_str(fragment);
                text.push_str(separator);
            }
            text
        })
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { start: Index, len: usize },
    Insert { at: Index, fragment: &'static str },
    Duplicate { start: Index, len: usize, at: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0usize..64).prop_map(|(start, len)| Mutation::Delete { start, len }),
        (any::<Index>(), select(FRAGMENTS))
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (any::<Index>(), 0usize..64, any::<Index>())
            .prop_map(|(start, len, at)| Mutation::Duplicate { start, len, at }),
    ]
}

/// Returns the byte offset that `index` picks in `text`, moved back to a
/// character boundary.
fn offset(text: &str, index: &Index) -> usize {
    let mut offset = index.index(text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Returns the byte range of up to `len` bytes from `start`, on character boundaries.
fn slice_range(text: &str, start: &Index, len: usize) -> (usize, usize) {
    let start = offset(text, start);
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (start, end)
}

fn apply(text: &mut String, mutation: &Mutation) {
    match mutation {
        Mutation::Delete { start, len } => {
            let (start, end) = slice_range(text, start, *len);
            text.replace_range(start..end, "");
        }
        Mutation::Insert { at, fragment } => {
            let at = offset(text, at);
            text.insert_str(at, fragment);
        }
        Mutation::Duplicate { start, len, at } => {
            let (start, end) = slice_range(text, start, *len);
            let copy = text[start..end].to_string();
            let at = offset(text, at);
            text.insert_str(at, &copy);
        }
    }
}

fn mutated_program() -> impl Strategy<Value = String> {
    (
        select(PROGRAMS),
        proptest::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(program, mutations): (LibraryProgram, Vec<Mutation>)| {
            let mut text = program.text.to_string();
            for mutation in &mutations {
                apply(&mut text, mutation);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_panics(text in arbitrary_text()) {
        exercise(&text);
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        exercise(&text);
    }

    #[test]
    fn mutated_programs_never_panic(text in mutated_program()) {
        exercise(&text);
    }
}

#[test]
fn bundled_programs_load_and_run() {
    for program in PROGRAMS {
        let file = program.source();
        if let Err(diagnostics) = load_program(&file, &Overrides::default()) {
            panic!("{}", render_all(&diagnostics, &file));
        }
        exercise(program.text);
    }
}

/// Loads `text` on a new thread, which has Rust's default 2 MiB stack, and
/// fails if that takes longer than [`DEADLINE`]. Returns the error messages.
fn load_with_deadline(text: String) -> Result<(), Vec<String>> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let file = SourceFile::new("deep.rasp", text);
        let result = match load_program(&file, &Overrides::default()) {
            Ok(_) => Ok(()),
            Err(diagnostics) => {
                // Rendering must not panic either.
                render_all(&diagnostics, &file);
                let errors = diagnostics.iter().filter(|d| d.is_error());
                Err(errors.map(|d| d.message.clone()).collect())
            }
        };
        // The receiver is gone only when the test already failed on the deadline.
        let _ = sender.send(result);
    });
    match receiver.recv_timeout(DEADLINE) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => panic!("load_program took longer than {DEADLINE:?}"),
        Err(RecvTimeoutError::Disconnected) => panic!("load_program or render_all panicked"),
    }
}

fn program_with(expression: &str) -> String {
    format!("{SETTINGS}a = {expression};\noutput tokens;\n")
}

fn assert_one_nesting_error(text: String) {
    let errors = load_with_deadline(text).expect_err("deep nesting must be rejected");
    assert_eq!(
        errors,
        vec![format!("maximum nesting depth of {MAX_DEPTH} exceeded")]
    );
}

#[test]
fn nested_parentheses_give_one_error() {
    let expression = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_one_nesting_error(program_with(&expression));
}

#[test]
fn nested_brackets_give_one_error() {
    let expression = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_one_nesting_error(program_with(&expression));
}

#[test]
fn repeated_unary_minus_gives_one_error() {
    let expression = format!("{}1", "-".repeat(10_000));
    assert_one_nesting_error(program_with(&expression));
}

#[test]
fn repeated_not_gives_one_error() {
    let expression = format!("{}true", "not ".repeat(10_000));
    assert_one_nesting_error(program_with(&expression));
}

#[test]
fn doubling_call_chain_hits_node_limit() {
    // Function f40 calls f39 twice, and so on down to f0, so inlining would
    // create 2^41 - 1 nodes.
    let mut text = format!("{SETTINGS}def f0(x) {{ return x + 1; }}\n");
    for level in 1..=40 {
        let callee = level - 1;
        text.push_str(&format!(
            "def f{level}(x) {{ a = f{callee}(x); b = f{callee}(x); return a + b; }}\n"
        ));
    }
    text.push_str("result = f40(tokens);\noutput result;\n");
    let errors = load_with_deadline(text).expect_err("the call chain must be rejected");
    assert_eq!(
        errors,
        vec![format!("program creates more than {MAX_NODES} nodes")]
    );
}

#[test]
fn empty_file_reports_missing_parts() {
    let errors = load_with_deadline(String::new()).expect_err("an empty file must be rejected");
    assert_eq!(
        errors,
        vec![
            "missing setting `vocab`",
            "missing setting `max_seq_len`",
            "missing `output` statement",
        ]
    );
}

/// Returns `terms` copies of `term` joined by ` + `.
fn sum_chain(term: &str, terms: usize) -> String {
    vec![term; terms].join(" + ")
}

#[test]
fn long_sum_chain_gives_one_error() {
    let text = program_with(&sum_chain("1", 10_000));
    let errors = load_with_deadline(text).expect_err("a 10,000-term sum exceeds the nesting cap");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn long_lambda_chain_gives_one_error() {
    let text = program_with(&format!(
        "map(lambda x: {}, tokens)",
        sum_chain("x", 10_000)
    ));
    let errors = load_with_deadline(text).expect_err("a 10,000-term sum exceeds the nesting cap");
    assert_eq!(errors.len(), 1, "{errors:?}");
}
