//! The compiler from a checked RASP program to an assembled transformer,
//! one call per stage as in Tracr's `compile_rasp_to_model`.

pub mod allocate;
pub mod assemble;
pub mod basis;
pub mod graph;
pub mod lower;
pub mod validate;

use crate::diagnostic::Diagnostic;
use crate::model::AssembledModel;
use crate::rasp::program::Program;

use allocate::Allocation;
use basis::NodeBasis;
use graph::ProgramGraph;
use lower::{LowerOptions, NodeBlock, SlopeChoice};

/// How to compile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// Reproduce Tracr's construction exactly, faults included (see
    /// `docs/compatibility.md`). Otherwise build the corrected model.
    pub tracr_compat: bool,
}

/// A compiled program: every stage's result, kept for inspection.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub graph: ProgramGraph,
    /// The value set and residual space of each sop; `None` for selectors.
    pub bases: Vec<Option<NodeBasis>>,
    pub blocks: Vec<Option<NodeBlock>>,
    pub allocation: Allocation,
    /// The sublayer that holds each node's block (its head, for a selector width).
    pub sublayer: Vec<Option<usize>>,
    pub model: AssembledModel,
    /// Slopes of the discretising MLPs, and warnings about them.
    pub slopes: Vec<SlopeChoice>,
    pub warnings: Vec<Diagnostic>,
    pub options: CompileOptions,
}

/// Compiles a program. Every error found is returned, each naming the node.
pub fn compile(program: &Program, options: CompileOptions) -> Result<Compiled, Vec<Diagnostic>> {
    let graph = ProgramGraph::build(program);

    let errors = validate::validate(program);
    if !errors.is_empty() {
        return Err(errors);
    }

    let bases = basis::infer_bases(program, options.tracr_compat)?;

    check_size(program, &bases)?;

    let lower_options = LowerOptions {
        tracr_compat: options.tracr_compat,
        mlp_exactness: f64::from(program.settings.mlp_exactness),
    };
    let lower::Lowered { blocks, slopes } = lower::lower(program, &bases, lower_options)?;

    let allocation = allocate::allocate(&graph, &blocks);

    let assemble_options = assemble::AssembleOptions {
        tracr_compat: options.tracr_compat,
    };
    let (model, sublayer) =
        assemble::assemble(program, &bases, &blocks, &allocation, assemble_options);

    let warnings = slope_warnings(program, &slopes, options);
    Ok(Compiled {
        graph,
        bases,
        blocks,
        allocation,
        sublayer,
        model,
        slopes,
        warnings,
        options,
    })
}

/// The largest number of entries allowed in one weight matrix of a block,
/// about 200 MB of `f64`. Sort with a vocabulary of 64 and `max_seq_len`
/// 64 needs under 2% of it. The bound stops a setting such as
/// `max_seq_len = 10000` from exhausting memory before any error shows.
pub const MAX_MATRIX_ENTRIES: usize = 25_000_000;

/// Rejects programs whose blocks would need matrices larger than
/// [`MAX_MATRIX_ENTRIES`]: a select's query-by-key scores, or a sequence
/// map's hidden layer, which has a neuron per pair of input values.
fn check_size(program: &Program, bases: &[Option<NodeBasis>]) -> Result<(), Vec<Diagnostic>> {
    use crate::rasp::program::NodeKind;
    let dims = |id: usize| bases[id].as_ref().map_or(0, |basis| basis.space.n_dims());
    let mut errors = Vec::new();
    for (id, node) in program.nodes.iter().enumerate() {
        let (entries, what) = match &node.kind {
            NodeKind::Select { keys, queries, .. } => (
                (dims(*keys) + 2) * (dims(*queries) + 2),
                "query-by-key score matrix",
            ),
            NodeKind::SequenceMap { fst, snd, .. } => {
                let n_hidden = dims(*fst) * dims(*snd);
                (
                    n_hidden * (dims(*fst) + dims(*snd) + dims(id) + 1),
                    "hidden layer",
                )
            }
            _ => continue,
        };
        if entries > MAX_MATRIX_ENTRIES {
            errors.push(
                Diagnostic::error(
                    node.span,
                    format!(
                        "cannot compile `{}`: its {what} would have {entries} entries, more than the limit of {MAX_MATRIX_ENTRIES}",
                        node.label
                    ),
                )
                .with_hint("try a smaller --max-seq-len or vocabulary"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Warns about every discretising MLP whose `mlp_exactness` is too small to
/// separate its inputs: in Tracr's mode the output may be wrong there, and
/// in the default mode a steeper slope was used.
fn slope_warnings(
    program: &Program,
    slopes: &[SlopeChoice],
    options: CompileOptions,
) -> Vec<Diagnostic> {
    slopes
        .iter()
        .filter(|choice| choice.requested < choice.needed * (1.0 - 1e-9))
        .map(|choice| {
            let node = &program.nodes[choice.node];
            let needed = choice.needed.ceil();
            if options.tracr_compat {
                Diagnostic::warning(
                    node.span,
                    format!(
                        "mlp_exactness {} is too small to separate the inputs of `{}`, which need at least {needed}",
                        choice.requested, node.label
                    ),
                )
                .with_hint(format!(
                    "Tracr's model may decode neighbouring inputs of `{}` to the same output; try --mlp-exactness {}",
                    node.label,
                    2.0 * needed
                ))
            } else {
                Diagnostic::note(
                    node.span,
                    format!(
                        "mlp_exactness {} cannot separate the inputs of `{}`, so its MLP uses slope {} instead",
                        choice.requested,
                        node.label,
                        choice.used.ceil()
                    ),
                )
            }
        })
        .collect()
}
