//! Values that a sop can take at one position, with Python's semantics for
//! arithmetic, comparison and truthiness, because Tracr's RASP evaluates its
//! maps as Python lambdas.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// One value. `None` is the value of an aggregate that selects nothing and
/// of a map whose function failed (for example on a division by zero).
#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A list constant, usable with `in`; never the value of a sop.
    List(Vec<Value>),
}

/// The reason an operation on values failed. A failing map gives `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError(pub String);

type ValueResult = Result<Value, ValueError>;

impl Value {
    /// Returns the number a numeric value stands for; `True` is 1 as in Python.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Bool(b) => Some(i64::from(*b)),
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Value::Bool(_) | Value::Int(_) | Value::Float(_))
    }

    /// Python truthiness: `None`, `False`, zero and empty strings and lists are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
        }
    }

    /// Describes the value's type for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
        }
    }

    /// Formats the value as a RASP literal would write it. Unlike `Display`,
    /// it quotes strings, so the string `"5"` and the int `5` look different.
    pub fn literal(&self) -> String {
        match self {
            Value::Str(s) => format!("{s:?}"),
            other => other.to_string(),
        }
    }

    /// Python equality: numbers compare by value across bool, int and float.
    pub fn py_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.py_eq(y))
            }
            (a, b) => match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => x == y,
                    _ => false,
                },
            },
        }
    }

    /// Python ordering: numbers with numbers and strings with strings;
    /// anything else is an error, as `"a" < 1` is in Python.
    pub fn py_cmp(&self, other: &Value) -> Result<Ordering, ValueError> {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => Ok(a.cmp(b)),
            (a, b) => {
                if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                    return Ok(x.cmp(&y));
                }
                match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => x
                        .partial_cmp(&y)
                        .ok_or_else(|| ValueError("comparison with NaN".into())),
                    _ => Err(ValueError(format!(
                        "cannot compare {} with {}",
                        a.type_name(),
                        b.type_name()
                    ))),
                }
            }
        }
    }

    /// Orders values for display and value sets: numbers by value, then
    /// strings, then the rest. Unlike [`Value::py_cmp`] it never fails.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        fn rank(value: &Value) -> u8 {
            match value {
                Value::None => 0,
                Value::Bool(_) | Value::Int(_) | Value::Float(_) => 1,
                Value::Str(_) => 2,
                Value::List(_) => 3,
            }
        }
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let order = x.total_cmp(y);
                    if order != Ordering::Equal {
                        return order;
                    }
                }
                a.len().cmp(&b.len())
            }
            (a, b) if a.is_numeric() && b.is_numeric() => {
                if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                    return x.cmp(&y);
                }
                let x = a.as_f64().unwrap_or(0.0);
                let y = b.as_f64().unwrap_or(0.0);
                x.total_cmp(&y)
            }
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }

    pub fn add(&self, other: &Value) -> ValueResult {
        if let (Value::Str(a), Value::Str(b)) = (self, other) {
            return Ok(Value::Str(format!("{a}{b}")));
        }
        self.arithmetic(other, "+", i64::checked_add, |x, y| x + y)
    }

    pub fn sub(&self, other: &Value) -> ValueResult {
        self.arithmetic(other, "-", i64::checked_sub, |x, y| x - y)
    }

    pub fn mul(&self, other: &Value) -> ValueResult {
        self.arithmetic(other, "*", i64::checked_mul, |x, y| x * y)
    }

    /// True division, which always gives a float as in Python 3.
    pub fn div(&self, other: &Value) -> ValueResult {
        let (x, y) = self.numeric_pair(other, "/")?;
        if y == 0.0 {
            return Err(ValueError("division by zero".into()));
        }
        finite(x / y)
    }

    /// Python's modulo, whose result takes the sign of the divisor.
    pub fn rem(&self, other: &Value) -> ValueResult {
        if let (Some(x), Some(y)) = (self.as_i64(), other.as_i64()) {
            if y == 0 {
                return Err(ValueError("modulo by zero".into()));
            }
            let r = x
                .checked_rem(y)
                .ok_or_else(|| ValueError("integer overflow".into()))?;
            return Ok(Value::Int(if r != 0 && (r < 0) != (y < 0) {
                r + y
            } else {
                r
            }));
        }
        let (x, y) = self.numeric_pair(other, "%")?;
        if y == 0.0 {
            return Err(ValueError("modulo by zero".into()));
        }
        let r = x % y;
        finite(if r != 0.0 && (r < 0.0) != (y < 0.0) {
            r + y
        } else {
            r
        })
    }

    pub fn neg(&self) -> ValueResult {
        match self {
            Value::Float(f) => Ok(Value::Float(-f)),
            other => match other.as_i64() {
                Some(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or_else(|| ValueError("integer overflow".into())),
                None => Err(ValueError(format!("cannot negate {}", other.type_name()))),
            },
        }
    }

    pub fn pos(&self) -> ValueResult {
        match self {
            Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
            Value::Int(_) | Value::Float(_) => Ok(self.clone()),
            other => Err(ValueError(format!(
                "cannot apply unary + to {}",
                other.type_name()
            ))),
        }
    }

    pub fn abs(&self) -> ValueResult {
        match self {
            Value::Float(f) => Ok(Value::Float(f.abs())),
            other => match other.as_i64() {
                Some(i) => i
                    .checked_abs()
                    .map(Value::Int)
                    .ok_or_else(|| ValueError("integer overflow".into())),
                None => Err(ValueError(format!(
                    "cannot take abs of {}",
                    other.type_name()
                ))),
            },
        }
    }

    /// Python's `round`: to the nearest integer, ties to even.
    pub fn round(&self) -> ValueResult {
        match self {
            Value::Float(f) => {
                let rounded = f.round_ties_even();
                if rounded.is_finite() && rounded.abs() < 9.0e18 {
                    Ok(Value::Int(rounded as i64))
                } else {
                    Err(ValueError("cannot round a value this large".into()))
                }
            }
            other => match other.as_i64() {
                Some(i) => Ok(Value::Int(i)),
                None => Err(ValueError(format!("cannot round {}", other.type_name()))),
            },
        }
    }

    pub fn contains(&self, item: &Value) -> ValueResult {
        match self {
            Value::List(items) => Ok(Value::Bool(items.iter().any(|x| x.py_eq(item)))),
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(Value::Bool(s.contains(sub.as_str()))),
                other => Err(ValueError(format!(
                    "cannot look for {} in a str",
                    other.type_name()
                ))),
            },
            other => Err(ValueError(format!(
                "cannot look inside {}",
                other.type_name()
            ))),
        }
    }

    fn numeric_pair(&self, other: &Value, op: &str) -> Result<(f64, f64), ValueError> {
        match (self.as_f64(), other.as_f64()) {
            (Some(x), Some(y)) => Ok((x, y)),
            _ => Err(ValueError(format!(
                "unsupported operands for {op}: {} and {}",
                self.type_name(),
                other.type_name()
            ))),
        }
    }

    fn arithmetic(
        &self,
        other: &Value,
        op: &str,
        int_op: fn(i64, i64) -> Option<i64>,
        float_op: fn(f64, f64) -> f64,
    ) -> ValueResult {
        if let (Some(x), Some(y)) = (self.as_i64(), other.as_i64()) {
            return int_op(x, y)
                .map(Value::Int)
                .ok_or_else(|| ValueError("integer overflow".into()));
        }
        let (x, y) = self.numeric_pair(other, op)?;
        finite(float_op(x, y))
    }
}

fn finite(value: f64) -> ValueResult {
    if value.is_finite() {
        Ok(Value::Float(value))
    } else {
        Err(ValueError("result is not a finite number".into()))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.py_eq(other)
    }
}

impl Eq for Value {}

impl Hash for Value {
    /// Hashes equal values alike, so `1`, `1.0` and `True` share one hash as
    /// they share one slot in a Python set.
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Value::None => 0u8.hash(state),
            Value::Str(s) => {
                1u8.hash(state);
                s.hash(state);
            }
            Value::List(items) => {
                2u8.hash(state);
                items.len().hash(state);
                for item in items {
                    item.hash(state);
                }
            }
            number => {
                3u8.hash(state);
                let x = number.as_f64().unwrap_or(0.0);
                // Normalise -0.0 to 0.0, which compares equal.
                let x = if x == 0.0 { 0.0 } else { x };
                x.to_bits().hash(state);
            }
        }
    }
}

impl fmt::Display for Value {
    /// Formats as Python's `str` does, so labels read `sort_key:1.2`,
    /// `is_x:True` and `tokens:a`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(true) => write!(f, "True"),
            Value::Bool(false) => write!(f, "False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", python_float_repr(*x)),
            Value::Str(s) => write!(f, "{s}"),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    match item {
                        Value::Str(s) => write!(f, "{s:?}")?,
                        other => write!(f, "{other}")?,
                    }
                }
                write!(f, "]")
            }
        }
    }
}

/// Formats a float as Python's `repr`: the shortest text that reads back to
/// the same number, with `.0` on whole numbers and an exponent outside
/// 1e-4 <= |x| < 1e16.
pub fn python_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let magnitude = x.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        // Rust's `{:e}` prints the shortest digits as `1.5e-5`; Python writes
        // `1.5e-05` with at least two exponent digits and a sign.
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(rest) => ('-', rest),
            None => ('+', exponent),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    let text = format!("{x}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(python_float_repr(1.0), "1.0");
        assert_eq!(python_float_repr(0.2), "0.2");
        assert_eq!(python_float_repr(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(python_float_repr(-4.8), "-4.8");
        assert_eq!(python_float_repr(1.5e-5), "1.5e-05");
        assert_eq!(python_float_repr(1e16), "1e+16");
    }

    #[test]
    fn numbers_equal_across_types() {
        assert_eq!(Value::Int(1), Value::Float(1.0));
        assert_eq!(Value::Bool(true), Value::Int(1));
        assert_ne!(Value::Str("1".into()), Value::Int(1));
    }

    #[test]
    fn division_is_true_division() {
        assert!(
            Value::Int(1)
                .div(&Value::Int(2))
                .is_ok_and(|v| v == Value::Float(0.5))
        );
        assert!(Value::Int(1).div(&Value::Int(0)).is_err());
    }

    #[test]
    fn modulo_takes_divisor_sign() {
        assert_eq!(Value::Int(-7).rem(&Value::Int(3)), Ok(Value::Int(2)));
        assert_eq!(Value::Int(7).rem(&Value::Int(-3)), Ok(Value::Int(-2)));
        assert_eq!(
            Value::Float(-7.0).rem(&Value::Float(3.0)),
            Ok(Value::Float(2.0))
        );
    }

    #[test]
    fn round_ties_to_even() {
        assert_eq!(Value::Float(2.5).round(), Ok(Value::Int(2)));
        assert_eq!(Value::Float(3.5).round(), Ok(Value::Int(4)));
    }

    #[test]
    fn literal_quotes_strings() {
        assert_eq!(Value::Str("5".into()).literal(), "\"5\"");
        assert_eq!(Value::Int(5).literal(), "5");
        assert_eq!(
            Value::List(vec![Value::Int(1), Value::Str("a".into())]).literal(),
            "[1, \"a\"]"
        );
    }

    #[test]
    fn mixed_ordering_is_an_error() {
        assert!(Value::Str("a".into()).py_cmp(&Value::Int(1)).is_err());
    }
}
