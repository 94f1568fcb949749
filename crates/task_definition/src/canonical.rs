//! The two canonical forms.
//!
//! REGISTER form: what DescribeTaskDefinition returns for the container definitions registered,
//! ECS's defaults filled in and `environment`/`secrets` sorted by name. This is what the module
//! gives `aws_ecs_task_definition`: the AWS provider compares its configuration with what ECS
//! returns, and sees no difference only if they already look alike (ECS_FACTS.md).
//!
//! COMPARISON form: a whole task definition reduced so that what ECS adds or reorders on its own
//! compares equal: defaults, empty values and unknown fields removed, sets sorted, units
//! converted.
//!
//! Both walk the schema table, so key order follows it and every nested object is treated alike.
//! Both are idempotent.

use std::cmp::Ordering;

use serde_json::Value;

use crate::parse::integer;
use crate::schema::{self, Field, Kind, Order, Table, Unit};
use crate::{Map, NetworkMode};

/// Register form of container definitions (as [`crate::parse_container_definitions`] returns
/// them): ECS defaults filled in, `environment` and `secrets` sorted by name, container order
/// kept. Idempotent.
///
/// Environment entries whose value is `""` (or absent) are left out: ECS reportedly drops them
/// (terraform-provider-aws #39533, unverified), which would leave the provider diffing forever;
/// left out, what is registered is the same whether or not ECS drops them. Docker treats an
/// empty variable and an absent one alike for nearly every program.
pub fn register_form(containers: &[Map], network_mode: NetworkMode) -> Vec<Map> {
    containers
        .iter()
        .map(|container| register_object(container, &schema::CONTAINER, network_mode))
        .collect()
}

fn register_object(input: &Map, table: &'static Table, network_mode: NetworkMode) -> Map {
    let mut output = Map::new();
    for field in table.fields {
        match input.get(field.name) {
            None | Some(Value::Null) => {
                if let (Some(default), true) = (field.default, field.ecs_fills) {
                    output.insert(field.name.to_string(), default.to_value());
                } else if table == &schema::PORT_MAPPING && field.name == "hostPort" {
                    if let Some(host_port) = default_host_port(input, network_mode) {
                        output.insert(field.name.to_string(), host_port);
                    }
                }
            }
            Some(value) => {
                output.insert(
                    field.name.to_string(),
                    register_value(value, field.kind, field, network_mode),
                );
            }
        }
    }
    // Keys the schema does not know are kept as given: the register form adds, it never loses.
    for (key, value) in input {
        if table.field(key).is_none() {
            output.insert(key.clone(), value.clone());
        }
    }
    output
}

/// ECS fills `hostPort`: 0 (a dynamic port) in bridge mode, the container port in awsvpc mode.
/// In host mode the docs say it must be absent or equal to containerPort; whether ECS fills it
/// is unverified, so it is sent explicitly, and ECS returns a value it was given as given.
/// Filled in the schema's place of `hostPort`, so that the register form's key order does not
/// depend on whether the mapping had one.
fn default_host_port(mapping: &Map, network_mode: NetworkMode) -> Option<Value> {
    // A containerPortRange mapping has no containerPort: ECS picks the host ports.
    let container_port = mapping
        .get("containerPort")
        .filter(|port| !port.is_null())?;
    match network_mode {
        NetworkMode::Awsvpc | NetworkMode::Host => Some(container_port.clone()),
        NetworkMode::Bridge => Some(Value::from(0)),
        NetworkMode::None => None,
    }
}

fn register_value(value: &Value, kind: Kind, field: &Field, network_mode: NetworkMode) -> Value {
    match (kind, value) {
        (Kind::Object(table), Value::Object(object)) => {
            Value::Object(register_object(object, table, network_mode))
        }
        (Kind::List(item_kind), Value::Array(items)) => {
            let mut items: Vec<Value> = items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| register_value(item, *item_kind, field, network_mode))
                .collect();
            if let Some(value_key) = field.object_form {
                if value_key == "value" {
                    items.retain(|item| {
                        item.get(value_key)
                            .and_then(Value::as_str)
                            .is_some_and(|value| !value.is_empty())
                    });
                }
                // environment and secrets: ECS does not keep their order (ECS_FACTS.md).
                sort_list(&mut items, field.order);
            }
            Value::Array(items)
        }
        _ => value.clone(),
    }
}

/// Comparison form of a whole task definition (desired or live, parsed or not). Idempotent.
///
/// - fields the schema does not know are dropped, at any depth: a newer ECS API that adds a field
///   or a default to DescribeTaskDefinition must not make every plan register a revision;
///   desired task definitions are checked for unknown keys by [`crate::parse_task_definition`];
/// - read-only fields (`taskDefinitionArn`, `revision`, `status`, ...) are dropped;
/// - nulls, empty strings of role ARNs, empty lists, empty maps and empty objects are dropped at
///   any depth, and so are values equal to their default (`cpu: 0`, `essential: true`,
///   `protocol: "tcp"`, health check 30/5/3, `networkMode: "bridge"`, volume defaults, ...);
/// - `hostPort` equal to `containerPort` (awsvpc, host) or 0 (bridge) is dropped;
/// - sets are sorted: containers, `environment` and `secrets` by name, volumes by name,
///   `requiresCompatibilities`, `placementConstraints`, capabilities; every other list keeps its
///   order, because ECS keeps it and the order is meaning (`command`, `entryPoint`, ...);
/// - task `cpu` and `memory` become strings of units (`"1 vCPU"` -> `"1024"`, `"1 GB"` -> `"1024"`);
/// - environment entries with an empty value are dropped (see [`register_form`]).
pub fn comparison_form(task: &Map) -> Map {
    let network_mode = match task.get("networkMode").and_then(Value::as_str) {
        Some(text) => NetworkMode::parse(text, "networkMode").unwrap_or_default(),
        None => NetworkMode::default(),
    };
    compare_object(task, &schema::TASK, network_mode)
}

pub(crate) fn compare_object(input: &Map, table: &'static Table, network_mode: NetworkMode) -> Map {
    let mut output = Map::new();
    for field in table.fields {
        if let Some(value) = input
            .get(field.name)
            .and_then(|value| compare_value(value, field.kind, field, network_mode))
        {
            output.insert(field.name.to_string(), value);
        }
    }
    if table == &schema::PORT_MAPPING {
        let container_port = output.get("containerPort").cloned();
        let host_port = output.get("hostPort").cloned();
        let same_as_absent = match host_port {
            Some(host_port) => {
                integer(&host_port) == Some(0)
                    || (network_mode.host_port_is_container_port()
                        && Some(&host_port) == container_port.as_ref())
            }
            None => false,
        };
        if same_as_absent {
            output.remove("hostPort");
        }
    }
    output
}

/// The comparison form of one value, or `None` when it means the same as an absent field.
fn compare_value(
    value: &Value,
    kind: Kind,
    field: &Field,
    network_mode: NetworkMode,
) -> Option<Value> {
    let value = match (kind, value) {
        (_, Value::Null) => return None,
        (Kind::String, Value::String(text)) if text.is_empty() && field.blank_is_absent => {
            return None;
        }
        (Kind::Integer, Value::Number(_)) => {
            integer(value).map_or_else(|| value.clone(), Value::from)
        }
        (Kind::Size(unit), Value::String(text)) => Value::String(
            size_in_units(text, unit).map_or_else(|| text.clone(), |units| units.to_string()),
        ),
        (Kind::Size(unit), Value::Number(number)) => {
            let text = number.to_string();
            Value::String(size_in_units(&text, unit).map_or(text, |units| units.to_string()))
        }
        (Kind::StringMap, Value::Object(object)) => {
            let object: Map = object
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            Value::Object(object)
        }
        (Kind::Object(table), Value::Object(object)) => {
            Value::Object(compare_object(object, table, network_mode))
        }
        (Kind::List(item_kind), Value::Array(items)) => {
            // The list's default and blank rule are the list's, not its items'.
            let item_field = Field {
                default: None,
                blank_is_absent: false,
                ..*field
            };
            let mut items: Vec<Value> = items
                .iter()
                .filter_map(|item| compare_value(item, *item_kind, &item_field, network_mode))
                .collect();
            if let Some(value_key) = field.object_form {
                // An entry without its value: an environment variable set to "" (see
                // register_form), or a secret ECS would refuse.
                items.retain(|item| item.get(value_key).is_some());
            }
            sort_list(&mut items, field.order);
            Value::Array(items)
        }
        _ => value.clone(),
    };
    let empty = match &value {
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.is_empty(),
        _ => false,
    };
    if empty || field.default.is_some_and(|default| default.matches(&value)) {
        None
    } else {
        Some(value)
    }
}

fn sort_list(items: &mut [Value], order: Order) {
    match order {
        Order::Kept => {}
        Order::Sorted => items.sort_by_cached_key(Value::to_string),
        Order::ByKey(key) => items.sort_by(|a, b| {
            let key_a = a.get(key).and_then(Value::as_str);
            let key_b = b.get(key).and_then(Value::as_str);
            match key_a.cmp(&key_b) {
                Ordering::Equal => a.to_string().cmp(&b.to_string()),
                unequal => unequal,
            }
        }),
    }
}

/// A task-level size in CPU units or MiB: `"256"`, `"1 vCPU"`, `"0.25 vcpu"`, `"1 GB"`, `"1GB"`.
/// (RegisterTaskDefinition API reference: cpu "as an integer using CPU units ... or as a string
/// using vCPUs"; memory "as an integer using MiB ... or as a string using GB")
pub(crate) fn size_in_units(text: &str, unit: Unit) -> Option<i64> {
    let text = text.trim();
    if let Ok(number) = text.parse::<i64>() {
        return (number > 0).then_some(number);
    }
    let lower = text.to_ascii_lowercase();
    let suffix = match unit {
        Unit::Cpu => "vcpu",
        Unit::Memory => "gb",
    };
    let number: f64 = lower.strip_suffix(suffix)?.trim().parse().ok()?;
    let units = number * 1024.0;
    (number.is_finite() && units > 0.0 && units.fract() == 0.0 && units < 1.0e12)
        .then_some(units as i64)
}
