//! The reference interpreter: evaluates every node of a program on one input
//! with RASP's semantics. It is the ground truth the compiled model is
//! compared with.

use crate::rasp::program::{Encoding, NodeKind, Program, Truth};
use crate::value::Value;

/// The value of one node on one input.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// One value per position.
    Sop(Vec<Value>),
    /// `matrix[query_pos][key_pos]`: whether the query position selects the key.
    Selector(Vec<Vec<bool>>),
}

impl NodeValue {
    pub fn as_sop(&self) -> Option<&[Value]> {
        match self {
            NodeValue::Sop(values) => Some(values),
            NodeValue::Selector(_) => None,
        }
    }

    pub fn as_selector(&self) -> Option<&[Vec<bool>]> {
        match self {
            NodeValue::Selector(matrix) => Some(matrix),
            NodeValue::Sop(_) => None,
        }
    }
}

/// Evaluates every node on `input` (the tokens, without BOS). The result is
/// indexed like [`Program::nodes`].
///
/// Selectors are evaluated with three-valued [`Truth`] matrices, so that an
/// undefined entry stays undefined through `SelectorAnd`, `SelectorOr` and
/// `SelectorNot`. The returned matrices hold only whether each entry selects.
pub fn evaluate(program: &Program, input: &[Value]) -> Vec<NodeValue> {
    let n = input.len();
    let mut values: Vec<NodeValue> = Vec::with_capacity(program.nodes.len());
    // The three-valued matrix of each selector node; empty for sops.
    let mut truths: Vec<Vec<Vec<Truth>>> = Vec::with_capacity(program.nodes.len());
    for node in &program.nodes {
        if node.kind.is_selector() {
            let matrix = selector_truths(&node.kind, &values, &truths);
            let selects = matrix
                .iter()
                .map(|row| row.iter().map(|truth| truth.selects()).collect())
                .collect();
            values.push(NodeValue::Selector(selects));
            truths.push(matrix);
            continue;
        }
        let sop_of = |id: usize| -> &[Value] { values[id].as_sop().unwrap_or(&[]) };
        let selector_of = |id: usize| -> &[Vec<bool>] { values[id].as_selector().unwrap_or(&[]) };
        let value = match &node.kind {
            NodeKind::Tokens => NodeValue::Sop(input.to_vec()),
            NodeKind::Indices => NodeValue::Sop((0..n).map(|i| Value::Int(i as i64)).collect()),
            NodeKind::Map { f, input } => NodeValue::Sop(
                sop_of(*input)
                    .iter()
                    .map(|x| {
                        if x.is_none() {
                            Value::None
                        } else {
                            f.call(std::slice::from_ref(x)).unwrap_or(Value::None)
                        }
                    })
                    .collect(),
            ),
            NodeKind::SequenceMap { f, fst, snd } => NodeValue::Sop(
                sop_of(*fst)
                    .iter()
                    .zip(sop_of(*snd))
                    .map(|(x, y)| {
                        if x.is_none() || y.is_none() {
                            Value::None
                        } else {
                            f.call(&[x.clone(), y.clone()]).unwrap_or(Value::None)
                        }
                    })
                    .collect(),
            ),
            NodeKind::LinearSequenceMap {
                fst,
                snd,
                fst_factor,
                snd_factor,
            } => NodeValue::Sop(
                sop_of(*fst)
                    .iter()
                    .zip(sop_of(*snd))
                    .map(|(x, y)| linear(fst_factor, x, snd_factor, y).unwrap_or(Value::None))
                    .collect(),
            ),
            NodeKind::Aggregate {
                selector,
                sop: input,
                ..
            } => {
                let default = node.aggregate_default();
                let input = sop_of(*input);
                NodeValue::Sop(
                    selector_of(*selector)
                        .iter()
                        .map(|row| {
                            let selected: Vec<&Value> = row
                                .iter()
                                .zip(input)
                                .filter(|(chosen, _)| **chosen)
                                .map(|(_, value)| value)
                                .collect();
                            mean(&selected, &default, node.encoding)
                        })
                        .collect(),
                )
            }
            NodeKind::SelectorWidth { selector } => NodeValue::Sop(
                selector_of(*selector)
                    .iter()
                    .map(|row| Value::Int(row.iter().filter(|chosen| **chosen).count() as i64))
                    .collect(),
            ),
            NodeKind::Select { .. }
            | NodeKind::SelectorAnd { .. }
            | NodeKind::SelectorOr { .. }
            | NodeKind::SelectorNot { .. } => unreachable!("selectors are evaluated above"),
        };
        values.push(value);
        truths.push(Vec::new());
    }
    values
}

/// Evaluates a selector node to its three-valued matrix, `[query][key]`,
/// from the values of the nodes before it.
fn selector_truths(
    kind: &NodeKind,
    values: &[NodeValue],
    truths: &[Vec<Vec<Truth>>],
) -> Vec<Vec<Truth>> {
    let sop_of = |id: usize| -> &[Value] { values[id].as_sop().unwrap_or(&[]) };
    match kind {
        NodeKind::Select {
            keys,
            queries,
            predicate,
        } => {
            let keys = sop_of(*keys);
            sop_of(*queries)
                .iter()
                .map(|query| {
                    keys.iter()
                        .map(|key| predicate.evaluate(key, query))
                        .collect()
                })
                .collect()
        }
        NodeKind::SelectorAnd { fst, snd } => combine(&truths[*fst], &truths[*snd], Truth::and),
        NodeKind::SelectorOr { fst, snd } => combine(&truths[*fst], &truths[*snd], Truth::or),
        NodeKind::SelectorNot { inner } => truths[*inner]
            .iter()
            .map(|row| row.iter().map(|truth| !*truth).collect())
            .collect(),
        _ => Vec::new(),
    }
}

/// Evaluates the program and returns the output node's values.
pub fn evaluate_output(program: &Program, input: &[Value]) -> Vec<Value> {
    let mut values = evaluate(program, input);
    match values.swap_remove(program.output) {
        NodeValue::Sop(values) => values,
        NodeValue::Selector(_) => Vec::new(),
    }
}

fn linear(fst_factor: &Value, x: &Value, snd_factor: &Value, y: &Value) -> Option<Value> {
    if x.is_none() || y.is_none() {
        return None;
    }
    fst_factor.mul(x).ok()?.add(&snd_factor.mul(y).ok()?).ok()
}

/// Aggregates the selected values as Tracr's evaluator does: the default when
/// nothing is selected, the value itself when one is, and the mean of
/// numbers otherwise. A categorical aggregate of several different
/// non-numbers has no value and gives `None`.
fn mean(selected: &[&Value], default: &Value, encoding: Encoding) -> Value {
    match selected {
        [] => default.clone(),
        [single] => (*single).clone(),
        _ => {
            if selected.iter().all(|value| value.is_numeric()) {
                let sum: f64 = selected.iter().filter_map(|value| value.as_f64()).sum();
                return Value::Float(sum / selected.len() as f64);
            }
            let first = selected[0];
            if encoding == Encoding::Categorical && selected.iter().all(|value| *value == first) {
                return first.clone();
            }
            Value::None
        }
    }
}

fn combine(a: &[Vec<Truth>], b: &[Vec<Truth>], op: fn(Truth, Truth) -> Truth) -> Vec<Vec<Truth>> {
    a.iter()
        .zip(b)
        .map(|(row_a, row_b)| row_a.iter().zip(row_b).map(|(x, y)| op(*x, *y)).collect())
        .collect()
}
