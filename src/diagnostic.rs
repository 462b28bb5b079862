//! Diagnostics as data (severity, span, message, label, hints) and the one
//! renderer that prints them in the style of rustc.

use std::fmt::Write;

use crate::source::{SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    /// Information about a choice the tool made, such as a steeper MLP slope.
    Note,
}

/// One problem found in a program, located by a byte span of its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    /// Lowercase text without a final period, such as "expected `;`, found `x`".
    pub message: String,
    /// Short text printed after the caret line; empty for none.
    pub label: String,
    /// Suggestions printed as `= help: ...`, each usually starting with "try".
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            label: String::new(),
            hints: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn note(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as rustc does: a headline, the `file:line:col`
    /// location, the source line with carets under the span, and the hints.
    pub fn render(&self, file: &SourceFile) -> String {
        let mut out = String::new();
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let _ = writeln!(out, "{severity}: {}", self.message);

        let start = file.line_col(self.span.start);
        let line_idx = start.line - 1;
        let line_number = start.line.to_string();
        let gutter = " ".repeat(line_number.len());
        let _ = writeln!(
            out,
            "{gutter}--> {}:{}:{}",
            file.name(),
            start.line,
            start.column
        );
        let _ = writeln!(out, "{gutter} |");

        let line = file.line_text(line_idx);
        let _ = writeln!(out, "{line_number} | {}", expand_tabs(line));

        // The carets cover the span on its first line; a span that runs past
        // the line end is cut there, and an empty span gets one caret.
        let line_start = file.line_start(line_idx);
        let line_end = line_start + line.len();
        let span_end = self
            .span
            .end
            .clamp(self.span.start, line_end.max(self.span.start));
        let prefix = &file.text()[line_start..self.span.start.clamp(line_start, line_end)];
        let covered = file.slice(Span::new(
            self.span.start.min(line_end),
            span_end.min(line_end),
        ));
        let indent = display_width(prefix);
        let n_carets = display_width(covered).max(1);
        let label = if self.label.is_empty() {
            String::new()
        } else {
            format!(" {}", self.label)
        };
        let _ = writeln!(
            out,
            "{gutter} | {}{}{label}",
            " ".repeat(indent),
            "^".repeat(n_carets)
        );

        if !self.hints.is_empty() {
            let _ = writeln!(out, "{gutter} |");
            for hint in &self.hints {
                let _ = writeln!(out, "{gutter} = help: {hint}");
            }
        }
        out
    }
}

/// Renders every diagnostic, separated by blank lines, followed by a summary
/// line such as "error: could not compile `sort.rasp` (2 errors)".
pub fn render_all(diagnostics: &[Diagnostic], file: &SourceFile) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.render(file));
        out.push('\n');
    }
    let n_errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if n_errors > 0 {
        let plural = if n_errors == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "error: could not compile `{}` ({n_errors} error{plural})",
            file.name()
        );
    }
    out
}

fn expand_tabs(text: &str) -> String {
    text.replace('\t', "    ")
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_points_at_span() {
        let file = SourceFile::new("x.rasp", "a = 1;\nb = tokns;\n");
        let diagnostic = Diagnostic::error(Span::new(11, 16), "unknown name `tokns`")
            .with_label("not defined")
            .with_hint("try `tokens`");
        let expected = "\
error: unknown name `tokns`
 --> x.rasp:2:5
  |
2 | b = tokns;
  |     ^^^^^ not defined
  |
  = help: try `tokens`
";
        assert_eq!(diagnostic.render(&file), expected);
    }

    #[test]
    fn render_at_end_of_file() {
        let file = SourceFile::new("x.rasp", "a = 1");
        let diagnostic = Diagnostic::error(Span::new(5, 5), "expected `;`, found end of file");
        assert!(diagnostic.render(&file).contains("1 | a = 1\n  |      ^\n"));
    }
}
