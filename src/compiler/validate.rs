//! Checks, before any weights are built, that every node is something the
//! compiler can turn into a block. All problems are reported together, each
//! naming the node and the rule it breaks.

use crate::diagnostic::Diagnostic;
use crate::rasp::program::{Encoding, NodeKind, Program};
use crate::value::Value;

/// Returns one error per unsupported node, in program order.
pub fn validate(program: &Program) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let settings = &program.settings;
    let mut error = |id: usize, message: String, hint: Option<&str>| {
        let node = &program.nodes[id];
        let mut diagnostic = Diagnostic::error(
            node.span,
            format!("cannot compile `{}`: {message}", node.label),
        );
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        errors.push(diagnostic);
    };

    for token in [&settings.compiler_bos, &settings.compiler_pad] {
        if settings
            .vocab
            .iter()
            .any(|value| value.to_string() == *token)
        {
            let output = program.output;
            error(
                output,
                format!(
                    "the vocabulary contains `{token}`, which names the compiler's BOS or PAD token"
                ),
                Some(
                    "try another vocabulary, or set `compiler_bos` or `compiler_pad` to another name",
                ),
            );
        }
    }

    for (id, node) in program.nodes.iter().enumerate() {
        let encoding = |child: usize| program.nodes[child].encoding;
        match &node.kind {
            NodeKind::Select { keys, queries, .. } => {
                for (role, input) in [("keys", keys), ("queries", queries)] {
                    if encoding(*input) == Encoding::Numerical {
                        let hint = format!(
                            "try a categorical copy, as in `categorical(map(lambda x: x, {}))`",
                            program.nodes[*input].label
                        );
                        error(
                            id,
                            format!(
                                "select {role} must be categorical, but `{}` is numerical",
                                program.nodes[*input].label
                            ),
                            Some(&hint),
                        );
                    }
                }
            }
            NodeKind::SelectorAnd { .. }
            | NodeKind::SelectorOr { .. }
            | NodeKind::SelectorNot { .. } => {
                let users: Vec<&str> = program
                    .nodes
                    .iter()
                    .filter(|user| user.kind.children().contains(&id) && !user.kind.is_selector())
                    .map(|user| user.label.as_str())
                    .collect();
                if !users.is_empty() {
                    error(
                        id,
                        "selectors combined with `and`, `or` or `not` can only be compiled when both sides select over the same keys and queries".into(),
                        Some("try one `select` whose predicate is a lambda combining both conditions"),
                    );
                }
            }
            NodeKind::Aggregate { sop, default, .. } => {
                let sop_node = &program.nodes[*sop];
                if sop_node.encoding != node.encoding {
                    error(
                        id,
                        format!(
                            "an aggregate must have its input's encoding, but `{}` is {} and the aggregate is {}",
                            sop_node.label,
                            sop_node.encoding.name(),
                            node.encoding.name()
                        ),
                        Some(
                            "try converting the input with `numerical(map(lambda x: x, ...))` or `categorical(...)`",
                        ),
                    );
                }
                match (node.encoding, default) {
                    (Encoding::Categorical, Some(value)) => error(
                        id,
                        format!("a categorical aggregate must have no default, found `{value}`"),
                        Some("try leaving the default out; positions that select nothing are None"),
                    ),
                    (Encoding::Numerical, Some(value)) if !value.py_eq(&Value::Int(0)) => error(
                        id,
                        format!("a numerical aggregate must have default 0, found `{value}`"),
                        None,
                    ),
                    _ => {}
                }
            }
            NodeKind::SequenceMap { fst, snd, .. } => {
                let all_categorical = [id, *fst, *snd]
                    .iter()
                    .all(|&n| encoding(n) == Encoding::Categorical);
                if !all_categorical {
                    error(
                        id,
                        "a sequence map needs categorical inputs and a categorical output".into(),
                        Some(
                            "for `x + y` or `x - y` of numerical sops, write both as numerical sops and the result as `numerical(x + y)`",
                        ),
                    );
                }
            }
            NodeKind::LinearSequenceMap { fst, snd, .. } => {
                let all_numerical = [id, *fst, *snd]
                    .iter()
                    .all(|&n| encoding(n) == Encoding::Numerical);
                if !all_numerical {
                    error(
                        id,
                        "a linear sequence map needs numerical inputs and a numerical output"
                            .into(),
                        Some("try wrapping the result in `numerical(...)`"),
                    );
                }
            }
            _ => {}
        }
    }
    errors
}
