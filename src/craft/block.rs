//! Attention heads and MLPs acting on named subspaces of a residual stream.

use crate::craft::basis::VectorSpace;
use crate::craft::linear::{Linear, ScalarBilinear};

/// One attention head: `w_qk` scores a query against a key (queries on the
/// left), and `w_ov` maps the attended values to the head's output.
#[derive(Clone, Debug)]
pub struct AttentionHead {
    pub w_qk: ScalarBilinear,
    pub w_ov: Linear,
}

impl AttentionHead {
    /// Returns every direction the head reads or writes.
    pub fn residual_space(&self) -> VectorSpace {
        VectorSpace::join([
            &self.w_qk.left,
            &self.w_qk.right,
            &self.w_ov.input,
            &self.w_ov.output,
        ])
    }
}

/// A two-layer MLP with a ReLU between: `snd(relu(fst(x)))`. The hidden
/// space is `fst.output`, which equals `snd.input`.
#[derive(Clone, Debug)]
pub struct Mlp {
    pub fst: Linear,
    pub snd: Linear,
}

impl Mlp {
    pub fn hidden_space(&self) -> &VectorSpace {
        &self.fst.output
    }

    pub fn residual_space(&self) -> VectorSpace {
        VectorSpace::join([&self.fst.input, &self.snd.output])
    }

    /// Combines MLPs that run side by side into one. Hidden directions with
    /// the same name become one neuron, as in Tracr.
    pub fn combine_in_parallel(mlps: &[&Mlp]) -> Mlp {
        let firsts: Vec<&Linear> = mlps.iter().map(|mlp| &mlp.fst).collect();
        let seconds: Vec<&Linear> = mlps.iter().map(|mlp| &mlp.snd).collect();
        Mlp {
            fst: Linear::combine_in_parallel(&firsts),
            snd: Linear::combine_in_parallel(&seconds),
        }
    }
}
