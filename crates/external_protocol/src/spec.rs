//! What a program accepts and writes, declared once: `--help`, `--schema`, unknown-key checks and
//! defaults are all derived from it.

use serde::Serialize;

use crate::key::{QueryKey, ResultKey};
use crate::version::MODULE_VERSION;

/// A program speaking Terraform's external data source protocol.
#[derive(Debug, Serialize)]
pub struct Program {
    pub name: &'static str,
    pub version: &'static str,
    /// One line: what the program answers.
    pub summary: &'static str,
    /// A paragraph or two: how it decides.
    pub description: &'static str,
    pub query: &'static [QueryKey],
    pub result: &'static [ResultKey],
    /// One shell example that pipes JSON in.
    pub example: &'static str,
}

impl Program {
    pub fn query_key(&self, name: &str) -> Option<&QueryKey> {
        self.query.iter().find(|key| key.name == name)
    }

    /// Whether the query may carry `name`: one of the program's keys, or the module's version
    /// ([`MODULE_VERSION`], which every program reads).
    pub fn accepts(&self, name: &str) -> bool {
        self.query_key(name).is_some() || name == MODULE_VERSION.name
    }

    pub fn writes(&self, name: &str) -> bool {
        self.result.iter().any(|key| key.name == name)
    }

    /// The machine-readable contract printed by `--schema`.
    pub fn schema_json(&self) -> String {
        // Serialising plain static data cannot fail.
        let mut schema = serde_json::to_value(self).unwrap_or_default();
        if let (Some(query), Ok(version)) = (
            schema
                .get_mut("query")
                .and_then(serde_json::Value::as_array_mut),
            serde_json::to_value(&MODULE_VERSION),
        ) {
            query.push(version);
        }
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    }

    /// The text printed by `--help`.
    pub fn help_text(&self) -> String {
        let mut out = String::new();
        let name = self.name;
        out.push_str(&format!("{name} {}\n{}\n\n", self.version, self.summary));
        push_wrapped(&mut out, self.description, "");
        out.push_str(&format!(
            "\nUSAGE\n  {name} < query.json\n  {name} KEY=VALUE ...\n  {name} --help | --version | --schema\n\n\
             The query is ONE JSON object whose values are all strings (Terraform's `data \"external\"`\n\
             protocol); nested data is JSON text inside a string. KEY=VALUE arguments are the same query,\n\
             for a shell. The result is one JSON object of strings on stdout. On any error: one line on\n\
             stderr, exit status 1, nothing on stdout.\n\nQUERY KEYS\n"
        ));
        for key in self.query.iter().chain(std::iter::once(&MODULE_VERSION)) {
            let necessity = match (key.required, key.default) {
                (true, _) => "required".to_string(),
                (false, Some(default)) => format!("optional, default {default}"),
                (false, None) => "optional".to_string(),
            };
            out.push_str(&format!(
                "  {}  ({}; {necessity})\n",
                key.name,
                key.kind.describe()
            ));
            push_wrapped(&mut out, key.help, "      ");
        }
        out.push_str("\nRESULT KEYS\n");
        for key in self.result {
            out.push_str(&format!("  {}\n", key.name));
            push_wrapped(&mut out, key.help, "      ");
        }
        out.push_str("\nEXAMPLE\n");
        for line in self.example.lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out
    }
}

/// Appends `text` wrapped at 100 columns, every line starting with `indent`; blank lines in
/// `text` separate paragraphs.
fn push_wrapped(out: &mut String, text: &str, indent: &str) {
    const WIDTH: usize = 100;
    for (index, paragraph) in text.split("\n\n").enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > WIDTH {
                out.push_str(&format!("{indent}{line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
}

/// The accepted name closest to `word`, when one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&word_lower, &candidate.to_ascii_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let names = ["environment", "essential", "entryPoint"];
        assert_eq!(suggest("enviroment", names), Some("environment"));
        assert_eq!(suggest("Environment", names), Some("environment"));
        assert_eq!(suggest("esential", names), Some("essential"));
    }

    #[test]
    fn suggests_nothing_for_an_unrelated_word() {
        assert_eq!(suggest("zzz", ["environment", "image"]), None);
        assert_eq!(suggest("anything", std::iter::empty()), None);
    }

    #[test]
    fn wraps_long_paragraphs_with_the_indent() {
        let mut out = String::new();
        let text = "word ".repeat(40);
        push_wrapped(&mut out, &text, "    ");
        assert!(out.lines().count() > 1);
        assert!(
            out.lines()
                .all(|line| line.len() <= 100 && line.starts_with("    "))
        );
    }
}
