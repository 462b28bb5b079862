//! The compiler in Tracr's mode against Tracr's golden models: residual
//! basis, layer structure, allocation, weights, decoded outputs and traces.
//! Tracr's `name_id` labels are mapped back to names, and the order of
//! residual directions, heads and hidden neurons is not compared.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use std::collections::HashMap;

use ndarray::Array2;
use serde_json::Value as Json;

use common::{case_program, json_values, load_case, load_case_program, same_value};
use tracr_tui::compiler::{CompileOptions, Compiled, compile};
use tracr_tui::model::{Sublayer, forward};
use tracr_tui::rasp::eval::evaluate_output;
use tracr_tui::rasp::program::Program;
use tracr_tui::value::Value;

/// Weights are compared within 1e-5, relative for magnitudes above 1,
/// because the golden files round weights to 6 significant digits.
fn weight_close(ours: f64, golden: f64) -> bool {
    (ours - golden).abs() <= 1e-5 * golden.abs().max(1.0)
}

/// Residuals and attention patterns are compared within 1e-4: the golden
/// traces come from float32 arithmetic and are rounded to 5 decimals.
const TRACE_TOLERANCE: f64 = 1e-4;

fn matrix(json: &Json) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let n_columns = rows.first().map_or(0, Vec::len);
    Array2::from_shape_vec((rows.len(), n_columns), rows.concat()).unwrap()
}

/// Maps Tracr labels (`opp_index_3:2`, `length_5_selector_width_attn_output`)
/// to ours (`opp_index:2`, `length_selector_width_attn_output`).
struct LabelMap {
    names: HashMap<String, String>,
}

impl LabelMap {
    fn new(golden: &Json) -> Self {
        let names = golden["graph"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| {
                let label = node["label"].as_str().unwrap().to_string();
                let name = common::tracr_name(&label).to_string();
                (label, name)
            })
            .collect();
        LabelMap { names }
    }

    fn node(&self, label: &str) -> String {
        self.names
            .get(label)
            .cloned()
            .unwrap_or_else(|| label.to_string())
    }

    fn residual(&self, label: &str) -> String {
        let (name, rest) = match label.split_once(':') {
            Some((name, value)) => (name, format!(":{value}")),
            None => (label, String::new()),
        };
        if let Some(mapped) = self.names.get(name) {
            return format!("{mapped}{rest}");
        }
        for (tracr, ours) in &self.names {
            if let Some(suffix) = name.strip_prefix(tracr.as_str()) {
                if suffix == "_selector_width_attn_output" {
                    return format!("{ours}{suffix}{rest}");
                }
            }
        }
        label.to_string()
    }
}

struct Case {
    golden: Json,
    program: Program,
    compiled: Compiled,
    labels: LabelMap,
    /// Our residual column of each golden residual column.
    column_of: Vec<usize>,
}

fn load(name: &str) -> Case {
    let golden = load_case(name);
    let program = load_case_program(case_program(name));
    let compiled = compile(&program, CompileOptions { tracr_compat: true })
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let labels = LabelMap::new(&golden);
    let ours: Vec<String> = compiled.model.residual_labels();
    let column_of = golden["model"]["residual_labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|label| {
            let mapped = labels.residual(label.as_str().unwrap());
            ours.iter()
                .position(|our| *our == mapped)
                .unwrap_or_else(|| {
                    panic!("golden residual direction `{mapped}` is missing; ours: {ours:?}")
                })
        })
        .collect();
    Case {
        golden,
        program,
        compiled,
        labels,
        column_of,
    }
}

fn check_structure(case: &Case) {
    let model = &case.compiled.model;
    let golden = &case.golden["model"];
    assert_eq!(
        model.d_model(),
        golden["d_model"].as_u64().unwrap() as usize,
        "d_model"
    );
    assert_eq!(
        model.n_layers(),
        golden["num_layers"].as_u64().unwrap() as usize,
        "num_layers"
    );
    assert_eq!(
        model.n_heads(),
        golden["num_heads"].as_u64().unwrap() as usize,
        "num_heads"
    );
    assert_eq!(
        model.mlp_hidden_size(),
        golden["mlp_hidden_size"].as_u64().unwrap() as usize,
        "mlp_hidden_size"
    );
    assert_eq!(
        model.key_size,
        golden["key_size"].as_u64().unwrap() as usize,
        "key_size"
    );

    for node in case.golden["graph"].as_array().unwrap() {
        let label = case.labels.node(node["label"].as_str().unwrap());
        let id = case.program.find(&label).unwrap();
        let expected = node["layer"].as_u64().map(|l| l as usize);
        assert_eq!(
            case.compiled.sublayer[id], expected,
            "sublayer of `{label}`"
        );
    }

    for sublayer in golden["sublayers"].as_array().unwrap() {
        let index = sublayer["index"].as_u64().unwrap() as usize;
        match &model.sublayers[index] {
            Sublayer::Attention(heads) => {
                let mut expected: Vec<String> = sublayer["heads"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|head| head["node"].as_str().map(|label| case.labels.node(label)))
                    .collect();
                let mut ours: Vec<String> = heads
                    .iter()
                    .map(|head| case.program.nodes[head.node].label.clone())
                    .collect();
                expected.sort();
                ours.sort();
                assert_eq!(ours, expected, "heads of sublayer {index}");
            }
            Sublayer::Mlp(mlp) => {
                let width = mlp.as_ref().map_or(0, |mlp| mlp.hidden.len());
                assert_eq!(
                    width,
                    sublayer["hidden_width"].as_u64().unwrap() as usize,
                    "hidden width of sublayer {index}"
                );
            }
        }
    }
}

/// Compares an `(n, d_model)` golden array, columns in golden order, with ours.
fn assert_rows_close(ours: &Array2<f64>, golden: &Array2<f64>, column_of: &[usize], what: &str) {
    assert_eq!(ours.nrows(), golden.nrows(), "{what}: rows");
    for row in 0..golden.nrows() {
        for (golden_column, &column) in column_of.iter().enumerate() {
            let (a, b) = (ours[[row, column]], golden[[row, golden_column]]);
            assert!(
                weight_close(a, b),
                "{what}[{row}][{golden_column}]: ours {a}, Tracr {b}"
            );
        }
    }
}

fn check_weights(case: &Case) {
    let model = &case.compiled.model;
    let params = &case.golden["params"];
    let d_model = model.d_model();

    // Token rows follow the golden input encoding.
    let token_embed = matrix(&params["token_embed/embeddings"]);
    let encoding: Vec<Value> = json_values(&case.golden["model"]["input_encoding"]);
    let rows: Vec<usize> = encoding
        .iter()
        .map(|token| {
            model
                .token_encoding
                .iter()
                .position(|ours| same_value(ours, token))
                .unwrap()
        })
        .collect();
    let ours_tokens = model.token_embed.select(ndarray::Axis(0), &rows);
    assert_rows_close(&ours_tokens, &token_embed, &case.column_of, "token_embed");
    assert_rows_close(
        &model.pos_embed,
        &matrix(&params["pos_embed/embeddings"]),
        &case.column_of,
        "pos_embed",
    );

    // Projects a golden (d_model, d_model) product into our residual order.
    let reorder = |golden: &Array2<f64>| {
        let mut out = Array2::zeros((d_model, d_model));
        for (i, &row) in case.column_of.iter().enumerate() {
            for (j, &column) in case.column_of.iter().enumerate() {
                out[[row, column]] = golden[[i, j]];
            }
        }
        out
    };
    let key_size = model.key_size;
    for sublayer in case.golden["model"]["sublayers"].as_array().unwrap() {
        let index = sublayer["index"].as_u64().unwrap() as usize;
        let module = sublayer["module"].as_str().unwrap();
        match &model.sublayers[index] {
            Sublayer::Attention(heads) => {
                let query = matrix(&params[format!("{module}/query/w")]);
                let key = matrix(&params[format!("{module}/key/w")]);
                let value = matrix(&params[format!("{module}/value/w")]);
                let linear = matrix(&params[format!("{module}/linear/w")]);
                for golden_head in sublayer["heads"].as_array().unwrap() {
                    let Some(label) = golden_head["node"].as_str() else {
                        continue;
                    };
                    let h = golden_head["head"].as_u64().unwrap() as usize;
                    let columns = ndarray::s![.., h * key_size..(h + 1) * key_size];
                    let qk = reorder(&query.slice(columns).dot(&key.slice(columns).t()));
                    let ov = reorder(
                        &value
                            .slice(columns)
                            .dot(&linear.slice(ndarray::s![h * key_size..(h + 1) * key_size, ..])),
                    );
                    let label = case.labels.node(label);
                    let ours = heads
                        .iter()
                        .find(|head| case.program.nodes[head.node].label == label)
                        .unwrap();
                    let our_qk = ours.w_q.dot(&ours.w_k.t());
                    let our_ov = ours.w_v.dot(&ours.w_o);
                    for ((i, j), golden_value) in qk.indexed_iter() {
                        assert!(
                            weight_close(our_qk[[i, j]], *golden_value),
                            "{module} head `{label}` QK[{i}][{j}]: ours {}, Tracr {golden_value}",
                            our_qk[[i, j]]
                        );
                    }
                    for ((i, j), golden_value) in ov.indexed_iter() {
                        assert!(
                            weight_close(our_ov[[i, j]], *golden_value),
                            "{module} head `{label}` OV[{i}][{j}]: ours {}, Tracr {golden_value}",
                            our_ov[[i, j]]
                        );
                    }
                }
            }
            Sublayer::Mlp(mlp) => {
                let Some(mlp) = mlp else { continue };
                let w_1 = matrix(&params[format!("{module}/linear_1/w")]);
                let w_2 = matrix(&params[format!("{module}/linear_2/w")]);
                // A neuron is its input column and output row, in our residual order.
                let golden_neurons: Vec<Vec<f64>> = (0..w_1.ncols())
                    .map(|n| {
                        let mut neuron = vec![0.0; 2 * d_model];
                        for (i, &column) in case.column_of.iter().enumerate() {
                            neuron[column] = w_1[[i, n]];
                            neuron[d_model + column] = w_2[[n, i]];
                        }
                        neuron
                    })
                    .filter(|neuron| neuron.iter().any(|v| *v != 0.0))
                    .collect();
                let mut unmatched: Vec<Vec<f64>> = (0..mlp.hidden.len())
                    .map(|n| {
                        mlp.w_1
                            .column(n)
                            .iter()
                            .chain(mlp.w_2.row(n).iter())
                            .copied()
                            .collect()
                    })
                    .collect();
                for (n, neuron) in golden_neurons.iter().enumerate() {
                    let found = unmatched.iter().position(|ours| {
                        ours.iter().zip(neuron).all(|(a, b)| weight_close(*a, *b))
                    });
                    assert!(
                        found.is_some(),
                        "{module}: Tracr's neuron {n} has no match among ours"
                    );
                    unmatched.remove(found.unwrap_or(0));
                }
                assert!(
                    unmatched
                        .iter()
                        .all(|neuron| neuron.iter().all(|v| *v == 0.0)),
                    "{module}: we have extra neurons"
                );
            }
        }
    }
}

fn check_outputs(case: &Case) {
    for entry in case.golden["cases"].as_array().unwrap() {
        let input: Vec<Value> = json_values(&entry["input"]);
        let trace = forward(&case.compiled.model, &input).unwrap();
        let expected: Vec<Value> = json_values(&entry["compiled_output"]);
        let rasp: Vec<Value> = json_values(&entry["rasp_output"]);
        for (position, (ours, theirs)) in trace.decoded[1..].iter().zip(&expected).enumerate() {
            if rasp[position].is_none() {
                continue;
            }
            let equal = match (ours, theirs) {
                (Value::Float(a), b) => (a - b.as_f64().unwrap()).abs() <= 1e-4,
                (a, b) => a == b,
            };
            assert!(
                equal,
                "input {input:?}, position {position}: ours {ours:?}, Tracr {theirs:?}"
            );
        }
        // The interpreter must agree with itself on the same input.
        assert_eq!(evaluate_output(&case.program, &input).len(), input.len());
    }
}

fn check_traces(case: &Case) {
    let model = &case.compiled.model;
    for golden in case.golden["traces"].as_array().unwrap() {
        let input: Vec<Value> = json_values(&golden["input"]);
        let trace = forward(model, &input).unwrap();
        let residuals = golden["residuals"].as_array().unwrap();
        assert_eq!(
            trace.residuals.len(),
            residuals.len(),
            "number of residuals"
        );
        for (step, golden_residual) in residuals.iter().enumerate() {
            let golden_residual = matrix(golden_residual);
            for position in 0..golden_residual.nrows() {
                for (golden_column, &column) in case.column_of.iter().enumerate() {
                    let (a, b) = (
                        trace.residuals[step][[position, column]],
                        golden_residual[[position, golden_column]],
                    );
                    assert!(
                        (a - b).abs() <= TRACE_TOLERANCE,
                        "input {input:?}, residual {step}, position {position}, `{}`: ours {a}, Tracr {b}",
                        model.residual[column]
                    );
                }
            }
        }
        let sublayers = case.golden["model"]["sublayers"].as_array().unwrap();
        for (layer, golden_heads) in golden["attention"].as_array().unwrap().iter().enumerate() {
            let index = 2 * layer;
            for head in sublayers[index]["heads"].as_array().unwrap() {
                let Some(label) = head["node"].as_str() else {
                    continue;
                };
                let label = case.labels.node(label);
                let h = head["head"].as_u64().unwrap() as usize;
                let golden_pattern = matrix(&golden_heads[h]);
                let ours = trace.heads[index]
                    .iter()
                    .find(|t| case.program.nodes[t.node].label == label)
                    .unwrap();
                for ((q, k), b) in golden_pattern.indexed_iter() {
                    let a = ours.pattern[[q, k]];
                    assert!(
                        (a - b).abs() <= TRACE_TOLERANCE,
                        "input {input:?}, head `{label}` [{q}][{k}]: ours {a}, Tracr {b}"
                    );
                }
            }
        }
    }
}

fn check_case(name: &str) {
    let case = load(name);
    check_structure(&case);
    check_weights(&case);
    check_outputs(&case);
    check_traces(&case);
}

with_every_case!(one_test_per_case);
