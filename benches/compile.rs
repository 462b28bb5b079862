//! Compile and forward-pass timings of the bundled programs, and compile
//! timings of `sort` as its vocabulary and `max_seq_len` grow.
//!
//! Run with `cargo bench --bench compile`: after the build, the run takes
//! about 3.5 minutes on the 2-core machine described in `docs/benchmarks.md`.
//! Criterion measures time only: `cargo run --release --example scale`
//! prints the residual width and parameter count of each scale point.

#[path = "support/scale_grid.rs"]
mod scale_grid;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use tracr_tui::compiler::{CompileOptions, compile};
use tracr_tui::input::parse_input;
use tracr_tui::model::forward;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::program::Program;
use tracr_tui::rasp::{library, load_program};
use tracr_tui::value::Value;

use scale_grid::{SCALE_POINTS, load_sort};

/// A bundled program, parsed and checked, with its example input.
struct BundledCase {
    name: &'static str,
    program: Program,
    input: Vec<Value>,
}

fn load_bundled_cases() -> Vec<BundledCase> {
    library::PROGRAMS
        .iter()
        .map(|bundled| {
            let program =
                load_program(&bundled.source(), &Overrides::default()).unwrap_or_else(|errors| {
                    panic!(
                        "bundled program `{}` failed to load: {errors:?}",
                        bundled.name
                    )
                });
            let (input_text, _) = bundled.example().unwrap_or_else(|| {
                panic!(
                    "bundled program `{}` has no `# Example:` line",
                    bundled.name
                )
            });
            let input = parse_input(input_text, &program.settings).unwrap_or_else(|error| {
                panic!("example input of `{}` is invalid: {error}", bundled.name)
            });
            BundledCase {
                name: bundled.name,
                program,
                input,
            }
        })
        .collect()
}

/// Benchmarks, for every bundled program, parsing and checking (`load`),
/// compiling in the default mode (`compile`), one forward pass on the
/// example input (`forward`) and both of the last two together
/// (`compile_and_run`).
fn bench_bundled(c: &mut Criterion) {
    let cases = load_bundled_cases();
    let options = CompileOptions::default();

    let mut group = c.benchmark_group("load");
    for bundled in library::PROGRAMS {
        let source = bundled.source();
        group.bench_function(bundled.name, |b| {
            b.iter(|| {
                load_program(black_box(&source), &Overrides::default())
                    .expect("bundled programs load")
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compile");
    for case in &cases {
        group.bench_function(case.name, |b| {
            b.iter(|| {
                compile(black_box(&case.program), options).expect("bundled programs compile")
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("forward");
    for case in &cases {
        let compiled = compile(&case.program, options).expect("bundled programs compile");
        group.bench_function(case.name, |b| {
            b.iter(|| {
                forward(black_box(&compiled.model), black_box(&case.input))
                    .expect("example inputs run")
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compile_and_run");
    for case in &cases {
        group.bench_function(case.name, |b| {
            b.iter(|| {
                let compiled =
                    compile(black_box(&case.program), options).expect("bundled programs compile");
                forward(&compiled.model, black_box(&case.input)).expect("example inputs run")
            });
        });
    }
    group.finish();
}

/// Benchmarks compiling `sort` at each point of `SCALE_POINTS`, named
/// `scale_sort/v<VOCAB>_n<MAX_SEQ_LEN>`.
fn bench_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_sort");
    // Flat sampling runs every sample with the same iteration count. The
    // default linear sampling would run the 64 × 64 point, at about 1 s a
    // compile, 55 times for 10 samples.
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    for (vocab_size, max_seq_len) in SCALE_POINTS {
        let program = load_sort(vocab_size, max_seq_len);
        let id = BenchmarkId::from_parameter(format!("v{vocab_size}_n{max_seq_len}"));
        group.bench_with_input(id, &program, |b, program| {
            b.iter(|| {
                compile(black_box(program), CompileOptions::default()).expect("`sort` compiles")
            });
        });
    }
    group.finish();
}

/// Short warm-up and measurement times keep the whole run under 5 minutes
/// on 2 cores. Each bundled-program routine takes under 2 ms, so 1.5 s
/// still collects several hundred iterations for its 30 samples.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_bundled, bench_scale
}
criterion_main!(benches);
