//! Reading JSON into the model: a walk over the schema table that checks types and keys.
//!
//! The strict walk (user input) refuses unknown keys and wrong types. The lenient walk (what
//! DescribeTaskDefinition returned) drops unknown keys and keeps values of an unexpected type as
//! they are, so that they compare as different rather than failing the plan.

use std::fmt;

use serde_json::Value;

use crate::container;
use crate::error::{Error, quoted, shown};
use crate::json::{Map, integer};
use crate::network_mode::NetworkMode;
use crate::schema::{self, Field, Kind, Table};
use crate::task;
use crate::units::Unit;

/// User-written container definitions (a JSON array, as `aws_ecs_task_definition` takes them),
/// strictly read and held to each field's rules: `environment`/`secrets` objects turned into
/// lists, nulls dropped, in input order. What RegisterTaskDefinition refuses beyond that is
/// `registration.rs`'s; callers outside the crate get both, in one step (`desired.rs`).
///
/// `root` names the array in messages (`container_definitions`).
pub(crate) fn read_container_definitions(
    value: Value,
    root: &str,
    network_mode: NetworkMode,
) -> Result<Vec<Map>, Error> {
    let Value::Array(items) = value else {
        return Err(wrong_type(
            root,
            "an array of container definitions",
            &value,
            false,
        ));
    };
    let walk = Reader { strict: true };
    let root_path = Path::Root(root);
    let containers = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| walk.object(item, &schema::CONTAINER, &Path::Index(&root_path, index)))
        .collect::<Result<Vec<Map>, Error>>()?;
    let refs: Vec<&Map> = containers.iter().collect();
    container::check_containers(&refs, root, network_mode, None)?;
    Ok(containers)
}

/// A desired whole task definition (task-level fields in camelCase plus `containerDefinitions`),
/// strictly read and held to each field's rules. Nulls are dropped and `environment`/`secrets`
/// objects turned into lists; nothing else is changed. As for [`read_container_definitions`],
/// the registration rules are `desired.rs`'s second step.
pub(crate) fn read_task_definition(value: Value, root: &str) -> Result<Map, Error> {
    let Value::Object(object) = &value else {
        return Err(wrong_type(root, "an object", &value, false));
    };
    if let Some(key) = schema::READ_ONLY_TASK_FIELDS
        .iter()
        .find(|key| object.contains_key(**key))
    {
        return Err(Error::invalid(
            format!("{root}.{key}"),
            "is read-only (DescribeTaskDefinition returns it, RegisterTaskDefinition does not take it); leave it out",
        ));
    }
    if object.contains_key("tags") {
        return Err(Error::invalid(
            format!("{root}.tags"),
            "are not part of a task definition revision; set them on the aws_ecs_task_definition resource",
        ));
    }
    let task = Reader { strict: true }.object(value, &schema::TASK, &Path::Root(root))?;
    task::check_task(&task, root)?;
    Ok(task)
}

/// A live task definition, as DescribeTaskDefinition returns it (with or without the
/// `{"taskDefinition": ...}` envelope): read-only fields and fields the schema does not know are
/// dropped, nulls too; values of an unexpected type are kept as they are.
///
/// Fails only when the document cannot be a task definition: not an object, or containers that
/// cannot be matched by name.
///
/// It takes the value it reads: its strings are moved into the result, not copied.
pub fn parse_live_task_definition(value: Value, root: &str) -> Result<Map, Error> {
    // The whole DescribeTaskDefinition response: {"taskDefinition": {...}, "tags": [...]}.
    let (value, root) = match value {
        Value::Object(mut object)
            if !object.contains_key("containerDefinitions")
                && object.get("taskDefinition").is_some_and(Value::is_object) =>
        {
            let inner = object.remove("taskDefinition").unwrap_or_default();
            (inner, format!("{root}.taskDefinition"))
        }
        value => (value, root.to_string()),
    };
    let task = Reader { strict: false }.object(value, &schema::TASK, &Path::Root(&root))?;
    let path = format!("{root}.containerDefinitions");
    let Some(containers) = task.get("containerDefinitions") else {
        return Err(Error::invalid(path, "is required"));
    };
    let Value::Array(containers) = containers else {
        return Err(wrong_type(&path, "an array", containers, false));
    };
    let mut names: Vec<&str> = Vec::with_capacity(containers.len());
    for (index, container) in containers.iter().enumerate() {
        let name_path = || format!("{path}[{index}].name");
        let name = match container.get("name") {
            Some(Value::String(name)) if !name.is_empty() => name.as_str(),
            Some(other) => return Err(wrong_type(name_path(), "a non-empty string", other, false)),
            None => return Err(Error::invalid(name_path(), "is required")),
        };
        if names.contains(&name) {
            return Err(Error::invalid(
                name_path(),
                format!(
                    "{} is used by two containers; names must be unique",
                    quoted(name)
                ),
            ));
        }
        names.push(name);
    }
    Ok(task)
}

/// Where the walk is: a chain of segments on the stack, written out only for a message.
#[derive(Debug, Clone, Copy)]
enum Path<'a> {
    /// The name the caller gave the whole value (`container_definitions`).
    Root(&'a str),
    /// A key of an object: `path.key`, or `path["odd key"]` (see [`join`]).
    Key(&'a Path<'a>, &'a str),
    /// An item of a list: `path[index]`.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(root) => formatter.write_str(root),
            Path::Key(parent, key) => formatter.write_str(&join(&parent.to_string(), key)),
            Path::Index(parent, index) => write!(formatter, "{parent}[{index}]"),
        }
    }
}

/// The error for a value of the wrong type. A sensitive value is described by its type only.
fn wrong_type(
    path: impl fmt::Display,
    expected: &'static str,
    found: &Value,
    sensitive: bool,
) -> Error {
    let kind = external_protocol::json_type(found);
    let wants_structure = expected.starts_with("an array") || expected.starts_with("an object");
    let found = match found {
        // JSON text where JSON was expected: encoded twice (jsonencode of a jsonencode'd value,
        // or a resource's JSON string attribute passed on as it is).
        Value::String(text) if wants_structure && holds_json_structure(text) => {
            "a string of JSON text (decode it with jsondecode() first)".to_string()
        }
        Value::Bool(_) | Value::Number(_) | Value::String(_) if !sensitive => {
            format!("{kind} {}", shown(found))
        }
        _ => kind.to_string(),
    };
    Error::WrongType {
        path: path.to_string(),
        expected,
        found,
    }
}

fn holds_json_structure(text: &str) -> bool {
    matches!(
        serde_json::from_str::<Value>(text),
        Ok(Value::Array(_) | Value::Object(_))
    )
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "a string",
        Kind::Integer => "an integer",
        Kind::Boolean => "a boolean (true or false)",
        Kind::StringMap => "an object of strings",
        Kind::List(_) => "an array",
        Kind::Object(_) => "an object",
        Kind::Size(Unit::Cpu) => "a string or a number (CPU units like \"256\", or \"1 vCPU\")",
        Kind::Size(Unit::Memory) => "a string or a number (MiB like \"512\", or \"1 GB\")",
    }
}

/// Reads JSON into the model along the schema table: strictly (what a user wrote: unknown keys
/// and wrong types refused) or leniently (what ECS returned: unknown keys dropped).
struct Reader {
    strict: bool,
}

impl Reader {
    fn object(&self, value: Value, table: &'static Table, path: &Path) -> Result<Map, Error> {
        let input = match value {
            Value::Object(input) => input,
            other => return Err(wrong_type(path, "an object", &other, false)),
        };
        if self.strict
            && let Some(key) = input.keys().find(|key| table.field(key).is_none())
        {
            let hint = match external_protocol::suggest(key, table.names()) {
                Some(closest) => format!("did you mean {closest}?"),
                None => format!(
                    "the fields are {}",
                    table.names().collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(Error::UnknownField {
                path: join(&path.to_string(), key),
                what: table.what,
                hint,
            });
        }
        table.change_fields(input, |field, value| {
            if value.is_null() {
                return Ok(None);
            }
            let path = Path::Key(path, field.name);
            self.value(value, field.kind, field, &path).map(Some)
        })
    }

    fn mismatch(
        &self,
        path: &Path,
        kind: Kind,
        value: Value,
        field: &Field,
    ) -> Result<Value, Error> {
        if self.strict {
            Err(wrong_type(path, expected(kind), &value, field.sensitive))
        } else {
            Ok(value)
        }
    }

    fn value(&self, value: Value, kind: Kind, field: &Field, path: &Path) -> Result<Value, Error> {
        match kind {
            Kind::String => match value {
                Value::String(_) => Ok(value),
                _ => self.mismatch(path, kind, value, field),
            },
            Kind::Integer => match integer(&value) {
                Some(number) => Ok(Value::from(number)),
                None => self.mismatch(path, kind, value, field),
            },
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(value),
                _ => self.mismatch(path, kind, value, field),
            },
            Kind::Size(_) => match value {
                Value::String(_) => Ok(value),
                Value::Number(number) => Ok(Value::String(number.to_string())),
                _ => self.mismatch(path, kind, value, field),
            },
            Kind::StringMap => {
                let Value::Object(mut input) = value else {
                    return self.mismatch(path, kind, value, field);
                };
                if self.strict
                    && let Some((key, item)) = input
                        .iter()
                        .find(|(_, item)| !matches!(item, Value::String(_) | Value::Null))
                {
                    return Err(wrong_type(Path::Key(path, key), "a string", item, false));
                }
                input.retain(|_, item| !item.is_null());
                Ok(Value::Object(input))
            }
            Kind::Object(table) => match value {
                Value::Object(_) => Ok(Value::Object(self.object(value, table, path)?)),
                _ => self.mismatch(path, kind, value, field),
            },
            Kind::List(item_kind) => match (value, field.object_form) {
                (Value::Array(items), _) => {
                    let mut output = Vec::with_capacity(items.len());
                    for (index, item) in items.into_iter().enumerate() {
                        let item_path = Path::Index(path, index);
                        if item.is_null() {
                            if self.strict {
                                return Err(wrong_type(
                                    item_path,
                                    expected(*item_kind),
                                    &item,
                                    false,
                                ));
                            }
                            continue;
                        }
                        output.push(self.value(item, *item_kind, field, &item_path)?);
                    }
                    Ok(Value::Array(output))
                }
                (Value::Object(entries), Some(value_key)) => {
                    self.object_form(entries, value_key, field, path)
                }
                (value, _) => self.mismatch(path, kind, value, field),
            },
        }
    }

    /// `{"LOG_LEVEL": "info"}` -> `[{"name": "LOG_LEVEL", "value": "info"}]`.
    fn object_form(
        &self,
        entries: Map,
        value_key: &str,
        field: &Field,
        path: &Path,
    ) -> Result<Value, Error> {
        let sensitive = match field.kind {
            Kind::List(Kind::Object(table)) => table
                .field(value_key)
                .is_some_and(|value_field| value_field.sensitive),
            _ => false,
        };
        let mut pairs: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for (name, item) in entries {
            match item {
                Value::String(_) => {}
                Value::Null if !self.strict => continue,
                _ if self.strict => {
                    let what = if value_key == "value" {
                        "a string (environment values are strings: quote numbers and booleans)"
                    } else {
                        "a string (the ARN of the secret)"
                    };
                    return Err(wrong_type(Path::Key(path, &name), what, &item, sensitive));
                }
                _ => {}
            }
            pairs.push((name, item));
        }
        // An object has no order a reader can rely on (Terraform sorts its keys): by name.
        // The names are an object's keys, so no two are equal.
        pairs.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        let output = pairs
            .into_iter()
            .map(|(name, item)| {
                let mut entry = Map::with_capacity(2);
                entry.insert("name".to_string(), Value::String(name));
                entry.insert(value_key.to_string(), item);
                Value::Object(entry)
            })
            .collect();
        Ok(Value::Array(output))
    }
}

/// `path.key`; a key that is not a plain name (a dot, a space, a newline, ...) is written as a
/// quoted index, `path["key.with dots"]`, so that the path stays readable and on one line.
fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", quoted(key)),
    }
}
