//! Everything speaking the protocol can fail with.

use std::io;

/// What can go wrong while speaking the protocol. Keys and arguments the caller sent are shown
/// escaped (`escape_debug`): one with a newline in it must not break the line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("failed to read the query from stdin")]
    ReadStdin(#[source] io::Error),
    #[error(
        "the query is larger than {limit} bytes; Terraform's external data source sends one small JSON object"
    )]
    QueryTooLarge { limit: u64 },
    #[error("the query is not UTF-8 (invalid byte at offset {offset}); {protocol}")]
    QueryNotUtf8 {
        offset: usize,
        protocol: &'static str,
    },
    #[error("the query is empty; {protocol} on stdin (or pass KEY=VALUE arguments; see --help)")]
    QueryEmpty { protocol: &'static str },
    #[error("the query is not valid JSON; {protocol}")]
    QueryNotJson {
        protocol: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("the query is {found}, not a JSON object; {protocol}")]
    QueryNotObject {
        found: &'static str,
        protocol: &'static str,
    },
    #[error(
        "query key `{}` is {found}, not a string; {protocol} (use jsonencode() for nested data)",
        key.escape_debug()
    )]
    QueryValueNotString {
        key: String,
        found: &'static str,
        protocol: &'static str,
    },
    #[error("unknown query key `{}`; {hint}", key.escape_debug())]
    UnknownKey { key: String, hint: String },
    #[error(
        "the ecs-drift module is version {module} and this program {program}, another minor version whose query differs: install the programs of release v{module} (that release's bundle, bin/), or pin the module's source to ?ref=v{program}"
    )]
    VersionSkew {
        module: String,
        program: &'static str,
    },
    #[error(
        "query key `module_version` must be a version such as 1.2.3, got \"{}\"",
        value.escape_debug()
    )]
    NotAVersion { value: String },
    #[error(
        "argument `{}` is not KEY=VALUE; pass the query as KEY=VALUE arguments or as JSON on stdin (see --help)",
        argument.escape_debug()
    )]
    BadArgument { argument: String },
    #[error("argument `{}=...` is given twice", key.escape_debug())]
    RepeatedArgument { key: String },
    #[error("query key `{key}` is required and must not be empty")]
    MissingKey { key: &'static str },
    #[error("query key `{key}` must be \"true\" or \"false\", got {value:?}")]
    NotBoolean { key: &'static str, value: String },
    #[error("query key `{key}` must be a positive integer, got {value:?}")]
    NotPositiveInteger { key: &'static str, value: String },
    #[error("query key `{key}` is not valid JSON")]
    KeyNotJson {
        key: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("query key `{key}` is JSON of the wrong shape")]
    KeyWrongShape {
        key: &'static str,
        #[source]
        source: serde_json::Error,
    },
}
