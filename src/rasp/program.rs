//! The checked program: a list of RASP nodes in dependency order, with the
//! compile settings and the output node. This is what the interpreter
//! evaluates and what the compiler turns into weights.

use std::fmt;

use crate::rasp::scalar::ScalarFn;
use crate::source::Span;
use crate::value::Value;

/// Index of a node in [`Program::nodes`].
pub type NodeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// One residual direction per value, `label:value`.
    Categorical,
    /// One residual direction, `label`, holding the value itself.
    Numerical,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Categorical => "categorical",
            Encoding::Numerical => "numerical",
        }
    }
}

/// The fixed predicates of `select`; `key OP query` decides whether a query
/// position attends to a key position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    True,
    False,
}

/// The value of a predicate on one key and one query. `Undefined` marks the
/// pairs where Tracr's evaluator raises: a built-in comparison with `None`
/// on either side or with values that cannot be ordered, and a custom
/// lambda that fails. Only `True` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    False,
    True,
    Undefined,
}

impl Truth {
    pub fn from_bool(value: bool) -> Truth {
        if value { Truth::True } else { Truth::False }
    }

    /// Returns whether a query position selects the key position.
    pub fn selects(self) -> bool {
        self == Truth::True
    }

    /// Three-valued `and`: undefined if either side is undefined. Tracr's
    /// merged select evaluates both predicates before it combines them, so
    /// it raises whenever either one raises.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Undefined, _) | (_, Truth::Undefined) => Truth::Undefined,
            (a, b) => Truth::from_bool(a.selects() && b.selects()),
        }
    }

    /// Three-valued `or`: undefined if either side is undefined, like [`Truth::and`].
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Undefined, _) | (_, Truth::Undefined) => Truth::Undefined,
            (a, b) => Truth::from_bool(a.selects() || b.selects()),
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    /// Swaps true and false; `not` of undefined stays undefined.
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Undefined => Truth::Undefined,
        }
    }
}

impl Comparison {
    /// Evaluates `key OP query`. `None` on either side is undefined for every
    /// comparison, `true` and `false` included, because Tracr's `Comparison`
    /// raises on a `None` key or query before it looks at the predicate. An
    /// ordering of values that cannot be ordered, such as `"a" < 1`, is
    /// undefined too.
    pub fn evaluate(self, key: &Value, query: &Value) -> Truth {
        if key.is_none() || query.is_none() {
            return Truth::Undefined;
        }
        let order = |test: fn(std::cmp::Ordering) -> bool| match key.py_cmp(query) {
            Ok(ordering) => Truth::from_bool(test(ordering)),
            Err(_) => Truth::Undefined,
        };
        match self {
            Comparison::True => Truth::True,
            Comparison::False => Truth::False,
            Comparison::Eq => Truth::from_bool(key.py_eq(query)),
            Comparison::NotEq => Truth::from_bool(!key.py_eq(query)),
            Comparison::Lt => order(std::cmp::Ordering::is_lt),
            Comparison::LtEq => order(std::cmp::Ordering::is_le),
            Comparison::Gt => order(std::cmp::Ordering::is_gt),
            Comparison::GtEq => order(std::cmp::Ordering::is_ge),
        }
    }

    /// Returns whether `key OP query` selects: true, and not undefined.
    pub fn holds(self, key: &Value, query: &Value) -> bool {
        self.evaluate(key, query).selects()
    }

    /// Returns the source spelling, as written in `select(keys, queries, OP)`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::NotEq => "!=",
            Comparison::Lt => "<",
            Comparison::LtEq => "<=",
            Comparison::Gt => ">",
            Comparison::GtEq => ">=",
            Comparison::True => "true",
            Comparison::False => "false",
        }
    }

    /// Returns the name of Tracr's `rasp.Comparison` member.
    pub fn tracr_name(self) -> &'static str {
        match self {
            Comparison::Eq => "EQ",
            Comparison::NotEq => "NEQ",
            Comparison::Lt => "LT",
            Comparison::LtEq => "LEQ",
            Comparison::Gt => "GT",
            Comparison::GtEq => "GEQ",
            Comparison::True => "TRUE",
            Comparison::False => "FALSE",
        }
    }
}

/// The predicate of a `select`, called with `(key, query)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Predicate {
    Comparison(Comparison),
    /// A two-parameter lambda; its first parameter is the key.
    Custom(ScalarFn),
    /// Two selects over the same keys and queries joined by `and`, merged
    /// into one select as Tracr merges them.
    And(Box<Predicate>, Box<Predicate>),
    Or(Box<Predicate>, Box<Predicate>),
    Not(Box<Predicate>),
}

impl Predicate {
    /// Evaluates the predicate on one key and query with the three-valued
    /// logic of [`Truth`]. A custom lambda is true where it returns a true
    /// value and undefined where it fails. It receives `None` like any value.
    pub fn evaluate(&self, key: &Value, query: &Value) -> Truth {
        match self {
            Predicate::Comparison(comparison) => comparison.evaluate(key, query),
            Predicate::Custom(f) => match f.call(&[key.clone(), query.clone()]) {
                Ok(value) => Truth::from_bool(value.truthy()),
                Err(_) => Truth::Undefined,
            },
            Predicate::And(a, b) => a.evaluate(key, query).and(b.evaluate(key, query)),
            Predicate::Or(a, b) => a.evaluate(key, query).or(b.evaluate(key, query)),
            Predicate::Not(inner) => !inner.evaluate(key, query),
        }
    }

    /// Returns whether the query selects the key: the predicate is true, and
    /// not undefined.
    pub fn holds(&self, key: &Value, query: &Value) -> bool {
        self.evaluate(key, query).selects()
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Predicate::Comparison(comparison) => write!(f, "{}", comparison.symbol()),
            Predicate::Custom(function) => write!(f, "{function}"),
            Predicate::And(a, b) => write!(f, "({a}) and ({b})"),
            Predicate::Or(a, b) => write!(f, "({a}) or ({b})"),
            Predicate::Not(inner) => write!(f, "not ({inner})"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Tokens,
    Indices,
    Map {
        f: ScalarFn,
        input: NodeId,
    },
    SequenceMap {
        f: ScalarFn,
        fst: NodeId,
        snd: NodeId,
    },
    /// `fst_factor * fst + snd_factor * snd`.
    LinearSequenceMap {
        fst: NodeId,
        snd: NodeId,
        fst_factor: Value,
        snd_factor: Value,
    },
    Select {
        keys: NodeId,
        queries: NodeId,
        predicate: Predicate,
    },
    Aggregate {
        selector: NodeId,
        sop: NodeId,
        /// The value where nothing is selected, if one was written.
        default: Option<Value>,
    },
    SelectorWidth {
        selector: NodeId,
    },
    SelectorAnd {
        fst: NodeId,
        snd: NodeId,
    },
    SelectorOr {
        fst: NodeId,
        snd: NodeId,
    },
    SelectorNot {
        inner: NodeId,
    },
}

impl NodeKind {
    /// Returns the direct inputs in RASP order, as Tracr lists its children.
    pub fn children(&self) -> Vec<NodeId> {
        match self {
            NodeKind::Tokens | NodeKind::Indices => vec![],
            NodeKind::Map { input, .. } => vec![*input],
            NodeKind::SequenceMap { fst, snd, .. }
            | NodeKind::LinearSequenceMap { fst, snd, .. }
            | NodeKind::SelectorAnd { fst, snd }
            | NodeKind::SelectorOr { fst, snd } => vec![*fst, *snd],
            NodeKind::Select { keys, queries, .. } => vec![*keys, *queries],
            NodeKind::Aggregate { selector, sop, .. } => vec![*selector, *sop],
            NodeKind::SelectorWidth { selector } => vec![*selector],
            NodeKind::SelectorNot { inner } => vec![*inner],
        }
    }

    pub fn is_selector(&self) -> bool {
        matches!(
            self,
            NodeKind::Select { .. }
                | NodeKind::SelectorAnd { .. }
                | NodeKind::SelectorOr { .. }
                | NodeKind::SelectorNot { .. }
        )
    }

    /// Returns the kind's name as Tracr's graph spells it (`Map`, `Select`, ...).
    pub fn tracr_name(&self) -> &'static str {
        match self {
            NodeKind::Tokens => "tokens",
            NodeKind::Indices => "indices",
            NodeKind::Map { .. } => "Map",
            NodeKind::SequenceMap { .. } => "SequenceMap",
            NodeKind::LinearSequenceMap { .. } => "LinearSequenceMap",
            NodeKind::Select { .. } => "Select",
            NodeKind::Aggregate { .. } => "Aggregate",
            NodeKind::SelectorWidth { .. } => "SelectorWidth",
            NodeKind::SelectorAnd { .. } => "SelectorAnd",
            NodeKind::SelectorOr { .. } => "SelectorOr",
            NodeKind::SelectorNot { .. } => "SelectorNot",
        }
    }

    /// Returns the prefix of labels for unnamed nodes of this kind, as in `map_3`.
    pub fn default_label(&self) -> &'static str {
        match self {
            NodeKind::Tokens => "tokens",
            NodeKind::Indices => "indices",
            NodeKind::Map { .. } => "map",
            NodeKind::SequenceMap { .. } => "sequence_map",
            NodeKind::LinearSequenceMap { .. } => "linear_sequence_map",
            NodeKind::Select { .. } => "select",
            NodeKind::Aggregate { .. } => "aggregate",
            NodeKind::SelectorWidth { .. } => "selector_width",
            NodeKind::SelectorAnd { .. } => "selector_and",
            NodeKind::SelectorOr { .. } => "selector_or",
            NodeKind::SelectorNot { .. } => "selector_not",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Unique within the program; the name of the node's residual directions.
    pub label: String,
    pub kind: NodeKind,
    /// The encoding of a sop; selectors keep the categorical default, unused.
    pub encoding: Encoding,
    /// The source text that created the node; for `length`, its first use.
    pub span: Span,
}

impl Node {
    /// Returns the aggregate default that applies: the written one, or 0 for
    /// a numerical aggregate and `None` for a categorical one.
    pub fn aggregate_default(&self) -> Value {
        match (&self.kind, self.encoding) {
            (
                NodeKind::Aggregate {
                    default: Some(value),
                    ..
                },
                _,
            ) => value.clone(),
            (NodeKind::Aggregate { default: None, .. }, Encoding::Numerical) => Value::Int(0),
            _ => Value::None,
        }
    }
}

/// Compile settings, as declared in the program and overridden on the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The values a token can take, in declaration order, without BOS or PAD.
    pub vocab: Vec<Value>,
    /// The maximum input length, not counting BOS.
    pub max_seq_len: usize,
    pub causal: bool,
    pub mlp_exactness: u32,
    pub compiler_bos: String,
    pub compiler_pad: String,
}

/// A type-checked RASP program whose nodes are reachable from the output.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    /// Nodes in dependency order: every node comes after its children.
    pub nodes: Vec<Node>,
    pub output: NodeId,
    pub settings: Settings,
}

impl Program {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    pub fn find(&self, label: &str) -> Option<NodeId> {
        self.nodes.iter().position(|node| node.label == label)
    }

    pub fn output_node(&self) -> &Node {
        &self.nodes[self.output]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasp::ast::BinaryOp;
    use crate::rasp::scalar::ScalarExpr;

    fn not(predicate: Predicate) -> Predicate {
        Predicate::Not(Box::new(predicate))
    }

    fn comparison(comparison: Comparison) -> Predicate {
        Predicate::Comparison(comparison)
    }

    /// `lambda k, q: k / q > 1`, which fails where the query is 0.
    fn ratio_above_one() -> Predicate {
        let ratio = ScalarExpr::Binary(
            BinaryOp::Div,
            Box::new(ScalarExpr::Param(0)),
            Box::new(ScalarExpr::Param(1)),
        );
        Predicate::Custom(ScalarFn {
            params: vec!["k".into(), "q".into()],
            body: ScalarExpr::Binary(
                BinaryOp::Gt,
                Box::new(ratio),
                Box::new(ScalarExpr::Const(Value::Int(1))),
            ),
        })
    }

    #[test]
    fn none_comparison_is_undefined() {
        for op in [Comparison::Eq, Comparison::NotEq, Comparison::True] {
            assert_eq!(op.evaluate(&Value::None, &Value::Int(1)), Truth::Undefined);
            assert_eq!(op.evaluate(&Value::Int(1), &Value::None), Truth::Undefined);
        }
        assert_eq!(
            Comparison::Lt.evaluate(&Value::Str("a".into()), &Value::Int(1)),
            Truth::Undefined
        );
    }

    #[test]
    fn negated_equality_matches_not_equal() {
        let values = [Value::None, Value::Int(1), Value::Int(2)];
        let negated = not(comparison(Comparison::Eq));
        let not_equal = comparison(Comparison::NotEq);
        for key in &values {
            for query in &values {
                assert_eq!(
                    negated.holds(key, query),
                    not_equal.holds(key, query),
                    "key {key}, query {query}"
                );
            }
        }
        assert!(!negated.holds(&Value::None, &Value::Int(1)));
    }

    #[test]
    fn failing_lambda_never_selects() {
        let (key, query) = (Value::Int(3), Value::Int(0));
        assert_eq!(ratio_above_one().evaluate(&key, &query), Truth::Undefined);
        assert!(!not(ratio_above_one()).holds(&key, &query));
        assert!(ratio_above_one().holds(&key, &Value::Int(2)));
    }

    #[test]
    fn undefined_spreads_through_and_or() {
        let (key, query) = (Value::Int(3), Value::Int(0));
        let always = comparison(Comparison::True);
        let never = comparison(Comparison::False);
        let or = Predicate::Or(Box::new(always), Box::new(ratio_above_one()));
        let and = Predicate::And(Box::new(never), Box::new(ratio_above_one()));
        assert_eq!(or.evaluate(&key, &query), Truth::Undefined);
        assert_eq!(and.evaluate(&key, &query), Truth::Undefined);
        assert!(!not(and).holds(&key, &query));
    }
}
