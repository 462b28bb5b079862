//! The last step of checking: settings, the output, pruning to the nodes
//! the output depends on, and label choice.

use std::collections::HashSet;

use super::{Checker, Val};
use crate::diagnostic::Diagnostic;
use crate::rasp::program::{Node, NodeId, NodeKind, Program, Settings};
use crate::source::Span;
use crate::value::Value;

impl Checker<'_> {
    pub(super) fn finish(&mut self, program_name: &str, end: Span) -> Option<Program> {
        let settings = self.settings(end);
        let output = match self.output.take() {
            Some((Val::Sop(id), _)) => Some(id),
            Some((Val::Error, _)) => None,
            Some((other, span)) => {
                let mut diagnostic = Diagnostic::error(
                    span,
                    format!("the output must be a sop, found {}", other.describe()),
                );
                if matches!(other, Val::Selector(_)) {
                    diagnostic = diagnostic
                        .with_hint("try `aggregate(selector, sop)` or `selector_width(selector)`");
                }
                self.error(diagnostic);
                None
            }
            None => {
                self.error(
                    Diagnostic::error(end, "missing `output` statement")
                        .with_hint("try `output NAME;` with the sop the program computes"),
                );
                None
            }
        };
        let (settings, output) = (settings?, output?);
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        Some(self.build_program(program_name, output, settings))
    }

    pub(super) fn settings(&mut self, end: Span) -> Option<Settings> {
        let vocab = self.setting_value("vocab");
        let max_seq_len = self.setting_value("max_seq_len");
        for (name, value) in [("vocab", &vocab), ("max_seq_len", &max_seq_len)] {
            // An invalid declaration or a read of the missing setting was
            // already reported.
            let reported =
                self.declared_settings.contains_key(name) || self.reported_missing.contains(name);
            if value.is_none() && !reported {
                let diagnostic = self.missing_setting(name, end);
                self.error(diagnostic);
            }
        }

        let int = |value: Option<Value>| match value {
            Some(Value::Int(n)) => n,
            _ => 0,
        };
        let string = |value: Option<Value>| match value {
            Some(Value::Str(s)) => s,
            _ => String::new(),
        };
        let Some(Value::List(vocab)) = vocab else {
            return None;
        };
        let max_seq_len = usize::try_from(int(max_seq_len)).ok()?;
        let compiler_bos = string(self.setting_value("compiler_bos"));
        let compiler_pad = string(self.setting_value("compiler_pad"));
        if !self.check_special_tokens(&vocab, [&compiler_bos, &compiler_pad], end) {
            return None;
        }

        Some(Settings {
            vocab,
            max_seq_len,
            causal: matches!(self.setting_value("causal"), Some(Value::Bool(true))),
            mlp_exactness: u32::try_from(int(self.setting_value("mlp_exactness"))).unwrap_or(100),
            compiler_bos,
            compiler_pad,
        })
    }

    /// Reports a declared vocabulary that contains the BOS or PAD token;
    /// returns whether the vocabulary is valid. A vocabulary from the
    /// command line is checked where the flag is read.
    fn check_special_tokens(
        &mut self,
        vocab: &[Value],
        special_tokens: [&String; 2],
        end: Span,
    ) -> bool {
        if self.overrides.vocab.is_some() {
            return true;
        }
        for special in special_tokens {
            if vocab.iter().any(|token| token.to_string() == *special) {
                let span = self.setting_spans.get("vocab").copied().unwrap_or(end);
                let message = format!(
                    "invalid value for setting `vocab`: `{special}` names the BOS or PAD token"
                );
                self.error(Diagnostic::error(span, message).with_hint(
                    "try another token, or set `compiler_bos` or `compiler_pad` to another name",
                ));
                return false;
            }
        }
        true
    }

    /// Keeps the nodes the output depends on, in creation order (which puts
    /// children first), and gives each a unique label.
    pub(super) fn build_program(
        &self,
        program_name: &str,
        output: usize,
        settings: Settings,
    ) -> Program {
        let mut reachable = vec![false; self.nodes.len()];
        let mut stack = vec![output];
        while let Some(id) = stack.pop() {
            if !reachable[id] {
                reachable[id] = true;
                stack.extend(self.nodes[id].kind.children());
            }
        }
        let kept: Vec<usize> = (0..self.nodes.len()).filter(|&id| reachable[id]).collect();
        let mut new_id = vec![usize::MAX; self.nodes.len()];
        for (index, &id) in kept.iter().enumerate() {
            new_id[id] = index;
        }
        let labels = self.labels(&kept);
        let nodes = kept
            .iter()
            .zip(labels)
            .map(|(&id, label)| {
                let raw = &self.nodes[id];
                Node {
                    label,
                    kind: renumber(&raw.kind, &new_id),
                    encoding: raw.encoding,
                    span: raw.span,
                }
            })
            .collect();
        Program {
            name: program_name.to_string(),
            nodes,
            output: new_id[output],
            settings,
        }
    }

    /// Chooses labels: the fixed ones first, then names from top-level
    /// assignments, then from function bodies, then from `length`'s library
    /// definition, each in assignment order; unnamed nodes get their kind and
    /// position (`map_3`). A label already taken gets `_2`, `_3`, ...
    pub(super) fn labels(&self, kept: &[usize]) -> Vec<String> {
        let mut labels = vec![String::new(); kept.len()];
        let mut taken: HashSet<String> = HashSet::new();
        let claim = |base: &str, taken: &mut HashSet<String>| {
            let mut label = base.to_string();
            let mut suffix = 2;
            while taken.contains(&label) {
                label = format!("{base}_{suffix}");
                suffix += 1;
            }
            taken.insert(label.clone());
            label
        };
        let mut named: Vec<(usize, usize, &str, usize)> = Vec::new();
        for (index, &id) in kept.iter().enumerate() {
            let node = &self.nodes[id];
            if let Some(label) = node.fixed_label {
                labels[index] = claim(label, &mut taken);
            } else if let Some((depth, order, name)) = node.names.iter().min() {
                named.push((*depth, *order, name, index));
            }
        }
        named.sort();
        for (_, _, name, index) in named {
            labels[index] = claim(name, &mut taken);
        }
        for (index, &id) in kept.iter().enumerate() {
            if labels[index].is_empty() {
                let base = format!("{}_{}", self.nodes[id].kind.default_label(), index + 1);
                labels[index] = claim(&base, &mut taken);
            }
        }
        labels
    }
}

fn renumber(kind: &NodeKind, new_id: &[usize]) -> NodeKind {
    let id = |old: &NodeId| new_id[*old];
    match kind {
        NodeKind::Tokens => NodeKind::Tokens,
        NodeKind::Indices => NodeKind::Indices,
        NodeKind::Map { f, input } => NodeKind::Map {
            f: f.clone(),
            input: id(input),
        },
        NodeKind::SequenceMap { f, fst, snd } => NodeKind::SequenceMap {
            f: f.clone(),
            fst: id(fst),
            snd: id(snd),
        },
        NodeKind::LinearSequenceMap {
            fst,
            snd,
            fst_factor,
            snd_factor,
        } => NodeKind::LinearSequenceMap {
            fst: id(fst),
            snd: id(snd),
            fst_factor: fst_factor.clone(),
            snd_factor: snd_factor.clone(),
        },
        NodeKind::Select {
            keys,
            queries,
            predicate,
        } => NodeKind::Select {
            keys: id(keys),
            queries: id(queries),
            predicate: predicate.clone(),
        },
        NodeKind::Aggregate {
            selector,
            sop,
            default,
        } => NodeKind::Aggregate {
            selector: id(selector),
            sop: id(sop),
            default: default.clone(),
        },
        NodeKind::SelectorWidth { selector } => NodeKind::SelectorWidth {
            selector: id(selector),
        },
        NodeKind::SelectorAnd { fst, snd } => NodeKind::SelectorAnd {
            fst: id(fst),
            snd: id(snd),
        },
        NodeKind::SelectorOr { fst, snd } => NodeKind::SelectorOr {
            fst: id(fst),
            snd: id(snd),
        },
        NodeKind::SelectorNot { inner } => NodeKind::SelectorNot { inner: id(inner) },
    }
}
