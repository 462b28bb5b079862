//! Non-interactive output: the JSON document of `--json` and the text
//! report of `--print`, both built from a [`Session`](crate::session::Session).

mod json;
mod text;

pub use json::json_report;
pub use text::text_report;

use serde_json::{Value as Json, json};

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

/// Formats a value for tables: floats with at most 4 decimals (`0.6667`,
/// `1.0`), everything else as Python prints it.
pub fn format_value(value: &Value) -> String {
    format_value_to(value, 4)
}

/// Formats a value with floats rounded to at most `decimals` decimals and
/// trailing zeros dropped down to one (`0.67`, `1.0`).
pub fn format_value_to(value: &Value, decimals: usize) -> String {
    match value {
        Value::Float(f) => {
            let rounded = format!("{f:.decimals$}");
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

/// Formats a residual magnitude compactly: `·` for exactly zero, two
/// decimals otherwise.
pub fn format_magnitude(x: f64) -> String {
    if x == 0.0 {
        "·".to_string()
    } else {
        format!("{x:.2}")
    }
}

/// Names the sublayers as Tracr's traces do: `layer_0/attn`, `layer_0/mlp`, ...
pub fn sublayer_name(index: usize) -> String {
    let kind = if index % 2 == 0 { "attn" } else { "mlp" };
    format!("layer_{}/{kind}", index / 2)
}

/// Returns whether the compiled model's decoded value agrees with RASP's:
/// equal values, or numbers within 1e-3 (a numerical output is read
/// straight from the residual, with MLP and softmax rounding in it).
pub fn outputs_agree(model: &Value, rasp: &Value) -> bool {
    match (model, rasp) {
        (Value::Float(a), b) if b.is_numeric() => b.as_f64().is_some_and(|b| (a - b).abs() <= 1e-3),
        (a, b) => a == b,
    }
}
