//! MLPs for functions of categorical inputs: lookup tables over one-hot
//! directions.

use crate::craft::basis::{BasisDirection, VectorSpace};
use crate::craft::block::Mlp;
use crate::craft::linear::Linear;
use crate::value::Value;

/// Builds an MLP for a categorical-to-categorical map. The hidden layer has
/// one neuron per output direction: the first layer sends each input
/// direction to the direction of its image, and the second copies the
/// hidden layer out. Inputs whose image is not in `output_space` write
/// nothing.
pub fn map_categorical_mlp(
    input_space: &VectorSpace,
    output_space: &VectorSpace,
    image: impl Fn(&BasisDirection) -> Option<BasisDirection>,
) -> Mlp {
    let fst = Linear::from_action(input_space.clone(), output_space.clone(), |direction| {
        image(direction)
            .map(|target| vec![(target, 1.0)])
            .unwrap_or_default()
    });
    let snd = Linear::project(output_space, output_space);
    Mlp { fst, snd }
}

/// Builds an MLP for a categorical-to-numerical map as Tracr does: the first
/// layer writes `f(x)` into a single hidden neuron named like the output,
/// and the second copies it. The ReLU between them clips negative results
/// to zero, which [`map_categorical_to_numerical_signed_mlp`] avoids.
pub fn map_categorical_to_numerical_mlp(
    input_space: &VectorSpace,
    output_space: &VectorSpace,
    f: impl Fn(&Value) -> Option<f64>,
) -> Mlp {
    let output = output_space.basis()[0].clone();
    let fst =
        Linear::from_action(
            input_space.clone(),
            output_space.clone(),
            |direction| match direction.value.as_ref().and_then(&f) {
                Some(y) => vec![(output.clone(), y)],
                None => Vec::new(),
            },
        );
    let snd = Linear::project(output_space, output_space);
    Mlp { fst, snd }
}

/// Builds an MLP for a categorical-to-numerical map that keeps negative
/// results: one hidden neuron per input value copies the one-hot input
/// (never negative, so the ReLU is the identity), and the second layer
/// writes `f(x)` from the neuron of `x`.
pub fn map_categorical_to_numerical_signed_mlp(
    input_space: &VectorSpace,
    output_space: &VectorSpace,
    f: impl Fn(&Value) -> Option<f64>,
    hidden_name: &str,
) -> Mlp {
    let output = output_space.basis()[0].clone();
    let hidden_of = |direction: &BasisDirection| BasisDirection {
        name: hidden_name.to_string(),
        value: direction.value.clone(),
    };
    let hidden_space = VectorSpace::new(input_space.basis().iter().map(hidden_of));
    let fst = Linear::from_action(input_space.clone(), hidden_space.clone(), |direction| {
        vec![(hidden_of(direction), 1.0)]
    });
    let snd = Linear::from_action(
        hidden_space,
        output_space.clone(),
        |direction| match direction.value.as_ref().and_then(&f) {
            Some(y) => vec![(output.clone(), y)],
            None => Vec::new(),
        },
    );
    Mlp { fst, snd }
}

/// Builds an MLP for a categorical function of two categorical inputs.
///
/// There is one hidden neuron per pair `(x, y)` of input directions,
/// computing `relu(x + y - 1)`, which is 1 exactly when both are set; the
/// `one` direction supplies the -1. The second layer writes the image of
/// each pair. The two input spaces must not share directions.
pub fn sequence_map_categorical_mlp(
    fst_space: &VectorSpace,
    snd_space: &VectorSpace,
    output_space: &VectorSpace,
    one: &BasisDirection,
    hidden_name: &str,
    image: impl Fn(&BasisDirection, &BasisDirection) -> Option<BasisDirection>,
) -> Mlp {
    let hidden_of = |x: &BasisDirection, y: &BasisDirection| {
        let pair = Value::List(vec![
            Value::Str(x.name.clone()),
            x.value.clone().unwrap_or(Value::None),
            Value::Str(y.name.clone()),
            y.value.clone().unwrap_or(Value::None),
        ]);
        BasisDirection::with_value(hidden_name, pair)
    };
    let mut pairs = Vec::new();
    for x in fst_space.basis() {
        for y in snd_space.basis() {
            pairs.push((x.clone(), y.clone(), hidden_of(x, y)));
        }
    }
    let hidden_space = VectorSpace::new(pairs.iter().map(|(_, _, hidden)| hidden.clone()));
    let input_space = VectorSpace::join([fst_space, snd_space, &VectorSpace::new([one.clone()])]);

    let fst = Linear::from_action(input_space, hidden_space.clone(), |direction| {
        pairs
            .iter()
            .filter_map(|(x, y, hidden)| {
                if direction == one {
                    Some((hidden.clone(), -1.0))
                } else if direction == x || direction == y {
                    Some((hidden.clone(), 1.0))
                } else {
                    None
                }
            })
            .collect()
    });
    let snd = Linear::from_action(hidden_space, output_space.clone(), |direction| {
        pairs
            .iter()
            .find(|(_, _, hidden)| hidden == direction)
            .and_then(|(x, y, _)| image(x, y))
            .map(|target| vec![(target, 1.0)])
            .unwrap_or_default()
    });
    Mlp { fst, snd }
}
