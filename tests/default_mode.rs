//! The corrected compiler against Tracr's golden cases: the decoded output
//! equals the RASP output on every input, `None` included.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use common::{case_program, json_values, load_case, load_case_program, same_value};
use tracr_tui::compiler::{CompileOptions, compile};
use tracr_tui::model::forward;
use tracr_tui::value::Value;

/// Numerical outputs are compared within 1e-4 of the golden value, which
/// is rounded to 6 decimals.
fn output_matches(ours: &Value, expected: &Value) -> bool {
    match (ours, expected) {
        (Value::Float(a), b) if b.is_numeric() => (a - b.as_f64().unwrap()).abs() <= 1e-4,
        (a, b) => same_value(a, b) || (a.is_numeric() && b.is_numeric() && a == b),
    }
}

fn check_case(name: &str) {
    let golden = load_case(name);
    let program = load_case_program(case_program(name));
    let compiled =
        compile(&program, CompileOptions::default()).unwrap_or_else(|errors| panic!("{errors:?}"));
    for entry in golden["cases"].as_array().unwrap() {
        let input: Vec<Value> = json_values(&entry["input"]);
        let expected: Vec<Value> = json_values(&entry["rasp_output"]);
        let trace = forward(&compiled.model, &input).unwrap();
        for (position, (ours, theirs)) in trace.decoded[1..].iter().zip(&expected).enumerate() {
            assert!(
                output_matches(ours, theirs),
                "input {input:?}, position {position}: model gives {ours:?}, RASP gives {theirs:?}"
            );
        }
    }
}

with_every_case!(one_test_per_case);
