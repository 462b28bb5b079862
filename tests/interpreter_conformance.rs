//! The interpreter and the checker against Tracr's golden data: for each
//! vendored case, the bundled program has Tracr's graph and settings, and
//! evaluates to Tracr's `rasp_output` on every input.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use std::collections::BTreeMap;

use common::{case_program, json_values, load_case, load_case_program, same_value, tracr_name};
use tracr_tui::rasp::eval::evaluate_output;
use tracr_tui::value::Value;

fn check_case(name: &str) {
    let case = case_program(name);
    let golden = load_case(name);
    let program = load_case_program(case);

    let vocab: Vec<Value> = json_values(&golden["vocab"]);
    let mut our_vocab = program.settings.vocab.clone();
    our_vocab.sort_by(Value::total_cmp);
    assert_eq!(our_vocab, vocab, "vocab");
    assert_eq!(
        program.settings.max_seq_len as u64,
        golden["max_seq_len"].as_u64().unwrap(),
        "max_seq_len"
    );
    assert_eq!(
        program.settings.causal,
        golden["causal"].as_bool().unwrap(),
        "causal"
    );
    assert_eq!(
        u64::from(program.settings.mlp_exactness),
        golden["mlp_exactness"].as_u64().unwrap(),
        "mlp_exactness"
    );

    check_graph(&program, &golden);

    let cases = golden["cases"].as_array().unwrap();
    assert!(cases.len() >= 30, "expected at least 30 inputs");
    for entry in cases {
        let input: Vec<Value> = json_values(&entry["input"]);
        let expected: Vec<Value> = json_values(&entry["rasp_output"]);
        let output = evaluate_output(&program, &input);
        assert_eq!(output.len(), expected.len(), "output length on {input:?}");
        for (position, (ours, theirs)) in output.iter().zip(&expected).enumerate() {
            assert!(
                same_value(ours, theirs),
                "input {input:?}, position {position}: interpreter gives {ours:?}, Tracr's RASP gives {theirs:?}"
            );
        }
    }
}

/// Compares labels, kinds, encodings, children and select comparisons with
/// Tracr's graph, after mapping Tracr's `name_id` labels back to names.
fn check_graph(program: &tracr_tui::rasp::program::Program, golden: &serde_json::Value) {
    struct GoldenNode {
        kind: String,
        encoding: Option<String>,
        children: Vec<String>,
        comparison: Option<String>,
    }
    let mut expected = BTreeMap::new();
    for node in golden["graph"].as_array().unwrap() {
        let label = tracr_name(node["label"].as_str().unwrap()).to_string();
        let children = node["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|child| tracr_name(child.as_str().unwrap()).to_string())
            .collect();
        expected.insert(
            label,
            GoldenNode {
                kind: node["kind"].as_str().unwrap().to_string(),
                encoding: node["encoding"].as_str().map(str::to_string),
                children,
                comparison: node
                    .get("comparison")
                    .and_then(|c| c.as_str())
                    .map(str::to_string),
            },
        );
    }
    let ours: Vec<&str> = program
        .nodes
        .iter()
        .map(|node| node.label.as_str())
        .collect();
    let theirs: Vec<&str> = expected.keys().map(String::as_str).collect();
    let mut sorted = ours.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, theirs, "node labels");

    for node in &program.nodes {
        let golden = &expected[&node.label];
        assert_eq!(
            node.kind.tracr_name(),
            golden.kind,
            "kind of `{}`",
            node.label
        );
        if !node.kind.is_selector() {
            assert_eq!(
                Some(node.encoding.name()),
                golden.encoding.as_deref(),
                "encoding of `{}`",
                node.label
            );
        }
        let children: Vec<&str> = node
            .kind
            .children()
            .into_iter()
            .map(|child| program.nodes[child].label.as_str())
            .collect();
        assert_eq!(children, golden.children, "children of `{}`", node.label);
        if let tracr_tui::rasp::program::NodeKind::Select { predicate, .. } = &node.kind {
            let comparison = match predicate {
                tracr_tui::rasp::program::Predicate::Comparison(comparison) => {
                    comparison.tracr_name()
                }
                _ => "custom",
            };
            assert_eq!(
                Some(comparison),
                golden.comparison.as_deref(),
                "comparison of `{}`",
                node.label
            );
        }
    }
    let output = tracr_name(golden["graph"][0]["label"].as_str().unwrap());
    assert_eq!(program.output_node().label, output, "output node");
}

with_every_case!(one_test_per_case);

#[test]
fn every_vendored_case_has_a_test() {
    let tested = with_every_case!(case_names);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(tested.contains(&stem.as_str()), "case `{stem}` has no test");
    }
}
