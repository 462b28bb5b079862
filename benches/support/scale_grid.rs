//! The scale grid shared by `benches/compile.rs` and `examples/scale.rs`:
//! the bundled `sort` program at growing vocabulary sizes and sequence
//! lengths.

use tracr_tui::input::parse_vocab;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::program::Program;
use tracr_tui::rasp::{library, load_program};

/// Points as (vocabulary size, max_seq_len): the diagonal from 8 to 64 and
/// four points off it. On the 2-core machine of `docs/benchmarks.md` the
/// 64 × 64 point takes about 1 s to compile in a release build (up to 3 s
/// for a cold first compile) and each other point under 0.1 s, so a larger
/// point would stretch `cargo bench`.
pub const SCALE_POINTS: [(usize, usize); 8] = [
    (8, 8),
    (16, 16),
    (32, 32),
    (64, 64),
    (8, 64),
    (64, 8),
    (16, 64),
    (64, 16),
];

/// Loads the bundled `sort` program with the vocabulary `{1, ..., vocab_size}`
/// and the given `max_seq_len`.
pub fn load_sort(vocab_size: usize, max_seq_len: usize) -> Program {
    let sort = library::find("sort").expect("the library bundles `sort`");
    let vocab_text: Vec<String> = (1..=vocab_size).map(|token| token.to_string()).collect();
    let overrides = Overrides {
        vocab: Some(
            parse_vocab(&vocab_text.join(" ")).expect("distinct integers form a valid vocabulary"),
        ),
        max_seq_len: Some(max_seq_len),
        ..Overrides::default()
    };
    load_program(&sort.source(), &overrides).expect("`sort` loads at every scale point")
}
