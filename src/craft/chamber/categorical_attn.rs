//! An attention head whose pattern is a selector over categorical queries
//! and keys, with the BOS position as the fallback when nothing matches.

use crate::craft::basis::{BasisDirection, VectorSpace};
use crate::craft::block::AttentionHead;
use crate::craft::linear::{Linear, ScalarBilinear};

/// Inputs of [`categorical_attn`].
pub struct CategoricalAttn<'a> {
    pub query_space: &'a VectorSpace,
    pub key_space: &'a VectorSpace,
    pub value_space: &'a VectorSpace,
    pub output_space: &'a VectorSpace,
    pub bos: &'a BasisDirection,
    pub one: &'a BasisDirection,
    /// Whether the query direction attends to the key direction.
    pub attends: &'a dyn Fn(&BasisDirection, &BasisDirection) -> bool,
    /// Give BOS the same score as a match, so it is always attended to
    /// (selector width); otherwise BOS gets half a match's score and wins
    /// only where nothing matches.
    pub always_attend_to_bos: bool,
    /// Treat the BOS value as the default output (zero) instead of mapping
    /// it like any other value direction.
    pub bos_is_default: bool,
    /// Score of a match; large values make the softmax close to a hard max.
    pub softmax_coldness: f64,
}

/// Builds the head.
///
/// The score of query `q` against key `k` is `coldness` where the selector
/// selects the pair and 0 elsewhere. The BOS position contains only
/// `bos + one`, and every query contains `one`, so a `one`-by-`bos` entry
/// scores BOS at half a match (or a full match with
/// `always_attend_to_bos`) without touching the other scores. The value map sends the i-th value direction to the i-th output
/// direction, both in sorted order, and BOS to zero when it is the default.
pub fn categorical_attn(spec: &CategoricalAttn<'_>) -> AttentionHead {
    let bos_space = VectorSpace::new([spec.bos.clone()]);
    let one_space = VectorSpace::new([spec.one.clone()]);
    let query_space = VectorSpace::join([spec.query_space, &bos_space, &one_space]);
    let key_space = VectorSpace::join([spec.key_space, &bos_space]);
    let value_space = VectorSpace::join([spec.value_space, &bos_space]);

    let w_qk = ScalarBilinear::from_action(query_space, key_space, |query, key| {
        if key == spec.bos && query == spec.one {
            let share = if spec.always_attend_to_bos { 1.0 } else { 0.5 };
            return share * spec.softmax_coldness;
        }
        let special = [spec.one, spec.bos];
        if special.contains(&query) || special.contains(&key) {
            return 0.0;
        }
        if (spec.attends)(query, key) {
            spec.softmax_coldness
        } else {
            0.0
        }
    });

    let value_basis: Vec<&BasisDirection> = value_space
        .basis()
        .iter()
        .filter(|direction| spec.always_attend_to_bos || *direction != spec.bos)
        .collect();
    let targets: Vec<(BasisDirection, BasisDirection)> = value_basis
        .iter()
        .zip(spec.output_space.basis())
        .map(|(value, output)| ((*value).clone(), output.clone()))
        .collect();
    let w_ov = Linear::from_action(value_space, spec.output_space.clone(), |direction| {
        if spec.bos_is_default && direction == spec.bos {
            return Vec::new();
        }
        targets
            .iter()
            .find(|(value, _)| value == direction)
            .map(|(_, output)| vec![(output.clone(), 1.0)])
            .unwrap_or_default()
    });
    AttentionHead { w_qk, w_ov }
}
