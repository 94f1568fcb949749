//! The crate's one error type, and how its messages show values.

use serde_json::Value;

/// What can be wrong with a task definition. The message is one line that names the path, the
/// value found and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A value of the wrong JSON type.
    #[error("{path} must be {expected}, got {found}")]
    WrongType {
        path: String,
        expected: &'static str,
        found: String,
    },
    /// A key the ECS API does not have (the AWS provider silently drops those).
    #[error("{path} is not a{article} {what} field; {hint}", article = article(what))]
    UnknownField {
        path: String,
        what: &'static str,
        hint: String,
    },
    /// A value the ECS API would refuse, or that would not do what was meant.
    #[error("{path} {problem}")]
    Invalid { path: String, problem: String },
}

/// "an" before the table names that start with a vowel sound (`an efsVolumeConfiguration`,
/// but `a ulimit`).
fn article(what: &str) -> &'static str {
    match what.chars().next() {
        Some('a' | 'e' | 'i' | 'o') => "n",
        _ => "",
    }
}

impl Error {
    pub(crate) fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            problem: problem.into(),
        }
    }

    /// The path of the offending value, e.g. `container_definitions[0].portMappings[1].containerPort`.
    pub fn path(&self) -> &str {
        match self {
            Self::WrongType { path, .. }
            | Self::UnknownField { path, .. }
            | Self::Invalid { path, .. } => path,
        }
    }
}

/// `text` as a JSON string literal, for messages.
pub(crate) fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}

/// A value as compact JSON, shortened for error messages (a difference line shows values whole:
/// two shortened values could look equal).
pub(crate) fn shown(value: &Value) -> String {
    const LIMIT: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let short: String = text.chars().take(LIMIT).collect();
        format!("{short}…")
    }
}
