//! Recursive-descent parser from tokens to [`ast::Module`].
//!
//! Parsing never fails: it returns the tree it could build plus every
//! diagnostic. After an error the parser stays quiet until it reaches the end
//! of the statement (`;` or a closing `}`), so one mistake gives one message,
//! and every recovery step consumes at least one token, so it always ends.

use crate::diagnostic::Diagnostic;
use crate::rasp::ast::{BinaryOp, Expr, ExprKind, Ident, Module, Stmt, StmtKind, UnaryOp};
use crate::rasp::lexer::{Token, TokenKind, lex};
use crate::source::Span;

/// Maximum nesting of expressions and blocks. Real programs nest fewer than
/// 20 levels; 128 keeps the recursive parser and checker far from the 2 MiB
/// stack of a spawned thread (measured: 10,000 levels of parentheses give
/// one error and no overflow in the parser tests).
pub const MAX_DEPTH: usize = 128;

/// Parses a whole file.
pub fn parse(text: &str) -> (Module, Vec<Diagnostic>) {
    let mut parser = Parser {
        text,
        tokens: lex(text),
        pos: 0,
        depth: 0,
        diagnostics: Vec::new(),
        quiet: false,
    };
    let statements = parser.statements(false);
    (Module { statements }, parser.diagnostics)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    diagnostics: Vec<Diagnostic>,
    /// Set after an error; cleared when the parser resynchronises.
    quiet: bool,
}

impl Parser<'_> {
    fn peek(&self) -> &TokenKind {
        &self.tokens[self.pos].kind
    }

    fn peek_at(&self, ahead: usize) -> &TokenKind {
        let index = (self.pos + ahead).min(self.tokens.len() - 1);
        &self.tokens[index].kind
    }

    fn span(&self) -> Span {
        self.tokens[self.pos].span
    }

    /// Returns the end of the previous token as an empty span, which is where
    /// a missing `;` or `)` belongs.
    fn after_previous(&self) -> Span {
        let end = if self.pos == 0 {
            0
        } else {
            self.tokens[self.pos - 1].span.end
        };
        Span::new(end, end)
    }

    fn bump(&mut self) -> Token {
        let token = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        token
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek() == kind
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        if !self.quiet {
            self.diagnostics.push(diagnostic);
        }
        self.quiet = true;
    }

    /// Reports "expected X, found Y" at the current token.
    fn expected(&mut self, what: &str) {
        let diagnostic = self.expected_diagnostic(what);
        self.error(diagnostic);
    }

    fn expected_diagnostic(&self, what: &str) -> Diagnostic {
        let found = self.peek().clone();
        match &found {
            TokenKind::Error(reason) => Diagnostic::error(self.span(), reason.clone()),
            _ => Diagnostic::error(
                self.span(),
                format!("expected {what}, found {}", found.describe()),
            )
            .with_label(format!("expected {what}")),
        }
    }

    /// Returns the source text of the current token.
    fn token_text(&self) -> &str {
        let span = self.span();
        &self.text[span.start..span.end]
    }

    /// Returns hints when the current token and the one before it spell
    /// `//` or `**`, operators of Python that RASP lacks.
    fn missing_operator_hints(&self) -> Option<[&'static str; 2]> {
        let previous = self.tokens.get(self.pos.checked_sub(1)?)?;
        if previous.span.end != self.span().start || previous.kind != *self.peek() {
            return None;
        }
        match self.peek() {
            TokenKind::Slash => Some([
                "RASP has no `//` operator",
                "try `round(x / 2)`, which rounds to the nearest integer instead of down",
            ]),
            TokenKind::Star => Some([
                "RASP has no `**` operator",
                "try multiplying, as in `x * x`",
            ]),
            _ => None,
        }
    }

    /// Returns whether the current token starts a statement on a later line
    /// than the previous token: `NAME =`, `def`, `output` or `return`.
    fn starts_statement_on_new_line(&self) -> bool {
        let starts_statement = match self.peek() {
            TokenKind::Def | TokenKind::Output | TokenKind::Return => true,
            TokenKind::Ident(_) => self.peek_at(1) == &TokenKind::Assign,
            _ => false,
        };
        let gap = &self.text[self.after_previous().start..self.span().start];
        starts_statement && gap.contains('\n')
    }

    /// Consumes `kind` or reports it missing. A missing closing token is
    /// reported just after the previous token, where it would go.
    fn expect(&mut self, kind: &TokenKind) -> bool {
        if self.eat(kind) {
            return true;
        }
        let what = format!("`{}`", kind.symbol());
        if matches!(self.peek(), TokenKind::Error(_)) {
            self.expected(&what);
            return false;
        }
        let found = self.peek().describe();
        let span = match kind {
            TokenKind::Semicolon | TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                self.after_previous()
            }
            _ => self.span(),
        };
        self.error(
            Diagnostic::error(span, format!("expected {what}, found {found}"))
                .with_label(format!("expected {what}")),
        );
        false
    }

    /// Skips to just after the next `;` at this brace level, or to a `}` that
    /// closes the enclosing block (not consumed), or to the end of the file.
    fn synchronize(&mut self) {
        let mut braces = 0usize;
        loop {
            match self.peek() {
                TokenKind::Eof => break,
                TokenKind::Semicolon if braces == 0 => {
                    self.bump();
                    break;
                }
                TokenKind::LBrace => braces += 1,
                TokenKind::RBrace if braces == 0 => break,
                TokenKind::RBrace => braces -= 1,
                _ => {}
            }
            self.bump();
        }
        self.quiet = false;
    }

    fn statements(&mut self, in_block: bool) -> Vec<Stmt> {
        let mut statements = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Eof => break,
                TokenKind::RBrace if in_block => break,
                TokenKind::RBrace => {
                    let span = self.span();
                    self.error(Diagnostic::error(
                        span,
                        "unexpected `}` outside a function body",
                    ));
                    self.bump();
                    self.quiet = false;
                    continue;
                }
                _ => {}
            }
            let start = self.pos;
            let errors_before = self.diagnostics.len();
            let statement = self.statement();
            if self.quiet || self.diagnostics.len() > errors_before {
                if self.quiet {
                    self.synchronize();
                }
            } else if let Some(statement) = statement {
                statements.push(statement);
            }
            if self.pos == start {
                self.bump();
                self.quiet = false;
            }
        }
        statements
    }

    fn statement(&mut self) -> Option<Stmt> {
        let start = self.span();
        if is_keyword(self.peek()) && self.peek_at(1) == &TokenKind::Assign {
            let message = format!("`{}` is a keyword and cannot be a name", self.token_text());
            self.error(
                Diagnostic::error(start, message)
                    .with_label("keyword")
                    .with_hint("try another name"),
            );
            return None;
        }
        let kind = match self.peek().clone() {
            TokenKind::Def => return self.def(),
            TokenKind::Return => {
                self.bump();
                let value = self.expr();
                StmtKind::Return(value)
            }
            TokenKind::Output => {
                self.bump();
                let value = self.expr();
                StmtKind::Output(value)
            }
            TokenKind::Ident(name) if self.peek_at(1) == &TokenKind::Assign => {
                let name = Ident {
                    name,
                    span: self.bump().span,
                };
                self.bump();
                let value = self.expr();
                StmtKind::Assign { name, value }
            }
            _ => {
                let value = self.expr();
                StmtKind::Expr(value)
            }
        };
        let end = self.after_previous();
        if !self.quiet && !self.at(&TokenKind::Semicolon) && self.starts_statement_on_new_line() {
            // Report the missing `;` without going quiet, so that the
            // statement on the next line is parsed and checked, not skipped.
            let found = self.peek().describe();
            self.diagnostics.push(
                Diagnostic::error(end, format!("expected `;`, found {found}"))
                    .with_label("expected `;`"),
            );
        } else if !self.quiet {
            self.expect(&TokenKind::Semicolon);
        }
        Some(Stmt {
            kind,
            span: start.to(end),
        })
    }

    fn def(&mut self) -> Option<Stmt> {
        let start = self.bump().span;
        let name = self.ident("a function name")?;
        if !self.expect(&TokenKind::LParen) {
            return None;
        }
        let mut params = Vec::new();
        if !self.at(&TokenKind::RParen) {
            loop {
                params.push(self.ident("a parameter name")?);
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        if !self.expect(&TokenKind::RParen) || !self.expect(&TokenKind::LBrace) {
            return None;
        }
        if !self.enter() {
            return None;
        }
        let body = self.statements(true);
        self.depth -= 1;
        let end = self.span();
        if !self.expect(&TokenKind::RBrace) {
            return None;
        }
        Some(Stmt {
            kind: StmtKind::Def { name, params, body },
            span: start.to(end),
        })
    }

    fn ident(&mut self, what: &str) -> Option<Ident> {
        if let TokenKind::Ident(name) = self.peek().clone() {
            let span = self.bump().span;
            return Some(Ident { name, span });
        }
        if is_keyword(self.peek()) {
            let message = format!("`{}` is a keyword and cannot be a name", self.token_text());
            let span = self.span();
            self.error(
                Diagnostic::error(span, message)
                    .with_label(format!("expected {what}"))
                    .with_hint("try another name"),
            );
        } else {
            self.expected(what);
        }
        None
    }

    /// Enters one nesting level, reporting when [`MAX_DEPTH`] is exceeded.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            let span = self.span();
            self.error(
                Diagnostic::error(
                    span,
                    format!("maximum nesting depth of {MAX_DEPTH} exceeded"),
                )
                .with_hint("try splitting the expression into named steps"),
            );
            return false;
        }
        self.depth += 1;
        true
    }

    fn error_expr(&self, span: Span) -> Expr {
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    fn expr(&mut self) -> Expr {
        if !self.enter() {
            return self.error_expr(self.span());
        }
        let expr = if self.at(&TokenKind::Lambda) {
            self.lambda()
        } else {
            self.conditional()
        };
        self.depth -= 1;
        expr
    }

    fn lambda(&mut self) -> Expr {
        let start = self.bump().span;
        let mut params = Vec::new();
        if !self.at(&TokenKind::Colon) {
            loop {
                match self.ident("a parameter name") {
                    Some(param) => params.push(param),
                    None => return self.error_expr(start),
                }
                if !self.eat(&TokenKind::Comma) {
                    break;
                }
            }
        }
        if !self.expect(&TokenKind::Colon) {
            return self.error_expr(start);
        }
        let body = self.expr();
        let span = start.to(body.span);
        Expr {
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span,
        }
    }

    fn conditional(&mut self) -> Expr {
        let then = self.or();
        if !self.eat(&TokenKind::If) {
            return then;
        }
        let cond = self.or();
        if !self.expect(&TokenKind::Else) {
            return self.error_expr(then.span);
        }
        let otherwise = self.expr();
        let span = then.span.to(otherwise.span);
        Expr {
            kind: ExprKind::Conditional {
                then: Box::new(then),
                cond: Box::new(cond),
                otherwise: Box::new(otherwise),
            },
            span,
        }
    }

    fn or(&mut self) -> Expr {
        self.binary_chain(Self::and, |token| {
            (*token == TokenKind::Or).then_some(BinaryOp::Or)
        })
    }

    fn and(&mut self) -> Expr {
        self.binary_chain(Self::not, |token| {
            (*token == TokenKind::And).then_some(BinaryOp::And)
        })
    }

    /// Parses `operand (op operand)*` into a left-nested tree. Each operator
    /// nests the tree one level deeper, so a chain counts against
    /// [`MAX_DEPTH`] like parentheses do, which keeps the checker's
    /// recursion over the tree bounded.
    fn binary_chain(
        &mut self,
        operand: fn(&mut Self) -> Expr,
        operator: fn(&TokenKind) -> Option<BinaryOp>,
    ) -> Expr {
        let mut left = operand(self);
        let mut levels = 0;
        while let Some(op) = operator(self.peek()) {
            if !self.enter() {
                break;
            }
            levels += 1;
            self.bump();
            let right = operand(self);
            left = binary(op, left, right);
        }
        self.depth -= levels;
        left
    }

    fn not(&mut self) -> Expr {
        if !self.at(&TokenKind::Not) {
            return self.comparison();
        }
        let start = self.bump().span;
        if !self.enter() {
            return self.error_expr(start);
        }
        let inner = self.not();
        self.depth -= 1;
        let span = start.to(inner.span);
        Expr {
            kind: ExprKind::Unary(UnaryOp::Not, Box::new(inner)),
            span,
        }
    }

    fn comparison_op(&self) -> Option<(BinaryOp, usize)> {
        let op = match self.peek() {
            TokenKind::EqEq => BinaryOp::Eq,
            TokenKind::NotEq => BinaryOp::NotEq,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::LtEq => BinaryOp::LtEq,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::GtEq => BinaryOp::GtEq,
            TokenKind::In => BinaryOp::In,
            TokenKind::Not if self.peek_at(1) == &TokenKind::In => {
                return Some((BinaryOp::NotIn, 2));
            }
            _ => return None,
        };
        Some((op, 1))
    }

    fn comparison(&mut self) -> Expr {
        let left = self.additive();
        let Some((op, width)) = self.comparison_op() else {
            return left;
        };
        for _ in 0..width {
            self.bump();
        }
        let right = self.additive();
        let expr = binary(op, left, right);
        if self.comparison_op().is_some() {
            let span = self.span();
            self.error(
                Diagnostic::error(span, "comparison operators cannot be chained")
                    .with_hint("try joining two comparisons with `and`"),
            );
        }
        expr
    }

    fn additive(&mut self) -> Expr {
        self.binary_chain(Self::multiplicative, |token| match token {
            TokenKind::Plus => Some(BinaryOp::Add),
            TokenKind::Minus => Some(BinaryOp::Sub),
            _ => None,
        })
    }

    fn multiplicative(&mut self) -> Expr {
        self.binary_chain(Self::unary, |token| match token {
            TokenKind::Star => Some(BinaryOp::Mul),
            TokenKind::Slash => Some(BinaryOp::Div),
            TokenKind::Percent => Some(BinaryOp::Mod),
            _ => None,
        })
    }

    fn unary(&mut self) -> Expr {
        let op = match self.peek() {
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Plus => UnaryOp::Pos,
            _ => return self.call(),
        };
        let start = self.bump().span;
        if !self.enter() {
            return self.error_expr(start);
        }
        let inner = self.unary();
        self.depth -= 1;
        let span = start.to(inner.span);
        Expr {
            kind: ExprKind::Unary(op, Box::new(inner)),
            span,
        }
    }

    fn call(&mut self) -> Expr {
        let callee = self.primary();
        if !self.at(&TokenKind::LParen) {
            return callee;
        }
        let ExprKind::Name(name) = &callee.kind else {
            let span = self.span();
            self.error(
                Diagnostic::error(span, "only functions can be called")
                    .with_label("call of a value that is not a name"),
            );
            return self.error_expr(callee.span);
        };
        let callee = Ident {
            name: name.clone(),
            span: callee.span,
        };
        self.bump();
        let args = self.arguments(&TokenKind::RParen);
        let end = self.after_previous();
        Expr {
            kind: ExprKind::Call {
                callee: callee.clone(),
                args,
            },
            span: callee.span.to(end),
        }
    }

    /// Parses comma-separated arguments up to and including `close`. A bare
    /// comparison operator is allowed as an argument, for `select`.
    fn arguments(&mut self, close: &TokenKind) -> Vec<Expr> {
        let mut args = Vec::new();
        if self.eat(close) {
            return args;
        }
        loop {
            let bare_operator = match self.peek() {
                TokenKind::EqEq => Some(BinaryOp::Eq),
                TokenKind::NotEq => Some(BinaryOp::NotEq),
                TokenKind::Lt => Some(BinaryOp::Lt),
                TokenKind::LtEq => Some(BinaryOp::LtEq),
                TokenKind::Gt => Some(BinaryOp::Gt),
                TokenKind::GtEq => Some(BinaryOp::GtEq),
                _ => None,
            };
            let next = self.peek_at(1);
            match bare_operator {
                Some(op) if next == &TokenKind::Comma || next == close => {
                    let span = self.bump().span;
                    args.push(Expr {
                        kind: ExprKind::Comparison(op),
                        span,
                    });
                }
                _ => args.push(self.expr()),
            }
            if self.quiet {
                return args;
            }
            if self.eat(&TokenKind::Comma) {
                // A trailing comma before the closing token is allowed.
                if self.eat(close) {
                    return args;
                }
                continue;
            }
            self.expect(close);
            return args;
        }
    }

    fn primary(&mut self) -> Expr {
        let token = self.peek().clone();
        let span = self.span();
        let kind = match token {
            TokenKind::Int(value) => ExprKind::Int(value),
            TokenKind::Float(value) => ExprKind::Float(value),
            TokenKind::Str(value) => ExprKind::Str(value),
            TokenKind::True => ExprKind::Bool(true),
            TokenKind::False => ExprKind::Bool(false),
            TokenKind::None => ExprKind::None,
            TokenKind::Ident(name) => ExprKind::Name(name),
            TokenKind::LParen => {
                self.bump();
                let inner = self.expr();
                if !self.quiet {
                    self.expect(&TokenKind::RParen);
                }
                let end = self.after_previous();
                return Expr {
                    kind: inner.kind,
                    span: span.to(end),
                };
            }
            TokenKind::LBracket | TokenKind::LBrace => {
                self.bump();
                if !self.enter() {
                    return self.error_expr(span);
                }
                let is_list = token == TokenKind::LBracket;
                let close = if is_list {
                    TokenKind::RBracket
                } else {
                    TokenKind::RBrace
                };
                let items = self.arguments(&close);
                self.depth -= 1;
                let end = self.after_previous();
                let kind = if is_list {
                    ExprKind::List(items)
                } else {
                    ExprKind::Set(items)
                };
                return Expr {
                    kind,
                    span: span.to(end),
                };
            }
            _ => {
                let mut diagnostic = self.expected_diagnostic("an expression");
                for hint in self.missing_operator_hints().into_iter().flatten() {
                    diagnostic = diagnostic.with_hint(hint);
                }
                self.error(diagnostic);
                return self.error_expr(span);
            }
        };
        self.bump();
        Expr { kind, span }
    }
}

fn is_keyword(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Def
            | TokenKind::Return
            | TokenKind::Lambda
            | TokenKind::If
            | TokenKind::Else
            | TokenKind::And
            | TokenKind::Or
            | TokenKind::Not
            | TokenKind::In
            | TokenKind::Output
            | TokenKind::True
            | TokenKind::False
            | TokenKind::None
    )
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    Expr {
        kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse(text).1.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn parse_reverse() {
        let text = "opp_index = length - indices - 1; flip = select(indices, opp_index, ==); reverse = aggregate(flip, tokens);";
        let (module, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(module.statements.len(), 3);
    }

    #[test]
    fn parse_def_and_lambda() {
        let text = "def f(a, b) { c = map(lambda x: x + 1 if x > 0 else 0, a); return c; }";
        let (module, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(matches!(module.statements[0].kind, StmtKind::Def { .. }));
    }

    #[test]
    fn missing_semicolon_reported_once() {
        assert_eq!(errors("a = 1\nb = 2;"), vec!["expected `;`, found `b`"]);
    }

    #[test]
    fn missing_semicolons_each_reported() {
        assert_eq!(
            errors("a = 1\nb = 2\nc = 3;"),
            vec!["expected `;`, found `b`", "expected `;`, found `c`"]
        );
    }

    #[test]
    fn statement_after_missing_semicolon_parsed() {
        let (module, diagnostics) = parse("a = 1\ndef f(x) { return x; }\noutput a;");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(matches!(module.statements[0].kind, StmtKind::Def { .. }));
        assert!(matches!(module.statements[1].kind, StmtKind::Output(_)));
        assert_eq!(
            errors("a = 1\nb = );"),
            vec![
                "expected `;`, found `b`",
                "expected an expression, found `)`"
            ]
        );
    }

    #[test]
    fn missing_semicolon_same_line_skips() {
        assert_eq!(errors("a = 1 b = );"), vec!["expected `;`, found `b`"]);
    }

    #[test]
    fn keyword_names_rejected() {
        assert_eq!(
            errors("True = 1;\ndef f(if) { return 1; }"),
            vec![
                "`True` is a keyword and cannot be a name",
                "`if` is a keyword and cannot be a name",
            ]
        );
    }

    #[test]
    fn python_operators_get_hint() {
        let (_, diagnostics) = parse("a = x // 2;\nb = x ** 2;\nc = x * * 2;");
        let hints: Vec<usize> = diagnostics.iter().map(|d| d.hints.len()).collect();
        assert_eq!(hints, vec![2, 2, 0]);
        assert_eq!(diagnostics[0].hints[0], "RASP has no `//` operator");
        assert_eq!(diagnostics[1].hints[0], "RASP has no `**` operator");
    }

    #[test]
    fn recovery_reports_each_statement() {
        assert_eq!(errors("a = ;\nb = );\nc = 1;").len(), 2);
    }

    #[test]
    fn deep_nesting_gives_one_error() {
        let text = format!("a = {}1{};", "(".repeat(10_000), ")".repeat(10_000));
        let messages = errors(&text);
        assert_eq!(
            messages,
            vec![format!("maximum nesting depth of {MAX_DEPTH} exceeded")]
        );
    }

    #[test]
    fn deep_unary_gives_one_error() {
        let text = format!("a = {}1;", "-".repeat(10_000));
        assert_eq!(errors(&text).len(), 1);
        let text = format!("a = {}1;", "not ".repeat(10_000));
        assert_eq!(errors(&text).len(), 1);
    }

    #[test]
    fn long_sum_gives_one_error() {
        let text = format!("a = 1{};", " + 1".repeat(10_000));
        assert_eq!(
            errors(&text),
            vec![format!("maximum nesting depth of {MAX_DEPTH} exceeded")]
        );
    }

    #[test]
    fn chained_comparison_rejected() {
        assert_eq!(
            errors("a = 1 < 2 < 3;"),
            vec!["comparison operators cannot be chained"]
        );
    }
}
