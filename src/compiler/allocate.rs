//! Layer allocation, as Tracr does it.
//!
//! A node's layer follows from its computational depth: depth `d` goes to
//! layer `d - 1`, whose attention sublayer is `2 * (d - 1)` and MLP sublayer
//! `2 * (d - 1) + 1`. Where one depth has only attention blocks and the
//! next only MLPs, the two share a layer. The heuristic misses other
//! chances to share layers, for example an MLP whose inputs are all ready
//! one layer earlier than its depth suggests.

use std::collections::BTreeMap;

use crate::compiler::graph::ProgramGraph;
use crate::compiler::lower::NodeBlock;

/// The sublayer of each node's block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    /// The sublayer of each node's block (for a selector width, its head;
    /// its MLP is in the next sublayer); `None` for nodes without a block.
    pub sublayer: Vec<Option<usize>>,
    pub n_layers: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Attention,
    Mlp,
    AttentionThenMlp,
}

fn kind_of(block: &NodeBlock) -> BlockKind {
    match block {
        NodeBlock::Attention(_) => BlockKind::Attention,
        NodeBlock::Mlp(_) => BlockKind::Mlp,
        NodeBlock::AttentionThenMlp(..) => BlockKind::AttentionThenMlp,
    }
}

/// Allocates every block to a sublayer.
pub fn allocate(graph: &ProgramGraph, blocks: &[Option<NodeBlock>]) -> Allocation {
    let mut depth_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut by_depth: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (id, block) in blocks.iter().enumerate() {
        if block.is_some() {
            depth_of.insert(id, graph.depth[id]);
            by_depth.entry(graph.depth[id]).or_default().push(id);
        }
    }
    let kind = |id: &usize| blocks[*id].as_ref().map(kind_of);
    let all_of = |ids: Option<&Vec<usize>>, wanted: BlockKind| {
        ids.is_none_or(|ids| ids.iter().all(|id| kind(id) == Some(wanted)))
    };

    // Condense: when depth `d` has only heads and `d + 1` only MLPs, move
    // every node from `d + 1` on one depth down. An empty depth counts as
    // both, as in Tracr.
    if let (Some(&min_depth), Some(&max)) = (by_depth.keys().next(), by_depth.keys().next_back()) {
        let mut max_depth = max;
        let mut depth = min_depth;
        while depth < max_depth {
            if all_of(by_depth.get(&depth), BlockKind::Attention)
                && all_of(by_depth.get(&(depth + 1)), BlockKind::Mlp)
            {
                for update in depth + 1..=max_depth {
                    let moved = by_depth.remove(&update).unwrap_or_default();
                    for id in &moved {
                        depth_of.insert(*id, update - 1);
                    }
                    by_depth.entry(update - 1).or_default().extend(moved);
                }
                max_depth -= 1;
            }
            depth += 1;
        }
    }

    let mut sublayer = vec![None; blocks.len()];
    let mut n_layers = 0;
    for (id, depth) in depth_of {
        let layer = depth.saturating_sub(1);
        let index = match kind(&id) {
            Some(BlockKind::Mlp) => 2 * layer + 1,
            _ => 2 * layer,
        };
        sublayer[id] = Some(index);
        n_layers = n_layers.max(layer + 1);
    }
    Allocation { sublayer, n_layers }
}
