//! Name resolution, function inlining, type checking and node construction:
//! turns a parsed [`Module`] into a [`Program`].
//!
//! Every expression is checked to one of a constant, a sop, a selector, a
//! lambda or a bare comparison operator. Operators on sops create nodes the
//! way Tracr's Python operators do: one `Map` for a sop and a constant, one
//! `SequenceMap` for two sops. The checker reports every error it finds
//! instead of stopping at the first.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::diagnostic::Diagnostic;
use crate::rasp::ast::{BinaryOp, Expr, ExprKind, Ident, Module, Stmt, StmtKind, UnaryOp};
use crate::rasp::parser::MAX_DEPTH;
use crate::rasp::program::{
    Comparison, Encoding, Node, NodeId, NodeKind, Predicate, Program, Settings,
};
use crate::rasp::scalar::{Builtin, ScalarExpr, ScalarFn};
use crate::rasp::value::Value;
use crate::source::Span;

/// Upper bound on the nodes a program may create while its functions are
/// inlined. Bundled programs create fewer than 100; the bound stops a chain
/// of functions that each call the next twice from growing exponentially.
pub const MAX_NODES: usize = 20_000;

/// Setting values given on the command line; each replaces the program's own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub vocab: Option<Vec<Value>>,
    pub max_seq_len: Option<usize>,
    pub causal: Option<bool>,
    pub mlp_exactness: Option<u32>,
    pub compiler_bos: Option<String>,
    pub compiler_pad: Option<String>,
}

/// Names of the settings a program can declare as top-level constants.
pub const SETTING_NAMES: [&str; 6] = [
    "vocab",
    "max_seq_len",
    "causal",
    "mlp_exactness",
    "compiler_bos",
    "compiler_pad",
];

const BUILTIN_FUNCTIONS: [&str; 13] = [
    "select",
    "aggregate",
    "selector_width",
    "map",
    "sequence_map",
    "linear_sequence_map",
    "numerical",
    "categorical",
    "round",
    "abs",
    "indicator",
    "min",
    "max",
];

/// The input sops. `length` is not among them: it is a library definition
/// that a program may replace with its own.
const PRIMITIVE_SOPS: [&str; 2] = ["tokens", "indices"];

/// Checks a parsed module. Returns the program when there are no errors.
pub fn check(
    module: &Module,
    program_name: &str,
    overrides: &Overrides,
) -> (Option<Program>, Vec<Diagnostic>) {
    let mut checker = Checker::new(overrides);
    checker.collect_functions(module);
    for statement in &module.statements {
        checker.top_level(statement);
    }
    let end = module
        .statements
        .last()
        .map_or(Span::default(), |statement| {
            Span::new(statement.span.end, statement.span.end)
        });
    let program = checker.finish(program_name, end);
    let mut diagnostics = checker.diagnostics;
    dedup_diagnostics(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics);
    }
    (program, diagnostics)
}

/// What an expression checks to.
#[derive(Clone, Debug)]
enum Val {
    Const(Value),
    Sop(usize),
    Selector(usize),
    Lambda(Rc<ScalarFn>),
    Comparison(Comparison),
    /// An expression whose error was already reported.
    Error,
}

impl Val {
    fn describe(&self) -> &'static str {
        match self {
            Val::Const(_) => "a constant",
            Val::Sop(_) => "a sop",
            Val::Selector(_) => "a selector",
            Val::Lambda(_) => "a lambda",
            Val::Comparison(_) => "a comparison operator",
            Val::Error => "an invalid expression",
        }
    }
}

#[derive(Clone, Debug)]
enum Binding {
    Val(Val),
    Function(usize),
}

struct Function<'m> {
    name: &'m Ident,
    params: &'m [Ident],
    body: &'m [Stmt],
}

/// A node under construction; ids index `Checker::nodes`, not the final program.
struct RawNode {
    kind: NodeKind,
    encoding: Encoding,
    /// Whether `numerical(...)` or `categorical(...)` set the encoding.
    explicit_encoding: bool,
    span: Span,
    /// Names assigned to the node, as (call depth, assignment order, name).
    names: Vec<(usize, usize, String)>,
    /// Fixed labels of `tokens` and `indices`.
    fixed_label: Option<&'static str>,
}

/// The rank of the names that `length`'s library definition gives, below
/// any name a program assigns.
const LIBRARY_RANK: usize = usize::MAX;

struct Checker<'m> {
    nodes: Vec<RawNode>,
    diagnostics: Vec<Diagnostic>,
    globals: HashMap<String, Binding>,
    /// Parameter and local bindings of the functions being inlined, innermost last.
    frames: Vec<HashMap<String, Val>>,
    functions: Vec<Function<'m>>,
    call_stack: Vec<String>,
    assignment_count: usize,
    tokens: usize,
    indices: usize,
    length: Option<usize>,
    overrides: Overrides,
    /// Settings declared by the program, with their spans.
    declared_settings: HashMap<String, (Value, Span)>,
    output: Option<(Val, Span)>,
    /// Set when the node limit was hit; every further expression is an error.
    aborted: bool,
}

impl<'m> Checker<'m> {
    fn new(overrides: &Overrides) -> Self {
        let mut checker = Checker {
            nodes: Vec::new(),
            diagnostics: Vec::new(),
            globals: HashMap::new(),
            frames: Vec::new(),
            functions: Vec::new(),
            call_stack: Vec::new(),
            assignment_count: 0,
            tokens: 0,
            indices: 0,
            length: None,
            overrides: overrides.clone(),
            declared_settings: HashMap::new(),
            output: None,
            aborted: false,
        };
        checker.tokens = checker.push_primitive(NodeKind::Tokens, "tokens");
        checker.indices = checker.push_primitive(NodeKind::Indices, "indices");
        checker
    }

    fn push_primitive(&mut self, kind: NodeKind, label: &'static str) -> usize {
        self.nodes.push(RawNode {
            kind,
            encoding: Encoding::Categorical,
            explicit_encoding: false,
            span: Span::default(),
            names: Vec::new(),
            fixed_label: Some(label),
        });
        self.nodes.len() - 1
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn push_node(&mut self, kind: NodeKind, span: Span) -> Option<usize> {
        if self.aborted {
            return None;
        }
        if self.nodes.len() >= MAX_NODES {
            self.aborted = true;
            self.error(
                Diagnostic::error(span, format!("program creates more than {MAX_NODES} nodes"))
                    .with_hint("try calling functions fewer times, or check for functions that call each other repeatedly"),
            );
            return None;
        }
        self.nodes.push(RawNode {
            kind,
            encoding: Encoding::Categorical,
            explicit_encoding: false,
            span,
            names: Vec::new(),
            fixed_label: None,
        });
        Some(self.nodes.len() - 1)
    }

    fn node_val(&mut self, kind: NodeKind, span: Span) -> Val {
        let is_selector = kind.is_selector();
        match self.push_node(kind, span) {
            Some(id) if is_selector => Val::Selector(id),
            Some(id) => Val::Sop(id),
            None => Val::Error,
        }
    }

    // ----- Statements -------------------------------------------------------

    fn collect_functions(&mut self, module: &'m Module) {
        for statement in &module.statements {
            let StmtKind::Def { name, params, body } = &statement.kind else {
                continue;
            };
            if self.is_reserved(&name.name) {
                self.error(
                    Diagnostic::error(
                        name.span,
                        format!("cannot define a function named `{}`", name.name),
                    )
                    .with_label("a built-in has this name")
                    .with_hint("try another name"),
                );
                continue;
            }
            if self.globals.contains_key(&name.name) {
                self.error(
                    Diagnostic::error(
                        name.span,
                        format!("function `{}` is defined twice", name.name),
                    )
                    .with_label("second definition"),
                );
                continue;
            }
            self.check_function_shape(name, params, body);
            self.functions.push(Function { name, params, body });
            self.globals.insert(
                name.name.clone(),
                Binding::Function(self.functions.len() - 1),
            );
        }
    }

    /// Reports structural errors in a function body once, where it is defined.
    fn check_function_shape(&mut self, name: &Ident, params: &[Ident], body: &[Stmt]) {
        let mut seen = HashSet::new();
        for param in params {
            if !seen.insert(param.name.as_str()) {
                self.error(Diagnostic::error(
                    param.span,
                    format!("parameter `{}` is listed twice", param.name),
                ));
            }
        }
        let return_index = body
            .iter()
            .position(|statement| matches!(statement.kind, StmtKind::Return(_)));
        match return_index {
            None => self.error(
                Diagnostic::error(
                    name.span,
                    format!("function `{}` has no `return` statement", name.name),
                )
                .with_hint("try ending the body with `return VALUE;`"),
            ),
            Some(index) if index + 1 < body.len() => self.error(
                Diagnostic::error(body[index + 1].span, "unreachable statement after `return`")
                    .with_hint("try moving the `return` to the end of the function"),
            ),
            Some(_) => {}
        }
        for statement in body {
            match &statement.kind {
                StmtKind::Def { name, .. } => self.error(
                    Diagnostic::error(name.span, "functions cannot be defined inside functions")
                        .with_hint("try moving the definition to the top level"),
                ),
                StmtKind::Output(_) => self.error(Diagnostic::error(
                    statement.span,
                    "`output` is only allowed at the top level",
                )),
                _ => {}
            }
        }
    }

    fn is_reserved(&self, name: &str) -> bool {
        BUILTIN_FUNCTIONS.contains(&name) || PRIMITIVE_SOPS.contains(&name)
    }

    fn top_level(&mut self, statement: &Stmt) {
        match &statement.kind {
            StmtKind::Def { .. } => {}
            StmtKind::Assign { name, value } => {
                let val = self.expr(value);
                self.assign_global(name, val, value.span);
            }
            StmtKind::Output(value) => {
                let val = self.expr(value);
                if let Some((_, first)) = &self.output {
                    let first = *first;
                    self.error(
                        Diagnostic::error(statement.span, "`output` is given twice")
                            .with_label("second `output`")
                            .with_hint(format!(
                                "the first is at byte {}; keep only one",
                                first.start
                            )),
                    );
                    return;
                }
                self.output = Some((val, value.span));
            }
            StmtKind::Return(_) => self.error(
                Diagnostic::error(statement.span, "`return` outside a function")
                    .with_hint("try `output VALUE;` to choose the program's output"),
            ),
            StmtKind::Expr(value) => {
                self.expr(value);
                self.error(
                    Diagnostic::error(value.span, "expression statement has no effect").with_hint(
                        "try assigning it with `name = ...;` or choosing it with `output ...;`",
                    ),
                );
            }
        }
    }

    fn assign_global(&mut self, name: &Ident, val: Val, value_span: Span) {
        if self.is_reserved(&name.name) {
            self.error(
                Diagnostic::error(
                    name.span,
                    format!("cannot assign to built-in `{}`", name.name),
                )
                .with_hint("try another name"),
            );
            return;
        }
        if SETTING_NAMES.contains(&name.name.as_str()) {
            self.declare_setting(name, val, value_span);
            return;
        }
        if self.globals.contains_key(&name.name) {
            self.error(
                Diagnostic::error(name.span, format!("`{}` is defined twice", name.name))
                    .with_label("second definition")
                    .with_hint("try a new name for the new value"),
            );
            return;
        }
        self.name_node(&val, &name.name, 0);
        self.globals.insert(name.name.clone(), Binding::Val(val));
    }

    fn name_node(&mut self, val: &Val, name: &str, depth: usize) {
        if let Val::Sop(id) | Val::Selector(id) = val {
            self.assignment_count += 1;
            let order = self.assignment_count;
            self.nodes[*id].names.push((depth, order, name.to_string()));
        }
    }

    fn declare_setting(&mut self, name: &Ident, val: Val, span: Span) {
        if self.declared_settings.contains_key(&name.name) {
            self.error(
                Diagnostic::error(name.span, format!("setting `{}` is given twice", name.name))
                    .with_label("second definition"),
            );
            return;
        }
        let Val::Const(value) = val else {
            if !matches!(val, Val::Error) {
                self.error(Diagnostic::error(
                    span,
                    format!(
                        "setting `{}` must be a constant, found {}",
                        name.name,
                        val.describe()
                    ),
                ));
            }
            return;
        };
        let value = match self.validate_setting(&name.name, value, span) {
            Some(value) => value,
            None => return,
        };
        self.declared_settings
            .insert(name.name.clone(), (value, span));
    }

    /// Checks a declared setting's type and range; returns the value to store.
    fn validate_setting(&mut self, name: &str, value: Value, span: Span) -> Option<Value> {
        let problem = match (name, &value) {
            ("vocab", Value::List(items)) => vocab_problem(items),
            ("vocab", _) => Some("expected a set of tokens such as `{1, 2, 3}`".to_string()),
            ("max_seq_len", Value::Int(n)) if *n >= 1 => None,
            ("max_seq_len", _) => Some("expected a positive integer".to_string()),
            ("causal", Value::Bool(_)) => None,
            ("causal", _) => Some("expected `true` or `false`".to_string()),
            ("mlp_exactness", Value::Int(n)) if *n >= 1 && *n <= i64::from(u32::MAX) => None,
            ("mlp_exactness", _) => Some("expected a positive integer".to_string()),
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
                    span,
                    format!("invalid value for setting `{name}`: {problem}"),
                )
                .with_label(format!("found `{value}`")),
            );
            return None;
        }
        Some(value)
    }

    /// Returns the constant a setting name stands for: the override, the
    /// program's declaration or the default.
    fn setting_value(&self, name: &str) -> Option<Value> {
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
        if let Some((value, _)) = self.declared_settings.get(name) {
            return Some(value.clone());
        }
        match name {
            "causal" => Some(Value::Bool(false)),
            "mlp_exactness" => Some(Value::Int(100)),
            "compiler_bos" => Some(Value::Str("BOS".into())),
            "compiler_pad" => Some(Value::Str("PAD".into())),
            _ => None,
        }
    }

    // ----- Name lookup -------------------------------------------------------

    fn lookup(&mut self, name: &str, span: Span) -> Val {
        if let Some(frame) = self.frames.last() {
            if let Some(val) = frame.get(name) {
                return val.clone();
            }
        }
        match name {
            "tokens" => return Val::Sop(self.tokens),
            "indices" => return Val::Sop(self.indices),
            _ => {}
        }
        match self.globals.get(name) {
            Some(Binding::Val(val)) => return val.clone(),
            Some(Binding::Function(_)) => {
                self.error(
                    Diagnostic::error(span, format!("`{name}` is a function, not a value"))
                        .with_hint(format!("try calling it: `{name}(...)`")),
                );
                return Val::Error;
            }
            None => {}
        }
        // A program may define its own `length`; otherwise the library's applies.
        if name == "length" {
            return self.length(span);
        }
        if SETTING_NAMES.contains(&name) {
            if let Some(value) = self.setting_value(name) {
                return Val::Const(value);
            }
        }
        if BUILTIN_FUNCTIONS.contains(&name) {
            self.error(
                Diagnostic::error(
                    span,
                    format!("`{name}` is a built-in function, not a value"),
                )
                .with_hint(format!("try calling it: `{name}(...)`")),
            );
            return Val::Error;
        }
        let mut diagnostic =
            Diagnostic::error(span, format!("unknown name `{name}`")).with_label("not defined");
        if let Some(suggestion) = self.suggest(name) {
            diagnostic = diagnostic.with_hint(format!("try `{suggestion}`"));
        } else if SETTING_NAMES.contains(&name) {
            diagnostic =
                diagnostic.with_hint(format!("try declaring the setting, as in `{name} = ...;`"));
        }
        self.error(diagnostic);
        Val::Error
    }

    /// Builds `length` on first use as the selector width of an always-true
    /// select, the way Tracr's library defines it.
    fn length(&mut self, span: Span) -> Val {
        if let Some(id) = self.length {
            return Val::Sop(id);
        }
        let predicate = Predicate::Comparison(Comparison::True);
        let Some(all_true) = self.push_node(
            NodeKind::Select {
                keys: self.tokens,
                queries: self.tokens,
                predicate,
            },
            span,
        ) else {
            return Val::Error;
        };
        self.nodes[all_true]
            .names
            .push((LIBRARY_RANK, 0, "all_true".into()));
        let Some(length) = self.push_node(NodeKind::SelectorWidth { selector: all_true }, span)
        else {
            return Val::Error;
        };
        self.nodes[length]
            .names
            .push((LIBRARY_RANK, 1, "length".into()));
        self.length = Some(length);
        Val::Sop(length)
    }

    /// Returns the defined name closest to `name`, if one is close enough to be a typo.
    fn suggest(&self, name: &str) -> Option<String> {
        let mut candidates: Vec<&str> = PRIMITIVE_SOPS
            .iter()
            .chain(BUILTIN_FUNCTIONS.iter())
            .copied()
            .collect();
        candidates.push("length");
        candidates.extend(self.globals.keys().map(String::as_str));
        candidates.extend(SETTING_NAMES.iter().copied());
        if let Some(frame) = self.frames.last() {
            candidates.extend(frame.keys().map(String::as_str));
        }
        candidates
            .into_iter()
            .map(|candidate| (edit_distance(name, candidate), candidate))
            .filter(|(distance, candidate)| *distance <= 2 && *distance < candidate.len())
            .min()
            .map(|(_, candidate)| candidate.to_string())
    }

    // ----- Expressions ---------------------------------------------------------

    fn expr(&mut self, expr: &Expr) -> Val {
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

    fn list(&mut self, items: &[Expr], is_set: bool) -> Val {
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

    fn unary(&mut self, op: UnaryOp, inner: &Expr, span: Span) -> Val {
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

    fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr, span: Span) -> Val {
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

    fn elementwise(&mut self, operands: &[&Expr], template: ScalarExpr, span: Span) -> Val {
        let vals: Vec<(Val, Span)> = operands
            .iter()
            .map(|operand| (self.expr(operand), operand.span))
            .collect();
        self.elementwise_vals(&vals, template, span)
    }

    /// Applies `template`, whose `Param(i)` is operand `i`, elementwise: to
    /// constants now, or by creating a `Map` over one sop or a `SequenceMap`
    /// over two.
    fn elementwise_vals(
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
    fn linear_sequence_map(
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
    fn map(&mut self, f: ScalarFn, input: usize, span: Span) -> Val {
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

    fn selector_not(&mut self, inner: usize, span: Span) -> Val {
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

    fn selector_binary(&mut self, op: BinaryOp, fst: usize, snd: usize, span: Span) -> Val {
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

    // ----- Calls -------------------------------------------------------------

    fn call(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
        let name = callee.name.as_str();
        if let Some(frame) = self.frames.last() {
            if frame.contains_key(name) {
                self.error(Diagnostic::error(
                    callee.span,
                    format!("`{name}` is a value, not a function"),
                ));
                return Val::Error;
            }
        }
        if let Some(Binding::Function(index)) = self.globals.get(name) {
            let index = *index;
            return self.inline(index, args, span);
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

    fn arity(&mut self, callee: &Ident, args: &[Expr], min: usize, max: usize, span: Span) -> bool {
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

    fn expect_sop(&mut self, expr: &Expr) -> Option<usize> {
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

    fn expect_selector(&mut self, expr: &Expr) -> Option<usize> {
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

    fn expect_lambda(&mut self, expr: &Expr, n_params: usize) -> Option<Rc<ScalarFn>> {
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

    fn expect_number(&mut self, expr: &Expr) -> Option<Value> {
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

    fn select(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
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

    fn aggregate(&mut self, callee: &Ident, args: &[Expr], span: Span) -> Val {
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

    /// Applies `numerical(...)` or `categorical(...)`. An unnamed node takes
    /// the encoding itself; a named one is copied, as Tracr's annotations copy
    /// the expression, so the name keeps its own encoding.
    fn annotate(&mut self, callee: &Ident, args: &[Expr], encoding: Encoding, span: Span) -> Val {
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
        if node.names.is_empty() {
            let node = &mut self.nodes[id];
            node.encoding = encoding;
            node.explicit_encoding = true;
            return Val::Sop(id);
        }
        let kind = node.kind.clone();
        let Some(copy) = self.push_node(kind, span) else {
            return Val::Error;
        };
        self.nodes[copy].encoding = encoding;
        self.nodes[copy].explicit_encoding = true;
        Val::Sop(copy)
    }

    fn inline(&mut self, index: usize, args: &[Expr], span: Span) -> Val {
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

    fn assign_local(&mut self, name: &Ident, val: Val, depth: usize) {
        if self.is_reserved(&name.name) {
            self.error(
                Diagnostic::error(
                    name.span,
                    format!("cannot assign to built-in `{}`", name.name),
                )
                .with_hint("try another name"),
            );
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

    // ----- Lambdas -------------------------------------------------------------

    fn lambda(&mut self, params: &[Ident], body: &Expr) -> Option<ScalarFn> {
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
        let body = self.scalar(body, params)?;
        Some(ScalarFn {
            params: params.iter().map(|param| param.name.clone()).collect(),
            body,
        })
    }

    /// Lowers a lambda body. It may use its parameters, constants and the
    /// scalar built-ins; a sop or selector inside a lambda is an error.
    fn scalar(&mut self, expr: &Expr, params: &[Ident]) -> Option<ScalarExpr> {
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
            | ExprKind::None
            | ExprKind::List(_)
            | ExprKind::Set(_) => match self.expr(expr) {
                Val::Const(value) => ScalarExpr::Const(value),
                _ => return None,
            },
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

    // ----- Finishing -------------------------------------------------------------

    fn finish(&mut self, program_name: &str, end: Span) -> Option<Program> {
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

    fn settings(&mut self, end: Span) -> Option<Settings> {
        let vocab = self.setting_value("vocab");
        let max_seq_len = self.setting_value("max_seq_len");
        let mut missing = Vec::new();
        if vocab.is_none() {
            missing.push(("vocab", "vocab = {1, 2, 3};", "--vocab \"1 2 3\""));
        }
        if max_seq_len.is_none() {
            missing.push(("max_seq_len", "max_seq_len = 5;", "--max-seq-len 5"));
        }
        for (name, example, flag) in missing {
            self.error(
                Diagnostic::error(end, format!("missing setting `{name}`")).with_hint(format!(
                    "try declaring it, as in `{example}`, or passing `{flag}`"
                )),
            );
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
        Some(Settings {
            vocab,
            max_seq_len,
            causal: matches!(self.setting_value("causal"), Some(Value::Bool(true))),
            mlp_exactness: u32::try_from(int(self.setting_value("mlp_exactness"))).unwrap_or(100),
            compiler_bos: string(self.setting_value("compiler_bos")),
            compiler_pad: string(self.setting_value("compiler_pad")),
        })
    }

    /// Keeps the nodes the output depends on, in creation order (which puts
    /// children first), and gives each a unique label.
    fn build_program(&self, program_name: &str, output: usize, settings: Settings) -> Program {
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
    fn labels(&self, kept: &[usize]) -> Vec<String> {
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
        if items[..index]
            .iter()
            .any(|earlier| earlier.to_string() == item.to_string())
        {
            return Some(format!("two tokens are both written `{item}`"));
        }
    }
    None
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Levenshtein distance, for "try `tokens`" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Drops repeats of the same message at the same place, which a function
/// body produces once per call.
fn dedup_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert((d.span, d.message.clone())));
}
