//! Assembly: stacks the allocated blocks into dense per-sublayer weights
//! over one residual basis, and builds the embeddings and the output
//! decoding.

use ndarray::Array2;

use crate::compiler::allocate::Allocation;
use crate::compiler::basis::NodeBasis;
use crate::compiler::lower::{NodeBlock, bos_direction, one_direction};
use crate::craft::{AttentionHead, BasisDirection, Mlp, VectorSpace};
use crate::model::{AssembledModel, HeadWeights, MlpWeights, OutputDecoding, Sublayer};
use crate::rasp::program::{Encoding, Program};
use crate::value::Value;

/// Options that change the assembled weights.
#[derive(Clone, Copy, Debug)]
pub struct AssembleOptions {
    /// Keep Tracr's attention scaling: logits are divided by
    /// `sqrt(key_size)`. Otherwise the query weights are multiplied by the
    /// same factor, so every head scores exactly as its craft block specifies.
    pub tracr_compat: bool,
}

/// Builds the model. Returns it and the sublayer each block was placed in,
/// which is the allocated one unless a whole layer would be empty (Tracr
/// then moves later blocks down; see [`place_sublayers`]).
pub fn assemble(
    program: &Program,
    bases: &[Option<NodeBasis>],
    blocks: &[Option<NodeBlock>],
    allocation: &Allocation,
    options: AssembleOptions,
) -> (AssembledModel, Vec<Option<usize>>) {
    let placed = place_sublayers(&allocation.sublayer, blocks);
    // A selector width's MLP sits one sublayer after its head.
    let n_sublayers = placed
        .iter()
        .zip(blocks)
        .filter_map(|(sublayer, block)| match (sublayer, block) {
            (Some(s), Some(NodeBlock::AttentionThenMlp(..))) => Some(s + 2),
            (Some(s), Some(_)) => Some(s + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let n_sublayers = n_sublayers.div_ceil(2) * 2;

    let mut heads_at: Vec<Vec<(usize, &AttentionHead)>> = vec![Vec::new(); n_sublayers];
    let mut mlps_at: Vec<Vec<(usize, &Mlp)>> = vec![Vec::new(); n_sublayers];
    for (id, block) in blocks.iter().enumerate() {
        let (Some(block), Some(sublayer)) = (block, placed[id]) else {
            continue;
        };
        match block {
            NodeBlock::Attention(head) => heads_at[sublayer].push((id, head)),
            NodeBlock::Mlp(mlp) => mlps_at[sublayer].push((id, mlp)),
            NodeBlock::AttentionThenMlp(head, mlp) => {
                heads_at[sublayer].push((id, head.as_ref()));
                mlps_at[sublayer + 1].push((id, mlp.as_ref()));
            }
        }
    }

    // The residual space: every block's directions, all tokens (with BOS
    // and PAD), all indices, and the output node's directions.
    let settings = &program.settings;
    let mut token_values = settings.vocab.clone();
    token_values.sort_by(Value::total_cmp);
    token_values.push(Value::Str(settings.compiler_bos.clone()));
    token_values.push(Value::Str(settings.compiler_pad.clone()));
    let tokens_space = VectorSpace::from_values("tokens", &token_values);
    let index_values: Vec<Value> = (0..settings.max_seq_len)
        .map(|i| Value::Int(i as i64))
        .collect();
    let indices_space = VectorSpace::from_values("indices", &index_values);
    let output_space = bases[program.output]
        .as_ref()
        .map(|b| b.space.clone())
        .unwrap_or_default();
    let mut spaces = vec![tokens_space, indices_space, output_space.clone()];
    for sublayer in &heads_at {
        spaces.extend(sublayer.iter().map(|(_, head)| head.residual_space()));
    }
    for sublayer in &mlps_at {
        spaces.extend(sublayer.iter().map(|(_, mlp)| mlp.residual_space()));
    }
    let residual = VectorSpace::join(spaces.iter());
    let d_model = residual.n_dims();

    let key_size = heads_at
        .iter()
        .flatten()
        .map(|(_, head)| head.w_qk.left.n_dims().max(head.w_qk.right.n_dims()))
        .max()
        .unwrap_or(1);
    let query_factor = if options.tracr_compat {
        1.0
    } else {
        (key_size as f64).sqrt()
    };

    let sublayers = (0..n_sublayers)
        .map(|index| {
            if index % 2 == 0 {
                let heads = heads_at[index]
                    .iter()
                    .map(|(node, head)| head_weights(*node, head, &residual, query_factor))
                    .collect();
                Sublayer::Attention(heads)
            } else if mlps_at[index].is_empty() {
                Sublayer::Mlp(None)
            } else {
                Sublayer::Mlp(Some(mlp_weights(&mlps_at[index], &residual)))
            }
        })
        .collect();

    // Every token row sets its `tokens:` direction and `one`; position p
    // (after BOS at 0) sets `indices:{p-1}`.
    let one = one_direction();
    let mut token_embed = Array2::zeros((token_values.len(), d_model));
    for (row, token) in token_values.iter().enumerate() {
        if let Some(column) =
            residual.index_of(&BasisDirection::with_value("tokens", token.clone()))
        {
            token_embed[[row, column]] = 1.0;
        }
        if let Some(column) = residual.index_of(&one) {
            token_embed[[row, column]] = 1.0;
        }
    }
    let mut pos_embed = Array2::zeros((settings.max_seq_len + 1, d_model));
    for (i, index) in index_values.iter().enumerate() {
        if let Some(column) =
            residual.index_of(&BasisDirection::with_value("indices", index.clone()))
        {
            pos_embed[[i + 1, column]] = 1.0;
        }
    }

    let output_node = &program.nodes[program.output];
    let output = match output_node.encoding {
        Encoding::Numerical => OutputDecoding::Numerical {
            column: output_space
                .basis()
                .first()
                .and_then(|d| residual.index_of(d))
                .unwrap_or(0),
        },
        Encoding::Categorical => OutputDecoding::Categorical {
            columns: output_space
                .basis()
                .iter()
                .filter_map(|d| residual.index_of(d))
                .collect(),
            values: output_space
                .basis()
                .iter()
                .filter_map(|d| d.value.clone())
                .collect(),
        },
    };
    let model = AssembledModel {
        residual: residual.basis().to_vec(),
        token_encoding: token_values,
        token_embed,
        pos_embed,
        sublayers,
        key_size,
        attention_scale: 1.0 / (key_size as f64).sqrt(),
        causal: settings.causal,
        output,
        decode_none: !options.tracr_compat,
        bos: Value::Str(settings.compiler_bos.clone()),
    };
    debug_assert!(model.column(&bos_direction(program)).is_some());
    (model, placed)
}

/// Places blocks in sublayers the way Tracr names its Haiku modules: the
/// non-empty sublayers, in order, each take the next module of their kind.
/// This equals the allocation unless a whole layer would be empty.
pub fn place_sublayers(
    allocated: &[Option<usize>],
    blocks: &[Option<NodeBlock>],
) -> Vec<Option<usize>> {
    let mut used: Vec<usize> = Vec::new();
    for (id, sublayer) in allocated.iter().enumerate() {
        if let (Some(sublayer), Some(block)) = (sublayer, &blocks[id]) {
            used.push(*sublayer);
            if matches!(block, NodeBlock::AttentionThenMlp(..)) {
                used.push(sublayer + 1);
            }
        }
    }
    used.sort_unstable();
    used.dedup();
    let mut module_of = std::collections::HashMap::new();
    let mut candidate = 0;
    for sublayer in used {
        while candidate % 2 != sublayer % 2 {
            candidate += 1;
        }
        module_of.insert(sublayer, candidate);
        candidate += 1;
    }
    allocated
        .iter()
        .map(|sublayer| sublayer.and_then(|s| module_of.get(&s).copied()))
        .collect()
}

/// Writes the rows of `matrix` (indexed by `space`) into the rows of a
/// `(d_model, matrix.ncols())` array indexed by the residual basis.
fn scatter_rows(residual: &VectorSpace, space: &VectorSpace, matrix: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::zeros((residual.n_dims(), matrix.ncols()));
    for (i, direction) in space.basis().iter().enumerate() {
        if let Some(row) = residual.index_of(direction) {
            out.row_mut(row).assign(&matrix.row(i));
        }
    }
    out
}

fn identity(n: usize) -> Array2<f64> {
    Array2::eye(n)
}

fn head_weights(
    node: usize,
    head: &AttentionHead,
    residual: &VectorSpace,
    query_factor: f64,
) -> HeadWeights {
    let w_q = scatter_rows(residual, &head.w_qk.left, &head.w_qk.matrix) * query_factor;
    let w_k = scatter_rows(
        residual,
        &head.w_qk.right,
        &identity(head.w_qk.right.n_dims()),
    );
    let w_v = scatter_rows(residual, &head.w_ov.input, &head.w_ov.matrix);
    let w_o = scatter_rows(
        residual,
        &head.w_ov.output,
        &identity(head.w_ov.output.n_dims()),
    )
    .t()
    .to_owned();
    HeadWeights {
        node,
        w_q,
        w_k,
        w_v,
        w_o,
    }
}

/// Stacks the MLPs of one sublayer side by side, as
/// [`Mlp::combine_in_parallel`] would (hidden neurons of the same name
/// become one), writing straight into residual-indexed weights. Hidden
/// neurons keep each MLP's order instead of being sorted by name.
fn mlp_weights(mlps: &[(usize, &Mlp)], residual: &VectorSpace) -> MlpWeights {
    // Hidden neurons follow the MLPs' order. Only names that occur in more
    // than one MLP (Tracr's shared BOS clean-up neuron) can merge, so only
    // those are looked up; the rest are appended.
    let mut name_count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, mlp) in mlps {
        let mut names: Vec<&str> = mlp
            .hidden_space()
            .basis()
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        names.dedup();
        for name in names {
            *name_count.entry(name).or_default() += 1;
        }
    }
    let mut hidden: Vec<BasisDirection> = Vec::new();
    let mut shared: std::collections::HashMap<&BasisDirection, usize> =
        std::collections::HashMap::new();
    let mut columns_of: Vec<Vec<Option<usize>>> = Vec::with_capacity(mlps.len());
    for (_, mlp) in mlps {
        let columns = mlp
            .hidden_space()
            .basis()
            .iter()
            .map(|direction| {
                if name_count
                    .get(direction.name.as_str())
                    .copied()
                    .unwrap_or(0)
                    > 1
                {
                    if let Some(&column) = shared.get(direction) {
                        return Some(column);
                    }
                    shared.insert(direction, hidden.len());
                }
                hidden.push(direction.clone());
                Some(hidden.len() - 1)
            })
            .collect();
        columns_of.push(columns);
    }
    let n_hidden = hidden.len();
    let mut w_1 = Array2::zeros((residual.n_dims(), n_hidden));
    let mut w_2 = Array2::zeros((n_hidden, residual.n_dims()));
    let mut hidden_nodes: Vec<Vec<usize>> = vec![Vec::new(); n_hidden];
    for ((node, mlp), hidden_columns) in mlps.iter().zip(&columns_of) {
        for column in hidden_columns.iter().flatten() {
            hidden_nodes[*column].push(*node);
        }
        for (i, direction) in mlp.fst.input.basis().iter().enumerate() {
            let Some(row) = residual.index_of(direction) else {
                continue;
            };
            for (j, column) in hidden_columns.iter().enumerate() {
                if let Some(column) = column {
                    w_1[[row, *column]] += mlp.fst.matrix[[i, j]];
                }
            }
        }
        let output_columns: Vec<Option<usize>> = mlp
            .snd
            .output
            .basis()
            .iter()
            .map(|d| residual.index_of(d))
            .collect();
        for (i, row) in hidden_columns.iter().enumerate() {
            let Some(row) = row else { continue };
            for (j, column) in output_columns.iter().enumerate() {
                if let Some(column) = column {
                    w_2[[*row, *column]] += mlp.snd.matrix[[i, j]];
                }
            }
        }
    }
    MlpWeights {
        w_1,
        w_2,
        hidden,
        hidden_nodes,
    }
}
