//! One test per known fault of Tracr's construction: each compiles a
//! program in both modes and shows the value Tracr's model produces (in
//! `--tracr-compat` mode) beside the corrected model's, which matches the
//! RASP interpreter. `docs/compatibility.md` describes each fault.

#![allow(clippy::unwrap_used)]

use tracr_tui::compiler::{CompileOptions, compile};
use tracr_tui::input::parse_input;
use tracr_tui::model::forward;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::eval::evaluate_output;
use tracr_tui::rasp::load_program;
use tracr_tui::rasp::program::Program;
use tracr_tui::source::SourceFile;
use tracr_tui::value::Value;

fn program(text: &str) -> Program {
    load_program(&SourceFile::new("fault.rasp", text), &Overrides::default()).unwrap()
}

/// Returns the decoded output without BOS in Tracr's mode and in the
/// default mode, and the interpreter's output.
fn outputs(program: &Program, input: &str) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let tokens = parse_input(input, &program.settings).unwrap();
    let run = |tracr_compat| {
        let compiled = compile(program, CompileOptions { tracr_compat }).unwrap();
        forward(&compiled.model, &tokens).unwrap().decoded[1..].to_vec()
    };
    (run(true), run(false), evaluate_output(program, &tokens))
}

fn float(value: &Value) -> f64 {
    value.as_f64().unwrap()
}

#[test]
fn none_position_decodes_as_none() {
    let shift = program(
        "vocab = {\"a\", \"b\", \"c\"}; max_seq_len = 5;
         back = select(indices, indices, lambda k, q: q == k + 1);
         shifted = aggregate(back, tokens);
         output shifted;",
    );
    let (tracr, ours, rasp) = outputs(&shift, "a b c");
    assert_eq!(rasp[0], Value::None);
    assert!(
        matches!(tracr[0], Value::Str(_)),
        "Tracr's argmax picks a token: {tracr:?}"
    );
    assert_eq!(ours, rasp);
}

#[test]
fn mean_value_set_has_every_fraction() {
    let percent = program(
        "vocab = {\"x\", \"y\"}; max_seq_len = 5;
         is_x = numerical(tokens == \"x\");
         prevs = select(indices, indices, <=);
         frac = numerical(aggregate(prevs, is_x, 0));
         percent = map(lambda f: round(100 * f), frac);
         output percent;",
    );
    let (tracr, ours, rasp) = outputs(&percent, "x x y");
    assert_eq!(rasp[2], Value::Int(67));
    // Tracr's value set of `frac` lacks 2/3, so its MLP snaps it to 1/2.
    assert_eq!(tracr[2], Value::Int(50));
    assert_eq!(ours, rasp);
}

#[test]
fn negative_numerical_map_survives() {
    let shifted = program(
        "vocab = {1, 2, 3}; max_seq_len = 3;
         centred = numerical(map(lambda x: x - 2, tokens));
         output centred;",
    );
    let (tracr, ours, rasp) = outputs(&shifted, "1 2 3");
    assert_eq!(rasp, [Value::Int(-1), Value::Int(0), Value::Int(1)]);
    // The ReLU of Tracr's MLP clips -1 to 0.
    assert!(float(&tracr[0]).abs() < 1e-6, "{tracr:?}");
    for (a, b) in ours.iter().zip(&rasp) {
        assert!((float(a) - float(b)).abs() < 1e-6, "{ours:?}");
    }
}

#[test]
fn wide_selector_width_is_exact() {
    let length = program(
        "vocab = {\"a\"}; max_seq_len = 12;
         all = select(tokens, tokens, true);
         n = selector_width(all);
         output n;",
    );
    let input = ["a"; 11].join(" ");
    let (tracr, ours, rasp) = outputs(&length, &input);
    assert_eq!(rasp[0], Value::Int(11));
    // 1/12 and 1/11 are 0.0076 apart, within one ramp of slope 100.
    assert_ne!(tracr[0], Value::Int(11), "{tracr:?}");
    assert_eq!(ours, rasp);

    let compiled = compile(&length, CompileOptions { tracr_compat: true }).unwrap();
    assert!(
        compiled
            .warnings
            .iter()
            .any(|w| w.message.contains("too small to separate"))
    );
}

#[test]
fn wide_heads_attend_sharply() {
    let tokens: Vec<String> = (1..=600).map(|t| t.to_string()).collect();
    let text = format!(
        "vocab = {{{}}}; max_seq_len = 3;
         is_one = numerical(tokens == 1);
         same = select(tokens, tokens, ==);
         share = numerical(aggregate(same, is_one, 0));
         output share;",
        tokens.join(", ")
    );
    let share = program(&text);
    let (tracr, ours, rasp) = outputs(&share, "1 2");
    assert_eq!(rasp[0], Value::Bool(true));
    // With key_size 602, Tracr's logits are divided by 24.5: the selected
    // key scores 4.1 against 2.0 for BOS and 0 for the other key, so the
    // copied 1 arrives as 0.87.
    assert!((float(&tracr[0]) - 0.8716).abs() < 1e-3, "{tracr:?}");
    assert!((float(&ours[0]) - 1.0).abs() < 1e-6, "{ours:?}");
}

#[test]
fn selector_widths_clean_bos_once() {
    let both = program(
        "vocab = {1, 2}; max_seq_len = 4;
         same = selector_width(select(tokens, tokens, ==));
         before = selector_width(select(indices, indices, <));
         total = same + before;
         output total;",
    );
    let tokens = parse_input("1 2 1", &both.settings).unwrap();
    let bos_residual = |tracr_compat| {
        let compiled = compile(&both, CompileOptions { tracr_compat }).unwrap();
        let model = &compiled.model;
        let trace = forward(model, &tokens).unwrap();
        let labels = model.residual_labels();
        let column = labels.iter().position(|l| l == "same:0").unwrap();
        // The step after the MLP sublayer of both selector widths.
        trace.residuals[2][[0, column]]
    };
    // Tracr's shared neuron fires twice at BOS, so it subtracts twice.
    assert!((bos_residual(true) + 1.0).abs() < 1e-6);
    assert!(bos_residual(false).abs() < 1e-6);
}
