//! The `--json` document.

use serde_json::{Value as Json, json};

use crate::input::format_vocab;
use crate::model::Sublayer;
use crate::report::{describe, sublayer_name, value_to_json};
use crate::session::Session;
use crate::value::Value;

/// Builds the JSON document of a session. Per-position lists start with the
/// BOS position; values that are `None` are `null`.
pub fn json_report(session: &Session) -> Json {
    let program = &session.program;
    let compiled = &session.compiled;
    let model = &compiled.model;
    let settings = &program.settings;
    let values = |list: &[Value]| Json::Array(list.iter().map(value_to_json).collect());
    let labels = |ids: &[usize]| -> Vec<&str> {
        ids.iter()
            .map(|&id| program.nodes[id].label.as_str())
            .collect()
    };

    let nodes: Vec<Json> = program
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| {
            let is_selector = node.kind.is_selector();
            let mut entry = json!({
                "label": node.label,
                "kind": node.kind.tracr_name(),
                "encoding": if is_selector { Json::Null } else { json!(node.encoding.name()) },
                "expression": describe(program, &node.kind),
                "children": labels(&node.kind.children()),
                "sublayer": compiled.sublayer[id],
                "depth": compiled.graph.depth[id],
            });
            if let Some(basis) = &compiled.bases[id] {
                entry["value_set"] = values(&basis.value_set);
                entry["directions"] = json!(
                    basis
                        .space
                        .basis()
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                );
            }
            if let Some(rasp) = session.rasp[id].as_sop() {
                let mut with_bos = vec![Value::None];
                with_bos.extend(rasp.iter().cloned());
                entry["rasp_values"] = values(&with_bos);
            }
            entry
        })
        .collect();

    let sublayers: Vec<Json> = model
        .sublayers
        .iter()
        .enumerate()
        .map(|(index, sublayer)| match sublayer {
            Sublayer::Attention(heads) => json!({
                "index": index,
                "name": sublayer_name(index),
                "kind": "attn",
                "heads": heads.iter().enumerate().map(|(h, head)| json!({
                    "head": h,
                    "node": program.nodes[head.node].label,
                })).collect::<Vec<_>>(),
            }),
            Sublayer::Mlp(mlp) => {
                let nodes = session.sublayer_nodes(index);
                json!({
                    "index": index,
                    "name": sublayer_name(index),
                    "kind": "mlp",
                    "nodes": labels(&nodes),
                    "hidden_width": mlp.as_ref().map_or(0, |mlp| mlp.hidden.len()),
                    "hidden": mlp.as_ref().map_or(Vec::new(), |mlp| mlp.hidden.iter().map(ToString::to_string).collect()),
                })
            }
        })
        .collect();

    let trace = &session.trace;
    let mut steps = vec!["embed".to_string()];
    steps.extend((0..model.sublayers.len()).map(sublayer_name));
    let residuals: Vec<Json> = trace
        .residuals
        .iter()
        .map(|residual| {
            json!(
                residual
                    .outer_iter()
                    .map(|row| row.to_vec())
                    .collect::<Vec<_>>()
            )
        })
        .collect();
    let attention: Vec<Json> = trace
        .heads
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 2 == 0)
        .map(|(index, heads)| {
            json!({
                "sublayer": index,
                "heads": heads.iter().map(|head| json!({
                    "node": program.nodes[head.node].label,
                    "pattern": head.pattern.outer_iter().map(|row| row.to_vec()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    json!({
        "program": program.name,
        "vocab": values(&settings.vocab),
        "vocab_text": format_vocab(&settings.vocab),
        "max_seq_len": settings.max_seq_len,
        "causal": settings.causal,
        "mlp_exactness": settings.mlp_exactness,
        "compiler_bos": settings.compiler_bos,
        "compiler_pad": settings.compiler_pad,
        "tracr_compat": compiled.options.tracr_compat,
        "output_node": program.output_node().label,
        "input": values(&trace.tokens),
        "output": values(&trace.decoded),
        "rasp_output": values(&session.rasp_output()),
        "model": {
            "n_layers": model.n_layers(),
            "n_heads": model.n_heads(),
            "key_size": model.key_size,
            "mlp_hidden_size": model.mlp_hidden_size(),
            "d_model": model.d_model(),
            "n_parameters": model.n_parameters(),
        },
        "residual_labels": model.residual_labels(),
        "nodes": nodes,
        "sublayers": sublayers,
        "trace": {
            "steps": steps,
            "residuals": residuals,
            "attention": attention,
        },
        "warnings": compiled
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .chain(session.warnings.iter().cloned())
            .collect::<Vec<_>>(),
    })
}
