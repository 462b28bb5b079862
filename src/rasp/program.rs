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

impl Comparison {
    /// Returns whether `key OP query` holds. `None` on either side, or a pair
    /// of values that cannot be ordered, selects nothing.
    pub fn holds(self, key: &Value, query: &Value) -> bool {
        match self {
            Comparison::True => return true,
            Comparison::False => return false,
            _ => {}
        }
        if key.is_none() || query.is_none() {
            return false;
        }
        match self {
            Comparison::Eq => key.py_eq(query),
            Comparison::NotEq => !key.py_eq(query),
            Comparison::Lt => key.py_cmp(query).is_ok_and(|o| o.is_lt()),
            Comparison::LtEq => key.py_cmp(query).is_ok_and(|o| o.is_le()),
            Comparison::Gt => key.py_cmp(query).is_ok_and(|o| o.is_gt()),
            Comparison::GtEq => key.py_cmp(query).is_ok_and(|o| o.is_ge()),
            Comparison::True | Comparison::False => unreachable!("handled above"),
        }
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
    pub fn holds(&self, key: &Value, query: &Value) -> bool {
        match self {
            Predicate::Comparison(comparison) => comparison.holds(key, query),
            Predicate::Custom(f) => f
                .call(&[key.clone(), query.clone()])
                .is_ok_and(|value| value.truthy()),
            Predicate::And(a, b) => a.holds(key, query) && b.holds(key, query),
            Predicate::Or(a, b) => a.holds(key, query) || b.holds(key, query),
            Predicate::Not(inner) => !inner.holds(key, query),
        }
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
