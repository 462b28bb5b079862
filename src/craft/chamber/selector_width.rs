//! Selector width as an attention head followed by an MLP.
//!
//! The head attends to BOS and to every selected key with equal weight and
//! copies the BOS indicator, so a query with `w` selected keys reads
//! `1 / (w + 1)`. The MLP decodes `w = round(1/x - 1)` and also cleans the
//! BOS position, where the head wrote too, by subtracting what was written
//! there (the BOS position is the only one with the BOS direction set).

use crate::craft::basis::{BasisDirection, VectorSpace};
use crate::craft::block::{AttentionHead, Mlp};
use crate::craft::chamber::categorical_attn::{CategoricalAttn, categorical_attn};
use crate::craft::chamber::numerical_mlp::{
    Discretisation, map_numerical_mlp, map_numerical_to_categorical_mlp,
};
use crate::craft::linear::Linear;
use crate::value::Value;

/// Inputs of [`selector_width`].
pub struct SelectorWidth<'a> {
    pub query_space: &'a VectorSpace,
    pub key_space: &'a VectorSpace,
    pub output_space: &'a VectorSpace,
    pub bos: &'a BasisDirection,
    pub one: &'a BasisDirection,
    pub attends: &'a dyn Fn(&BasisDirection, &BasisDirection) -> bool,
    /// The widths the output can take.
    pub widths: &'a [Value],
    pub categorical_output: bool,
    pub softmax_coldness: f64,
    /// The node's label, which names the auxiliary directions.
    pub label: &'a str,
    /// The name of the BOS clean-up neuron. Tracr uses one name for every
    /// selector width, so two in one MLP layer share (and double) it.
    pub clean_bos_neuron: &'a str,
    /// Merge decoder inputs that differ only by float rounding.
    pub merge_inputs: bool,
}

/// Returns the attention output direction of a selector width,
/// `{label}_selector_width_attn_output`.
pub fn attn_output_direction(label: &str) -> BasisDirection {
    BasisDirection::named(format!("{label}_selector_width_attn_output"))
}

/// Returns the discretisation of the decoding MLP: inputs `1 / (w + 1)`
/// for each width, outputs `round(1/x - 1)`.
pub fn width_discretisation(widths: &[Value], merge: bool) -> Discretisation {
    let inputs: Vec<Value> = widths
        .iter()
        .filter_map(Value::as_f64)
        .map(|w| Value::Float(1.0 / (w + 1.0)))
        .collect();
    Discretisation::new(
        &inputs,
        |x| {
            let x = x.as_f64()?;
            Value::Float(1.0 / x - 1.0).round().ok()
        },
        merge,
    )
}

/// Builds the head and the MLP; `slope` is the decoding MLP's large number.
pub fn selector_width(
    spec: &SelectorWidth<'_>,
    slope: f64,
) -> Result<(AttentionHead, Mlp), String> {
    let attn_out = attn_output_direction(spec.label);
    let attn_out_space = VectorSpace::new([attn_out.clone()]);
    let bos_space = VectorSpace::new([spec.bos.clone()]);
    let head = categorical_attn(&CategoricalAttn {
        query_space: spec.query_space,
        key_space: spec.key_space,
        value_space: &bos_space,
        output_space: &attn_out_space,
        bos: spec.bos,
        one: spec.one,
        attends: spec.attends,
        always_attend_to_bos: true,
        bos_is_default: false,
        softmax_coldness: spec.softmax_coldness,
    });

    let discretisation = width_discretisation(spec.widths, spec.merge_inputs);
    let hidden_name = format!("_hidden_{}_", spec.label);
    let decode = if spec.categorical_output {
        map_numerical_to_categorical_mlp(
            &attn_out,
            spec.output_space,
            spec.one,
            &discretisation,
            &hidden_name,
            slope,
        )?
    } else {
        let output = spec
            .output_space
            .basis()
            .first()
            .cloned()
            .ok_or("empty output space")?;
        map_numerical_mlp(
            &attn_out,
            &output,
            spec.one,
            &discretisation,
            &hidden_name,
            slope,
        )
    };

    // At BOS the head wrote 1 to its output direction, and the decoder then
    // wrote width 0 (categorical) or nothing; one neuron that fires only at
    // BOS subtracts both.
    let mut subtract = vec![(attn_out.clone(), -1.0)];
    if spec.categorical_output {
        let zero = spec
            .output_space
            .basis()
            .iter()
            .find(|direction| {
                direction
                    .value
                    .as_ref()
                    .is_some_and(|v| *v == Value::Int(0))
            })
            .ok_or("the widths do not include 0")?;
        subtract.push((zero.clone(), -1.0));
    }
    let clean_neuron = BasisDirection::named(spec.clean_bos_neuron);
    let clean_space = VectorSpace::new([clean_neuron.clone()]);
    let clean_out_space = VectorSpace::join([&attn_out_space, spec.output_space]);
    let clean = Mlp {
        fst: Linear::from_action(bos_space, clean_space.clone(), |_| {
            vec![(clean_neuron.clone(), 1.0)]
        }),
        snd: Linear::from_action(clean_space, clean_out_space, |_| subtract.clone()),
    };
    Ok((head, Mlp::combine_in_parallel(&[&decode, &clean])))
}
