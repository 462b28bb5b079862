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
use crate::rasp::ast::{Expr, Ident, Module, Stmt, StmtKind};
use crate::rasp::program::{Comparison, Encoding, NodeKind, Predicate, Program};
use crate::rasp::scalar::ScalarFn;
use crate::source::Span;
use crate::value::Value;

mod calls;
mod expr;
mod finish;
mod settings;
#[cfg(test)]
mod tests;

/// Upper bound on the nodes a program may create while its functions are
/// inlined. Bundled programs create fewer than 100; the bound stops a chain
/// of functions that each call the next twice from growing exponentially.
pub const MAX_NODES: usize = 20_000;

/// The largest `max_seq_len`, the same bound as the `--max-seq-len` option has.
pub const MAX_SEQ_LEN: usize = 10_000;

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
    checker.scan_assignments(module);
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
    // Function bodies are checked where they are called and functions are
    // collected first, so the checker finds errors out of source order.
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics);
    }
    (program, diagnostics)
}

/// The checked form of an expression.
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
    /// The start of the first top-level assignment of each name, found
    /// before checking, for settings read before their declaration and for
    /// names bound both by `=` and by `def`.
    first_assignments: HashMap<String, usize>,
    /// Settings whose declaration has been checked: the value, or `None`
    /// when it was invalid and already reported.
    declared_settings: HashMap<String, Option<Value>>,
    /// The source span of each declared setting's value.
    setting_spans: HashMap<String, Span>,
    /// Required settings already reported missing where they were read.
    reported_missing: HashSet<String>,
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
            first_assignments: HashMap::new(),
            declared_settings: HashMap::new(),
            setting_spans: HashMap::new(),
            reported_missing: HashSet::new(),
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

    /// Records where each top-level name is first assigned.
    fn scan_assignments(&mut self, module: &Module) {
        for statement in &module.statements {
            if let StmtKind::Assign { name, .. } = &statement.kind {
                self.first_assignments
                    .entry(name.name.clone())
                    .or_insert(name.span.start);
            }
        }
    }

    fn collect_functions(&mut self, module: &'m Module) {
        for statement in &module.statements {
            let StmtKind::Def { name, params, body } = &statement.kind else {
                continue;
            };
            if self.is_reserved(&name.name) || SETTING_NAMES.contains(&name.name.as_str()) {
                let owner = if self.is_reserved(&name.name) {
                    "a built-in"
                } else {
                    "a setting"
                };
                self.error(
                    Diagnostic::error(
                        name.span,
                        format!("cannot define a function named `{}`", name.name),
                    )
                    .with_label(format!("{owner} has this name"))
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
            // An assignment before the `def` keeps the name; the `def` is the
            // second definition. An assignment after it is reported there.
            if self
                .first_assignments
                .get(&name.name)
                .is_some_and(|&start| start < name.span.start)
            {
                self.error(
                    Diagnostic::error(name.span, format!("`{}` is defined twice", name.name))
                        .with_label("second definition")
                        .with_hint("try a new name for the function"),
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
            if let Some(owner) = reserved_owner(&param.name) {
                self.error(
                    Diagnostic::error(
                        param.span,
                        format!("parameter `{}` has the name of {owner}", param.name),
                    )
                    .with_label("a parameter would hide it inside the function")
                    .with_hint("try another name"),
                );
            } else if !seen.insert(param.name.as_str()) {
                self.error(Diagnostic::error(
                    param.span,
                    format!("parameter `{}` is listed twice", param.name),
                ));
            }
        }
        for statement in body {
            if let StmtKind::Assign { name, .. } = &statement.kind {
                self.check_local_name(name);
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

    /// Reports a local assignment to the name of a built-in or a setting,
    /// which would hide it inside the function.
    fn check_local_name(&mut self, name: &Ident) {
        let diagnostic = if self.is_reserved(&name.name) {
            Diagnostic::error(
                name.span,
                format!("cannot assign to built-in `{}`", name.name),
            )
            .with_hint("try another name")
        } else if SETTING_NAMES.contains(&name.name.as_str()) {
            Diagnostic::error(
                name.span,
                format!("cannot assign to setting `{}` inside a function", name.name),
            )
            .with_hint("try another name, or declare the setting at the top level")
        } else if name.name == "length" {
            Diagnostic::error(name.span, "cannot assign to `length` inside a function").with_hint(
                "try another name, because only a top-level `length` replaces the library one",
            )
        } else {
            return;
        };
        self.error(diagnostic);
    }

    fn is_reserved(&self, name: &str) -> bool {
        BUILTIN_FUNCTIONS.contains(&name) || PRIMITIVE_SOPS.contains(&name)
    }

    fn top_level(&mut self, statement: &Stmt) {
        match &statement.kind {
            StmtKind::Def { .. } => {}
            StmtKind::Assign { name, value } => {
                let val = self.expr(value);
                self.assign_global(name, val, value);
            }
            StmtKind::Output(value) => {
                let val = self.expr(value);
                if self.output.is_some() {
                    self.error(
                        Diagnostic::error(statement.span, "`output` is given twice")
                            .with_label("second `output`")
                            .with_hint("try keeping only one `output` statement"),
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

    fn assign_global(&mut self, name: &Ident, val: Val, value: &Expr) {
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
            self.declare_setting(name, val, value);
            return;
        }
        if name.name == "length" && self.length.is_some() {
            self.error(
                Diagnostic::error(
                    name.span,
                    "`length` is assigned after the library `length` was used",
                )
                .with_label("earlier uses read the library definition")
                .with_hint("try assigning `length` before its first use, or another name"),
            );
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
            return self.read_setting(name, span);
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
            // Distance 0 is the name itself, which is no suggestion.
            .filter(|(distance, candidate)| {
                (1..=2).contains(distance) && *distance < candidate.len()
            })
            .min()
            .map(|(_, candidate)| candidate.to_string())
    }
}

/// Returns the name of what a parameter or local would hide, if anything.
fn reserved_owner(name: &str) -> Option<&'static str> {
    if BUILTIN_FUNCTIONS.contains(&name) {
        Some("a built-in function")
    } else if PRIMITIVE_SOPS.contains(&name) || name == "length" {
        Some("a built-in sop")
    } else if SETTING_NAMES.contains(&name) {
        Some("a setting")
    } else {
        None
    }
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
