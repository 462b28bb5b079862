//! Command-line arguments.

use clap::Parser;

/// Compile RASP programs to transformer weights and inspect them.
#[derive(Debug, Parser)]
#[command(name = "tracr-tui", version, about)]
pub struct Cli {
    /// A path to a `.rasp` file, or the name of a bundled program (see --list).
    pub program: Option<String>,

    /// The input tokens, separated by spaces; the leading BOS may be left out.
    /// Without it, the program's own example input is used.
    #[arg(long, allow_hyphen_values = true)]
    pub input: Option<String>,

    /// Print one JSON document: the program, the compiled model's structure,
    /// the decoded output beside the interpreter's, and the full trace.
    #[arg(long, conflicts_with = "print")]
    pub json: bool,

    /// Print the decoded output beside the interpreter's and the residual
    /// stream after every sublayer as text tables.
    #[arg(long)]
    pub print: bool,

    /// Build exactly the model Tracr builds, faults included, instead of the
    /// corrected one (docs/compatibility.md lists the differences).
    #[arg(long)]
    pub tracr_compat: bool,

    /// List the bundled programs with a one-line description each.
    #[arg(long)]
    pub list: bool,

    /// Override the vocabulary, as space-separated tokens: --vocab "1 2 3".
    #[arg(long, allow_hyphen_values = true)]
    pub vocab: Option<String>,

    /// Override the maximum input length, not counting BOS.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=tracr_tui::rasp::check::MAX_SEQ_LEN as i64))]
    pub max_seq_len: Option<u32>,

    /// Compile with a causal attention mask.
    #[arg(long)]
    pub causal: bool,

    /// Override how sharply the compiled MLPs approximate their functions
    /// (Tracr's large_number; default 100).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub mlp_exactness: Option<u32>,
}
