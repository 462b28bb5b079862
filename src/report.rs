//! Non-interactive output: the JSON document of `--json` and the plain-text
//! table printed without it.

use std::fmt::Write;

use serde_json::{Value as Json, json};

use crate::input::format_vocab;
use crate::rasp::eval::{NodeValue, evaluate};
use crate::rasp::program::{NodeKind, Program};
use crate::value::Value;

/// Converts a value to JSON: numbers stay numbers, `None` becomes `null`.
pub fn value_to_json(value: &Value) -> Json {
    match value {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(value_to_json).collect()),
    }
}

/// Builds the JSON report of a program run on `input` (without BOS). Every
/// per-position list includes the BOS position first, where RASP values
/// are `null`.
pub fn json_report(program: &Program, input: &[Value]) -> Json {
    let values = evaluate(program, input);
    let settings = &program.settings;
    let with_bos = |values: &[Value]| -> Json {
        let mut list = vec![Json::Null];
        list.extend(values.iter().map(value_to_json));
        Json::Array(list)
    };
    let mut input_json = vec![Json::String(settings.compiler_bos.clone())];
    input_json.extend(input.iter().map(value_to_json));

    let nodes: Vec<Json> = program
        .nodes
        .iter()
        .zip(&values)
        .map(|(node, value)| {
            let children: Vec<&str> = node
                .kind
                .children()
                .into_iter()
                .map(|child| program.nodes[child].label.as_str())
                .collect();
            let encoding = if node.kind.is_selector() {
                Json::Null
            } else {
                Json::String(node.encoding.name().into())
            };
            let mut entry = json!({
                "label": node.label,
                "kind": node.kind.tracr_name(),
                "encoding": encoding,
                "children": children,
                "expression": describe(program, &node.kind),
            });
            if let NodeValue::Sop(values) = value {
                entry["rasp_values"] = with_bos(values);
            }
            entry
        })
        .collect();

    let output = values[program.output].as_sop().unwrap_or(&[]);
    json!({
        "program": program.name,
        "vocab": settings.vocab.iter().map(value_to_json).collect::<Vec<_>>(),
        "max_seq_len": settings.max_seq_len,
        "causal": settings.causal,
        "mlp_exactness": settings.mlp_exactness,
        "compiler_bos": settings.compiler_bos,
        "compiler_pad": settings.compiler_pad,
        "output_node": program.output_node().label,
        "input": input_json,
        "rasp_output": with_bos(output),
        "nodes": nodes,
    })
}

/// Describes a node's operation in RASP syntax, such as
/// `select(indices, opp_index, ==)`.
pub fn describe(program: &Program, kind: &NodeKind) -> String {
    let label = |id: usize| program.nodes[id].label.as_str();
    match kind {
        NodeKind::Tokens => "tokens".into(),
        NodeKind::Indices => "indices".into(),
        NodeKind::Map { f, input } => format!("map({f}, {})", label(*input)),
        NodeKind::SequenceMap { f, fst, snd } => {
            format!("sequence_map({f}, {}, {})", label(*fst), label(*snd))
        }
        NodeKind::LinearSequenceMap {
            fst,
            snd,
            fst_factor,
            snd_factor,
        } => format!(
            "linear_sequence_map({}, {}, {fst_factor}, {snd_factor})",
            label(*fst),
            label(*snd)
        ),
        NodeKind::Select {
            keys,
            queries,
            predicate,
        } => {
            format!("select({}, {}, {predicate})", label(*keys), label(*queries))
        }
        NodeKind::Aggregate {
            selector,
            sop,
            default,
        } => match default {
            Some(default) => format!(
                "aggregate({}, {}, {default})",
                label(*selector),
                label(*sop)
            ),
            None => format!("aggregate({}, {})", label(*selector), label(*sop)),
        },
        NodeKind::SelectorWidth { selector } => format!("selector_width({})", label(*selector)),
        NodeKind::SelectorAnd { fst, snd } => format!("{} and {}", label(*fst), label(*snd)),
        NodeKind::SelectorOr { fst, snd } => format!("{} or {}", label(*fst), label(*snd)),
        NodeKind::SelectorNot { inner } => format!("not {}", label(*inner)),
    }
}

/// Formats the program's sop values as a table: one row per sop, one column
/// per position (BOS first), then the output.
pub fn text_report(program: &Program, input: &[Value]) -> String {
    let values = evaluate(program, input);
    let settings = &program.settings;
    let mut header = vec![
        "node".to_string(),
        "kind".to_string(),
        settings.compiler_bos.clone(),
    ];
    header.extend(input.iter().map(Value::to_string));
    let mut rows = vec![header];
    for (node, value) in program.nodes.iter().zip(&values) {
        let NodeValue::Sop(values) = value else {
            continue;
        };
        let mut row = vec![
            node.label.clone(),
            node.kind.tracr_name().to_string(),
            String::new(),
        ];
        row.extend(values.iter().map(format_value));
        rows.push(row);
    }
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  vocab {}  max_seq_len {}{}",
        program.name,
        format_vocab(&settings.vocab),
        settings.max_seq_len,
        if settings.causal { "  causal" } else { "" }
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    let output = values[program.output].as_sop().unwrap_or(&[]);
    let words: Vec<String> = output.iter().map(format_value).collect();
    let _ = writeln!(
        out,
        "output {}: {}",
        program.output_node().label,
        words.join(" ")
    );
    out
}

/// Formats a value for tables: floats with at most 4 decimals (`0.6667`,
/// `1.0`), everything else as Python prints it.
pub fn format_value(value: &Value) -> String {
    match value {
        Value::Float(f) => {
            let rounded = format!("{f:.4}");
            let trimmed = rounded.trim_end_matches('0');
            if trimmed.ends_with('.') {
                format!("{trimmed}0")
            } else {
                trimmed.to_string()
            }
        }
        other => other.to_string(),
    }
}
