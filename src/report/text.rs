//! The `--print` report: the decoded output beside the interpreter's, the
//! program's sops, and the residual stream after every step.

use std::fmt::Write;

use crate::input::format_vocab;
use crate::report::{format_magnitude, format_value, outputs_agree, sublayer_name};
use crate::session::Session;
use crate::value::Value;

/// Formats the whole report.
pub fn text_report(session: &Session) -> String {
    let program = &session.program;
    let settings = &program.settings;
    let model = &session.compiled.model;
    let trace = &session.trace;
    let mut out = String::new();

    let mode = if session.compiled.options.tracr_compat {
        "Tracr-compatible"
    } else {
        "corrected"
    };
    let _ = writeln!(
        out,
        "{}  vocab {}  max_seq_len {}{}  {mode} model: {} layer{}, d_model {}",
        program.name,
        format_vocab(&settings.vocab),
        settings.max_seq_len,
        if settings.causal { "  causal" } else { "" },
        model.n_layers(),
        if model.n_layers() == 1 { "" } else { "s" },
        model.d_model(),
    );

    let rasp = session.rasp_output();
    let marks: Vec<String> = trace
        .decoded
        .iter()
        .zip(&rasp)
        .skip(1)
        .map(|(ours, theirs)| {
            if outputs_agree(ours, theirs) {
                "✓".into()
            } else {
                "✗".into()
            }
        })
        .collect();
    let mut header = vec![String::new()];
    header.extend(trace.tokens.iter().map(Value::to_string));
    let mut output_row = vec!["output".to_string(), settings.compiler_bos.clone()];
    output_row.extend(trace.decoded[1..].iter().map(format_value));
    let mut rasp_row = vec!["rasp".to_string(), String::new()];
    rasp_row.extend(rasp[1..].iter().map(format_value));
    let mut agree_row = vec![String::new(), String::new()];
    agree_row.extend(marks.iter().cloned());
    out.push_str(&table(&[header, output_row, rasp_row, agree_row]));
    let n_wrong = marks.iter().filter(|mark| *mark == "✗").count();
    for warning in &session.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    if n_wrong > 0 {
        let _ = writeln!(
            out,
            "{n_wrong} position(s) disagree with the RASP interpreter"
        );
    }

    let _ = writeln!(
        out,
        "\nsops (RASP values; sublayer where the model computes them)"
    );
    let mut rows = vec![{
        let mut row = vec!["node".to_string(), "sublayer".to_string(), String::new()];
        row.extend(trace.tokens[1..].iter().map(Value::to_string));
        row
    }];
    for (id, node) in program.nodes.iter().enumerate() {
        let Some(values) = session.rasp[id].as_sop() else {
            continue;
        };
        let sublayer = session.compiled.sublayer[id].map_or("input".to_string(), sublayer_name);
        let mut row = vec![node.label.clone(), sublayer, String::new()];
        row.extend(values.iter().map(format_value));
        rows.push(row);
    }
    out.push_str(&table(&rows));

    for (step, residual) in trace.residuals.iter().enumerate() {
        let title = if step == 0 {
            "embed".to_string()
        } else {
            let index = step - 1;
            let nodes: Vec<&str> = session
                .sublayer_nodes(index)
                .into_iter()
                .map(|id| program.nodes[id].label.as_str())
                .collect();
            if nodes.is_empty() {
                format!("{} (empty)", sublayer_name(index))
            } else {
                format!("{} ({})", sublayer_name(index), nodes.join(", "))
            }
        };
        let _ = writeln!(out, "\nresidual after {title}");
        let mut rows = vec![{
            let mut row = vec!["direction".to_string()];
            row.extend(trace.tokens.iter().map(Value::to_string));
            row
        }];
        for (column, direction) in model.residual.iter().enumerate() {
            let mut row = vec![direction.to_string()];
            row.extend(residual.column(column).iter().map(|x| format_magnitude(*x)));
            rows.push(row);
        }
        out.push_str(&table(&rows));
    }
    out
}

/// Formats rows as columns separated by two spaces, left-aligned.
fn table(rows: &[Vec<String>]) -> String {
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}
