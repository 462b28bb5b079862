//! Checking of expressions: names, constants, operators on sops and
//! selectors, and the nodes they create.

use std::rc::Rc;

use super::{Checker, Val};
use crate::diagnostic::Diagnostic;
use crate::rasp::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::rasp::program::{Comparison, Encoding, NodeKind, Predicate};
use crate::rasp::scalar::{ScalarExpr, ScalarFn};
use crate::source::Span;
use crate::value::Value;

impl Checker<'_> {
    pub(super) fn expr(&mut self, expr: &Expr) -> Val {
        if self.aborted {
            return Val::Error;
        }
        match &expr.kind {
            ExprKind::Int(value) => Val::Const(Value::Int(*value)),
            ExprKind::Float(value) => Val::Const(Value::Float(*value)),
            ExprKind::Str(value) => Val::Const(Value::Str(value.clone())),
            ExprKind::Bool(value) => Val::Const(Value::Bool(*value)),
            ExprKind::None => Val::Const(Value::None),
            ExprKind::Name(name) => self.lookup(name, expr.span),
            ExprKind::List(items) | ExprKind::Set(items) => {
                self.list(items, matches!(expr.kind, ExprKind::Set(_)))
            }
            ExprKind::Unary(op, inner) => self.unary(*op, inner, expr.span),
            ExprKind::Binary(op, left, right) => self.binary(*op, left, right, expr.span),
            ExprKind::Conditional {
                then,
                cond,
                otherwise,
            } => {
                let operands = [then.as_ref(), cond.as_ref(), otherwise.as_ref()];
                let template = ScalarExpr::Conditional {
                    then: Box::new(ScalarExpr::Param(0)),
                    cond: Box::new(ScalarExpr::Param(1)),
                    otherwise: Box::new(ScalarExpr::Param(2)),
                };
                self.elementwise(&operands, template, expr.span)
            }
            ExprKind::Call { callee, args } => self.call(callee, args, expr.span),
            ExprKind::Lambda { params, body } => match self.lambda(params, body) {
                Some(f) => Val::Lambda(Rc::new(f)),
                None => Val::Error,
            },
            ExprKind::Comparison(op) => Val::Comparison(comparison_of(*op)),
            ExprKind::Error => Val::Error,
        }
    }

    pub(super) fn list(&mut self, items: &[Expr], is_set: bool) -> Val {
        let mut values: Vec<Value> = Vec::new();
        let mut failed = false;
        for item in items {
            match self.expr(item) {
                Val::Const(value) => {
                    // A set keeps one copy of equal values, as a Python set does.
                    if !is_set || !values.contains(&value) {
                        values.push(value);
                    }
                }
                Val::Error => failed = true,
                other => {
                    self.error(Diagnostic::error(
                        item.span,
                        format!("list items must be constants, found {}", other.describe()),
                    ));
                    failed = true;
                }
            }
        }
        if failed {
            Val::Error
        } else {
            Val::Const(Value::List(values))
        }
    }

    pub(super) fn unary(&mut self, op: UnaryOp, inner: &Expr, span: Span) -> Val {
        if op == UnaryOp::Not {
            let val = self.expr(inner);
            if let Val::Selector(id) = val {
                return self.selector_not(id, span);
            }
            return self.elementwise_vals(
                &[(val, inner.span)],
                ScalarExpr::Unary(op, Box::new(ScalarExpr::Param(0))),
                span,
            );
        }
        self.elementwise(
            &[inner],
            ScalarExpr::Unary(op, Box::new(ScalarExpr::Param(0))),
            span,
        )
    }

    pub(super) fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr, span: Span) -> Val {
        let left_val = self.expr(left);
        let right_val = self.expr(right);
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            match (&left_val, &right_val) {
                (Val::Selector(a), Val::Selector(b)) => {
                    return self.selector_binary(op, *a, *b, span);
                }
                (Val::Selector(_), other) | (other, Val::Selector(_))
                    if !matches!(other, Val::Error) =>
                {
                    self.error(
                        Diagnostic::error(
                            span,
                            format!(
                                "cannot combine a selector with {} using `{}`",
                                other.describe(),
                                op.symbol()
                            ),
                        )
                        .with_hint("`and`, `or` and `not` join two selectors, or two sops"),
                    );
                    return Val::Error;
                }
                _ => {}
            }
        }
        let template = ScalarExpr::Binary(
            op,
            Box::new(ScalarExpr::Param(0)),
            Box::new(ScalarExpr::Param(1)),
        );
        self.elementwise_vals(
            &[(left_val, left.span), (right_val, right.span)],
            template,
            span,
        )
    }

    pub(super) fn elementwise(
        &mut self,
        operands: &[&Expr],
        template: ScalarExpr,
        span: Span,
    ) -> Val {
        let vals: Vec<(Val, Span)> = operands
            .iter()
            .map(|operand| (self.expr(operand), operand.span))
            .collect();
        self.elementwise_vals(&vals, template, span)
    }

    /// Applies `template`, whose `Param(i)` is operand `i`, elementwise: to
    /// constants now, or by creating a `Map` over one sop or a `SequenceMap`
    /// over two.
    pub(super) fn elementwise_vals(
        &mut self,
        operands: &[(Val, Span)],
        template: ScalarExpr,
        span: Span,
    ) -> Val {
        let mut sops: Vec<usize> = Vec::new();
        let mut replacements = Vec::new();
        let mut failed = false;
        for (val, operand_span) in operands {
            match val {
                Val::Const(value) => replacements.push(ScalarExpr::Const(value.clone())),
                Val::Sop(id) => {
                    let index = match sops.iter().position(|sop| sop == id) {
                        Some(index) => index,
                        None => {
                            sops.push(*id);
                            sops.len() - 1
                        }
                    };
                    replacements.push(ScalarExpr::Param(index));
                }
                Val::Error => failed = true,
                other => {
                    let mut diagnostic = Diagnostic::error(
                        *operand_span,
                        format!("expected a sop or a constant, found {}", other.describe()),
                    );
                    if matches!(other, Val::Selector(_)) {
                        diagnostic = diagnostic.with_hint(
                            "try `aggregate(selector, sop)` or `selector_width(selector)` to turn a selector into a sop",
                        );
                    }
                    self.error(diagnostic);
                    failed = true;
                }
            }
        }
        if failed {
            return Val::Error;
        }
        let body = template.substitute(&replacements);
        if !sops.is_empty() && body.may_give_list() {
            self.error(
                Diagnostic::error(span, "an operation on a sop must give a single value, not a list")
                    .with_label("can give a list")
                    .with_hint("lists can only stand on the right of `in` and `not in`, as in `tokens in [1, 2]`"),
            );
            return Val::Error;
        }
        match sops.as_slice() {
            [] => match body.eval(&[]) {
                Ok(value) => Val::Const(value),
                Err(error) => {
                    self.error(Diagnostic::error(
                        span,
                        format!("invalid constant expression: {}", error.0),
                    ));
                    Val::Error
                }
            },
            [input] => {
                let f = ScalarFn {
                    params: vec!["x".into()],
                    body,
                };
                self.map(f, *input, span)
            }
            [fst, snd] => {
                if let Some(val) = self.linear_sequence_map(&body, *fst, *snd, span) {
                    return val;
                }
                let f = ScalarFn {
                    params: vec!["x".into(), "y".into()],
                    body,
                };
                self.node_val(
                    NodeKind::SequenceMap {
                        f,
                        fst: *fst,
                        snd: *snd,
                    },
                    span,
                )
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        span,
                        format!(
                            "an elementwise expression can combine at most two sops, found {}",
                            sops.len()
                        ),
                    )
                    .with_hint("try computing part of it in a separate named step"),
                );
                Val::Error
            }
        }
    }

    /// Returns a `LinearSequenceMap` for `x + y` or `x - y` over two numerical sops.
    pub(super) fn linear_sequence_map(
        &mut self,
        body: &ScalarExpr,
        fst: usize,
        snd: usize,
        span: Span,
    ) -> Option<Val> {
        let ScalarExpr::Binary(op @ (BinaryOp::Add | BinaryOp::Sub), left, right) = body else {
            return None;
        };
        let is_param = |e: &ScalarExpr, i: usize| matches!(e, ScalarExpr::Param(p) if *p == i);
        if !is_param(left, 0) || !is_param(right, 1) {
            return None;
        }
        if self.nodes[fst].encoding != Encoding::Numerical
            || self.nodes[snd].encoding != Encoding::Numerical
        {
            return None;
        }
        let snd_factor = if *op == BinaryOp::Add { 1 } else { -1 };
        Some(self.node_val(
            NodeKind::LinearSequenceMap {
                fst,
                snd,
                fst_factor: Value::Int(1),
                snd_factor: Value::Int(snd_factor),
            },
            span,
        ))
    }

    /// Creates `Map(f, input)`. A map of an unnamed map with the default
    /// encoding becomes one map of the composed function, as in Tracr.
    pub(super) fn map(&mut self, f: ScalarFn, input: usize, span: Span) -> Val {
        let inner = &self.nodes[input];
        if let NodeKind::Map {
            f: inner_f,
            input: inner_input,
        } = &inner.kind
        {
            if inner.names.is_empty() && !inner.explicit_encoding {
                let composed = inner_f.then(&f);
                let inner_input = *inner_input;
                return self.node_val(
                    NodeKind::Map {
                        f: composed,
                        input: inner_input,
                    },
                    span,
                );
            }
        }
        self.node_val(NodeKind::Map { f, input }, span)
    }

    pub(super) fn selector_not(&mut self, inner: usize, span: Span) -> Val {
        // Tracr turns `not select(...)` into one select with the negated predicate.
        if let NodeKind::Select {
            keys,
            queries,
            predicate,
        } = &self.nodes[inner].kind
        {
            let kind = NodeKind::Select {
                keys: *keys,
                queries: *queries,
                predicate: Predicate::Not(Box::new(predicate.clone())),
            };
            return self.node_val(kind, span);
        }
        self.node_val(NodeKind::SelectorNot { inner }, span)
    }

    pub(super) fn selector_binary(
        &mut self,
        op: BinaryOp,
        fst: usize,
        snd: usize,
        span: Span,
    ) -> Val {
        // Two selects over the same keys and queries merge into one select,
        // as Tracr merges them; anything else needs a selector combinator.
        if let (
            NodeKind::Select {
                keys: k1,
                queries: q1,
                predicate: p1,
            },
            NodeKind::Select {
                keys: k2,
                queries: q2,
                predicate: p2,
            },
        ) = (&self.nodes[fst].kind, &self.nodes[snd].kind)
        {
            if k1 == k2 && q1 == q2 {
                let (a, b) = (Box::new(p1.clone()), Box::new(p2.clone()));
                let predicate = if op == BinaryOp::And {
                    Predicate::And(a, b)
                } else {
                    Predicate::Or(a, b)
                };
                let kind = NodeKind::Select {
                    keys: *k1,
                    queries: *q1,
                    predicate,
                };
                return self.node_val(kind, span);
            }
        }
        let kind = if op == BinaryOp::And {
            NodeKind::SelectorAnd { fst, snd }
        } else {
            NodeKind::SelectorOr { fst, snd }
        };
        self.node_val(kind, span)
    }
}

fn comparison_of(op: BinaryOp) -> Comparison {
    match op {
        BinaryOp::Eq => Comparison::Eq,
        BinaryOp::NotEq => Comparison::NotEq,
        BinaryOp::Lt => Comparison::Lt,
        BinaryOp::LtEq => Comparison::LtEq,
        BinaryOp::Gt => Comparison::Gt,
        _ => Comparison::GtEq,
    }
}
