//! Linear and scalar bilinear maps between named vector spaces.

use ndarray::Array2;

use crate::craft::basis::{BasisDirection, VectorSpace};

/// A linear map; `matrix` has shape `(input.n_dims(), output.n_dims())`
/// and acts on row vectors, as `x @ matrix`.
#[derive(Clone, Debug)]
pub struct Linear {
    pub input: VectorSpace,
    pub output: VectorSpace,
    pub matrix: Array2<f64>,
}

impl Linear {
    /// Builds the map that sends each input direction to the sum of the
    /// weighted output directions that `action` returns. Directions outside
    /// the output space are ignored.
    pub fn from_action(
        input: VectorSpace,
        output: VectorSpace,
        mut action: impl FnMut(&BasisDirection) -> Vec<(BasisDirection, f64)>,
    ) -> Self {
        let mut matrix = Array2::zeros((input.n_dims(), output.n_dims()));
        for (i, direction) in input.basis().iter().enumerate() {
            for (target, weight) in action(direction) {
                if let Some(j) = output.index_of(&target) {
                    matrix[[i, j]] += weight;
                }
            }
        }
        Linear {
            input,
            output,
            matrix,
        }
    }

    /// Returns the projection that keeps the directions `from` and `to`
    /// share and drops the rest.
    pub fn project(from: &VectorSpace, to: &VectorSpace) -> Self {
        Linear::from_action(from.clone(), to.clone(), |direction| {
            vec![(direction.clone(), 1.0)]
        })
    }

    /// Combines maps that act side by side: on the joined input space, each
    /// direction is sent to the sum of its images under every map whose input space contains it.
    /// Directions with the same name in two maps become one direction.
    pub fn combine_in_parallel(maps: &[&Linear]) -> Self {
        let input = VectorSpace::join(maps.iter().map(|map| &map.input));
        let output = VectorSpace::join(maps.iter().map(|map| &map.output));
        let mut matrix = Array2::zeros((input.n_dims(), output.n_dims()));
        for map in maps {
            let rows: Vec<usize> = map
                .input
                .basis()
                .iter()
                .filter_map(|d| input.index_of(d))
                .collect();
            let columns: Vec<usize> = map
                .output
                .basis()
                .iter()
                .filter_map(|d| output.index_of(d))
                .collect();
            for (i, &row) in rows.iter().enumerate() {
                for (j, &column) in columns.iter().enumerate() {
                    matrix[[row, column]] += map.matrix[[i, j]];
                }
            }
        }
        Linear {
            input,
            output,
            matrix,
        }
    }
}

/// A bilinear form `x @ matrix @ y.T`; `matrix` has shape
/// `(left.n_dims(), right.n_dims())`. Attention heads use it for
/// query-key scores, with queries on the left.
#[derive(Clone, Debug)]
pub struct ScalarBilinear {
    pub left: VectorSpace,
    pub right: VectorSpace,
    pub matrix: Array2<f64>,
}

impl ScalarBilinear {
    pub fn from_action(
        left: VectorSpace,
        right: VectorSpace,
        mut action: impl FnMut(&BasisDirection, &BasisDirection) -> f64,
    ) -> Self {
        let mut matrix = Array2::zeros((left.n_dims(), right.n_dims()));
        for (i, l) in left.basis().iter().enumerate() {
            for (j, r) in right.basis().iter().enumerate() {
                matrix[[i, j]] = action(l, r);
            }
        }
        ScalarBilinear {
            left,
            right,
            matrix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn dir(name: &str, value: i64) -> BasisDirection {
        BasisDirection::with_value(name, Value::Int(value))
    }

    #[test]
    fn parallel_maps_add_on_shared_directions() {
        let a = VectorSpace::new([dir("a", 0)]);
        let b = VectorSpace::new([dir("b", 0)]);
        let shared = VectorSpace::new([BasisDirection::named("h")]);
        let first = Linear::from_action(a, shared.clone(), |_| {
            vec![(BasisDirection::named("h"), 1.0)]
        });
        let second = Linear::from_action(b, shared, |_| vec![(BasisDirection::named("h"), 2.0)]);
        let combined = Linear::combine_in_parallel(&[&first, &second]);
        assert_eq!(combined.input.n_dims(), 2);
        assert_eq!(combined.output.n_dims(), 1);
        assert_eq!(combined.matrix[[0, 0]], 1.0);
        assert_eq!(combined.matrix[[1, 0]], 2.0);
    }

    #[test]
    fn projection_keeps_shared_directions() {
        let from = VectorSpace::new([dir("a", 0), dir("a", 1)]);
        let to = VectorSpace::new([dir("a", 1), dir("b", 0)]);
        let projection = Linear::project(&from, &to);
        assert_eq!(projection.matrix, ndarray::array![[0.0, 0.0], [1.0, 0.0]]);
    }
}
