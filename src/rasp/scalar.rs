//! Scalar functions: the bodies of maps, sequence maps and custom select
//! predicates, as small expression trees over their parameters.

use std::fmt;

use crate::rasp::ast::{BinaryOp, UnaryOp};
use crate::value::{Value, ValueError};

/// A built-in function usable on scalars and, elementwise, on sops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Round,
    Abs,
    /// `indicator(x)` is 1 where `x` is true and 0 elsewhere.
    Indicator,
    Min,
    Max,
}

impl Builtin {
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Round => "round",
            Builtin::Abs => "abs",
            Builtin::Indicator => "indicator",
            Builtin::Min => "min",
            Builtin::Max => "max",
        }
    }

    pub fn arity(self) -> usize {
        match self {
            Builtin::Round | Builtin::Abs | Builtin::Indicator => 1,
            Builtin::Min | Builtin::Max => 2,
        }
    }

    pub fn from_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "round" => Builtin::Round,
            "abs" => Builtin::Abs,
            "indicator" => Builtin::Indicator,
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            _ => return None,
        })
    }

    pub fn apply(self, args: &[Value]) -> Result<Value, ValueError> {
        match (self, args) {
            (Builtin::Round, [x]) => x.round(),
            (Builtin::Abs, [x]) => x.abs(),
            (Builtin::Indicator, [x]) => Ok(Value::Int(i64::from(x.truthy()))),
            (Builtin::Min, [a, b]) => Ok(if b.py_cmp(a)?.is_lt() {
                b.clone()
            } else {
                a.clone()
            }),
            (Builtin::Max, [a, b]) => Ok(if b.py_cmp(a)?.is_gt() {
                b.clone()
            } else {
                a.clone()
            }),
            _ => Err(ValueError(format!(
                "wrong number of arguments to {}",
                self.name()
            ))),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScalarExpr {
    Const(Value),
    /// The parameter at this index.
    Param(usize),
    Unary(UnaryOp, Box<ScalarExpr>),
    Binary(BinaryOp, Box<ScalarExpr>, Box<ScalarExpr>),
    Conditional {
        then: Box<ScalarExpr>,
        cond: Box<ScalarExpr>,
        otherwise: Box<ScalarExpr>,
    },
    Call(Builtin, Vec<ScalarExpr>),
}

/// A function of one or more scalar parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalarFn {
    pub params: Vec<String>,
    pub body: ScalarExpr,
}

impl ScalarFn {
    /// Applies the function. Errors are Python's run-time errors, such as a
    /// division by zero; the interpreter turns them into `None`.
    pub fn call(&self, args: &[Value]) -> Result<Value, ValueError> {
        self.body.eval(args)
    }

    /// Returns `outer(self(...))` as one function with `self`'s parameters.
    /// `outer` must take one parameter.
    pub fn then(&self, outer: &ScalarFn) -> ScalarFn {
        ScalarFn {
            params: self.params.clone(),
            body: outer.body.substitute(std::slice::from_ref(&self.body)),
        }
    }
}

impl ScalarExpr {
    pub fn eval(&self, args: &[Value]) -> Result<Value, ValueError> {
        match self {
            ScalarExpr::Const(value) => Ok(value.clone()),
            ScalarExpr::Param(index) => args
                .get(*index)
                .cloned()
                .ok_or_else(|| ValueError("missing argument".into())),
            ScalarExpr::Unary(op, inner) => {
                let value = inner.eval(args)?;
                match op {
                    UnaryOp::Neg => value.neg(),
                    UnaryOp::Pos => value.pos(),
                    UnaryOp::Not => Ok(Value::Bool(!value.truthy())),
                }
            }
            ScalarExpr::Binary(op, left, right) => {
                let left = left.eval(args)?;
                // `and` and `or` return one of their operands, as in Python.
                match op {
                    BinaryOp::And if !left.truthy() => return Ok(left),
                    BinaryOp::Or if left.truthy() => return Ok(left),
                    BinaryOp::And | BinaryOp::Or => return right.eval(args),
                    _ => {}
                }
                let right = right.eval(args)?;
                apply_binary(*op, &left, &right)
            }
            ScalarExpr::Conditional {
                then,
                cond,
                otherwise,
            } => {
                if cond.eval(args)?.truthy() {
                    then.eval(args)
                } else {
                    otherwise.eval(args)
                }
            }
            ScalarExpr::Call(builtin, call_args) => {
                let values = call_args
                    .iter()
                    .map(|arg| arg.eval(args))
                    .collect::<Result<Vec<_>, _>>()?;
                builtin.apply(&values)
            }
        }
    }

    /// Returns whether the expression reads any parameter.
    pub fn uses_params(&self) -> bool {
        match self {
            ScalarExpr::Const(_) => false,
            ScalarExpr::Param(_) => true,
            ScalarExpr::Unary(_, inner) => inner.uses_params(),
            ScalarExpr::Binary(_, left, right) => left.uses_params() || right.uses_params(),
            ScalarExpr::Conditional {
                then,
                cond,
                otherwise,
            } => then.uses_params() || cond.uses_params() || otherwise.uses_params(),
            ScalarExpr::Call(_, args) => args.iter().any(ScalarExpr::uses_params),
        }
    }

    /// Returns whether the expression can evaluate to a list, given that its
    /// parameters never hold lists. Only a list constant can be a list: every
    /// operator and built-in other than `and`, `or` and the conditional
    /// gives a number, a string or a bool, or fails on a list. A branch that
    /// a constant condition never takes is ignored.
    pub fn may_give_list(&self) -> bool {
        match self {
            ScalarExpr::Const(value) => matches!(value, Value::List(_)),
            ScalarExpr::Param(_) | ScalarExpr::Unary(..) | ScalarExpr::Call(..) => false,
            ScalarExpr::Binary(BinaryOp::And | BinaryOp::Or, left, right) => {
                left.may_give_list() || right.may_give_list()
            }
            ScalarExpr::Binary(..) => false,
            ScalarExpr::Conditional {
                then,
                cond,
                otherwise,
            } => match cond.as_ref() {
                ScalarExpr::Const(value) if value.truthy() => then.may_give_list(),
                ScalarExpr::Const(_) => otherwise.may_give_list(),
                _ => then.may_give_list() || otherwise.may_give_list(),
            },
        }
    }

    /// Replaces `Param(i)` with `replacements[i]`.
    pub fn substitute(&self, replacements: &[ScalarExpr]) -> ScalarExpr {
        match self {
            ScalarExpr::Const(_) => self.clone(),
            ScalarExpr::Param(index) => replacements
                .get(*index)
                .cloned()
                .unwrap_or_else(|| self.clone()),
            ScalarExpr::Unary(op, inner) => {
                ScalarExpr::Unary(*op, Box::new(inner.substitute(replacements)))
            }
            ScalarExpr::Binary(op, left, right) => ScalarExpr::Binary(
                *op,
                Box::new(left.substitute(replacements)),
                Box::new(right.substitute(replacements)),
            ),
            ScalarExpr::Conditional {
                then,
                cond,
                otherwise,
            } => ScalarExpr::Conditional {
                then: Box::new(then.substitute(replacements)),
                cond: Box::new(cond.substitute(replacements)),
                otherwise: Box::new(otherwise.substitute(replacements)),
            },
            ScalarExpr::Call(builtin, args) => ScalarExpr::Call(
                *builtin,
                args.iter()
                    .map(|arg| arg.substitute(replacements))
                    .collect(),
            ),
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            ScalarExpr::Conditional { .. } => 1,
            ScalarExpr::Binary(op, ..) => binary_precedence(*op),
            ScalarExpr::Unary(UnaryOp::Not, _) => 4,
            ScalarExpr::Unary(..) => 8,
            ScalarExpr::Const(_) | ScalarExpr::Param(_) | ScalarExpr::Call(..) => 9,
        }
    }

    fn write(
        &self,
        f: &mut fmt::Formatter<'_>,
        params: &[String],
        min_precedence: u8,
    ) -> fmt::Result {
        let parenthesize = self.precedence() < min_precedence;
        if parenthesize {
            write!(f, "(")?;
        }
        match self {
            ScalarExpr::Const(Value::Str(s)) => write!(f, "{s:?}")?,
            ScalarExpr::Const(value) => write!(f, "{value}")?,
            ScalarExpr::Param(index) => match params.get(*index) {
                Some(name) => write!(f, "{name}")?,
                None => write!(f, "_{index}")?,
            },
            ScalarExpr::Unary(op, inner) => {
                let (symbol, precedence) = match op {
                    UnaryOp::Neg => ("-", 8),
                    UnaryOp::Pos => ("+", 8),
                    UnaryOp::Not => ("not ", 4),
                };
                write!(f, "{symbol}")?;
                inner.write(f, params, precedence)?;
            }
            ScalarExpr::Binary(op, left, right) => {
                let precedence = binary_precedence(*op);
                left.write(f, params, precedence)?;
                write!(f, " {} ", op.symbol())?;
                right.write(f, params, precedence + 1)?;
            }
            ScalarExpr::Conditional {
                then,
                cond,
                otherwise,
            } => {
                then.write(f, params, 2)?;
                write!(f, " if ")?;
                cond.write(f, params, 2)?;
                write!(f, " else ")?;
                otherwise.write(f, params, 1)?;
            }
            ScalarExpr::Call(builtin, args) => {
                write!(f, "{}(", builtin.name())?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    arg.write(f, params, 0)?;
                }
                write!(f, ")")?;
            }
        }
        if parenthesize {
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// Applies a binary operator other than `and` and `or`.
pub fn apply_binary(op: BinaryOp, left: &Value, right: &Value) -> Result<Value, ValueError> {
    match op {
        BinaryOp::Add => left.add(right),
        BinaryOp::Sub => left.sub(right),
        BinaryOp::Mul => left.mul(right),
        BinaryOp::Div => left.div(right),
        BinaryOp::Mod => left.rem(right),
        BinaryOp::Eq => Ok(Value::Bool(left.py_eq(right))),
        BinaryOp::NotEq => Ok(Value::Bool(!left.py_eq(right))),
        BinaryOp::Lt => Ok(Value::Bool(left.py_cmp(right)?.is_lt())),
        BinaryOp::LtEq => Ok(Value::Bool(left.py_cmp(right)?.is_le())),
        BinaryOp::Gt => Ok(Value::Bool(left.py_cmp(right)?.is_gt())),
        BinaryOp::GtEq => Ok(Value::Bool(left.py_cmp(right)?.is_ge())),
        BinaryOp::In => right.contains(left),
        BinaryOp::NotIn => Ok(Value::Bool(!right.contains(left)?.truthy())),
        BinaryOp::And => Ok(if left.truthy() {
            right.clone()
        } else {
            left.clone()
        }),
        BinaryOp::Or => Ok(if left.truthy() {
            left.clone()
        } else {
            right.clone()
        }),
    }
}

fn binary_precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 2,
        BinaryOp::And => 3,
        BinaryOp::Eq
        | BinaryOp::NotEq
        | BinaryOp::Lt
        | BinaryOp::LtEq
        | BinaryOp::Gt
        | BinaryOp::GtEq
        | BinaryOp::In
        | BinaryOp::NotIn => 5,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
    }
}

impl fmt::Display for ScalarFn {
    /// Formats as a lambda, such as `lambda x, y: x + y`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lambda {}: ", self.params.join(", "))?;
        self.body.write(f, &self.params, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_one() -> ScalarFn {
        ScalarFn {
            params: vec!["x".into()],
            body: ScalarExpr::Binary(
                BinaryOp::Add,
                Box::new(ScalarExpr::Param(0)),
                Box::new(ScalarExpr::Const(Value::Int(1))),
            ),
        }
    }

    #[test]
    fn composed_function_applies_both() {
        let double = ScalarFn {
            params: vec!["y".into()],
            body: ScalarExpr::Binary(
                BinaryOp::Mul,
                Box::new(ScalarExpr::Param(0)),
                Box::new(ScalarExpr::Const(Value::Int(2))),
            ),
        };
        let composed = add_one().then(&double);
        assert_eq!(composed.call(&[Value::Int(3)]), Ok(Value::Int(8)));
        assert_eq!(composed.to_string(), "lambda x: (x + 1) * 2");
    }

    #[test]
    fn and_returns_operand() {
        let f = ScalarFn {
            params: vec!["x".into(), "y".into()],
            body: ScalarExpr::Binary(
                BinaryOp::And,
                Box::new(ScalarExpr::Param(0)),
                Box::new(ScalarExpr::Param(1)),
            ),
        };
        assert_eq!(
            f.call(&[Value::Bool(false), Value::None]),
            Ok(Value::Bool(false))
        );
        assert_eq!(f.call(&[Value::Bool(true), Value::None]), Ok(Value::None));
    }
}
