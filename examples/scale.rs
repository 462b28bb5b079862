//! Prints the model size of the bundled `sort` program as the vocabulary
//! and `max_seq_len` grow: residual width (d_model), parameter count, MLP
//! hidden width and layer count, with the time of one compile.
//!
//! Run with `cargo run --release --example scale`, or pass points as
//! `VOCAB:MAX_SEQ_LEN` arguments (`scale 8:8 16:32`). The criterion bench
//! `benches/compile.rs` measures compile time over the same default grid,
//! `SCALE_POINTS` in `benches/support/scale_grid.rs`.

#[path = "../benches/support/scale_grid.rs"]
mod scale_grid;

use std::time::Instant;

use tracr_tui::compiler::{CompileOptions, compile};

use scale_grid::{SCALE_POINTS, load_sort};

fn main() {
    let points = match parse_points(std::env::args().skip(1)) {
        Ok(points) if points.is_empty() => SCALE_POINTS.to_vec(),
        Ok(points) => points,
        Err(message) => {
            eprintln!("{message}");
            eprintln!("usage: scale [VOCAB:MAX_SEQ_LEN ...]");
            std::process::exit(2);
        }
    };

    println!(
        "| vocab | max_seq_len | d_model | parameters | MLP hidden | layers | compile (one run) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (vocab_size, max_seq_len) in points {
        let program = load_sort(vocab_size, max_seq_len);

        let start = Instant::now();
        let compiled = compile(&program, CompileOptions::default()).expect("`sort` compiles");
        let elapsed = start.elapsed();

        let model = &compiled.model;
        println!(
            "| {vocab_size} | {max_seq_len} | {} | {} | {} | {} | {:.3} ms |",
            model.d_model(),
            model.n_parameters(),
            model.mlp_hidden_size(),
            model.n_layers(),
            elapsed.as_secs_f64() * 1e3
        );
    }
}

/// Parses `VOCAB:MAX_SEQ_LEN` arguments, both positive integers.
fn parse_points(args: impl Iterator<Item = String>) -> Result<Vec<(usize, usize)>, String> {
    args.map(|arg| {
        let parsed = arg
            .split_once(':')
            .and_then(|(vocab, length)| Some((vocab.parse().ok()?, length.parse().ok()?)));
        match parsed {
            Some((vocab, length)) if vocab > 0 && length > 0 => Ok((vocab, length)),
            _ => Err(format!(
                "invalid point `{arg}`: expected VOCAB:MAX_SEQ_LEN with positive integers, as in 16:32"
            )),
        }
    })
    .collect()
}
