//! Splits RASP source text into tokens. Lexing never fails: characters that
//! start no token become [`TokenKind::Error`] tokens for the parser to report.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Ident(String),
    Int(i64),
    Float(f64),
    Str(String),
    // Keywords.
    Def,
    Return,
    Lambda,
    If,
    Else,
    And,
    Or,
    Not,
    In,
    Output,
    True,
    False,
    None,
    // Punctuation.
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semicolon,
    Colon,
    Assign,
    EqEq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    /// A character or literal that is not valid here; the string gives the reason.
    Error(String),
    Eof,
}

impl TokenKind {
    /// Describes the token for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident(name) => format!("`{name}`"),
            TokenKind::Int(value) => format!("`{value}`"),
            TokenKind::Float(value) => format!("`{value}`"),
            TokenKind::Str(_) => "a string".to_string(),
            TokenKind::Error(_) => "an invalid token".to_string(),
            TokenKind::Eof => "end of file".to_string(),
            other => format!("`{}`", other.symbol()),
        }
    }

    /// Returns the source spelling of a keyword or punctuation token.
    pub fn symbol(&self) -> &'static str {
        match self {
            TokenKind::Def => "def",
            TokenKind::Return => "return",
            TokenKind::Lambda => "lambda",
            TokenKind::If => "if",
            TokenKind::Else => "else",
            TokenKind::And => "and",
            TokenKind::Or => "or",
            TokenKind::Not => "not",
            TokenKind::In => "in",
            TokenKind::Output => "output",
            TokenKind::True => "True",
            TokenKind::False => "False",
            TokenKind::None => "None",
            TokenKind::LParen => "(",
            TokenKind::RParen => ")",
            TokenKind::LBracket => "[",
            TokenKind::RBracket => "]",
            TokenKind::LBrace => "{",
            TokenKind::RBrace => "}",
            TokenKind::Comma => ",",
            TokenKind::Semicolon => ";",
            TokenKind::Colon => ":",
            TokenKind::Assign => "=",
            TokenKind::EqEq => "==",
            TokenKind::NotEq => "!=",
            TokenKind::Lt => "<",
            TokenKind::LtEq => "<=",
            TokenKind::Gt => ">",
            TokenKind::GtEq => ">=",
            TokenKind::Plus => "+",
            TokenKind::Minus => "-",
            TokenKind::Star => "*",
            TokenKind::Slash => "/",
            TokenKind::Percent => "%",
            TokenKind::Ident(_)
            | TokenKind::Int(_)
            | TokenKind::Float(_)
            | TokenKind::Str(_)
            | TokenKind::Error(_)
            | TokenKind::Eof => "",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Lexes the whole text; the last token is always [`TokenKind::Eof`].
pub fn lex(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) {
        while let Some(c) = self.peek_char() {
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            if c == '#' {
                while let Some(c) = self.peek_char() {
                    if c == '\n' {
                        break;
                    }
                    self.pos += c.len_utf8();
                }
                continue;
            }
            let kind = if c.is_ascii_alphabetic() || c == '_' {
                self.ident()
            } else if c.is_ascii_digit()
                || (c == '.' && self.byte_at(1).is_some_and(|b| b.is_ascii_digit()))
            {
                self.number()
            } else if c == '"' || c == '\'' {
                self.string(c)
            } else {
                self.punctuation(c)
            };
            self.tokens.push(Token {
                kind,
                span: Span::new(start, self.pos),
            });
        }
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(self.text.len(), self.text.len()),
        });
    }

    fn peek_char(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn byte_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn ident(&mut self) -> TokenKind {
        let start = self.pos;
        while self
            .byte_at(0)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        match &self.text[start..self.pos] {
            "def" => TokenKind::Def,
            "return" => TokenKind::Return,
            "lambda" => TokenKind::Lambda,
            "if" => TokenKind::If,
            "else" => TokenKind::Else,
            "and" => TokenKind::And,
            "or" => TokenKind::Or,
            "not" => TokenKind::Not,
            "in" => TokenKind::In,
            "output" => TokenKind::Output,
            "True" | "true" => TokenKind::True,
            "False" | "false" => TokenKind::False,
            "None" => TokenKind::None,
            name => TokenKind::Ident(name.to_string()),
        }
    }

    fn number(&mut self) -> TokenKind {
        let start = self.pos;
        let mut is_float = false;
        while let Some(b) = self.byte_at(0) {
            if b.is_ascii_digit() || b == b'_' {
                self.pos += 1;
            } else if b == b'.' && !is_float {
                is_float = true;
                self.pos += 1;
            } else if (b == b'e' || b == b'E')
                && (self.byte_at(1).is_some_and(|b| b.is_ascii_digit())
                    || (matches!(self.byte_at(1), Some(b'+' | b'-'))
                        && self.byte_at(2).is_some_and(|b| b.is_ascii_digit())))
            {
                is_float = true;
                self.pos += 2;
            } else {
                break;
            }
        }
        // A letter right after a number, as in `3x`, is part of one bad token.
        let mut trailing = false;
        while self
            .byte_at(0)
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            trailing = true;
            self.pos += 1;
        }
        let text = self.text[start..self.pos].replace('_', "");
        if trailing {
            return TokenKind::Error(format!(
                "invalid number literal `{}`",
                &self.text[start..self.pos]
            ));
        }
        if is_float {
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => TokenKind::Float(value),
                _ => TokenKind::Error(format!("invalid number literal `{text}`")),
            }
        } else {
            match text.parse::<i64>() {
                Ok(value) => TokenKind::Int(value),
                Err(_) => {
                    TokenKind::Error(format!("integer literal `{text}` does not fit in 64 bits"))
                }
            }
        }
    }

    fn string(&mut self, quote: char) -> TokenKind {
        self.pos += 1;
        let mut value = String::new();
        while let Some(c) = self.peek_char() {
            if c == '\n' {
                break;
            }
            self.pos += c.len_utf8();
            if c == quote {
                return TokenKind::Str(value);
            }
            if c == '\\' {
                match self.peek_char() {
                    Some(escaped @ ('\\' | '"' | '\'')) => {
                        value.push(escaped);
                        self.pos += 1;
                    }
                    Some('n') => {
                        value.push('\n');
                        self.pos += 1;
                    }
                    Some('t') => {
                        value.push('\t');
                        self.pos += 1;
                    }
                    _ => value.push('\\'),
                }
                continue;
            }
            value.push(c);
        }
        TokenKind::Error("unterminated string literal".to_string())
    }

    fn punctuation(&mut self, c: char) -> TokenKind {
        let next = self.byte_at(1);
        let (kind, width) = match (c, next) {
            ('=', Some(b'=')) => (TokenKind::EqEq, 2),
            ('!', Some(b'=')) => (TokenKind::NotEq, 2),
            ('<', Some(b'=')) => (TokenKind::LtEq, 2),
            ('>', Some(b'=')) => (TokenKind::GtEq, 2),
            ('=', _) => (TokenKind::Assign, 1),
            ('<', _) => (TokenKind::Lt, 1),
            ('>', _) => (TokenKind::Gt, 1),
            ('(', _) => (TokenKind::LParen, 1),
            (')', _) => (TokenKind::RParen, 1),
            ('[', _) => (TokenKind::LBracket, 1),
            (']', _) => (TokenKind::RBracket, 1),
            ('{', _) => (TokenKind::LBrace, 1),
            ('}', _) => (TokenKind::RBrace, 1),
            (',', _) => (TokenKind::Comma, 1),
            (';', _) => (TokenKind::Semicolon, 1),
            (':', _) => (TokenKind::Colon, 1),
            ('+', _) => (TokenKind::Plus, 1),
            ('-', _) => (TokenKind::Minus, 1),
            ('*', _) => (TokenKind::Star, 1),
            ('/', _) => (TokenKind::Slash, 1),
            ('%', _) => (TokenKind::Percent, 1),
            _ => {
                let shown = if c.is_control() {
                    format!("{:?}", c)
                } else {
                    format!("`{c}`")
                };
                (
                    TokenKind::Error(format!("unexpected character {shown}")),
                    c.len_utf8(),
                )
            }
        };
        self.pos += width;
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text).into_iter().map(|token| token.kind).collect()
    }

    #[test]
    fn lex_statement() {
        assert_eq!(
            kinds("x = select(indices, y, <=); # done"),
            vec![
                TokenKind::Ident("x".into()),
                TokenKind::Assign,
                TokenKind::Ident("select".into()),
                TokenKind::LParen,
                TokenKind::Ident("indices".into()),
                TokenKind::Comma,
                TokenKind::Ident("y".into()),
                TokenKind::Comma,
                TokenKind::LtEq,
                TokenKind::RParen,
                TokenKind::Semicolon,
                TokenKind::Eof,
            ]
        );
    }

    #[test]
    fn lex_numbers_and_strings() {
        assert_eq!(
            kinds("1 2.5 .5 1e3 'a' \"b\""),
            vec![
                TokenKind::Int(1),
                TokenKind::Float(2.5),
                TokenKind::Float(0.5),
                TokenKind::Float(1000.0),
                TokenKind::Str("a".into()),
                TokenKind::Str("b".into()),
                TokenKind::Eof,
            ]
        );
    }

    #[test]
    fn lex_errors_become_tokens() {
        let tokens = kinds("\"abc\n@ 99999999999999999999");
        assert!(matches!(tokens[0], TokenKind::Error(_)));
        assert!(matches!(tokens[1], TokenKind::Error(_)));
        assert!(matches!(tokens[2], TokenKind::Error(_)));
        assert_eq!(tokens[3], TokenKind::Eof);
    }
}
