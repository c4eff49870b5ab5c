//! The one door to the YAML library. Everything else in briefing parses YAML through here, so that
//! moving from `serde_yaml` (deprecated upstream, but stable) to its maintained fork `serde_yaml_ng`
//! is a change to the `use` line below and to `Cargo.toml`.

use serde_yaml as backend;

pub use backend::{Mapping, Value};

/// A YAML syntax error with its place in the parsed text (1-based), when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Parses `text` as one YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    backend::from_str::<Value>(text).map_err(|err| {
        let location = err.location();
        // The library appends " at line L column C" to its messages; the place is reported apart.
        let mut message = err.to_string();
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        // The library's guards against hostile YAML, in words an editor can act on.
        if message == "repetition limit exceeded" {
            message = "it repeats aliases too often (a YAML alias bomb?)".to_string();
        } else if message == "recursion limit exceeded" {
            message = "it nests lists or mappings too deeply".to_string();
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// Deserialises trusted YAML (the built-in reference data) straight into a typed value.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    backend::from_str(text).map_err(|err| YamlError {
        message: err.to_string(),
        line: err.location().map(|l| l.line()),
        column: err.location().map(|l| l.column()),
    })
}

/// Describes a value's YAML type for error messages ("a list", "a number", ...).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_their_place() {
        let err = parse("title: a\ndate: [unclosed\n").unwrap_err();
        assert!(err.line.is_some());
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn dates_stay_text() {
        let value = parse("date: 2022-09-13").unwrap();
        assert_eq!(value["date"], Value::String("2022-09-13".into()));
    }
}
