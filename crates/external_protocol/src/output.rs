//! Writing the result: one JSON object of strings, keys in a stable order.

use std::collections::BTreeMap;

use crate::spec::Program;

/// The result of a program: string values under the keys its spec declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    values: BTreeMap<&'static str, String>,
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing any earlier value.
    pub fn insert(&mut self, key: &'static str, value: impl Into<String>) -> &mut Self {
        self.values.insert(key, value.into());
        self
    }

    /// Sets `key` to `value` serialised as compact JSON text.
    pub fn insert_json(&mut self, key: &'static str, value: &impl serde::Serialize) -> &mut Self {
        // Serialising maps with string keys and plain values cannot fail.
        let text = serde_json::to_string(value).unwrap_or_default();
        self.insert(key, text)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Every key the spec declares is written, and no other; returns the first offending key.
    pub(crate) fn check_complete(&self, program: &Program) -> Result<(), &'static str> {
        if let Some(missing) = program
            .result
            .iter()
            .find(|key| !self.values.contains_key(key.name))
        {
            return Err(missing.name);
        }
        match self.values.keys().find(|key| !program.writes(key)) {
            Some(extra) => Err(extra),
            None => Ok(()),
        }
    }

    /// The result as JSON text with a final newline: pretty for a person at a terminal, compact
    /// for a pipe.
    pub fn to_json(&self, pretty: bool) -> String {
        let text = if pretty {
            serde_json::to_string_pretty(&self.values)
        } else {
            serde_json::to_string(&self.values)
        };
        text.unwrap_or_default() + "\n"
    }
}
