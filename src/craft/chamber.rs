//! Builders for the blocks a compiled RASP operation becomes: attention
//! heads that move categorical or numerical values, lookup-table MLPs for
//! categorical maps, discretising MLPs for numerical maps, and the
//! attention-plus-MLP pair that computes a selector width.

pub mod categorical_attn;
pub mod categorical_mlp;
pub mod numerical_mlp;
pub mod selector_width;
