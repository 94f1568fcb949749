//! Reading the query: one JSON object of strings, checked against the program's keys, with typed
//! access whose errors name the key.

use std::collections::BTreeMap;
use std::io::Read;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::key::Kind;
use crate::spec::{Program, suggest};
use crate::version::{self, MODULE_VERSION, Skew};

/// The largest query accepted. ECS refuses task definitions over 64 KiB; a query carries at most a
/// few of them as JSON text, so 4 MiB leaves room and still stops a runaway pipe.
pub const MAX_QUERY_BYTES: u64 = 4 * 1024 * 1024;

/// What Terraform's external protocol expects, appended to errors about the shape of the query.
const PROTOCOL: &str =
    "Terraform's external data source sends one JSON object whose values are all strings";

/// A validated query: every key is one the program accepts.
#[derive(Debug, Clone)]
pub struct Query {
    program: &'static Program,
    values: BTreeMap<String, String>,
}

impl Query {
    /// Reads the whole of `input` (at most [`MAX_QUERY_BYTES`]) as the query.
    pub fn read(program: &'static Program, input: impl Read) -> Result<Self, Error> {
        let mut bytes = Vec::new();
        input
            .take(MAX_QUERY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(Error::ReadStdin)?;
        if bytes.len() as u64 > MAX_QUERY_BYTES {
            return Err(Error::QueryTooLarge {
                limit: MAX_QUERY_BYTES,
            });
        }
        Self::parse(program, &bytes)
    }

    /// Parses `bytes` as the query.
    pub fn parse(program: &'static Program, bytes: &[u8]) -> Result<Self, Error> {
        let text = std::str::from_utf8(bytes).map_err(|error| Error::QueryNotUtf8 {
            offset: error.valid_up_to(),
            protocol: PROTOCOL,
        })?;
        if text.trim().is_empty() {
            return Err(Error::QueryEmpty { protocol: PROTOCOL });
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|source| Error::QueryNotJson {
                protocol: PROTOCOL,
                source,
            })?;
        let serde_json::Value::Object(object) = value else {
            return Err(Error::QueryNotObject {
                found: json_type(&value),
                protocol: PROTOCOL,
            });
        };
        let mut values = BTreeMap::new();
        for (key, value) in object {
            match value {
                serde_json::Value::String(value) => {
                    values.insert(key, value);
                }
                other => {
                    return Err(Error::QueryValueNotString {
                        key,
                        found: json_type(&other),
                        protocol: PROTOCOL,
                    });
                }
            }
        }
        Self::from_pairs(program, values)
    }

    /// Builds the query from `key=value` command-line arguments.
    pub fn from_arguments(
        program: &'static Program,
        arguments: impl IntoIterator<Item = String>,
    ) -> Result<Self, Error> {
        let mut values = BTreeMap::new();
        for argument in arguments {
            let Some((key, value)) = argument.split_once('=') else {
                return Err(Error::BadArgument { argument });
            };
            if values.insert(key.to_string(), value.to_string()).is_some() {
                return Err(Error::RepeatedArgument {
                    key: key.to_string(),
                });
            }
        }
        Self::from_pairs(program, values)
    }

    fn from_pairs(
        program: &'static Program,
        values: BTreeMap<String, String>,
    ) -> Result<Self, Error> {
        // The version first: keys that differ between releases are a consequence of it.
        let skew = version::compare(
            values.get(MODULE_VERSION.name).map(String::as_str),
            program.version,
        );
        match &skew {
            Skew::Minor(module) => {
                return Err(Error::VersionSkew {
                    module: module.clone(),
                    program: program.version,
                });
            }
            Skew::Invalid(value) => {
                return Err(Error::NotAVersion {
                    value: value.clone(),
                });
            }
            Skew::Unknown | Skew::Same | Skew::Patch(_) => {}
        }
        if let Some(key) = values.keys().find(|key| !program.accepts(key)) {
            let accepted = program
                .query
                .iter()
                .chain(std::iter::once(&MODULE_VERSION))
                .map(|key| key.name);
            let mut hint = match suggest(key, accepted) {
                Some(closest) => format!("did you mean `{closest}`?"),
                None => format!(
                    "accepted keys: {}",
                    program
                        .query
                        .iter()
                        .map(|key| key.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            if let Some(version) = version::unknown_key_hint(&skew, program.version) {
                // After a question, a new sentence; after the list of keys, a new clause.
                if hint.ends_with('?') {
                    hint.push(' ');
                    let mut letters = version.chars();
                    hint.extend(letters.next().map(|first| first.to_ascii_uppercase()));
                    hint.extend(letters);
                } else {
                    hint.push_str("; ");
                    hint.push_str(&version);
                }
            }
            return Err(Error::UnknownKey {
                key: key.clone(),
                hint,
            });
        }
        Ok(Self { program, values })
    }

    /// The raw value, or `None` when absent or empty (Terraform modules pass `""` for "unset").
    fn raw(&self, key: &'static str, kind: Kind) -> Option<&str> {
        let declared = self.program.query_key(key);
        debug_assert!(
            declared.is_some_and(|declared| declared.kind == kind),
            "{} reads query key {key} as {kind:?}, which its spec does not declare",
            self.program.name
        );
        match self.values.get(key).map(String::as_str) {
            Some("") | None => declared.and_then(|declared| declared.default),
            Some(value) => Some(value),
        }
    }

    /// A required, non-empty string.
    pub fn string(&self, key: &'static str) -> Result<&str, Error> {
        self.raw(key, Kind::String).ok_or(Error::MissingKey { key })
    }

    /// A string, or `None` when absent or empty.
    pub fn optional_string(&self, key: &'static str) -> Option<&str> {
        self.raw(key, Kind::String)
    }

    /// `"true"` or `"false"`; absent or empty means the declared default, else false.
    pub fn boolean(&self, key: &'static str) -> Result<bool, Error> {
        match self.raw(key, Kind::Boolean) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(value) => Err(Error::NotBoolean {
                key,
                value: value.to_string(),
            }),
        }
    }

    /// A decimal integer of at least 1, or `None` when absent, empty and without a default.
    pub fn positive_integer(&self, key: &'static str) -> Result<Option<u64>, Error> {
        let Some(value) = self.raw(key, Kind::PositiveInteger) else {
            return Ok(None);
        };
        match value.trim().parse::<u64>() {
            Ok(number) if number >= 1 => Ok(Some(number)),
            _ => Err(Error::NotPositiveInteger {
                key,
                value: value.to_string(),
            }),
        }
    }

    /// JSON text inside the string, decoded; `None` when absent, empty or only whitespace.
    pub fn json<T: DeserializeOwned>(&self, key: &'static str) -> Result<Option<T>, Error> {
        let Some(text) = self.raw(key, Kind::Json) else {
            return Ok(None);
        };
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text)
            .map(Some)
            .map_err(|source| match source.classify() {
                serde_json::error::Category::Data => Error::KeyWrongShape { key, source },
                _ => Error::KeyNotJson { key, source },
            })
    }

    /// Whether the caller set `key` to a non-empty value.
    pub fn is_set(&self, key: &str) -> bool {
        self.values.get(key).is_some_and(|value| !value.is_empty())
    }
}

/// The JSON type of a value, for error messages.
pub fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
