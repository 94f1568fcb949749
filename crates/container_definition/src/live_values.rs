//! Environment variables and Docker labels a deploy pipeline owns (`live_environment`,
//! `live_docker_labels`): for each key named there, the value the service runs is kept, as the
//! live image is.

use std::collections::{BTreeMap, BTreeSet};

use external_protocol::{Query, suggest};
use serde_json::Value;
use task_definition::Map;

use crate::error::Error;

/// A container definition's name.
pub(crate) fn container_name(container: &Map) -> Option<&str> {
    container.get("name").and_then(Value::as_str)
}

/// Which list of a container definition a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Environment,
    DockerLabels,
}

impl Field {
    /// The query key naming the keys the pipeline owns.
    pub fn names_key(self) -> &'static str {
        match self {
            Field::Environment => "live_environment",
            Field::DockerLabels => "live_docker_labels",
        }
    }

    /// The query key carrying the live values (live_task_lookup's result).
    pub fn values_key(self) -> &'static str {
        match self {
            Field::Environment => "live_environment_values",
            Field::DockerLabels => "live_docker_label_values",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Field::Environment => "environment variable name",
            Field::DockerLabels => "Docker label key",
        }
    }
}

/// Whether `name` may be named in `live_environment`: a portable environment variable name,
/// letters, digits and `_`, not starting with a digit (POSIX.1-2017, Base Definitions, 8.1
/// "Environment Variable Definition",
/// https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/V1_chap08.html). Lower-case letters
/// are accepted: the shells of container images take them.
pub fn is_environment_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

/// Whether `key` may be named in `live_docker_labels`: letters, digits, `.`, `-`, `_` and `/`,
/// starting and ending with a letter or digit. Docker's label guidelines ask for reverse-DNS keys
/// of lower-case letters, digits, `.` and `-` (https://docs.docker.com/engine/manage-resources/labels/,
/// "Key format recommendations"); `_`, `/` and upper case are in keys that tools use
/// (`com.datadoghq.ad.check_names`), so they are accepted too.
pub fn is_docker_label_key(key: &str) -> bool {
    let edge = |byte: Option<u8>| byte.is_some_and(|byte| byte.is_ascii_alphanumeric());
    edge(key.bytes().next())
        && edge(key.bytes().last())
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'/'))
}

/// Where the value of a named key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// The value the service runs.
    Live,
    /// Terraform's value: the first apply, a new container, or a key the live container lacks.
    Bootstrap,
    /// Terraform's value, by `force_bootstrap_image`.
    Forced,
    /// Neither the service nor Terraform has a value: the key stays unset.
    Absent,
}

impl ValueSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueSource::Live => "live",
            ValueSource::Bootstrap => "bootstrap",
            ValueSource::Forced => "forced",
            ValueSource::Absent => "absent",
        }
    }
}

/// Container name -> the keys named for it.
pub type Named = BTreeMap<String, BTreeSet<String>>;
/// Container name -> key -> value.
pub type Values = BTreeMap<String, BTreeMap<String, String>>;

/// The named keys of `field`, checked against the containers: each container exists and follows
/// deployments (`follows`), each key is well formed, and no environment key is also a secret.
pub fn read_named(
    query: &Query,
    field: Field,
    containers: &[Map],
    follows: &dyn Fn(&str) -> bool,
) -> Result<Named, Error> {
    let key = field.names_key();
    let named: BTreeMap<String, Vec<String>> = query.json(key)?.unwrap_or_default();
    let mut checked = Named::new();
    for (container, names) in named {
        let Some(definition) = containers
            .iter()
            .find(|definition| container_name(definition) == Some(container.as_str()))
        else {
            let known: Vec<&str> = containers.iter().filter_map(container_name).collect();
            let hint = match suggest(&container, known.iter().copied()) {
                Some(closest) => format!("did you mean `{closest}`?"),
                None => format!("containers: {}", known.join(", ")),
            };
            return Err(Error::LiveValues(format!(
                "{key} names container `{}`, which is not a container of container_definitions; {hint}",
                container.escape_debug()
            )));
        };
        if !follows(&container) {
            return Err(Error::LiveValues(format!(
                "{key} names container `{container}`, whose image is pinned (not in \
                 live_image_containers): a pinned container is deployed by Terraform alone; add it \
                 to live_image_containers or leave it out of {key}"
            )));
        }
        let secrets = secret_names(definition);
        let mut seen = BTreeSet::new();
        for name in &names {
            if !seen.insert(name.as_str()) {
                return Err(Error::LiveValues(format!(
                    "{key}[{container:?}] names {name:?} twice; name each once"
                )));
            }
            let valid = match field {
                Field::Environment => is_environment_name(name),
                Field::DockerLabels => is_docker_label_key(name),
            };
            if !valid {
                return Err(Error::LiveValues(format!(
                    "{key}[{container:?}] names {name:?}, which is not a valid {}",
                    field.what()
                )));
            }
            if field == Field::Environment && secrets.contains(name.as_str()) {
                return Err(Error::LiveValues(format!(
                    "{key}[{container:?}] names {name:?}, which container `{container}` sets in \
                     secrets: a secret comes from Secrets Manager or Parameter Store, not from a \
                     deploy; leave it out of {key}"
                )));
            }
        }
        checked.insert(container, names.into_iter().collect());
    }
    Ok(checked)
}

/// The names a container takes from `secrets`.
fn secret_names(container: &Map) -> BTreeSet<&str> {
    container
        .get("secrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|secret| secret.get("name").and_then(Value::as_str))
        .collect()
}

/// The live values of `field` (live_task_lookup's `environment` or `docker_labels`).
pub fn read_values(query: &Query, field: Field) -> Result<Values, Error> {
    Ok(query.json(field.values_key())?.unwrap_or_default())
}

/// Sets the named keys of `field` in `container` to the live value where there is one (unless
/// `forced`), and returns where each came from. One pass over the container's list: a task
/// definition may hold hundreds of variables.
pub fn apply(
    container: &mut Map,
    field: Field,
    names: &BTreeSet<String>,
    live: Option<&BTreeMap<String, String>>,
    forced: bool,
) -> BTreeMap<String, &'static str> {
    let live = live.filter(|_| !forced);
    let live_value = |name: &str| live.and_then(|values| values.get(name));
    // The named keys Terraform writes a value for.
    let mut configured = BTreeSet::new();
    match field {
        Field::Environment => {
            if let Some(Value::Array(entries)) = container.get_mut("environment") {
                for entry in entries.iter_mut() {
                    let Some(name) = entry.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    let Some(name) = names.get(name) else {
                        continue;
                    };
                    configured.insert(name.as_str());
                    if let (Some(value), Value::Object(entry)) = (live_value(name), entry) {
                        entry.insert("value".into(), Value::String(value.clone()));
                    }
                }
            }
            let added: Vec<Value> = names
                .iter()
                .filter(|name| !configured.contains(name.as_str()))
                .filter_map(|name| {
                    let value = live_value(name)?;
                    Some(serde_json::json!({ "name": name, "value": value }))
                })
                .collect();
            if !added.is_empty() {
                let entries = container
                    .entry("environment")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(entries) = entries {
                    entries.extend(added);
                }
            }
        }
        Field::DockerLabels => {
            if let Some(Value::Object(labels)) = container.get("dockerLabels") {
                configured.extend(
                    names
                        .iter()
                        .filter(|name| labels.contains_key(name.as_str()))
                        .map(String::as_str),
                );
            }
            let live_labels: Vec<(&String, &String)> = names
                .iter()
                .filter_map(|name| Some((name, live_value(name)?)))
                .collect();
            if !live_labels.is_empty() {
                let labels = container
                    .entry("dockerLabels")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(labels) = labels {
                    for (name, value) in live_labels {
                        labels.insert(name.clone(), Value::String(value.clone()));
                    }
                }
            }
        }
    }
    names
        .iter()
        .map(|name| {
            let source = if live_value(name).is_some() {
                ValueSource::Live
            } else if !configured.contains(name.as_str()) {
                ValueSource::Absent
            } else if forced {
                ValueSource::Forced
            } else {
                ValueSource::Bootstrap
            };
            (name.clone(), source.as_str())
        })
        .collect()
}
