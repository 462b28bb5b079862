//! The rows of the residual table for one step: each node's directions,
//! then the node's value decoded from them beside the interpreter's.

use crate::report::outputs_agree;
use crate::session::Session;
use crate::value::Value;

/// Formats a decoded value for a table cell: floats with at most two
/// decimals, everything else as Python prints it.
pub fn format_cell_value(value: &Value) -> String {
    crate::report::format_value_to(value, 2)
}

/// A magnitude below this prints as zero at two decimals.
pub const ZERO_BELOW: f64 = 0.005;

/// One cell of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    /// The value shown rounds to zero.
    pub zero: bool,
    /// The current sublayer changed this cell.
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RowKind {
    /// One residual direction.
    Direction,
    /// A node's value decoded from its directions.
    Decoded {
        /// The interpreter's value at each position, BOS first.
        rasp: Vec<String>,
        /// Whether every position agrees with the interpreter; `None`
        /// while the node is not computed yet.
        agrees: Option<bool>,
        /// Whether the model has computed the node by this step.
        ready: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResidualRow {
    pub label: String,
    /// The node that owns the row; `None` for `one`.
    pub node: Option<usize>,
    pub kind: RowKind,
    /// One cell per position, BOS first.
    pub cells: Vec<Cell>,
}

/// Returns the node that owns a residual direction's name: the node of that
/// label, or the selector width whose attention output it is.
pub fn direction_owner(session: &Session, name: &str) -> Option<usize> {
    session.program.nodes.iter().position(|node| {
        !node.kind.is_selector()
            && (node.label == name
                || name.strip_prefix(node.label.as_str()) == Some("_selector_width_attn_output"))
    })
}

/// Builds the rows shown at `step`, in graph order, filtered by name
/// (case-insensitive substring) and optionally without all-zero rows.
pub fn residual_rows(
    session: &Session,
    step: usize,
    filter: &str,
    hide_zero: bool,
    delta: bool,
) -> Vec<ResidualRow> {
    let model = &session.compiled.model;
    let trace = &session.trace;
    let residual = &trace.residuals[step];
    let previous = step.checked_sub(1).map(|s| &trace.residuals[s]);
    let n_positions = residual.nrows();
    let filter = filter.to_lowercase();

    let owners: Vec<Option<usize>> = model
        .residual
        .iter()
        .map(|d| direction_owner(session, &d.name))
        .collect();
    let depth = &session.compiled.graph.depth;
    let mut groups: Vec<Option<usize>> = vec![None];
    let mut nodes: Vec<usize> = (0..session.program.nodes.len())
        .filter(|&id| !session.program.nodes[id].kind.is_selector())
        .collect();
    nodes.sort_by_key(|&id| (depth[id], id));
    groups.extend(nodes.into_iter().map(Some));

    let mut rows = Vec::new();
    for group in groups {
        let group_label = group.map_or("one", |id| session.program.nodes[id].label.as_str());
        let group_matches = group_label.to_lowercase().contains(&filter);
        for (column, direction) in model.residual.iter().enumerate() {
            if owners[column] != group {
                continue;
            }
            let label = direction.to_string();
            if !group_matches && !label.to_lowercase().contains(&filter) {
                continue;
            }
            let cells: Vec<Cell> = (0..n_positions)
                .map(|position| {
                    let now = residual[[position, column]];
                    let before = previous.map_or(now, |p| p[[position, column]]);
                    let shown = if delta { now - before } else { now };
                    Cell {
                        text: crate::report::format_magnitude(if shown.abs() < ZERO_BELOW {
                            0.0
                        } else {
                            shown
                        }),
                        zero: shown.abs() < ZERO_BELOW,
                        changed: (now - before).abs() > 1e-9,
                    }
                })
                .collect();
            if hide_zero && cells.iter().all(|cell| cell.zero) {
                continue;
            }
            rows.push(ResidualRow {
                label,
                node: group,
                kind: RowKind::Direction,
                cells,
            });
        }
        if let Some(id) = group {
            if group_matches {
                rows.push(decoded_row(session, id, step));
            }
        }
    }
    rows
}

fn decoded_row(session: &Session, id: usize, step: usize) -> ResidualRow {
    let ready = session.ready_step(id).is_some_and(|ready| ready <= step);
    let decoded = session.decode_node(id, step);
    let mut rasp = vec![Value::None];
    rasp.extend(session.rasp[id].as_sop().unwrap_or(&[]).iter().cloned());
    let cells: Vec<Cell> = decoded
        .iter()
        .enumerate()
        .map(|(position, value)| {
            let text = if position == 0 || !ready {
                "–".to_string()
            } else {
                format_cell_value(value)
            };
            Cell {
                text,
                zero: false,
                changed: false,
            }
        })
        .collect();
    let agrees = ready.then(|| {
        decoded
            .iter()
            .zip(&rasp)
            .skip(1)
            .all(|(ours, theirs)| outputs_agree(ours, theirs))
    });
    let rasp_text = rasp
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == 0 {
                "–".to_string()
            } else {
                format_cell_value(v)
            }
        })
        .collect();
    ResidualRow {
        label: format!("▸ {}", session.program.nodes[id].label),
        node: Some(id),
        kind: RowKind::Decoded {
            rasp: rasp_text,
            agrees,
            ready,
        },
        cells,
    }
}
