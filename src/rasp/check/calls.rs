//! Checking of calls: the built-in functions, inlining of user functions,
//! and lowering of lambda bodies to scalar functions.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{Binding, Checker, PRIMITIVE_SOPS, SETTING_NAMES, Val, plural, reserved_owner};
use crate::diagnostic::Diagnostic;
use crate::rasp::ast::{Expr, ExprKind, Ident, StmtKind};
use crate::rasp::parser::MAX_DEPTH;
use crate::rasp::program::{Comparison, Encoding, NodeKind, Predicate};
use crate::rasp::scalar::{Builtin, ScalarExpr, ScalarFn};
use crate::source::Span;
use crate::value::Value;

impl Checker<'_> {
    pub(super) fn call(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
        let name = callee.name.as_str();
        let local = self
            .frames
            .last()
            .and_then(|frame| frame.get(name))
            .cloned();
        if let Some(val) = local {
            return self.call_value(callee, &val, args);
        }
        match self.globals.get(name) {
            Some(Binding::Function(index)) => {
                let index = *index;
                return self.inline(index, args, span);
            }
            Some(Binding::Val(val)) => {
                let val = val.clone();
                return self.call_value(callee, &val, args);
            }
            None => {}
        }
        if PRIMITIVE_SOPS.contains(&name) || name == "length" {
            return self.call_non_function(callee, "a sop", None, args);
        }
        if SETTING_NAMES.contains(&name) {
            return self.call_non_function(callee, "a constant", None, args);
        }
        if let Some(builtin) = Builtin::from_name(name) {
            if !self.arity(callee, args, builtin.arity(), builtin.arity(), span) {
                return Val::Error;
            }
            let params = (0..args.len()).map(ScalarExpr::Param).collect();
            let operands: Vec<&Expr> = args.iter().collect();
            return self.elementwise(&operands, ScalarExpr::Call(builtin, params), span);
        }
        match name {
            "select" => self.select(callee, args, span),
            "aggregate" => self.aggregate(callee, args, span),
            "selector_width" => {
                if !self.arity(callee, args, 1, 1, span) {
                    return Val::Error;
                }
                match self.expect_selector(&args[0]) {
                    Some(selector) => self.node_val(NodeKind::SelectorWidth { selector }, span),
                    None => Val::Error,
                }
            }
            "map" => {
                if !self.arity(callee, args, 2, 2, span) {
                    return Val::Error;
                }
                let f = self.expect_lambda(&args[0], 1);
                let input = self.expect_sop(&args[1]);
                match (f, input) {
                    (Some(f), Some(input)) => self.map((*f).clone(), input, span),
                    _ => Val::Error,
                }
            }
            "sequence_map" => {
                if !self.arity(callee, args, 3, 3, span) {
                    return Val::Error;
                }
                let f = self.expect_lambda(&args[0], 2);
                let fst = self.expect_sop(&args[1]);
                let snd = self.expect_sop(&args[2]);
                match (f, fst, snd) {
                    (Some(f), Some(fst), Some(snd)) => self.node_val(
                        NodeKind::SequenceMap {
                            f: (*f).clone(),
                            fst,
                            snd,
                        },
                        span,
                    ),
                    _ => Val::Error,
                }
            }
            "linear_sequence_map" => {
                if !self.arity(callee, args, 4, 4, span) {
                    return Val::Error;
                }
                let fst = self.expect_sop(&args[0]);
                let snd = self.expect_sop(&args[1]);
                let fst_factor = self.expect_number(&args[2]);
                let snd_factor = self.expect_number(&args[3]);
                match (fst, snd, fst_factor, snd_factor) {
                    (Some(fst), Some(snd), Some(fst_factor), Some(snd_factor)) => self.node_val(
                        NodeKind::LinearSequenceMap {
                            fst,
                            snd,
                            fst_factor,
                            snd_factor,
                        },
                        span,
                    ),
                    _ => Val::Error,
                }
            }
            "numerical" => self.annotate(callee, args, Encoding::Numerical, span),
            "categorical" => self.annotate(callee, args, Encoding::Categorical, span),
            _ => {
                let mut diagnostic =
                    Diagnostic::error(callee.span, format!("unknown function `{name}`"))
                        .with_label("not defined");
                if let Some(suggestion) = self.suggest(name) {
                    diagnostic = diagnostic.with_hint(format!("try `{suggestion}`"));
                }
                self.error(diagnostic);
                for arg in args {
                    self.expr(arg);
                }
                Val::Error
            }
        }
    }

    /// Reports a call of a name that is bound to a value, such as a sop.
    fn call_value(&mut self, callee: &Ident, val: &Val, args: &[Expr]) -> Val {
        if matches!(val, Val::Error) {
            for arg in args {
                self.expr(arg);
            }
            return Val::Error;
        }
        let hint = matches!(val, Val::Lambda(_)).then(|| {
            format!(
                "try passing it to a built-in, as in `map({}, tokens)`",
                callee.name
            )
        });
        self.call_non_function(callee, val.describe(), hint, args)
    }

    /// Reports a call of a name that is `kind` ("a sop", "a constant", ...)
    /// rather than a function, and checks the arguments for their own errors.
    fn call_non_function(
        &mut self,
        callee: &Ident,
        kind: &str,
        hint: Option<String>,
        args: &[Expr],
    ) -> Val {
        for arg in args {
            self.expr(arg);
        }
        let mut diagnostic = Diagnostic::error(
            callee.span,
            format!("`{}` is {kind}, not a function", callee.name),
        )
        .with_label("called here");
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.error(diagnostic);
        Val::Error
    }

    pub(super) fn arity(
        &mut self,
        callee: &Ident,
        args: &[Expr],
        min: usize,
        max: usize,
        span: Span,
    ) -> bool {
        if (min..=max).contains(&args.len()) {
            return true;
        }
        let expected = if min == max {
            format!("{min} argument{}", if min == 1 { "" } else { "s" })
        } else {
            format!("{min} or {max} arguments")
        };
        self.error(
            Diagnostic::error(
                span,
                format!("`{}` takes {expected}, found {}", callee.name, args.len()),
            )
            .with_label(format!("expected {expected}")),
        );
        false
    }

    pub(super) fn expect_sop(&mut self, expr: &Expr) -> Option<usize> {
        match self.expr(expr) {
            Val::Sop(id) => Some(id),
            Val::Error => None,
            Val::Const(value) => {
                self.error(
                    Diagnostic::error(expr.span, format!("expected a sop, found the constant `{value}`"))
                        .with_hint("try a sequence such as `tokens`, `indices` or `map(lambda x: ..., tokens)`"),
                );
                None
            }
            other => {
                let mut diagnostic = Diagnostic::error(
                    expr.span,
                    format!("expected a sop, found {}", other.describe()),
                );
                if matches!(other, Val::Selector(_)) {
                    diagnostic = diagnostic.with_hint(
                        "try `aggregate(selector, sop)` or `selector_width(selector)` to turn a selector into a sop",
                    );
                }
                self.error(diagnostic);
                None
            }
        }
    }

    pub(super) fn expect_selector(&mut self, expr: &Expr) -> Option<usize> {
        match self.expr(expr) {
            Val::Selector(id) => Some(id),
            Val::Error => None,
            other => {
                self.error(
                    Diagnostic::error(
                        expr.span,
                        format!("expected a selector, found {}", other.describe()),
                    )
                    .with_hint("try `select(keys, queries, ==)`"),
                );
                None
            }
        }
    }

    pub(super) fn expect_lambda(&mut self, expr: &Expr, n_params: usize) -> Option<Rc<ScalarFn>> {
        match self.expr(expr) {
            Val::Lambda(f) if f.params.len() == n_params => Some(f),
            Val::Lambda(f) => {
                self.error(Diagnostic::error(
                    expr.span,
                    format!(
                        "expected a lambda with {n_params} parameter{}, found one with {}",
                        plural(n_params),
                        f.params.len()
                    ),
                ));
                None
            }
            Val::Error => None,
            other => {
                self.error(
                    Diagnostic::error(
                        expr.span,
                        format!("expected a lambda, found {}", other.describe()),
                    )
                    .with_hint(if n_params == 1 {
                        "try `lambda x: ...`"
                    } else {
                        "try `lambda x, y: ...`"
                    }),
                );
                None
            }
        }
    }

    pub(super) fn expect_number(&mut self, expr: &Expr) -> Option<Value> {
        match self.expr(expr) {
            Val::Const(value) if value.is_numeric() => Some(value),
            Val::Error => None,
            other => {
                self.error(Diagnostic::error(
                    expr.span,
                    format!("expected a number, found {}", other.describe()),
                ));
                None
            }
        }
    }

    pub(super) fn select(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
        if !self.arity(callee, args, 3, 3, span) {
            return Val::Error;
        }
        let keys = self.expect_sop(&args[0]);
        let queries = self.expect_sop(&args[1]);
        let predicate = match self.expr(&args[2]) {
            Val::Comparison(comparison) => Some(Predicate::Comparison(comparison)),
            Val::Const(Value::Bool(true)) => Some(Predicate::Comparison(Comparison::True)),
            Val::Const(Value::Bool(false)) => Some(Predicate::Comparison(Comparison::False)),
            Val::Lambda(f) if f.params.len() == 2 => Some(Predicate::Custom((*f).clone())),
            Val::Lambda(f) => {
                self.error(
                    Diagnostic::error(
                        args[2].span,
                        format!(
                            "expected a lambda with 2 parameters (key, query), found one with {}",
                            f.params.len()
                        ),
                    )
                    .with_hint("try `lambda k, q: ...`"),
                );
                None
            }
            Val::Error => None,
            other => {
                self.error(
                    Diagnostic::error(args[2].span, format!("expected a comparison, found {}", other.describe()))
                        .with_hint("try one of `==`, `!=`, `<`, `<=`, `>`, `>=`, `true`, `false` or `lambda k, q: ...`"),
                );
                None
            }
        };
        match (keys, queries, predicate) {
            (Some(keys), Some(queries), Some(predicate)) => self.node_val(
                NodeKind::Select {
                    keys,
                    queries,
                    predicate,
                },
                span,
            ),
            _ => Val::Error,
        }
    }

    pub(super) fn aggregate(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
        if !self.arity(callee, args, 2, 3, span) {
            return Val::Error;
        }
        let selector = self.expect_selector(&args[0]);
        let sop = self.expect_sop(&args[1]);
        let default = match args.get(2) {
            None => Some(None),
            Some(arg) => match self.expr(arg) {
                Val::Const(Value::List(_)) => {
                    self.error(Diagnostic::error(
                        arg.span,
                        "the default of `aggregate` cannot be a list",
                    ));
                    None
                }
                Val::Const(Value::None) => Some(None),
                Val::Const(value) => Some(Some(value)),
                Val::Error => None,
                other => {
                    self.error(Diagnostic::error(
                        arg.span,
                        format!(
                            "the default of `aggregate` must be a constant, found {}",
                            other.describe()
                        ),
                    ));
                    None
                }
            },
        };
        match (selector, sop, default) {
            (Some(selector), Some(sop), Some(default)) => self.node_val(
                NodeKind::Aggregate {
                    selector,
                    sop,
                    default,
                },
                span,
            ),
            _ => Val::Error,
        }
    }

    /// Applies `numerical(...)` or `categorical(...)` by creating a copy of
    /// the node with the encoding, as Tracr's annotations copy the
    /// expression. The original keeps its own encoding, and it is dropped
    /// later unless the output depends on it, so `numerical(tokens == "x")`
    /// leaves one `Map`.
    pub(super) fn annotate(
        &mut self,
        callee: &Ident,
        args: &[Expr],
        encoding: Encoding,
        span: Span,
    ) -> Val {
        if !self.arity(callee, args, 1, 1, span) {
            return Val::Error;
        }
        let Some(id) = self.expect_sop(&args[0]) else {
            return Val::Error;
        };

        let node = &self.nodes[id];
        if let Some(label) = node.fixed_label {
            if encoding != node.encoding {
                self.error(
                    Diagnostic::error(args[0].span, format!("`{label}` is always categorical"))
                        .with_hint(format!(
                            "try `{}(map(lambda x: x, {label}))`",
                            encoding.name()
                        )),
                );
                return Val::Error;
            }
            return Val::Sop(id);
        }

        // The copy of an unnamed node replaces the node, so it keeps the
        // node's span. The copy of a named node is new at this call.
        let copy_span = if node.names.is_empty() {
            node.span
        } else {
            span
        };
        let kind = node.kind.clone();
        let Some(copy) = self.push_node(kind, copy_span) else {
            return Val::Error;
        };

        self.nodes[copy].encoding = encoding;
        self.nodes[copy].explicit_encoding = true;
        Val::Sop(copy)
    }

    pub(super) fn inline(&mut self, index: usize, args: &[Expr], span: Span) -> Val {
        let function = &self.functions[index];
        let (name, params, body) = (function.name, function.params, function.body);
        if args.len() != params.len() {
            self.error(
                Diagnostic::error(
                    span,
                    format!(
                        "`{}` takes {} argument{}, found {}",
                        name.name,
                        params.len(),
                        plural(params.len()),
                        args.len()
                    ),
                )
                .with_label(format!(
                    "expected {} argument{}",
                    params.len(),
                    plural(params.len())
                )),
            );
            return Val::Error;
        }
        if self.call_stack.iter().any(|active| active == &name.name) {
            self.error(
                Diagnostic::error(span, format!("recursive call to `{}`", name.name)).with_hint(
                    "functions are inlined where they are called, so they cannot call themselves",
                ),
            );
            return Val::Error;
        }
        if self.call_stack.len() >= MAX_DEPTH {
            self.error(Diagnostic::error(
                span,
                format!("maximum call depth of {MAX_DEPTH} exceeded"),
            ));
            return Val::Error;
        }
        let mut frame = HashMap::new();
        for (param, arg) in params.iter().zip(args) {
            let val = self.expr(arg);
            frame.insert(param.name.clone(), val);
        }
        self.frames.push(frame);
        self.call_stack.push(name.name.clone());
        let depth = self.call_stack.len();
        let mut result = Val::Error;
        for statement in body {
            match &statement.kind {
                StmtKind::Assign { name, value } => {
                    let val = self.expr(value);
                    self.assign_local(name, val, depth);
                }
                StmtKind::Return(value) => {
                    result = self.expr(value);
                    break;
                }
                StmtKind::Expr(value) => {
                    self.expr(value);
                    self.error(
                        Diagnostic::error(value.span, "expression statement has no effect")
                            .with_hint("try assigning it with `name = ...;`"),
                    );
                }
                // Reported once by `check_function_shape`.
                StmtKind::Def { .. } | StmtKind::Output(_) => {}
            }
        }
        self.call_stack.pop();
        self.frames.pop();
        result
    }

    pub(super) fn assign_local(&mut self, name: &Ident, val: Val, depth: usize) {
        // `check_function_shape` reported the name; the local is not bound.
        if reserved_owner(&name.name).is_some() {
            return;
        }
        let frame = self.frames.last_mut();
        let Some(frame) = frame else { return };
        if frame.contains_key(&name.name) {
            self.error(
                Diagnostic::error(
                    name.span,
                    format!("`{}` is defined twice in this function", name.name),
                )
                .with_label("second definition")
                .with_hint("try a new name for the new value"),
            );
            return;
        }
        frame.insert(name.name.clone(), val.clone());
        self.name_node(&val, &name.name, depth);
    }

    pub(super) fn lambda(&mut self, params: &[Ident], body: &Expr) -> Option<ScalarFn> {
        let mut seen = HashSet::new();
        for param in params {
            if !seen.insert(param.name.as_str()) {
                self.error(Diagnostic::error(
                    param.span,
                    format!("parameter `{}` is listed twice", param.name),
                ));
                return None;
            }
        }
        let lowered = self.scalar(body, params)?;
        if lowered.may_give_list() {
            self.error(
                Diagnostic::error(body.span, "a lambda must return a single value, not a list")
                    .with_label("can give a list")
                    .with_hint("lists can only stand on the right of `in` and `not in`, as in `x in [1, 2]`"),
            );
            return None;
        }
        let body = lowered;
        Some(ScalarFn {
            params: params.iter().map(|param| param.name.clone()).collect(),
            body,
        })
    }

    /// Lowers a list or set inside a lambda body to a constant. An item that
    /// uses the lambda's parameters is an error, because lists hold only
    /// constants.
    fn scalar_list(&mut self, items: &[Expr], is_set: bool, params: &[Ident]) -> Option<Value> {
        let mut values: Vec<Value> = Vec::new();
        let mut failed = false;
        for item in items {
            let Some(lowered) = self.scalar(item, params) else {
                failed = true;
                continue;
            };
            if lowered.uses_params() {
                self.error(
                    Diagnostic::error(
                        item.span,
                        "a list in a lambda cannot contain the lambda's parameters",
                    )
                    .with_label("uses a parameter")
                    .with_hint("list items must be constants, as in `x in [1, 2]`"),
                );
                failed = true;
                continue;
            }
            match lowered.eval(&[]) {
                Ok(value) => {
                    // A set keeps one copy of equal values, as a Python set does.
                    if !is_set || !values.contains(&value) {
                        values.push(value);
                    }
                }
                Err(error) => {
                    self.error(Diagnostic::error(
                        item.span,
                        format!("invalid constant expression: {}", error.0),
                    ));
                    failed = true;
                }
            }
        }
        if failed {
            None
        } else {
            Some(Value::List(values))
        }
    }

    /// Lowers a lambda body. It may use its parameters, constants and the
    /// scalar built-ins; a sop or selector inside a lambda is an error.
    pub(super) fn scalar(&mut self, expr: &Expr, params: &[Ident]) -> Option<ScalarExpr> {
        let lowered = match &expr.kind {
            ExprKind::Name(name) => {
                if let Some(index) = params.iter().position(|param| &param.name == name) {
                    return Some(ScalarExpr::Param(index));
                }
                match self.lookup(name, expr.span) {
                    Val::Const(value) => ScalarExpr::Const(value),
                    Val::Error => return None,
                    other => {
                        self.error(
                            Diagnostic::error(expr.span, format!("a lambda can use only its parameters and constants, but `{name}` is {}", other.describe()))
                                .with_hint("try `sequence_map(lambda x, y: ..., a, b)` to combine two sops"),
                        );
                        return None;
                    }
                }
            }
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::None => match self.expr(expr) {
                Val::Const(value) => ScalarExpr::Const(value),
                _ => return None,
            },
            ExprKind::List(items) | ExprKind::Set(items) => {
                let is_set = matches!(expr.kind, ExprKind::Set(_));
                ScalarExpr::Const(self.scalar_list(items, is_set, params)?)
            }
            ExprKind::Unary(op, inner) => {
                ScalarExpr::Unary(*op, Box::new(self.scalar(inner, params)?))
            }
            ExprKind::Binary(op, left, right) => {
                let left = self.scalar(left, params);
                let right = self.scalar(right, params);
                ScalarExpr::Binary(*op, Box::new(left?), Box::new(right?))
            }
            ExprKind::Conditional {
                then,
                cond,
                otherwise,
            } => {
                let then = self.scalar(then, params);
                let cond = self.scalar(cond, params);
                let otherwise = self.scalar(otherwise, params);
                ScalarExpr::Conditional {
                    then: Box::new(then?),
                    cond: Box::new(cond?),
                    otherwise: Box::new(otherwise?),
                }
            }
            ExprKind::Call { callee, args } => {
                let Some(builtin) = Builtin::from_name(&callee.name) else {
                    self.error(
                        Diagnostic::error(
                            callee.span,
                            format!("`{}` cannot be called inside a lambda", callee.name),
                        )
                        .with_hint(
                            "a lambda can call `round`, `abs`, `indicator`, `min` and `max`",
                        ),
                    );
                    return None;
                };
                if !self.arity(callee, args, builtin.arity(), builtin.arity(), expr.span) {
                    return None;
                }
                let lowered: Vec<Option<ScalarExpr>> =
                    args.iter().map(|arg| self.scalar(arg, params)).collect();
                ScalarExpr::Call(builtin, lowered.into_iter().collect::<Option<Vec<_>>>()?)
            }
            ExprKind::Lambda { .. } => {
                self.error(Diagnostic::error(
                    expr.span,
                    "a lambda cannot contain another lambda",
                ));
                return None;
            }
            ExprKind::Comparison(op) => {
                self.error(Diagnostic::error(
                    expr.span,
                    format!("expected an expression, found `{}`", op.symbol()),
                ));
                return None;
            }
            ExprKind::Error => return None,
        };
        Some(lowered)
    }
}
