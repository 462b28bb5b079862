//! Basis directions and vector spaces spanned by them.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::value::Value;

/// One named direction of a residual stream or hidden layer: `name` for a
/// numerical quantity, `name:value` for one value of a categorical one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BasisDirection {
    pub name: String,
    pub value: Option<Value>,
}

impl BasisDirection {
    pub fn named(name: impl Into<String>) -> Self {
        BasisDirection {
            name: name.into(),
            value: None,
        }
    }

    pub fn with_value(name: impl Into<String>, value: Value) -> Self {
        BasisDirection {
            name: name.into(),
            value: Some(value),
        }
    }
}

impl Ord for BasisDirection {
    /// Orders by name, then by value (a direction without a value first,
    /// numbers by size), as Tracr sorts its bases.
    fn cmp(&self, other: &Self) -> Ordering {
        self.name
            .cmp(&other.name)
            .then_with(|| match (&self.value, &other.value) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => a.total_cmp(b),
            })
    }
}

impl PartialOrd for BasisDirection {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for BasisDirection {
    /// Formats as Tracr's residual labels: `one`, `tokens:3`, `is_x:True`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            None => write!(f, "{}", self.name),
            Some(value) => write!(f, "{}:{value}", self.name),
        }
    }
}

/// A vector space with a sorted basis of distinct directions. Lookups by
/// direction use binary search over the sorted basis: a compile creates
/// thousands of spaces, most never searched, so building a hash index for
/// each cost more than it saved (measured on `shuffle_dyck2`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VectorSpace {
    /// Shared, so that cloning a space, which every linear map does for its
    /// input and output, copies no directions.
    basis: Arc<[BasisDirection]>,
}

impl VectorSpace {
    /// Builds the space spanned by `directions`; repeats are merged.
    pub fn new(directions: impl IntoIterator<Item = BasisDirection>) -> Self {
        let mut basis: Vec<BasisDirection> = directions.into_iter().collect();
        basis.sort();
        basis.dedup();
        VectorSpace {
            basis: basis.into(),
        }
    }

    /// Builds a space from directions already sorted and distinct, which
    /// saves the sort when a builder creates them in order.
    pub fn from_sorted(basis: Vec<BasisDirection>) -> Self {
        debug_assert!(
            basis.windows(2).all(|pair| pair[0] < pair[1]),
            "basis is not sorted"
        );
        VectorSpace {
            basis: basis.into(),
        }
    }

    /// Builds the categorical space `name:v` for each value.
    pub fn from_values<'v>(name: &str, values: impl IntoIterator<Item = &'v Value>) -> Self {
        VectorSpace::new(
            values
                .into_iter()
                .map(|value| BasisDirection::with_value(name, value.clone())),
        )
    }

    /// Returns the space spanned by the directions of all `spaces`.
    pub fn join<'s>(spaces: impl IntoIterator<Item = &'s VectorSpace>) -> Self {
        VectorSpace::new(
            spaces
                .into_iter()
                .flat_map(|space| space.basis.iter().cloned()),
        )
    }

    pub fn basis(&self) -> &[BasisDirection] {
        &self.basis
    }

    pub fn n_dims(&self) -> usize {
        self.basis.len()
    }

    pub fn index_of(&self, direction: &BasisDirection) -> Option<usize> {
        self.basis.binary_search(direction).ok()
    }

    pub fn contains(&self, direction: &BasisDirection) -> bool {
        self.index_of(direction).is_some()
    }

    pub fn is_subspace_of(&self, other: &VectorSpace) -> bool {
        self.basis.iter().all(|direction| other.contains(direction))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_sorts_and_merges() {
        let space = VectorSpace::new([
            BasisDirection::with_value("x", Value::Int(2)),
            BasisDirection::named("one"),
            BasisDirection::with_value("x", Value::Int(-1)),
            BasisDirection::with_value("x", Value::Float(2.0)),
        ]);
        let labels: Vec<String> = space.basis().iter().map(ToString::to_string).collect();
        assert_eq!(labels, ["one", "x:-1", "x:2"]);
    }

    #[test]
    fn direction_without_value_sorts_first() {
        let bare = BasisDirection::named("x");
        let valued = BasisDirection::with_value("x", Value::Int(0));
        assert!(bare < valued);
    }
}
