//! Checker behaviour that a program shows when it loads: node shapes,
//! encodings, settings and the evaluation they lead to.

use super::Overrides;
use crate::diagnostic::Diagnostic;
use crate::rasp::eval::evaluate_output;
use crate::rasp::load_program;
use crate::rasp::program::{Encoding, NodeKind, Program};
use crate::source::SourceFile;
use crate::value::Value;

const SETTINGS: &str = "vocab = {1, 2, 3};\nmax_seq_len = 5;\n";

fn load_with(body: &str, overrides: &Overrides) -> Result<Program, Vec<Diagnostic>> {
    let text = format!("{SETTINGS}{body}");
    load_program(&SourceFile::new("test.rasp", text), overrides)
}

fn load(body: &str) -> Result<Program, Vec<Diagnostic>> {
    load_with(body, &Overrides::default())
}

fn messages(result: Result<Program, Vec<Diagnostic>>) -> Vec<String> {
    match result {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.into_iter().map(|d| d.message).collect(),
    }
}

/// Returns the only diagnostic of a program that fails to load.
fn only_error(result: Result<Program, Vec<Diagnostic>>) -> Diagnostic {
    match result {
        Ok(_) => panic!("expected an error, but the program loaded"),
        Err(mut diagnostics) => {
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
            diagnostics.remove(0)
        }
    }
}

fn ints(values: &[i64]) -> Vec<Value> {
    values.iter().copied().map(Value::Int).collect()
}

#[test]
fn annotations_on_one_node_differ() {
    let program = load(
        "def both(s) { return numerical(s) + categorical(s); }\n\
         o = both(tokens + 1);\n\
         output o;",
    )
    .unwrap();
    let output = program.output_node();
    let NodeKind::SequenceMap { fst, snd, .. } = output.kind else {
        panic!("expected a SequenceMap, found {:?}", output.kind);
    };
    assert_eq!(program.node(fst).encoding, Encoding::Numerical);
    assert_eq!(program.node(snd).encoding, Encoding::Categorical);
    // The unannotated `tokens + 1` is not used by the output and is dropped.
    assert_eq!(program.nodes.len(), 4, "{:?}", program.nodes);
}

#[test]
fn annotated_comparison_is_one_map() {
    let program = load("is_one = numerical(tokens == 1);\noutput is_one;").unwrap();
    let maps = program
        .nodes
        .iter()
        .filter(|node| matches!(node.kind, NodeKind::Map { .. }))
        .count();
    assert_eq!(maps, 1);
    assert_eq!(program.output_node().encoding, Encoding::Numerical);
}

#[test]
fn map_keeps_annotated_inner_map() {
    let program = load("o = map(lambda x: x + 1, numerical(tokens * 2));\noutput o;").unwrap();
    let NodeKind::Map { input, .. } = program.output_node().kind else {
        panic!("expected a Map");
    };
    let inner = program.node(input);
    assert!(matches!(inner.kind, NodeKind::Map { .. }), "{inner:?}");
    assert_eq!(inner.encoding, Encoding::Numerical);
}

#[test]
fn setting_read_after_declaration() {
    let program = load_with(
        "causal = true;\nc = causal;\no = map(lambda x: c, tokens);\noutput o;",
        &Overrides::default(),
    )
    .unwrap();
    let output = evaluate_output(&program, &ints(&[1, 2]));
    assert_eq!(output, vec![Value::Bool(true), Value::Bool(true)]);
}

#[test]
fn setting_before_declaration_with_override() {
    let overrides = Overrides {
        causal: Some(true),
        ..Overrides::default()
    };
    let result = load_with(
        "c = causal;\ncausal = true;\no = map(lambda x: c, tokens);\noutput o;",
        &overrides,
    );
    assert_eq!(
        messages(result),
        vec!["setting `causal` is used before it is declared"]
    );
}

#[test]
fn undeclared_setting_reads_override() {
    let overrides = Overrides {
        mlp_exactness: Some(7),
        ..Overrides::default()
    };
    let program = load_with(
        "o = map(lambda x: x + mlp_exactness, tokens);\noutput o;",
        &overrides,
    )
    .unwrap();
    assert_eq!(evaluate_output(&program, &ints(&[1])), ints(&[8]));
}

#[test]
fn length_assigned_before_use() {
    let program = load("length = tokens + 10;\nb = length - 1;\noutput b;").unwrap();
    assert_eq!(evaluate_output(&program, &ints(&[1, 2])), ints(&[10, 11]));
    assert!(program.find("all_true").is_none());
}

#[test]
fn lambda_list_constants_fold() {
    let program = load("o = map(lambda x: x in [-1, 1 + 1], tokens);\noutput o;").unwrap();
    let output = evaluate_output(&program, &ints(&[1, 2]));
    assert_eq!(output, vec![Value::Bool(false), Value::Bool(true)]);
}

#[test]
fn select_lambda_list_of_query() {
    let result = load(
        "s = select(tokens, tokens, lambda k, q: k in [q]);\n\
         o = selector_width(s);\n\
         output o;",
    );
    assert_eq!(
        messages(result),
        vec!["a list in a lambda cannot contain the lambda's parameters"]
    );
}

#[test]
fn unknown_function_suggests_near_name() {
    let error = only_error(load(
        "def double(x) { return x; }\no = doubled(tokens);\noutput o;",
    ));
    assert_eq!(error.message, "unknown function `doubled`");
    assert_eq!(error.hints, vec!["try `double`"]);
}

#[test]
fn local_value_called() {
    let result = load("def f(s) { d = s * 2; return d(s); }\no = f(tokens);\noutput o;");
    assert_eq!(messages(result), vec!["`d` is a sop, not a function"]);
}

#[test]
fn set_vocab_merges_equal_tokens() {
    let text = "vocab = {1, 1.0};\nmax_seq_len = 5;\noutput tokens;";
    let program = load_program(&SourceFile::new("t.rasp", text), &Overrides::default()).unwrap();
    assert_eq!(program.settings.vocab, ints(&[1]));
}

#[test]
fn max_seq_len_limit_accepted() {
    let text = "vocab = {1};\nmax_seq_len = 10000;\noutput tokens;";
    let program = load_program(&SourceFile::new("t.rasp", text), &Overrides::default()).unwrap();
    assert_eq!(program.settings.max_seq_len, super::MAX_SEQ_LEN);
}

#[test]
fn negated_select_matches_not_equal() {
    // `late` is None at position 0, where nothing is selected.
    let body = "prev = select(indices, indices, lambda k, q: k == q - 1);\n\
                late = aggregate(prev, tokens);\n\
                negated = selector_width(not select(late, late, ==));\n\
                unequal = selector_width(select(late, late, !=));\n\
                o = sequence_map(lambda x, y: x * 10 + y, negated, unequal);\n\
                output o;";
    let program = load(body).unwrap();
    // Input 1 2 1: `late` is None 1 2, so each query compares with two keys.
    let output = evaluate_output(&program, &ints(&[1, 2, 1]));
    assert_eq!(output, ints(&[0, 11, 11]));
}

#[test]
fn undefined_stays_through_selector_not() {
    // Different keys keep `SelectorAnd` and `SelectorNot` as their own
    // nodes; the entries with a None key stay unselected through both.
    let body = "prev = select(indices, indices, lambda k, q: k == q - 1);\n\
                late = aggregate(prev, tokens);\n\
                equal = select(late, indices, ==);\n\
                all = select(tokens, indices, true);\n\
                o = selector_width(not (equal and all));\n\
                output o;";
    let program = load(body).unwrap();
    assert!(
        program
            .nodes
            .iter()
            .any(|node| matches!(node.kind, NodeKind::SelectorNot { .. }))
    );
    // `late` is None 1 2 against indices 0 1 2: key 0 is undefined for every
    // query, and `late == index` holds for key 1 with query 1 and key 2 with
    // query 2. Two-valued logic would select key 0 too and give 3 2 2.
    let output = evaluate_output(&program, &ints(&[1, 2, 3]));
    assert_eq!(output, ints(&[2, 1, 1]));
}

#[test]
fn lambda_called_gets_hint() {
    let error = only_error(load("inc = lambda x: x + 1;\no = inc(tokens);\noutput o;"));
    assert_eq!(error.message, "`inc` is a lambda, not a function");
    assert_eq!(
        error.hints,
        vec!["try passing it to a built-in, as in `map(inc, tokens)`"]
    );
}
