//! MLPs for functions of a numerical input, which discretise the input
//! into the known values it can take, and the linear MLP for `a*x + b*y`.

use crate::craft::basis::{BasisDirection, VectorSpace};
use crate::craft::block::Mlp;
use crate::craft::linear::Linear;
use crate::value::Value;

/// The input values of a discretising MLP, sorted, with their images.
/// Values whose image is `None` (a failed operation) are left out.
#[derive(Clone, Debug)]
pub struct Discretisation {
    pub inputs: Vec<f64>,
    pub outputs: Vec<Value>,
}

/// Inputs closer than this are one input when merging is on. Float
/// arithmetic gives one real number several spellings (`2/3 - 1/2` is
/// `0.16666666666666663`, `1/6` is `0.16666666666666666`), and separating
/// such neighbours would need a slope near 1e17.
pub const MERGE_TOLERANCE: f64 = 1e-9;

impl Discretisation {
    /// Sorts the inputs and applies `f`. With `merge`, inputs within
    /// [`MERGE_TOLERANCE`] of the previous kept input are dropped; Tracr
    /// keeps them all.
    pub fn new(input_values: &[Value], f: impl Fn(&Value) -> Option<Value>, merge: bool) -> Self {
        let mut sorted: Vec<&Value> = input_values.iter().collect();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let mut inputs: Vec<f64> = Vec::new();
        let mut outputs = Vec::new();
        for value in sorted {
            let (Some(x), Some(y)) = (value.as_f64(), f(value)) else {
                continue;
            };
            if merge
                && inputs
                    .last()
                    .is_some_and(|last| x - last <= MERGE_TOLERANCE)
            {
                continue;
            }
            inputs.push(x);
            outputs.push(y);
        }
        Discretisation { inputs, outputs }
    }

    /// Returns the discretisation with inputs within [`MERGE_TOLERANCE`]
    /// of the previous kept input dropped, as `new` does with `merge`.
    pub fn merged(&self) -> Discretisation {
        let mut inputs: Vec<f64> = Vec::new();
        let mut outputs = Vec::new();
        for (x, y) in self.inputs.iter().zip(&self.outputs) {
            if inputs
                .last()
                .is_some_and(|last| x - last <= MERGE_TOLERANCE)
            {
                continue;
            }
            inputs.push(*x);
            outputs.push(y.clone());
        }
        Discretisation { inputs, outputs }
    }

    /// Returns the midpoints between neighbouring inputs, where the output
    /// switches from one value to the next.
    pub fn thresholds(&self) -> Vec<f64> {
        self.inputs
            .windows(2)
            .map(|pair| (pair[0] + pair[1]) / 2.0)
            .collect()
    }

    /// Returns the smallest distance between two neighbouring inputs, if
    /// there are at least two.
    pub fn min_gap(&self) -> Option<f64> {
        self.inputs
            .windows(2)
            .map(|pair| pair[1] - pair[0])
            .min_by(f64::total_cmp)
    }
}

/// The smallest slope at which every step of a discretising MLP is complete
/// one input value away: a step at threshold `t` ramps over `[t - 1/L, t]`,
/// so the value below `t`, at distance `gap / 2`, must lie outside the ramp.
pub fn min_separating_slope(discretisation: &Discretisation) -> Option<f64> {
    discretisation.min_gap().map(|gap| 2.0 / gap)
}

/// Builds the hidden layer shared by both discretising MLPs: a `start` neuron that
/// is always 1, and for each threshold `t_k` two neurons
/// `relu(L * (x - t_k) + 1)` and `relu(L * (x - t_k))`, whose difference is
/// a step from 0 to 1 over `[t_k - 1/L, t_k]`.
fn discretising_layer(
    input: &BasisDirection,
    one: &BasisDirection,
    hidden_name: &str,
    thresholds: &[f64],
    slope: f64,
) -> (Linear, BasisDirection) {
    // In sorted order the steps `(k, i)` come first, by `k` then `i`, and
    // `{hidden_name}start` last, because its name is longer: step `(k, i)`
    // is column `2 * (k - 1) + i`.
    let start = BasisDirection::named(format!("{hidden_name}start"));
    let mut hidden = Vec::with_capacity(2 * thresholds.len() + 1);
    for k in 1..=thresholds.len() {
        for i in 0..2 {
            hidden.push(BasisDirection::with_value(
                hidden_name,
                Value::List(vec![Value::Int(k as i64), Value::Int(i)]),
            ));
        }
    }
    hidden.push(start.clone());
    let start_column = hidden.len() - 1;
    let hidden_space = VectorSpace::from_sorted(hidden);

    let input_space = VectorSpace::new([input.clone(), one.clone()]);
    let (Some(input_row), Some(one_row)) = (input_space.index_of(input), input_space.index_of(one))
    else {
        return (
            Linear::from_action(input_space, hidden_space, |_| Vec::new()),
            start,
        );
    };
    let mut matrix = ndarray::Array2::zeros((input_space.n_dims(), hidden_space.n_dims()));
    matrix[[one_row, start_column]] = 1.0;
    for (k, t) in thresholds.iter().enumerate() {
        let (first, second) = (2 * k, 2 * k + 1);
        matrix[[one_row, first]] = 1.0 - slope * t;
        matrix[[one_row, second]] = -slope * t;
        matrix[[input_row, first]] = slope;
        matrix[[input_row, second]] = slope;
    }
    let fst = Linear {
        input: input_space,
        output: hidden_space,
        matrix,
    };
    (fst, start)
}

/// Returns the step index `k` and the sign of a hidden direction `(k, i)`.
fn step_of(direction: &BasisDirection) -> Option<(usize, f64)> {
    match direction.value.as_ref() {
        Some(Value::List(items)) => match items.as_slice() {
            [Value::Int(k), Value::Int(i)] => Some((*k as usize, if *i == 0 { 1.0 } else { -1.0 })),
            _ => None,
        },
        _ => None,
    }
}

/// Builds an MLP computing a numerical `f(x)` of a numerical `x`, exact on
/// the discretisation's inputs when `slope` is at least
/// [`min_separating_slope`]. The output is `f(v_0)` plus, for each
/// threshold passed, the jump `f(v_k) - f(v_{k-1})`.
pub fn map_numerical_mlp(
    input: &BasisDirection,
    output: &BasisDirection,
    one: &BasisDirection,
    discretisation: &Discretisation,
    hidden_name: &str,
    slope: f64,
) -> Mlp {
    let thresholds = discretisation.thresholds();
    let (fst, start) = discretising_layer(input, one, hidden_name, &thresholds, slope);
    let outputs: Vec<f64> = discretisation
        .outputs
        .iter()
        .map(|y| y.as_f64().unwrap_or(0.0))
        .collect();
    let snd = Linear::from_action(
        fst.output.clone(),
        VectorSpace::new([output.clone()]),
        |direction| {
            if *direction == start {
                return outputs
                    .first()
                    .map(|y| vec![(output.clone(), *y)])
                    .unwrap_or_default();
            }
            match step_of(direction) {
                Some((k, sign)) => vec![(output.clone(), sign * (outputs[k] - outputs[k - 1]))],
                None => Vec::new(),
            }
        },
    );
    Mlp { fst, snd }
}

/// Builds an MLP computing a categorical `f(x)` of a numerical `x`: like
/// [`map_numerical_mlp`], but each jump moves the one-hot output from the
/// direction of `f(v_{k-1})` to that of `f(v_k)`. Every image must have a
/// direction in `output_space`.
pub fn map_numerical_to_categorical_mlp(
    input: &BasisDirection,
    output_space: &VectorSpace,
    one: &BasisDirection,
    discretisation: &Discretisation,
    hidden_name: &str,
    slope: f64,
) -> Result<Mlp, String> {
    let output_name = output_space
        .basis()
        .first()
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let direction_of =
        |value: &Value| BasisDirection::with_value(output_name.clone(), value.clone());
    for value in &discretisation.outputs {
        if !output_space.contains(&direction_of(value)) {
            return Err(format!("value {value} has no direction in `{output_name}`"));
        }
    }
    let thresholds = discretisation.thresholds();
    let (fst, start) = discretising_layer(input, one, hidden_name, &thresholds, slope);
    let outputs = &discretisation.outputs;
    let snd = Linear::from_action(fst.output.clone(), output_space.clone(), |direction| {
        if *direction == start {
            return outputs
                .first()
                .map(|y| vec![(direction_of(y), 1.0)])
                .unwrap_or_default();
        }
        match step_of(direction) {
            Some((k, sign)) => vec![
                (direction_of(&outputs[k]), sign),
                (direction_of(&outputs[k - 1]), -sign),
            ],
            None => Vec::new(),
        }
    });
    Ok(Mlp { fst, snd })
}

/// Builds an MLP computing `fst_factor * x + snd_factor * y` for numerical
/// `x` and `y`. Each input passes through a positive and a negative ReLU
/// neuron, so negative inputs survive.
pub fn linear_sequence_map_mlp(
    fst: &BasisDirection,
    snd: &BasisDirection,
    output: &BasisDirection,
    fst_factor: f64,
    snd_factor: f64,
    hidden_name: &str,
) -> Mlp {
    let x_name = format!("{hidden_name}x");
    let y_name = format!("{hidden_name}y");
    let neuron = |name: &str, sign: i64| BasisDirection::with_value(name, Value::Int(sign));
    let hidden = VectorSpace::new([
        neuron(&x_name, 1),
        neuron(&x_name, -1),
        neuron(&y_name, 1),
        neuron(&y_name, -1),
    ]);
    let input_space = VectorSpace::new([fst.clone(), snd.clone()]);
    let first = Linear::from_action(input_space, hidden.clone(), |direction| {
        let mut out = Vec::new();
        if direction == fst {
            out.push((neuron(&x_name, 1), 1.0));
            out.push((neuron(&x_name, -1), -1.0));
        }
        if direction == snd {
            out.push((neuron(&y_name, 1), 1.0));
            out.push((neuron(&y_name, -1), -1.0));
        }
        out
    });
    let second = Linear::from_action(hidden, VectorSpace::new([output.clone()]), |direction| {
        let sign = match direction.value {
            Some(Value::Int(sign)) => sign as f64,
            _ => 0.0,
        };
        let factor = if direction.name == x_name {
            fst_factor
        } else {
            snd_factor
        };
        vec![(output.clone(), factor * sign)]
    });
    Mlp {
        fst: first,
        snd: second,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array1;

    fn apply(mlp: &Mlp, x: f64) -> Array1<f64> {
        // Input order in the first layer's space is sorted: `one` after `x`.
        let input = ndarray::array![x, 1.0];
        let hidden = input.dot(&mlp.fst.matrix).mapv(|h| h.max(0.0));
        hidden.dot(&mlp.snd.matrix)
    }

    #[test]
    fn numerical_mlp_is_exact_on_inputs() {
        let inputs = [Value::Float(0.0), Value::Float(0.5), Value::Float(1.0)];
        let discretisation =
            Discretisation::new(&inputs, |x| Some(Value::Float(x.as_f64()? * 10.0)), false);
        let x = BasisDirection::named("x");
        let mlp = map_numerical_mlp(
            &x,
            &BasisDirection::named("y"),
            &BasisDirection::named("one"),
            &discretisation,
            "_h_",
            100.0,
        );
        for (input, expected) in [(0.0, 0.0), (0.5, 5.0), (1.0, 10.0)] {
            let output = apply(&mlp, input);
            assert!(
                (output[0] - expected).abs() < 1e-9,
                "f({input}) = {}",
                output[0]
            );
        }
    }

    #[test]
    fn separating_slope_is_two_over_gap() {
        let inputs = [Value::Float(0.1), Value::Float(0.2), Value::Float(0.5)];
        let discretisation = Discretisation::new(&inputs, |x| Some(x.clone()), false);
        let slope = min_separating_slope(&discretisation).unwrap_or_default();
        assert!((slope - 20.0).abs() < 1e-9);
    }
}
