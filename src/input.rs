//! Parsing of the token lists given on the command line: `--vocab` and `--input`.

use crate::rasp::program::Settings;
use crate::value::{Value, python_float_repr};

/// Parses a whitespace-separated vocabulary such as `"1 2 3"` or `"a b c"`.
/// A word that reads as an integer or a float becomes a number, any other
/// word a string, as Tracr's vocabularies hold Python ints and strs. Two
/// tokens that are equal in Python, such as `1` and `1.0`, are an error.
pub fn parse_vocab(text: &str) -> Result<Vec<Value>, String> {
    let mut vocab: Vec<Value> = Vec::new();
    for word in text.split_whitespace() {
        let value = parse_word(word);
        if let Some(known) = vocab
            .iter()
            .find(|known| known.py_eq(&value) || known.to_string() == value.to_string())
        {
            return Err(if known.to_string() == word {
                format!("invalid --vocab: token `{word}` is listed twice")
            } else {
                format!("invalid --vocab: token `{word}` equals the earlier token `{known}`")
            });
        }
        vocab.push(value);
    }
    if vocab.is_empty() {
        return Err("invalid --vocab: expected at least one token, as in --vocab \"1 2 3\"".into());
    }
    Ok(vocab)
}

/// Reads a word as an int or a float only when the number prints back as
/// the same word, because `--input` matches tokens by their printed form.
/// `1e3` and `007` therefore stay strings, while `3` and `2.5` are numbers.
fn parse_word(word: &str) -> Value {
    if let Ok(int) = word.parse::<i64>() {
        if int.to_string() == word {
            return Value::Int(int);
        }
    }
    match word.parse::<f64>() {
        Ok(float) if float.is_finite() && python_float_repr(float) == word => Value::Float(float),
        _ => Value::Str(word.to_string()),
    }
}

/// Parses an input such as `"BOS 3 1 2"` into vocabulary values, without
/// BOS. The leading BOS is optional. Each word must be written as a
/// vocabulary value prints (`3`, `a`, `1.5`).
pub fn parse_input(text: &str, settings: &Settings) -> Result<Vec<Value>, String> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.first() == Some(&settings.compiler_bos.as_str()) {
        words.remove(0);
    }
    let mut tokens = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let position = index + 1;
        if *word == settings.compiler_bos {
            return Err(format!(
                "invalid input: `{word}` at position {position} may only come first (position 0)"
            ));
        }
        let Some(value) = settings
            .vocab
            .iter()
            .find(|value| value.to_string() == *word)
        else {
            return Err(format!(
                "invalid input token `{word}` at position {position}: expected one of {}",
                format_vocab(&settings.vocab)
            ));
        };
        tokens.push(value.clone());
    }
    if tokens.len() > settings.max_seq_len {
        return Err(format!(
            "input is too long: {} tokens after {}, but max_seq_len is {}",
            tokens.len(),
            settings.compiler_bos,
            settings.max_seq_len
        ));
    }
    Ok(tokens)
}

/// Formats a vocabulary as `{1, 2, 3}`.
pub fn format_vocab(vocab: &[Value]) -> String {
    let words: Vec<String> = vocab.iter().map(Value::to_string).collect();
    format!("{{{}}}", words.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            vocab: vec![Value::Int(1), Value::Int(2), Value::Int(3)],
            max_seq_len: 3,
            causal: false,
            mlp_exactness: 100,
            compiler_bos: "BOS".into(),
            compiler_pad: "PAD".into(),
        }
    }

    #[test]
    fn vocab_words_become_numbers_or_strings() {
        assert_eq!(
            parse_vocab("1 a 2.5"),
            Ok(vec![
                Value::Int(1),
                Value::Str("a".into()),
                Value::Float(2.5)
            ])
        );
        assert!(parse_vocab("a a").is_err());
        assert!(parse_vocab("  ").is_err());
    }

    #[test]
    fn vocab_rejects_equal_numbers() {
        assert_eq!(
            parse_vocab("1 1.0"),
            Err("invalid --vocab: token `1.0` equals the earlier token `1`".into())
        );
    }

    #[test]
    fn vocab_keeps_unprintable_numbers_as_strings() {
        assert_eq!(
            parse_vocab("1e3 007 -0 2.50 1.5"),
            Ok(vec![
                Value::Str("1e3".into()),
                Value::Str("007".into()),
                Value::Str("-0".into()),
                Value::Str("2.50".into()),
                Value::Float(1.5),
            ])
        );
    }

    #[test]
    fn input_matches_vocab_word() {
        let settings = Settings {
            vocab: parse_vocab("1e3 2").unwrap_or_default(),
            ..settings()
        };
        assert_eq!(
            parse_input("BOS 1e3 2", &settings),
            Ok(vec![Value::Str("1e3".into()), Value::Int(2)])
        );
    }

    #[test]
    fn input_bos_is_optional() {
        let expected = vec![Value::Int(3), Value::Int(1)];
        assert_eq!(parse_input("BOS 3 1", &settings()), Ok(expected.clone()));
        assert_eq!(parse_input("3 1", &settings()), Ok(expected));
    }

    #[test]
    fn input_rejects_unknown_token() {
        let error = parse_input("BOS 3 7", &settings())
            .err()
            .unwrap_or_default();
        assert_eq!(
            error,
            "invalid input token `7` at position 2: expected one of {1, 2, 3}"
        );
    }

    #[test]
    fn input_rejects_long_input() {
        let error = parse_input("1 2 3 1", &settings())
            .err()
            .unwrap_or_default();
        assert!(error.contains("max_seq_len is 3"), "{error}");
    }

    #[test]
    fn input_rejects_late_bos() {
        assert!(parse_input("1 BOS", &settings()).is_err());
    }
}
