//! The assembled transformer: embeddings, per-layer weights and the
//! residual basis, plus the forward pass that records a trace.
//!
//! Shapes in doc comments use these axis names:
//! - `seq_len`: positions in one input, BOS included;
//! - `d_model`: residual directions, [`AssembledModel::residual_labels`];
//! - `d_head`: the query/key width of one head; `d_value` its value width;
//! - `d_mlp`: hidden neurons of one MLP sublayer;
//! - `n_vocab`: token ids, [`AssembledModel::token_encoding`];
//! - `n_positions`: `max_seq_len + 1`.

pub mod forward;

use ndarray::Array2;

use crate::craft::BasisDirection;
use crate::value::Value;

pub use forward::{Trace, forward};

/// The weights of one attention head.
#[derive(Clone, Debug)]
pub struct HeadWeights {
    /// The program node the head computes.
    pub node: usize,
    /// Shape `(d_model, d_head)`.
    pub w_q: Array2<f64>,
    /// Shape `(d_model, d_head)`.
    pub w_k: Array2<f64>,
    /// Shape `(d_model, d_value)`.
    pub w_v: Array2<f64>,
    /// Shape `(d_value, d_model)`.
    pub w_o: Array2<f64>,
}

/// One MLP sublayer: `relu(x @ w_1) @ w_2`; biases are zero.
#[derive(Clone, Debug)]
pub struct MlpWeights {
    /// Shape `(d_model, d_mlp)`.
    pub w_1: Array2<f64>,
    /// Shape `(d_mlp, d_model)`.
    pub w_2: Array2<f64>,
    /// The name of each hidden neuron.
    pub hidden: Vec<BasisDirection>,
    /// The program nodes each hidden neuron serves (several for a shared neuron).
    pub hidden_nodes: Vec<Vec<usize>>,
}

/// One sublayer: attention (even index) or MLP (odd index).
#[derive(Clone, Debug)]
pub enum Sublayer {
    /// The heads of an attention sublayer; empty when nothing was allocated.
    Attention(Vec<HeadWeights>),
    /// `None` when nothing was allocated to this MLP sublayer.
    Mlp(Option<MlpWeights>),
}

/// The rule that reads the output node from the final residual stream.
#[derive(Clone, Debug)]
pub enum OutputDecoding {
    /// Argmax over the output node's directions; `values[i]` belongs to
    /// column `columns[i]` of the residual.
    Categorical {
        columns: Vec<usize>,
        values: Vec<Value>,
    },
    /// The value of one residual column.
    Numerical { column: usize },
}

/// A compiled model with everything needed to run and inspect it.
#[derive(Clone, Debug)]
pub struct AssembledModel {
    /// The residual basis, sorted; `d_model` entries.
    pub residual: Vec<BasisDirection>,
    /// The token of each row of `token_embed`: the vocabulary, then BOS and PAD.
    pub token_encoding: Vec<Value>,
    /// Shape `(n_vocab, d_model)`.
    pub token_embed: Array2<f64>,
    /// Shape `(n_positions, d_model)`; row 0, the BOS position, is zero.
    pub pos_embed: Array2<f64>,
    /// `2 * n_layers` sublayers: attention, MLP, attention, MLP, ...
    pub sublayers: Vec<Sublayer>,
    /// Tracr's `key_size`: the widest query or key space of any head.
    pub key_size: usize,
    /// Multiplies attention logits: `1 / sqrt(key_size)`, as in Tracr.
    pub attention_scale: f64,
    pub causal: bool,
    pub output: OutputDecoding,
    /// Decode a categorical output as `None` where its largest direction is
    /// below [`NONE_THRESHOLD`] (default mode); Tracr takes the argmax anyway.
    pub decode_none: bool,
    /// The BOS token, which the decoded output repeats at position 0.
    pub bos: Value,
}

/// A categorical output whose largest direction is below this is `None`.
/// A defined value writes a one-hot 1, and an aggregate that selects
/// nothing writes only what leaks through softmax tails.
/// `tests/model_props.rs` checks this decoding against the interpreter on
/// random inputs for every bundled program.
pub const NONE_THRESHOLD: f64 = 0.5;

/// Decodes a one-hot categorical value from `(magnitude, value)` pairs, one
/// per direction: the value of the largest magnitude, the first of equal
/// maxima winning as with numpy's argmax. With `decode_none`, a largest
/// magnitude below [`NONE_THRESHOLD`] decodes as `None`.
pub fn decode_one_hot<'v>(
    directions: impl IntoIterator<Item = (f64, &'v Value)>,
    decode_none: bool,
) -> Value {
    let mut best: Option<(f64, &Value)> = None;
    for (magnitude, value) in directions {
        if best.is_none_or(|(top, _)| magnitude > top) {
            best = Some((magnitude, value));
        }
    }
    match best {
        Some((top, _)) if decode_none && top < NONE_THRESHOLD => Value::None,
        Some((_, value)) => value.clone(),
        None => Value::None,
    }
}

impl AssembledModel {
    pub fn d_model(&self) -> usize {
        self.residual.len()
    }

    pub fn n_layers(&self) -> usize {
        self.sublayers.len() / 2
    }

    /// Returns the residual labels, `name` or `name:value`.
    pub fn residual_labels(&self) -> Vec<String> {
        self.residual.iter().map(ToString::to_string).collect()
    }

    /// Returns the most heads of any attention sublayer (at least 1).
    pub fn n_heads(&self) -> usize {
        self.sublayers
            .iter()
            .map(|sublayer| match sublayer {
                Sublayer::Attention(heads) => heads.len(),
                Sublayer::Mlp(_) => 0,
            })
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// Returns the widest MLP sublayer (at least 1), Tracr's `mlp_hidden_size`.
    pub fn mlp_hidden_size(&self) -> usize {
        self.sublayers
            .iter()
            .map(|sublayer| match sublayer {
                Sublayer::Mlp(Some(mlp)) => mlp.hidden.len(),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// Returns the number of weights, embeddings included.
    pub fn n_parameters(&self) -> usize {
        let mut count = self.token_embed.len() + self.pos_embed.len();
        for sublayer in &self.sublayers {
            match sublayer {
                Sublayer::Attention(heads) => {
                    for head in heads {
                        count += head.w_q.len() + head.w_k.len() + head.w_v.len() + head.w_o.len();
                    }
                }
                Sublayer::Mlp(Some(mlp)) => count += mlp.w_1.len() + mlp.w_2.len(),
                Sublayer::Mlp(None) => {}
            }
        }
        count
    }

    /// Returns the column of a residual direction.
    pub fn column(&self, direction: &BasisDirection) -> Option<usize> {
        self.residual.iter().position(|d| d == direction)
    }
}
