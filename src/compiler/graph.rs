//! The program graph: one node per sop or selector, with an edge from each
//! input to every node that uses it.

use petgraph::graph::{DiGraph, NodeIndex};

use crate::rasp::program::{NodeId, Program};

/// The program's dependency graph. Graph node `i` is program node `i`.
#[derive(Clone, Debug)]
pub struct ProgramGraph {
    pub graph: DiGraph<NodeId, ()>,
    /// Tracr's computational depth of each node: the longest chain of sops
    /// from `tokens` or `indices` to it. Selectors do not add to the depth,
    /// so a selector has the depth of its deeper input.
    pub depth: Vec<usize>,
}

impl ProgramGraph {
    pub fn build(program: &Program) -> Self {
        let mut graph = DiGraph::with_capacity(program.nodes.len(), program.nodes.len() * 2);
        for id in 0..program.nodes.len() {
            graph.add_node(id);
        }
        for (id, node) in program.nodes.iter().enumerate() {
            for child in node.kind.children() {
                graph.add_edge(NodeIndex::new(child), NodeIndex::new(id), ());
            }
        }

        // Nodes come after their children, so one pass in order suffices.
        let mut depth = vec![0; program.nodes.len()];
        for (id, node) in program.nodes.iter().enumerate() {
            let children = node.kind.children();
            if children.is_empty() {
                continue;
            }
            let deepest = children
                .iter()
                .map(|&child| depth[child])
                .max()
                .unwrap_or(0);
            depth[id] = if node.kind.is_selector() {
                deepest
            } else {
                deepest + 1
            };
        }
        ProgramGraph { graph, depth }
    }

    /// Returns the nodes that use `id` directly.
    pub fn users(&self, id: NodeId) -> Vec<NodeId> {
        let mut users: Vec<NodeId> = self
            .graph
            .neighbors_directed(NodeIndex::new(id), petgraph::Direction::Outgoing)
            .map(|index| self.graph[index])
            .collect();
        users.sort_unstable();
        users.dedup();
        users
    }
}
