//! The session: what the debugger shows, computed before it draws.

use tracr_tui::compiler::CompileOptions;
use tracr_tui::input::parse_input;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::{library, load_program};
use tracr_tui::session::Session;
use tracr_tui::value::Value;

fn sort_session(input: &str) -> Session {
    let source = library::find("sort").expect("sort is bundled").source();
    let program = load_program(&source, &Overrides::default()).expect("sort loads");
    let tokens = parse_input(input, &program.settings).expect("valid input");
    Session::new(program, CompileOptions::default(), tokens).expect("sort compiles")
}

#[test]
fn steps_are_embed_then_sublayers() {
    let session = sort_session("3 1 2");
    assert_eq!(
        session.n_steps(),
        1 + session.compiled.model.sublayers.len()
    );
    assert_eq!(session.step_name(0), "embed");
    assert_eq!(session.step_name(1), "layer 0 attn");
    assert_eq!(session.step_name(2), "layer 0 mlp");
}

#[test]
fn decoded_nodes_match_rasp_when_ready() {
    let session = sort_session("3 1 2");
    for (id, node) in session.program.nodes.iter().enumerate() {
        let (Some(step), Some(rasp)) = (session.ready_step(id), session.rasp[id].as_sop()) else {
            continue;
        };
        let decoded = session.decode_node(id, step);
        for (position, expected) in rasp.iter().enumerate() {
            let ours = &decoded[position + 1];
            let agree = match (ours, expected) {
                (Value::Float(a), b) => b.as_f64().is_some_and(|b| (a - b).abs() < 1e-6),
                (a, b) => a == b,
            };
            assert!(
                agree,
                "`{}` at position {position}: {ours:?} vs {expected:?}",
                node.label
            );
        }
    }
}

#[test]
fn with_input_reruns_model() {
    let session = sort_session("3 1 2");
    let rerun = session.with_input("BOS 2 2 1").expect("valid input");
    assert_eq!(
        rerun.trace.decoded,
        [
            Value::Str("BOS".into()),
            Value::Int(1),
            Value::Int(2),
            Value::Int(2)
        ]
    );
    let error = session
        .with_input("BOS 9")
        .expect_err("9 is not in the vocabulary");
    assert!(error.contains("`9`"), "{error}");
}

#[test]
fn sublayer_nodes_name_blocks() {
    let session = sort_session("3 1 2");
    let sort = session.program.find("sort").expect("sort node");
    let sublayer = session.compiled.sublayer[sort].expect("sort has a sublayer");
    assert_eq!(session.sublayer_nodes(sublayer), [sort]);
}

#[test]
fn compat_decoding_shows_tracr_argmax() {
    let source = library::find("shift_by")
        .expect("shift_by is bundled")
        .source();
    let program = load_program(&source, &Overrides::default()).expect("shift_by loads");
    let tokens = parse_input("a b c", &program.settings).expect("valid input");
    let output = program.output;
    let compat = Session::new(
        program.clone(),
        CompileOptions { tracr_compat: true },
        tokens.clone(),
    )
    .expect("compiles");
    let corrected = Session::new(program, CompileOptions::default(), tokens).expect("compiles");
    let last = compat.n_steps() - 1;
    assert!(matches!(compat.decode_node(output, last)[1], Value::Str(_)));
    assert_eq!(
        corrected.decode_node(output, corrected.n_steps() - 1)[1],
        Value::None
    );
}

#[test]
fn mixed_aggregate_warns() {
    let text = "vocab = {\"a\", \"b\"}; max_seq_len = 4;
        everything = select(indices, indices, true);
        mixed = aggregate(everything, tokens);
        output mixed;";
    let source = tracr_tui::source::SourceFile::new("mixed.rasp", text);
    let program = load_program(&source, &Overrides::default()).expect("loads");
    let same = parse_input("a a", &program.settings).expect("valid input");
    let session = Session::new(program, CompileOptions::default(), same).expect("compiles");
    assert!(session.warnings.is_empty(), "{:?}", session.warnings);
    let mixed = session.with_input("a b").expect("valid input");
    assert_eq!(mixed.warnings.len(), 1);
    assert!(
        mixed.warnings[0].contains("`mixed` selects the different values {a, b}"),
        "{:?}",
        mixed.warnings
    );
}
