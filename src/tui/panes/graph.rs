//! The program graph: nodes by depth, with block type, encoding and the
//! sublayer that computes each, and the selected node's edges drawn in the
//! gutter (inputs above it on the left, users below it on the right).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::compiler::lower::NodeBlock;
use crate::rasp::program::NodeKind;
use crate::report::describe;
use crate::tui::app::{Debugger, Pane};
use crate::tui::panes::pane_block;
use crate::tui::{theme, viewport};

pub struct GraphPane<'a> {
    pub debugger: &'a Debugger,
}

/// Returns a short name of a node's operation.
pub fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Tokens | NodeKind::Indices => "input",
        NodeKind::Map { .. } => "map",
        NodeKind::SequenceMap { .. } => "seqmap",
        NodeKind::LinearSequenceMap { .. } => "linear",
        NodeKind::Select { .. } => "select",
        NodeKind::Aggregate { .. } => "aggregate",
        NodeKind::SelectorWidth { .. } => "width",
        NodeKind::SelectorAnd { .. } => "sel and",
        NodeKind::SelectorOr { .. } => "sel or",
        NodeKind::SelectorNot { .. } => "sel not",
    }
}

/// Returns where a node is computed, such as `L1 attn+mlp`; empty for inputs and selectors.
pub fn placement(debugger: &Debugger, node: usize) -> String {
    let compiled = &debugger.session.compiled;
    let Some(sublayer) = compiled.sublayer[node] else {
        return String::new();
    };
    let layer = sublayer / 2;
    match &compiled.blocks[node] {
        Some(NodeBlock::AttentionThenMlp(..)) => format!("L{layer} attn+mlp"),
        _ if sublayer % 2 == 0 => format!("L{layer} attn"),
        _ => format!("L{layer} mlp"),
    }
}

/// Returns a six-character kind name for narrow panes.
pub fn short_kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Aggregate { .. } => "aggr",
        NodeKind::SelectorAnd { .. } => "sel &",
        NodeKind::SelectorOr { .. } => "sel |",
        NodeKind::SelectorNot { .. } => "sel ¬",
        other => kind_name(other),
    }
}

/// Returns [`placement`] in at most seven characters, as `L1 a+m`.
pub fn short_placement(debugger: &Debugger, node: usize) -> String {
    placement(debugger, node).replace("attn+mlp", "a+m")
}

fn node_style(debugger: &Debugger, node: usize) -> Style {
    match &debugger.session.compiled.blocks[node] {
        Some(NodeBlock::Attention(_)) => theme::ATTENTION_NODE,
        Some(NodeBlock::Mlp(_)) => theme::MLP_NODE,
        Some(NodeBlock::AttentionThenMlp(..)) => theme::WIDTH_NODE,
        None if debugger.session.program.nodes[node].kind.is_selector() => theme::SELECTOR_NODE,
        None => theme::INPUT_NODE,
    }
}

impl Widget for GraphPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let debugger = self.debugger;
        let session = &debugger.session;
        let program = &session.program;
        let block = pane_block(" Program ".to_string(), debugger.focus == Pane::Graph);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }

        let order = debugger.graph_order();
        let selected = debugger.selected_node;
        let selected_row = order.iter().position(|&id| id == selected).unwrap_or(0);
        let inputs = program.nodes[selected].kind.children();
        let users = session.compiled.graph.users(selected);
        let row_of = |id: usize| order.iter().position(|&n| n == id);
        let first_input = inputs.iter().filter_map(|&id| row_of(id)).min();
        let last_user = users.iter().filter_map(|&id| row_of(id)).max();
        let current: Vec<usize> = debugger
            .sublayer()
            .map_or(Vec::new(), |s| session.sublayer_nodes(s));
        let depth = &session.compiled.graph.depth;

        let detail_height = if inner.height >= 10 { 2 } else { 0 };
        let list_height = (inner.height - detail_height) as usize;
        let offset = viewport::scroll_offset(selected_row, order.len(), list_height);
        // Below this width rows use short names and drop the depth column.
        let compact = inner.width < 44;
        let label_width = order
            .iter()
            .map(|&id| program.nodes[id].label.chars().count())
            .max()
            .unwrap_or(0)
            .min(18);

        let mut lines = Vec::new();
        for (row, &id) in order.iter().enumerate().skip(offset).take(list_height) {
            let node = &program.nodes[id];
            let in_edge = match first_input {
                Some(top) if row == top => "╭",
                Some(top)
                    if row > top
                        && row < selected_row
                        && inputs.iter().any(|&i| row_of(i) == Some(row)) =>
                {
                    "├"
                }
                Some(top) if row > top && row < selected_row => "│",
                Some(_) if row == selected_row => "╰",
                _ => " ",
            };
            let out_edge = match last_user {
                Some(_) if row == selected_row => "╮",
                Some(bottom) if row == bottom => "╰",
                Some(bottom)
                    if row > selected_row
                        && row < bottom
                        && users.iter().any(|&u| row_of(u) == Some(row)) =>
                {
                    "├"
                }
                Some(bottom) if row > selected_row && row < bottom => "│",
                _ => " ",
            };
            let first_of_depth = row == 0 || depth[order[row - 1]] != depth[id];
            let depth_text = if compact {
                String::new()
            } else if first_of_depth {
                format!("d{:<2}", depth[id])
            } else {
                "   ".to_string()
            };
            let mut label: String = node.label.chars().take(label_width).collect();
            if node.label.chars().count() > label_width {
                label.pop();
                label.push('…');
            }
            let encoding = if node.kind.is_selector() {
                ""
            } else if node.encoding.name() == "numerical" {
                "num"
            } else {
                "cat"
            };
            let text = if compact {
                format!(
                    "{label:<label_width$} {:<7} {:<6} {}",
                    short_placement(debugger, id),
                    short_kind_name(&node.kind),
                    &encoding[..encoding.len().min(1)]
                )
            } else {
                format!(
                    "{label:<label_width$} {:<11} {:<9} {encoding}",
                    placement(debugger, id),
                    kind_name(&node.kind)
                )
            };

            let mut style = node_style(debugger, id);
            let computed = session
                .ready_step(id)
                .is_none_or(|ready| ready <= debugger.step);
            if !computed {
                style = theme::DIM;
            }
            if current.contains(&id) {
                style = style.patch(theme::CURRENT);
            }
            if id == selected {
                style = style.patch(theme::SELECTED);
            }
            let edge_style =
                |symbol: &str, edge: Style| if symbol == " " { theme::TEXT } else { edge };
            lines.push(Line::from(vec![
                Span::styled(depth_text, theme::DIM),
                Span::styled(in_edge.to_string(), edge_style(in_edge, theme::EDGE)),
                Span::styled(out_edge.to_string(), edge_style(out_edge, theme::USER)),
                Span::styled(text, style),
            ]));
        }
        Paragraph::new(lines).render(
            Rect {
                height: list_height as u16,
                ..inner
            },
            buf,
        );

        if detail_height > 0 {
            let node = &program.nodes[selected];
            let input_names: Vec<&str> = inputs
                .iter()
                .map(|&id| program.nodes[id].label.as_str())
                .collect();
            let user_names: Vec<&str> = users
                .iter()
                .map(|&id| program.nodes[id].label.as_str())
                .collect();
            let detail = vec![
                Line::from(Span::styled(
                    format!("{} = {}", node.label, describe(program, &node.kind)),
                    theme::TEXT,
                )),
                Line::from(vec![
                    Span::styled("in: ", theme::EDGE),
                    Span::styled(
                        if input_names.is_empty() {
                            "—".to_string()
                        } else {
                            input_names.join(", ")
                        },
                        theme::TEXT,
                    ),
                    Span::styled("  out: ", theme::USER),
                    Span::styled(
                        if user_names.is_empty() {
                            "—".to_string()
                        } else {
                            user_names.join(", ")
                        },
                        theme::TEXT,
                    ),
                ]),
            ];
            let area = Rect {
                y: inner.y + list_height as u16,
                height: detail_height,
                ..inner
            };
            Paragraph::new(detail).render(area, buf);
        }
    }
}
