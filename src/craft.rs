//! Named-basis linear algebra and the transformer blocks built from it,
//! following Tracr's `craft` package. A vector space is a sorted list of
//! named basis directions; linear and bilinear maps are matrices over two
//! such spaces, so every number in a weight matrix has a name on each axis.

pub mod basis;
pub mod block;
pub mod chamber;
pub mod linear;

pub use basis::{BasisDirection, VectorSpace};
pub use block::{AttentionHead, Mlp};
pub use linear::{Linear, ScalarBilinear};
