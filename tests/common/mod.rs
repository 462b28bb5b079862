//! Loading of the vendored Tracr conformance cases in `tests/conformance/`.

#![allow(dead_code, unused_macros, clippy::unwrap_used)]

use serde_json::Value as Json;

/// Expands to `$callback!(count_a, count_less_freq_2, ...)` with the name
/// of every vendored case, so each test file makes one test per case.
macro_rules! with_every_case {
    ($callback:ident) => {
        $callback! {
            count_a,
            count_less_freq_2,
            detect_pattern_abc,
            frac_prevs,
            frac_prevs_causal,
            hist,
            length_categorical,
            length_numerical,
            pair_balance,
            reverse_int,
            reverse_str,
            shift_by_1,
            shift_by_2,
            shuffle_dyck2,
            sort_freq,
            sort_int,
            sort_int_exactness10,
            sort_int_large,
            sort_unique,
        }
    };
}

/// Defines one `#[test]` per case name, each calling the `check_case`
/// function of the file that expands it.
macro_rules! one_test_per_case {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_case(stringify!($name));
            }
        )*
    };
}

/// Expands to an array of the case names given.
macro_rules! case_names {
    ($($name:ident),* $(,)?) => {
        [$(stringify!($name)),*]
    };
}

use tracr_tui::input::parse_vocab;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::rasp::load_program;
use tracr_tui::rasp::program::Program;
use tracr_tui::value::Value;

/// The bundled program that each golden case was made from, and the
/// command-line overrides that give the case's settings.
pub struct CaseProgram {
    pub case: &'static str,
    pub program: &'static str,
    pub vocab: Option<&'static str>,
    pub max_seq_len: Option<usize>,
    pub causal: bool,
    pub mlp_exactness: Option<u32>,
}

const fn case(case: &'static str, program: &'static str) -> CaseProgram {
    CaseProgram {
        case,
        program,
        vocab: None,
        max_seq_len: None,
        causal: false,
        mlp_exactness: None,
    }
}

pub const CASES: &[CaseProgram] = &[
    case("count_a", "count"),
    case("count_less_freq_2", "count_less_freq"),
    case("detect_pattern_abc", "detect_pattern"),
    case("frac_prevs", "frac_prevs"),
    CaseProgram {
        causal: true,
        ..case("frac_prevs_causal", "frac_prevs")
    },
    case("hist", "hist"),
    case("length_categorical", "length"),
    case("length_numerical", "length_numerical"),
    case("pair_balance", "pair_balance"),
    case("reverse_int", "reverse"),
    CaseProgram {
        vocab: Some("a b c d"),
        ..case("reverse_str", "reverse")
    },
    case("shift_by_1", "shift_by"),
    case("shift_by_2", "shift_by_2"),
    case("shuffle_dyck2", "shuffle_dyck2"),
    case("sort_freq", "sort_freq"),
    case("sort_int", "sort"),
    CaseProgram {
        mlp_exactness: Some(10),
        ..case("sort_int_exactness10", "sort")
    },
    CaseProgram {
        vocab: Some("1 2 3 4 5 6"),
        max_seq_len: Some(8),
        ..case("sort_int_large", "sort")
    },
    case("sort_unique", "sort_unique"),
];

pub fn case_program(name: &str) -> &'static CaseProgram {
    CASES
        .iter()
        .find(|case| case.case == name)
        .unwrap_or_else(|| panic!("no program is mapped to case `{name}`"))
}

/// Reads `tests/conformance/<name>.json`.
pub fn load_case(name: &str) -> Json {
    let path = format!(
        "{}/tests/conformance/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap()
}

/// Loads the bundled program of a case with the case's settings.
pub fn load_case_program(case: &CaseProgram) -> Program {
    let overrides = Overrides {
        vocab: case.vocab.map(|vocab| parse_vocab(vocab).unwrap()),
        max_seq_len: case.max_seq_len,
        causal: case.causal.then_some(true),
        mlp_exactness: case.mlp_exactness,
        ..Overrides::default()
    };
    let source = library::find(case.program)
        .unwrap_or_else(|| panic!("no bundled program `{}`", case.program))
        .source();
    load_program(&source, &overrides).unwrap_or_else(|diagnostics| panic!("{diagnostics:?}"))
}

/// Converts a golden JSON value; Python ints and floats stay apart because
/// the files write floats with a decimal point.
pub fn json_to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap()),
        Json::Number(n) => Value::Float(n.as_f64().unwrap()),
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(json_to_value).collect()),
        Json::Object(_) => panic!("unexpected object in a value position: {json}"),
    }
}

/// Converts a golden JSON list, such as a case's `input`, to values.
pub fn json_values(json: &Json) -> Vec<Value> {
    json.as_array()
        .unwrap_or_else(|| panic!("expected a list, found {json}"))
        .iter()
        .map(json_to_value)
        .collect()
}

/// Golden floats are rounded to 6 decimals.
pub const GOLDEN_FLOAT_TOLERANCE: f64 = 5e-7 + 1e-12;

/// Compares a computed value with a golden one: same Python type, and
/// floats equal up to the golden rounding.
pub fn same_value(computed: &Value, golden: &Value) -> bool {
    match (computed, golden) {
        (Value::Float(a), Value::Float(b)) => (a - b).abs() <= GOLDEN_FLOAT_TOLERANCE,
        (Value::Float(_), _) | (_, Value::Float(_)) => false,
        (Value::Bool(_), Value::Int(_)) | (Value::Int(_), Value::Bool(_)) => false,
        (a, b) => a == b,
    }
}

/// Strips Tracr's `_<id>` suffix from a label: `opp_index_3` becomes `opp_index`.
pub fn tracr_name(label: &str) -> &str {
    match label.rsplit_once('_') {
        Some((name, id)) if id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty() => name,
        _ => label,
    }
}
