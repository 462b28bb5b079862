//! Settings: checking their declarations, reading them as constants and
//! reporting the required ones that are missing.

use super::{Binding, Checker, MAX_SEQ_LEN, Val, edit_distance};
use crate::diagnostic::Diagnostic;
use crate::rasp::ast::{Expr, ExprKind, Ident};
use crate::source::Span;
use crate::value::Value;

impl Checker<'_> {
    pub(super) fn declare_setting(&mut self, name: &Ident, val: Val, value: &Expr) {
        if self.declared_settings.contains_key(&name.name) {
            self.error(
                Diagnostic::error(name.span, format!("setting `{}` is given twice", name.name))
                    .with_label("second definition"),
            );
            return;
        }
        let checked = match val {
            Val::Const(constant) => self.validate_setting(&name.name, constant, value),
            Val::Error => None,
            other => {
                self.error(Diagnostic::error(
                    value.span,
                    format!(
                        "setting `{}` must be a constant, found {}",
                        name.name,
                        other.describe()
                    ),
                ));
                None
            }
        };
        // An invalid declaration is stored too, so the setting is not also
        // reported as missing.
        self.declared_settings.insert(name.name.clone(), checked);
        self.setting_spans.insert(name.name.clone(), value.span);
    }

    /// Checks a declared setting's type and range; returns the value to store.
    fn validate_setting(&mut self, name: &str, value: Value, expr: &Expr) -> Option<Value> {
        let problem = match (name, &value) {
            ("vocab", Value::List(items)) => vocab_problem(items),
            ("vocab", _) => Some("expected a set of tokens such as `{1, 2, 3}`".to_string()),
            ("max_seq_len", Value::Int(n))
                if usize::try_from(*n).is_ok_and(|n| (1..=MAX_SEQ_LEN).contains(&n)) =>
            {
                None
            }
            ("max_seq_len", _) => Some(format!("expected an integer from 1 to {MAX_SEQ_LEN}")),
            ("causal", Value::Bool(_)) => None,
            ("causal", _) => Some("expected `true` or `false`".to_string()),
            ("mlp_exactness", Value::Int(n)) if *n >= 1 && *n <= i64::from(u32::MAX) => None,
            ("mlp_exactness", _) => Some(format!("expected an integer from 1 to {}", u32::MAX)),
            ("compiler_bos" | "compiler_pad", Value::Str(s))
                if !s.is_empty() && !s.contains(char::is_whitespace) =>
            {
                None
            }
            ("compiler_bos" | "compiler_pad", _) => {
                Some("expected a non-empty string without spaces".to_string())
            }
            _ => None,
        };
        if let Some(problem) = problem {
            self.error(
                Diagnostic::error(
                    expr.span,
                    format!("invalid value for setting `{name}`: {problem}"),
                )
                .with_label(found_label(&value, matches!(expr.kind, ExprKind::Set(_)))),
            );
            return None;
        }
        Some(value)
    }

    /// Returns the constant a setting name stands for: the override, the
    /// program's declaration or the default.
    pub(super) fn setting_value(&self, name: &str) -> Option<Value> {
        let overridden = match name {
            "vocab" => self.overrides.vocab.clone().map(Value::List),
            "max_seq_len" => self.overrides.max_seq_len.map(|n| Value::Int(n as i64)),
            "causal" => self.overrides.causal.map(Value::Bool),
            "mlp_exactness" => self
                .overrides
                .mlp_exactness
                .map(|n| Value::Int(i64::from(n))),
            "compiler_bos" => self.overrides.compiler_bos.clone().map(Value::Str),
            "compiler_pad" => self.overrides.compiler_pad.clone().map(Value::Str),
            _ => None,
        };
        if overridden.is_some() {
            return overridden;
        }
        if let Some(declared) = self.declared_settings.get(name) {
            return declared.clone();
        }
        match name {
            "causal" => Some(Value::Bool(false)),
            "mlp_exactness" => Some(Value::Int(100)),
            "compiler_bos" => Some(Value::Str("BOS".into())),
            "compiler_pad" => Some(Value::Str("PAD".into())),
            _ => None,
        }
    }

    /// Reads a setting as a constant: the command-line value, else the
    /// program's declaration, else the default. Reading a setting before the
    /// program declares it is an error even with a command-line value, so
    /// that whether a program checks does not depend on the command line.
    pub(super) fn read_setting(&mut self, name: &str, span: Span) -> Val {
        if self.declared_settings.contains_key(name) {
            // `None` here means an invalid declaration, which was reported.
            return self.setting_value(name).map_or(Val::Error, Val::Const);
        }
        if self.first_assignments.contains_key(name) {
            self.error(
                Diagnostic::error(
                    span,
                    format!("setting `{name}` is used before it is declared"),
                )
                .with_label("used here")
                .with_hint(format!(
                    "try moving the declaration `{name} = ...;` above its first use"
                )),
            );
            return Val::Error;
        }
        if let Some(value) = self.setting_value(name) {
            return Val::Const(value);
        }
        self.reported_missing.insert(name.to_string());
        let diagnostic = self.missing_setting(name, span).with_label("used here");
        self.error(diagnostic);
        Val::Error
    }

    /// Builds the error for a required setting that is neither declared nor
    /// given on the command line. When a top-level constant has a name close
    /// to the setting's (within edit distance 2, or starting with the
    /// setting's name, as `max_seq_length` does), the hint suggests it was
    /// meant as the setting.
    pub(super) fn missing_setting(&self, name: &str, span: Span) -> Diagnostic {
        let diagnostic = Diagnostic::error(span, format!("missing setting `{name}`"));
        let misspelling = self
            .globals
            .iter()
            .filter(|(_, binding)| matches!(binding, Binding::Val(Val::Const(_))))
            .map(|(global, _)| (edit_distance(name, global), global.as_str()))
            .filter(|(distance, global)| (1..=2).contains(distance) || global.starts_with(name))
            .min();
        if let Some((_, constant)) = misspelling {
            return diagnostic.with_hint(format!(
                "did you mean the setting `{name}`? `{constant}` is an ordinary constant, so try renaming it to `{name}`"
            ));
        }
        let (example, flag) = if name == "vocab" {
            ("vocab = {1, 2, 3};", "--vocab \"1 2 3\"")
        } else {
            ("max_seq_len = 5;", "--max-seq-len 5")
        };
        diagnostic.with_hint(format!(
            "try declaring it, as in `{example}`, or passing `{flag}`"
        ))
    }
}

/// Returns the label under an invalid setting value: the value as written,
/// with `{...}` for a set, or what is wrong with an empty one.
fn found_label(value: &Value, is_set: bool) -> String {
    let container = if is_set { "set" } else { "list" };
    match value {
        Value::List(items) if items.is_empty() => format!("the {container} is empty"),
        Value::List(_) if is_set => {
            let list = value.literal();
            let items = &list[1..list.len() - 1];
            format!("found `{{{items}}}`")
        }
        other => format!("found `{}`", other.literal()),
    }
}

fn vocab_problem(items: &[Value]) -> Option<String> {
    if items.is_empty() {
        return Some("the vocabulary is empty".into());
    }
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::None | Value::List(_) => {
                return Some(format!("a token cannot be {}", item.type_name()));
            }
            Value::Str(s) if s.is_empty() || s.contains(char::is_whitespace) => {
                return Some(format!(
                    "token \"{s}\" is empty or contains spaces, so it cannot be typed as input"
                ));
            }
            _ => {}
        }
        if let Some(earlier) = items[..index]
            .iter()
            .find(|earlier| earlier.to_string() == item.to_string())
        {
            return Some(format!(
                "two tokens are both written `{item}`: `{}` and `{}`",
                earlier.literal(),
                item.literal()
            ));
        }
        // Python equality, under which `1`, `1.0` and `True` are one token.
        if let Some(earlier) = items[..index].iter().find(|earlier| earlier.py_eq(item)) {
            return Some(format!(
                "tokens `{}` and `{}` are equal",
                earlier.literal(),
                item.literal()
            ));
        }
    }
    None
}
