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
    let output = run(&[path, "--input", "BOS 1 2 3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("output reverse: 3 2 1"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn example_input_is_default() {
    let output = run(&["hist"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("output hist: 3 1 3 1 3"),
        "{}",
        stdout(&output)
    );
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
    let dir = std::env::temp_dir().join(format!("tracr-tui-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.rasp");
    std::fs::write(
        &path,
        "vocab = {1};\nmax_seq_len = 2;\nx = tokns + 1;\noutput x;\n",
    )
    .expect("write");
    let output = run(&[path.to_str().expect("utf-8 path"), "--input", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("error: unknown name `tokns`"), "{message}");
    assert!(message.contains("bad.rasp:3:5"), "{message}");
    assert!(message.contains("help: try `tokens`"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
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
