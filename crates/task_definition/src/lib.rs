//! The ECS task definition model: validation, canonical forms, comparison.
//!
//! Task definitions are handled as JSON in the ECS API's own camelCase, exactly what
//! RegisterTaskDefinition takes and DescribeTaskDefinition returns. Every field is declared once,
//! in the schema table (`schema.rs`); validation, defaults, list ordering and comparison all read
//! that table.
//!
//! - [`parse_container_definitions`] validates what a user wrote for `aws_ecs_task_definition`;
//!   [`register_form`] turns it into what DescribeTaskDefinition would return for it, so the AWS
//!   provider sees no difference after registration.
//! - [`parse_task_definition`] validates a desired whole task definition,
//!   [`parse_live_task_definition`] reads a live one leniently, [`comparison_form`] normalises
//!   either so that what ECS adds or reorders on its own compares equal, and [`differences`] lists
//!   every real difference.
//!
//! Every function is pure and never panics, whatever JSON it is given.
//!
//! # Decisions on facts no source settles
//!
//! - Environment entries whose value is `""` are left out of the register form and ignored when
//!   comparing: ECS reportedly drops them (terraform-provider-aws #39533, open), so keeping them
//!   would make the provider diff forever, and leaving them out makes what is registered the same
//!   either way.
//! - Host network mode: `hostPort` is sent equal to `containerPort`. Whether ECS fills it is not
//!   known; a value that was sent comes back as sent, so the provider sees no diff either way.
//! - `linuxParameters.capabilities.add: []` is sent when only `drop` is given (reported), but not
//!   `drop: []` when only `add` is given (not reported).
//! - Lists are kept in order unless ECS is known to reorder them (containers, `environment`,
//!   `secrets`, `requiresCompatibilities`) or they are sets by meaning (volumes and placement
//!   constraints, capabilities, device permissions, ignored exit codes): a reordering that ECS
//!   did not make is reported, the lesser error.
//! - A field the schema does not know is ignored on the live side (a newer API adding a field or
//!   a default must not register a revision on every apply) and refused on the desired side.
//! - Documented defaults compare equal to absent even where ECS is not known to fill them in:
//!   `false` for the Docker flags and `readOnly`, `versionConsistency: "enabled"`, EFS
//!   `transitEncryption`/`iam` `DISABLED`, docker volume `local`/`task`/no autoprovision.

mod canonical;
mod diff;
mod parse;
mod schema;
mod validate;

use std::fmt;
use std::str::FromStr;

pub use canonical::{comparison_form, into_comparison_form, into_register_form, register_form};
pub use diff::{Difference, REDACTED, differences, differences_of_comparison_forms};
pub use parse::{
    parse_container_definitions, parse_container_definitions_owned, parse_live_task_definition,
    parse_live_task_definition_owned, parse_task_definition, parse_task_definition_owned,
};

/// A JSON object.
pub type Map = serde_json::Map<String, serde_json::Value>;

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

/// A task's Docker network mode. Absent means `bridge` (on EC2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NetworkMode {
    #[default]
    Bridge,
    Host,
    Awsvpc,
    None,
}

impl NetworkMode {
    /// Every mode, in the order messages list them.
    pub const ALL: [NetworkMode; 4] = [Self::Bridge, Self::Host, Self::Awsvpc, Self::None];

    /// The name the ECS API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::Awsvpc => "awsvpc",
            Self::None => "none",
        }
    }

    /// Parses `text`, naming `path` in the error.
    pub fn parse(text: &str, path: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_str() == text)
            .ok_or_else(|| {
                Error::invalid(
                    path,
                    format!(
                        "must be one of bridge, host, awsvpc, none, got {}",
                        quoted(text)
                    ),
                )
            })
    }

    /// awsvpc and host tasks use the container port on the host: `hostPort` is absent or equal
    /// to `containerPort`. (ECS API reference `PortMapping.hostPort`)
    pub(crate) fn host_port_is_container_port(self) -> bool {
        matches!(self, Self::Awsvpc | Self::Host)
    }
}

impl FromStr for NetworkMode {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::parse(text, "network_mode")
    }
}

impl fmt::Display for NetworkMode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A key (a container or variable name) as paths and lines show it: as it is when it is a plain
/// name, else as a JSON string literal, so that a path stays on one line and unambiguous.
pub(crate) fn key_text(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'));
    if plain { key.to_string() } else { quoted(key) }
}

/// The value of `key` in `value` when it is an object. Entries of keyed lists (`{"name": ...,
/// "value": ...}`) have two or three keys: scanning them is cheaper than hashing the key.
pub(crate) fn entry_field<'a>(
    value: &'a serde_json::Value,
    key: &str,
) -> Option<&'a serde_json::Value> {
    value
        .as_object()?
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
}

/// `text` as a JSON string literal, for messages.
pub(crate) fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A value as compact JSON, shortened for error messages (a difference line shows values whole:
/// two shortened values could look equal).
pub(crate) fn shown(value: &serde_json::Value) -> String {
    const LIMIT: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let short: String = text.chars().take(LIMIT).collect();
        format!("{short}…")
    }
}

#[cfg(test)]
mod tests;
