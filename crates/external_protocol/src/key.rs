//! The declaration of one query key and one result key: what every program's [`crate::Program`]
//! lists, and what the module version check declares for itself.

use serde::Serialize;

/// How a query value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Any string.
    String,
    /// `"true"` or `"false"`.
    Boolean,
    /// A decimal integer of at least 1.
    PositiveInteger,
    /// JSON text inside the string (`jsonencode(...)` in Terraform).
    Json,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Boolean => "\"true\" or \"false\"",
            Kind::PositiveInteger => "positive integer",
            Kind::Json => "JSON in a string",
        }
    }
}

/// One key of the query.
#[derive(Debug, Serialize)]
pub struct QueryKey {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The value used when the key is absent or empty, as the caller would write it.
    pub default: Option<&'static str>,
    pub help: &'static str,
}

/// One key of the result.
#[derive(Debug, Serialize)]
pub struct ResultKey {
    pub name: &'static str,
    pub help: &'static str,
}
