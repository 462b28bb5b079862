//! Source files and byte spans, with line and column lookup for diagnostics.

use std::ops::Range;

/// A half-open byte range `start..end` into one [`SourceFile`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Returns the smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// A program text with its display name (a path, or `<name>` for a bundled program).
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of the first character of every line.
    line_starts: Vec<usize>,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(offset, _)| offset + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the text under `span`, or an empty string for a span outside the file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Returns the 0-based index of the line that contains byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(next) => next - 1,
        }
    }

    /// Converts a byte offset to a 1-based line and character column.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_idx = self.line_index(offset);
        let line_start = self.line_starts[line_idx];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// Returns the text of 0-based line `line_idx` without its line break.
    pub fn line_text(&self, line_idx: usize) -> &str {
        let start = self
            .line_starts
            .get(line_idx)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line_idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Returns the byte offset where 0-based line `line_idx` starts.
    pub fn line_start(&self, line_idx: usize) -> usize {
        self.line_starts
            .get(line_idx)
            .copied()
            .unwrap_or(self.text.len())
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let file = SourceFile::new("t.rasp", "ab\ncd\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(6), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn line_col_counts_characters() {
        let file = SourceFile::new("t.rasp", "é = x");
        assert_eq!(file.line_col(2), LineCol { line: 1, column: 2 });
        assert_eq!(file.line_col(3), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn line_text_strips_line_break() {
        let file = SourceFile::new("t.rasp", "ab\r\ncd");
        assert_eq!(file.line_text(0), "ab");
        assert_eq!(file.line_text(1), "cd");
        assert_eq!(file.line_text(7), "");
    }
}
