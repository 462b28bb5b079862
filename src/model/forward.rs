//! The forward pass, recording every intermediate value.

use ndarray::{Array2, Axis};

use crate::model::{AssembledModel, OutputDecoding, Sublayer, decode_one_hot};
use crate::value::Value;

/// Logit of a masked query-key pair, as in Tracr.
const MASKED_LOGIT: f64 = -1e30;

/// One head's activity on one input.
#[derive(Clone, Debug)]
pub struct HeadTrace {
    /// The program node the head computes.
    pub node: usize,
    /// Scaled scores before the softmax, masked entries at -1e30;
    /// shape `(seq_len, seq_len)`, queries on rows.
    pub logits: Array2<f64>,
    /// The softmax of `logits`; shape `(seq_len, seq_len)`.
    pub pattern: Array2<f64>,
}

/// Everything the model computed on one input.
#[derive(Clone, Debug)]
pub struct Trace {
    /// The input tokens, BOS first; `seq_len` entries.
    pub tokens: Vec<Value>,
    /// The residual stream after the embedding and after each sublayer:
    /// `1 + 2 * n_layers` arrays of shape `(seq_len, d_model)`.
    pub residuals: Vec<Array2<f64>>,
    /// The heads of each sublayer; empty for MLP sublayers.
    pub heads: Vec<Vec<HeadTrace>>,
    /// The hidden activations (after the ReLU) of each MLP sublayer, shape
    /// `(seq_len, d_mlp)`; `None` for attention and empty sublayers.
    pub mlp_hidden: Vec<Option<Array2<f64>>>,
    /// The decoded output at each position; position 0 is BOS.
    pub decoded: Vec<Value>,
}

impl Trace {
    /// Returns what sublayer `index` added to the residual stream.
    pub fn delta(&self, index: usize) -> Array2<f64> {
        &self.residuals[index + 1] - &self.residuals[index]
    }
}

/// Runs the model on `input` (without BOS, which is added).
pub fn forward(model: &AssembledModel, input: &[Value]) -> Result<Trace, String> {
    let mut tokens = vec![model.bos.clone()];
    tokens.extend(input.iter().cloned());
    let n_positions = model.pos_embed.nrows();
    if tokens.len() > n_positions {
        return Err(format!(
            "input is too long: {} tokens after BOS, but the model takes at most {}",
            input.len(),
            n_positions - 1
        ));
    }

    let d_model = model.d_model();
    let mut x = Array2::zeros((tokens.len(), d_model));
    for (position, token) in tokens.iter().enumerate() {
        let row = model
            .token_encoding
            .iter()
            .position(|known| known == token && known.type_name() == token.type_name())
            .or_else(|| model.token_encoding.iter().position(|known| known == token))
            .ok_or_else(|| format!("token `{token}` is not in the model's vocabulary"))?;
        let embedding = &model.token_embed.row(row) + &model.pos_embed.row(position);
        x.row_mut(position).assign(&embedding);
    }

    let mut residuals = vec![x.clone()];
    let mut heads = Vec::with_capacity(model.sublayers.len());
    let mut mlp_hidden = Vec::with_capacity(model.sublayers.len());
    for sublayer in &model.sublayers {
        match sublayer {
            Sublayer::Attention(weights) => {
                let mut update = Array2::<f64>::zeros(x.raw_dim());
                let mut traces = Vec::with_capacity(weights.len());
                for head in weights {
                    let queries = x.dot(&head.w_q);
                    let keys = x.dot(&head.w_k);
                    let mut logits = queries.dot(&keys.t()) * model.attention_scale;
                    if model.causal {
                        for ((query, key), logit) in logits.indexed_iter_mut() {
                            if key > query {
                                *logit = MASKED_LOGIT;
                            }
                        }
                    }
                    let pattern = softmax_rows(&logits);
                    let values = x.dot(&head.w_v);
                    update = update + pattern.dot(&values).dot(&head.w_o);
                    traces.push(HeadTrace {
                        node: head.node,
                        logits,
                        pattern,
                    });
                }
                x = x + update;
                heads.push(traces);
                mlp_hidden.push(None);
            }
            Sublayer::Mlp(Some(mlp)) => {
                let hidden = x.dot(&mlp.w_1).mapv(|h| h.max(0.0));
                x = &x + &hidden.dot(&mlp.w_2);
                heads.push(Vec::new());
                mlp_hidden.push(Some(hidden));
            }
            Sublayer::Mlp(None) => {
                heads.push(Vec::new());
                mlp_hidden.push(None);
            }
        }
        residuals.push(x.clone());
    }

    let decoded = decode(model, &x);
    Ok(Trace {
        tokens,
        residuals,
        heads,
        mlp_hidden,
        decoded,
    })
}

/// Reads the output node from the final residual; position 0 is BOS.
fn decode(model: &AssembledModel, residual: &Array2<f64>) -> Vec<Value> {
    let mut decoded = vec![model.bos.clone()];
    for row in residual.axis_iter(Axis(0)).skip(1) {
        let value = match &model.output {
            OutputDecoding::Numerical { column } => Value::Float(row[*column]),
            OutputDecoding::Categorical { columns, values } => decode_one_hot(
                columns.iter().map(|&column| row[column]).zip(values),
                model.decode_none,
            ),
        };
        decoded.push(value);
    }
    decoded
}

fn softmax_rows(logits: &Array2<f64>) -> Array2<f64> {
    let mut out = logits.clone();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let max = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
    out
}
