//! The command line, run as a user runs it: exit codes, messages and the
//! JSON document.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tracr-tui"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A program file in a fresh temporary folder, removed when dropped.
struct TempProgram {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl TempProgram {
    fn new(file_name: &str, text: &str) -> TempProgram {
        let stem = file_name.trim_end_matches(".rasp");
        let dir = std::env::temp_dir().join(format!("tracr-tui-cli-{stem}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(file_name);
        std::fs::write(&path, text).expect("write the program");
        TempProgram { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("utf-8 path")
    }
}

impl Drop for TempProgram {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

fn json_of(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("valid JSON")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn json_has_required_fields() {
    let output = run(&["sort", "--input", "BOS 3 1 2", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(json["program"], "sort");
    assert_eq!(json["vocab"], serde_json::json!([1, 2, 3]));
    assert_eq!(json["max_seq_len"], 5);
    assert_eq!(json["input"], serde_json::json!(["BOS", 3, 1, 2]));
    assert_eq!(json["rasp_output"], serde_json::json!([null, 1, 2, 3]));
}

#[test]
fn json_none_is_null() {
    let output = run(&["shift_by", "--input", "a b c", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(
        json["rasp_output"],
        serde_json::json!([null, null, "a", "b"])
    );
}

#[test]
fn program_path_works() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/reverse.rasp");
    let output = run(&[path, "--input", "BOS 1 2 3", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json = json_of(&output);
    assert_eq!(json["output"], serde_json::json!(["BOS", 3, 2, 1]));
}

#[test]
fn example_input_is_default() {
    let output = run(&["hist", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json = json_of(&output);
    assert_eq!(
        json["input"],
        serde_json::json!(["BOS", "a", "b", "a", "c", "a"])
    );
    assert_eq!(json["output"], serde_json::json!(["BOS", 3, 1, 3, 1, 3]));
}

#[test]
fn overrides_change_settings() {
    let output = run(&[
        "reverse",
        "--vocab",
        "a b c d",
        "--max-seq-len",
        "7",
        "--input",
        "a b c d a b c",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(json["max_seq_len"], 7);
    assert_eq!(
        json["rasp_output"],
        serde_json::json!([null, "c", "b", "a", "d", "c", "b", "a"])
    );
}

#[test]
fn max_seq_len_override_reaches_constants() {
    // sort's key divides by max_seq_len, so the override must change it.
    let output = run(&["sort", "--max-seq-len", "10", "--input", "3 1 2", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    let sort_key = json["nodes"]
        .as_array()
        .expect("nodes list")
        .iter()
        .find(|node| node["label"] == "sort_key")
        .expect("sort_key node");
    assert_eq!(
        sort_key["rasp_values"],
        serde_json::json!([null, 3.0, 1.1, 2.2])
    );
}

#[test]
fn list_names_every_program() {
    let output = run(&["--list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for name in ["reverse", "sort", "hist", "frac_prevs", "shuffle_dyck2"] {
        assert!(
            text.lines().any(|line| line.starts_with(name)),
            "{name} missing from --list"
        );
    }
}

#[test]
fn bad_token_exits_two() {
    let output = run(&["sort", "--input", "BOS 3 7"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: invalid input token `7` at position 2: expected one of {1, 2, 3}"
    );
}

#[test]
fn long_input_exits_two() {
    let output = run(&["sort", "--input", "1 2 3 1 2 3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("max_seq_len is 5"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_program_exits_one() {
    let program = TempProgram::new(
        "bad.rasp",
        "vocab = {1};\nmax_seq_len = 2;\nx = tokns + 1;\noutput x;\n",
    );
    let output = run(&[program.path(), "--input", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("error: unknown name `tokns`"), "{message}");
    assert!(message.contains("bad.rasp:3:5"), "{message}");
    assert!(message.contains("help: try `tokens`"), "{message}");
}

#[test]
fn unknown_program_exits_two() {
    let output = run(&["no_such_program"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--list"), "{}", stderr(&output));
}

#[test]
fn bad_vocab_flag_exits_two() {
    let output = run(&["sort", "--vocab", "1 1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("listed twice"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_describes_compiled_model() {
    let output = run(&["reverse", "--input", "1 2 3", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json = json_of(&output);
    assert_eq!(json["output"], serde_json::json!(["BOS", 3, 2, 1]));
    assert_eq!(json["tracr_compat"], false);
    let labels = json["residual_labels"].as_array().expect("residual labels");
    assert!(
        labels.iter().any(|label| label == "opp_index:2"),
        "{labels:?}"
    );
    let flip = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["label"] == "reverse")
        .expect("reverse node");
    assert_eq!(flip["sublayer"], 6);
    let n_steps = json["trace"]["steps"].as_array().expect("steps").len();
    assert_eq!(
        json["trace"]["residuals"]
            .as_array()
            .expect("residuals")
            .len(),
        n_steps
    );
    assert_eq!(
        n_steps,
        1 + 2 * json["model"]["n_layers"].as_u64().expect("n_layers") as usize
    );
}

#[test]
fn tracr_compat_decodes_none_as_token() {
    let compat = json_of(&run(&[
        "shift_by",
        "--input",
        "a b c",
        "--json",
        "--tracr-compat",
    ]));
    assert_eq!(compat["tracr_compat"], true);
    assert!(
        compat["output"][1].is_string(),
        "Tracr's argmax picks a token: {}",
        compat["output"]
    );
    let corrected = json_of(&run(&["shift_by", "--input", "a b c", "--json"]));
    assert_eq!(
        corrected["output"],
        serde_json::json!(["BOS", null, "a", "b"])
    );
}

#[test]
fn print_shows_output_and_residuals() {
    let output = run(&["sort", "--input", "3 1 2", "--print"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["output", "BOS", "1", "2", "3"]),
        "{text}"
    );
    assert!(text.contains("residual after embed"), "{text}");
    assert!(
        text.contains("residual after layer_2/attn (sort)"),
        "{text}"
    );
}

#[test]
fn uncompilable_program_exits_one() {
    let text = "vocab = {1, 2};\nmax_seq_len = 3;\nx = numerical(tokens + 0);\ns = select(x, x, ==);\nw = selector_width(s);\noutput w;\n";
    let program = TempProgram::new("numerical_keys.rasp", text);
    let output = run(&[program.path(), "--input", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("cannot compile `s`: select keys must be categorical"),
        "{message}"
    );
    assert!(message.contains("numerical_keys.rasp:4:5"), "{message}");
}

#[test]
fn byte_order_mark_is_ignored() {
    let program = TempProgram::new(
        "bom.rasp",
        "\u{feff}vocab = {1, 2};\nmax_seq_len = 2;\noutput tokens;\n",
    );
    let output = run(&[program.path(), "--input", "2 1", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_of(&output)["output"], serde_json::json!(["BOS", 2, 1]));
}

#[test]
fn piped_output_prints_report() {
    // Standard output is a pipe here, so no debugger opens.
    let output = run(&["sort", "--input", "3 1 2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("residual after embed"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("not a terminal"),
        "{}",
        stderr(&output)
    );
}
