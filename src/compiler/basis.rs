//! Value-set and basis inference: the values each sop can take, and the
//! residual directions that hold it.

use std::collections::HashSet;

use crate::craft::{BasisDirection, VectorSpace};
use crate::diagnostic::Diagnostic;
use crate::rasp::program::{Encoding, NodeKind, Program};
use crate::value::Value;

/// What basis inference decides for one sop.
#[derive(Clone, Debug)]
pub struct NodeBasis {
    /// Every value the sop can take, sorted, without `None`.
    pub value_set: Vec<Value>,
    /// `label:value` per value for a categorical sop, `label` for a numerical one.
    pub space: VectorSpace,
}

/// Infers the basis of every sop; selectors get `None`.
///
/// A numerical aggregate may only average 0/1 values. With `tracr_compat`
/// its value set is Tracr's, `{x / n}` for each input value `x` and length
/// `n`, which misses means such as 2/3. Otherwise it is every mean of up to
/// `max_seq_len` values, so maps after the aggregate see all of them.
pub fn infer_bases(
    program: &Program,
    tracr_compat: bool,
) -> Result<Vec<Option<NodeBasis>>, Vec<Diagnostic>> {
    let max_seq_len = program.settings.max_seq_len;
    let mut bases: Vec<Option<NodeBasis>> = Vec::with_capacity(program.nodes.len());
    let mut errors = Vec::new();
    for node in &program.nodes {
        let values_of = |id: usize| -> &[Value] {
            bases[id]
                .as_ref()
                .map_or(&[], |basis| basis.value_set.as_slice())
        };
        let value_set: Vec<Value> = match &node.kind {
            NodeKind::Tokens => program.settings.vocab.clone(),
            NodeKind::Indices => (0..max_seq_len).map(|i| Value::Int(i as i64)).collect(),
            NodeKind::SelectorWidth { .. } => {
                (0..=max_seq_len).map(|w| Value::Int(w as i64)).collect()
            }
            NodeKind::Map { f, input } => values_of(*input)
                .iter()
                .filter_map(|x| f.call(std::slice::from_ref(x)).ok())
                .collect(),
            NodeKind::SequenceMap { f, fst, snd } => {
                let mut out = Vec::new();
                for x in values_of(*fst) {
                    for y in values_of(*snd) {
                        if let Ok(value) = f.call(&[x.clone(), y.clone()]) {
                            out.push(value);
                        }
                    }
                }
                out
            }
            NodeKind::LinearSequenceMap {
                fst,
                snd,
                fst_factor,
                snd_factor,
            } => {
                let mut out = Vec::new();
                for x in values_of(*fst) {
                    for y in values_of(*snd) {
                        let sum = fst_factor
                            .mul(x)
                            .and_then(|a| snd_factor.mul(y).and_then(|b| a.add(&b)));
                        if let Ok(value) = sum {
                            out.push(value);
                        }
                    }
                }
                out
            }
            NodeKind::Aggregate { sop, .. } => {
                let inputs = values_of(*sop);
                match node.encoding {
                    Encoding::Categorical => inputs.to_vec(),
                    Encoding::Numerical => {
                        if !inputs.iter().all(|x| is_binary(x, tracr_compat)) {
                            let shown: Vec<String> =
                                inputs.iter().map(ToString::to_string).collect();
                            errors.push(
                                Diagnostic::error(
                                    node.span,
                                    format!(
                                        "cannot compile `{}`: a numerical aggregate can only average 0 and 1, but `{}` takes the values {{{}}}",
                                        node.label,
                                        program.nodes[*sop].label,
                                        shown.join(", ")
                                    ),
                                )
                                .with_hint("try aggregating an indicator such as `numerical(tokens == \"x\")`"),
                            );
                            Vec::new()
                        } else if tracr_compat {
                            tracr_mean_values(inputs, max_seq_len)
                        } else {
                            mean_values(inputs, max_seq_len)
                        }
                    }
                }
            }
            NodeKind::Select { .. }
            | NodeKind::SelectorAnd { .. }
            | NodeKind::SelectorOr { .. }
            | NodeKind::SelectorNot { .. } => {
                bases.push(None);
                continue;
            }
        };
        let value_set = sorted_set(value_set);
        let space = match node.encoding {
            Encoding::Categorical => VectorSpace::from_values(&node.label, &value_set),
            Encoding::Numerical => VectorSpace::new([BasisDirection::named(node.label.clone())]),
        };
        bases.push(Some(NodeBasis { value_set, space }));
    }
    if errors.is_empty() {
        Ok(bases)
    } else {
        Err(errors)
    }
}

/// Removes `None` and repeated values (by Python equality) and sorts.
fn sorted_set(values: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    let mut set: Vec<Value> = values
        .into_iter()
        .filter(|value| !value.is_none() && seen.insert(value.clone()))
        .collect();
    set.sort_by(Value::total_cmp);
    set
}

/// Tracr accepts a value when `int(x)` is 0 or 1, which truncates 0.5 to 0.
fn is_binary(value: &Value, tracr_compat: bool) -> bool {
    match value.as_f64() {
        Some(x) if tracr_compat => x.trunc() == 0.0 || x.trunc() == 1.0,
        Some(x) => x == 0.0 || x == 1.0,
        None => false,
    }
}

/// Tracr's value set of a numerical mean: each input value divided by each length.
fn tracr_mean_values(inputs: &[Value], max_seq_len: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for x in inputs {
        for length in 1..=max_seq_len {
            if let Ok(mean) = x.div(&Value::Int(length as i64)) {
                out.push(mean);
            }
        }
    }
    out
}

/// Returns every mean of `n` values from `{0, 1}` restricted to the given inputs,
/// for `n` up to `max_seq_len`, plus the default 0 for an empty selection.
fn mean_values(inputs: &[Value], max_seq_len: usize) -> Vec<Value> {
    let has_zero = inputs.iter().any(|x| x.as_f64() == Some(0.0));
    let has_one = inputs.iter().any(|x| x.as_f64() == Some(1.0));
    let mut out = vec![Value::Float(0.0)];
    for n in 1..=max_seq_len {
        for k in 0..=n {
            let possible = (k == 0 && has_zero) || (k == n && has_one) || (has_zero && has_one);
            if possible {
                out.push(Value::Float(k as f64 / n as f64));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracr_means_miss_two_thirds() {
        let inputs = [Value::Bool(false), Value::Bool(true)];
        let tracr = sorted_set(tracr_mean_values(&inputs, 3));
        assert!(!tracr.contains(&Value::Float(2.0 / 3.0)));
        let corrected = sorted_set(mean_values(&inputs, 3));
        assert!(corrected.contains(&Value::Float(2.0 / 3.0)));
        assert_eq!(corrected.len(), 5, "0, 1/3, 1/2, 2/3, 1: {corrected:?}");
    }
}
