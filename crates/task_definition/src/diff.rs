//! Comparing a desired task definition with the live one: every difference, with its path.

use std::fmt;

use serde_json::Value;

use crate::canonical::comparison_form;
use crate::error::quoted;
use crate::json::{Map, entry_field};
use crate::schema::{self, Field, Kind, Lit, Order, Table};

/// What replaces an environment value in differences unless values are asked for.
pub const REDACTED: &str = "(redacted)";

/// One difference between the live and the desired task definition.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Difference {
    /// Where: `cpu`, `containerDefinitions[app].environment[LOG_LEVEL].value`,
    /// `containerDefinitions[app].command`, `containerDefinitions[sidecar]`. Containers and
    /// other keyed entries are named by their key, lists that keep their order by index.
    pub path: String,
    /// The live value in comparison form; null when absent.
    pub live: Value,
    /// The desired value in comparison form; null when absent.
    pub desired: Value,
    /// The readable line (also what `Display` writes), e.g. `task: cpu 256 -> 512`.
    pub line: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.line)
    }
}

/// Every difference between `desired` and `live`, task-level fields first in schema order,
/// then container by container (by name).
///
/// Both sides may be given in any form (parsed, register form, comparison form): each is put in
/// [`comparison_form`] first, which is idempotent. Containers are matched by name. Environment
/// values are shown as [`REDACTED`] unless `show_environment_values`; secret `valueFrom` ARNs are
/// not secret and are always shown.
pub fn differences(desired: &Map, live: &Map, show_environment_values: bool) -> Vec<Difference> {
    differences_of_comparison_forms(
        &comparison_form(desired.clone()),
        &comparison_form(live.clone()),
        show_environment_values,
    )
}

/// [`differences`] of two task definitions already in [`comparison_form`] (or
/// `comparison_form`), which are compared as they are: a caller that has the
/// comparison forms saves putting them in that form again. Given other forms, ECS's own
/// additions and reorderings would be reported as differences.
pub fn differences_of_comparison_forms(
    desired: &Map,
    live: &Map,
    show_environment_values: bool,
) -> Vec<Difference> {
    let mut walk = Comparison {
        show: show_environment_values,
        found: Vec::new(),
    };
    walk.object(desired, live, &schema::TASK, &Location::task());
    walk.found
}

/// Where a value is: the scope of the line (`task` or `container NAME`), the path inside it, and
/// the full path.
#[derive(Debug, Clone)]
struct Location {
    scope: String,
    /// Path relative to the scope, as the line shows it.
    label: String,
    /// Full path.
    path: String,
}

impl Location {
    fn task() -> Self {
        Self {
            scope: "task".to_string(),
            label: String::new(),
            path: String::new(),
        }
    }

    fn field(&self, name: &str) -> Self {
        Self {
            scope: self.scope.clone(),
            label: dotted(&self.label, name),
            path: dotted(&self.path, name),
        }
    }

    fn index(&self, index: usize) -> Self {
        Self {
            scope: self.scope.clone(),
            label: format!("{}[{index}]", self.label),
            path: format!("{}[{index}]", self.path),
        }
    }

    fn key(&self, key: &str) -> Self {
        let key = key_text(key);
        Self {
            scope: self.scope.clone(),
            label: format!("{}[{key}]", self.label),
            path: format!("{}[{key}]", self.path),
        }
    }
}

/// A key (a container or variable name) as paths and lines show it: as it is when it is a plain
/// name, else as a JSON string literal, so that a path stays on one line and unambiguous.
fn key_text(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'));
    if plain { key.to_string() } else { quoted(key) }
}

fn dotted(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Compares a desired and a live definition along the schema table, collecting every difference.
struct Comparison {
    show: bool,
    found: Vec<Difference>,
}

impl Comparison {
    fn object(&mut self, desired: &Map, live: &Map, table: &'static Table, at: &Location) {
        for field in table.fields {
            let desired = desired.get(field.name);
            let live = live.get(field.name);
            if !same_option(desired, live) {
                self.value(desired, live, field.kind, field, &at.field(field.name));
            }
        }
    }

    fn value(
        &mut self,
        desired: Option<&Value>,
        live: Option<&Value>,
        kind: Kind,
        field: &Field,
        at: &Location,
    ) {
        // A field absent on one side has its default there: `healthCheck.retries 3 -> 5` reads
        // better than `(absent) -> 5`, and `live`/`desired` hold the value ECS would use.
        let default = field.default.map(Lit::to_value);
        let desired = desired.or(default.as_ref());
        let live = live.or(default.as_ref());
        match (kind, desired, live) {
            (Kind::Object(table), Some(Value::Object(desired)), Some(Value::Object(live))) => {
                self.object(desired, live, table, at);
            }
            // An object on one side only: field by field, each against its default.
            (Kind::Object(table), Some(Value::Object(desired)), None) => {
                self.object(desired, &Map::new(), table, at);
            }
            (Kind::Object(table), None, Some(Value::Object(live))) => {
                self.object(&Map::new(), live, table, at);
            }
            (Kind::List(item), Some(Value::Array(desired)), Some(Value::Array(live))) => {
                self.list(desired, live, *item, field, at);
            }
            (Kind::List(item), desired, live)
                if field.order != Order::Kept
                    && desired.is_none_or(Value::is_array)
                    && live.is_none_or(Value::is_array) =>
            {
                // A keyed list present on one side only: entry by entry, so each added or
                // removed entry gets its own line.
                let empty = Vec::new();
                let desired = desired.and_then(Value::as_array).unwrap_or(&empty);
                let live = live.and_then(Value::as_array).unwrap_or(&empty);
                self.list(desired, live, *item, field, at);
            }
            _ => self.push(desired, live, kind, at, Change::Value),
        }
    }

    fn list(
        &mut self,
        desired: &[Value],
        live: &[Value],
        item: Kind,
        field: &Field,
        at: &Location,
    ) {
        match (field.order, item) {
            (Order::ByKey(key), Kind::Object(table)) => {
                let desired_keys = keys(desired, key);
                let live_keys = keys(live, key);
                let (Some(desired_keys), Some(live_keys)) = (desired_keys, live_keys) else {
                    // Entries without a key or with a key twice: compare the list whole.
                    return self.push(
                        Some(&Value::Array(desired.to_vec())),
                        Some(&Value::Array(live.to_vec())),
                        field.kind,
                        at,
                        Change::Value,
                    );
                };
                let mut names: Vec<&str> = desired_keys
                    .iter()
                    .chain(&live_keys)
                    .map(|(name, _)| *name)
                    .collect();
                names.sort_unstable();
                names.dedup();
                for name in names {
                    let desired = find(&desired_keys, name);
                    let live = find(&live_keys, name);
                    if same_option(desired, live) {
                        continue;
                    }
                    self.entry(desired, live, table, key, at, name);
                }
            }
            // The same entries in another order: one line, not one per position that moved.
            (Order::Kept, _) if is_reordering(desired, live) => self.push(
                Some(&Value::Array(desired.to_vec())),
                Some(&Value::Array(live.to_vec())),
                field.kind,
                at,
                Change::Reordered,
            ),
            (Order::Kept, Kind::Object(table)) if desired.len() == live.len() => {
                for (index, (desired, live)) in desired.iter().zip(live).enumerate() {
                    if same(desired, live) {
                        continue;
                    }
                    match (desired, live) {
                        (Value::Object(desired), Value::Object(live)) => {
                            self.object(desired, live, table, &at.index(index));
                        }
                        _ => self.push(
                            Some(desired),
                            Some(live),
                            item,
                            &at.index(index),
                            Change::Value,
                        ),
                    }
                }
            }
            _ => self.push(
                non_empty(desired).as_ref(),
                non_empty(live).as_ref(),
                field.kind,
                at,
                Change::Value,
            ),
        }
    }

    /// One keyed entry (a container, an environment variable, a volume, ...) that differs;
    /// `key` is the member that names it.
    fn entry(
        &mut self,
        desired: Option<&Value>,
        live: Option<&Value>,
        table: &'static Table,
        key: &str,
        at: &Location,
        name: &str,
    ) {
        if table == &schema::CONTAINER {
            let at = Location {
                scope: format!("container {}", key_text(name)),
                label: String::new(),
                path: at.key(name).path,
            };
            return match (desired, live) {
                (Some(Value::Object(desired)), Some(Value::Object(live))) => {
                    self.object(desired, live, table, &at);
                }
                _ => self.push(desired, live, Kind::Object(table), &at, Change::Entry),
            };
        }
        if let Some(value_field) = pair_value(table, key) {
            // A name and its value (a variable, a proxy property, ...): one line per name.
            let value_key = value_field.name;
            let at = Location {
                scope: at.scope.clone(),
                label: format!("{} {}", at.label, key_text(name)),
                path: at.key(name).field(value_key).path,
            };
            let desired = desired.and_then(|entry| entry.get(value_key));
            let live = live.and_then(|entry| entry.get(value_key));
            let sensitive = value_field.sensitive && !self.show;
            let change = if sensitive {
                Change::Redacted
            } else {
                Change::Value
            };
            return self.push(desired, live, Kind::String, &at, change);
        }
        match (desired, live) {
            (Some(Value::Object(desired)), Some(Value::Object(live))) => {
                self.object(desired, live, table, &at.key(name));
            }
            _ => self.push(
                desired,
                live,
                Kind::Object(table),
                &at.key(name),
                Change::Value,
            ),
        }
    }

    fn push(
        &mut self,
        desired: Option<&Value>,
        live: Option<&Value>,
        kind: Kind,
        at: &Location,
        change: Change,
    ) {
        let redacted = matches!(change, Change::Redacted);
        let prepare = |value: Option<&Value>| match value {
            None => Value::Null,
            Some(_) if redacted => Value::String(REDACTED.to_string()),
            Some(value) if self.show => value.clone(),
            Some(value) => redact(value, kind),
        };
        let desired = prepare(desired);
        let live = prepare(live);
        let what = if at.label.is_empty() {
            String::new()
        } else {
            format!("{} ", at.label)
        };
        let line = match change {
            Change::Reordered => format!(
                "{}: {what}reordered {} -> {}",
                at.scope,
                show_value(&live, kind),
                show_value(&desired, kind)
            ),
            Change::Entry | Change::Redacted => {
                let word = match (live.is_null(), desired.is_null()) {
                    (true, _) => "added",
                    (_, true) => "removed",
                    _ => "changed",
                };
                format!("{}: {what}{word}", at.scope)
            }
            Change::Value => format!(
                "{}: {what}{} -> {}",
                at.scope,
                show_value(&live, kind),
                show_value(&desired, kind)
            ),
        };
        self.found.push(Difference {
            path: at.path.clone(),
            live,
            desired,
            line,
        });
    }
}

enum Change {
    /// `live -> desired`.
    Value,
    /// A whole entry added or removed: `added`, `removed`.
    Entry,
    /// A value not shown: `added`, `removed`, `changed`.
    Redacted,
    /// An ordered list whose entries are the same, in another order.
    Reordered,
}

/// The value member of a keyed list whose entries are the key and one value (`environment`,
/// `secrets`, proxy properties, inference accelerators): each entry reads as `NAME value`.
fn pair_value(table: &'static Table, key: &str) -> Option<&'static Field> {
    match table.fields {
        [first, second] if first.name == key => Some(second),
        [first, second] if second.name == key => Some(first),
        _ => None,
    }
}

/// Whether two lists hold the same entries, as many times each, in another order.
fn is_reordering(desired: &[Value], live: &[Value]) -> bool {
    if desired.len() != live.len() || desired.len() < 2 || desired == live {
        return false;
    }
    let sorted = |items: &[Value]| {
        let mut texts: Vec<String> = items.iter().map(Value::to_string).collect();
        texts.sort_unstable();
        texts
    };
    sorted(desired) == sorted(live)
}

/// `desired == live`, quicker on comparison forms: their objects are written in schema order,
/// so two equal objects almost always list their keys alike and compare entry by entry, without
/// the key lookups map equality makes. Objects whose keys come in different orders fall back to
/// that equality.
fn same(desired: &Value, live: &Value) -> bool {
    match (desired, live) {
        (Value::Object(desired), Value::Object(live)) => {
            if desired.len() != live.len() {
                return false;
            }
            for ((desired_key, desired_value), (live_key, live_value)) in desired.iter().zip(live) {
                if desired_key != live_key {
                    return desired == live;
                }
                // The same key with another value: the objects differ whatever the order.
                if !same(desired_value, live_value) {
                    return false;
                }
            }
            true
        }
        (Value::Array(desired), Value::Array(live)) => {
            desired.len() == live.len()
                && desired
                    .iter()
                    .zip(live)
                    .all(|(desired, live)| same(desired, live))
        }
        _ => desired == live,
    }
}

fn same_option(desired: Option<&Value>, live: Option<&Value>) -> bool {
    match (desired, live) {
        (Some(desired), Some(live)) => same(desired, live),
        (None, None) => true,
        _ => false,
    }
}

fn non_empty(items: &[Value]) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.to_vec()))
}

/// The entries of a keyed list by key, sorted by key; `None` when an entry has no key or two
/// entries have the same.
fn keys<'a>(items: &'a [Value], key: &str) -> Option<Vec<(&'a str, &'a Value)>> {
    let mut keyed = items
        .iter()
        .map(|item| Some((entry_field(item, key)?.as_str()?, item)))
        .collect::<Option<Vec<(&str, &Value)>>>()?;
    keyed.sort_unstable_by_key(|(name, _)| *name);
    if keyed.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    Some(keyed)
}

/// The entry `name` of a list from [`keys`].
fn find<'a>(keyed: &[(&str, &'a Value)], name: &str) -> Option<&'a Value> {
    keyed
        .binary_search_by_key(&name, |(key, _)| *key)
        .ok()
        .map(|position| keyed[position].1)
}

fn show_value(value: &Value, kind: Kind) -> String {
    match (value, kind) {
        (Value::Null, _) => "(absent)".to_string(),
        // Task cpu and memory are strings in the API but read as numbers: `cpu 256 -> 512`.
        (Value::String(text), Kind::Size(_)) => text.clone(),
        _ => value.to_string(),
    }
}

/// `value` with every sensitive field (environment values) replaced by [`REDACTED`], wherever
/// it is inside: a whole container added, a whole list reported at once.
fn redact(value: &Value, kind: Kind) -> Value {
    match (kind, value) {
        (Kind::Object(table), Value::Object(object)) => {
            let mut output = Map::new();
            for (key, item) in object {
                let item = match table.field(key) {
                    Some(field) if field.sensitive => Value::String(REDACTED.to_string()),
                    Some(field) => redact(item, field.kind),
                    None => item.clone(),
                };
                output.insert(key.clone(), item);
            }
            Value::Object(output)
        }
        (Kind::List(item_kind), Value::Array(items)) => {
            Value::Array(items.iter().map(|item| redact(item, *item_kind)).collect())
        }
        _ => value.clone(),
    }
}
