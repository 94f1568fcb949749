//! The checks every rule uses: a number in its range, a value of an allowed set, a required
//! member, a name ECS accepts, names unique in their list, and names in a message.

use std::fmt;

use crate::error::{Error, quoted};
use crate::json::{Map, string};

pub(crate) fn in_range(
    path: impl fmt::Display,
    value: Option<i64>,
    min: i64,
    max: i64,
) -> Result<(), Error> {
    match value {
        Some(value) if !(min..=max).contains(&value) => Err(Error::invalid(
            path.to_string(),
            format!("must be {min}..{max}, got {value}"),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn one_of(
    path: impl fmt::Display,
    value: Option<&str>,
    allowed: &[&str],
) -> Result<(), Error> {
    match value {
        Some(value) if !allowed.contains(&value) => Err(Error::invalid(
            path.to_string(),
            format!(
                "must be one of {}, got {}",
                allowed.join(", "),
                quoted(value)
            ),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn required<'a>(
    map: &'a Map,
    key: &str,
    path: impl fmt::Display,
) -> Result<&'a str, Error> {
    match string(map, key) {
        Some("") => Err(Error::invalid(format!("{path}.{key}"), "must not be empty")),
        Some(value) => Ok(value),
        None => Err(Error::invalid(format!("{path}.{key}"), "is required")),
    }
}

/// 1-255 letters, digits, hyphens and underscores: container and volume names, families.
/// (ECS API reference `ContainerDefinition.name`, `Volume.name`, `RegisterTaskDefinition.family`)
pub(crate) fn check_name(path: impl fmt::Display, name: &str) -> Result<(), Error> {
    let valid = (1..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(
            path.to_string(),
            format!(
                "must be 1-255 letters, digits, hyphens or underscores, got {}",
                quoted(name)
            ),
        ))
    }
}

/// Adds `name` to `names`, the keys of the list `list` so far, or fails when it is already one.
pub(crate) fn unique<'a>(
    names: &mut Vec<&'a str>,
    name: &'a str,
    path: impl fmt::Display,
    list: impl fmt::Display,
    what: &str,
) -> Result<(), Error> {
    if let Some(first) = names.iter().position(|known| *known == name) {
        return Err(Error::invalid(
            path.to_string(),
            format!(
                "{} is already the name of {list}[{first}]; {what} must be unique",
                quoted(name)
            ),
        ));
    }
    names.push(name);
    Ok(())
}

/// Names for a message, each as it is when it is a valid name, else quoted: a name not yet
/// checked may hold anything, a newline included.
pub(crate) fn list_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| match check_name("", name) {
            Ok(()) => name.to_string(),
            Err(_) => quoted(name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
