//! The two canonical forms.
//!
//! REGISTER form: what DescribeTaskDefinition returns for the container definitions registered,
//! ECS's defaults filled in and `environment`/`secrets` sorted by name. This is what the module
//! gives `aws_ecs_task_definition`: the AWS provider compares its configuration with what ECS
//! returns, and sees no difference only if they already look alike (docs/ecs-facts.md).
//!
//! COMPARISON form: a whole task definition reduced so that what ECS adds or reorders on its own
//! compares equal: defaults, empty values and unknown fields removed, sets sorted, units
//! converted.
//!
//! Both walk the schema table, so key order follows it and every nested object is treated alike.
//! Both are idempotent.

use std::convert::Infallible;

use serde_json::Value;

use crate::json::{Map, entry_field, integer};
use crate::network_mode::NetworkMode;
use crate::schema::{self, Entry, Field, Kind, Order, Table};
use crate::units::size_in_units;

/// Register form of container definitions (as `parse_container_definitions` returns them):
/// ECS defaults filled in, `environment` and `secrets` sorted by name, container order kept.
/// Idempotent.
///
/// Environment entries whose value is `""` (or absent) are left out. Two behaviours of ECS are
/// reported: it keeps such an entry, or it drops it (terraform-provider-aws #39533, open). The
/// register form assumes it DROPS them, and sends what ECS would then return: were ECS to keep
/// them instead, nothing changes, since nothing was sent. The other choice is right in one case
/// only: sent, an entry that ECS drops is in the provider's configuration and not in what ECS
/// returns, and the provider registers a revision on every apply. What it costs: the container
/// does not see the variable set to the empty string, which most programs treat as unset (a
/// shell's `${X-default}` tells the two apart). The comparison form drops such entries on both
/// sides, so a live revision that kept one (registered by a deploy tool) compares equal too.
///
/// It takes the value it reads: its strings are moved into the result, not copied.
pub fn register_form(containers: Vec<Map>, network_mode: NetworkMode) -> Vec<Map> {
    containers
        .into_iter()
        .map(|container| register_object(container, &schema::CONTAINER, network_mode))
        .collect()
}

fn register_object(input: Map, table: &'static Table, network_mode: NetworkMode) -> Map {
    // Read before the mapping is taken apart.
    let mut host_port = if table == &schema::PORT_MAPPING {
        default_host_port(&input, network_mode)
    } else {
        None
    };
    let (known, unknown) = table.split(input);
    let mut output = Map::with_capacity(known.len() + unknown.len());
    let mut known = known.into_iter().peekable();
    for (index, field) in table.fields.iter().enumerate() {
        match known.next_if(|entry| entry.index == index) {
            Some(Entry { key, value, .. }) if !value.is_null() => {
                output.insert(key, register_value(value, field.kind, field, network_mode));
            }
            _ => {
                if let (Some(default), true) = (field.default, field.ecs_fills) {
                    output.insert(field.name.to_string(), default.to_value());
                } else if table == &schema::PORT_MAPPING
                    && field.name == "hostPort"
                    && let Some(host_port) = host_port.take()
                {
                    output.insert(field.name.to_string(), host_port);
                }
            }
        }
    }
    // Keys the schema does not know are kept as given: the register form adds, it never loses.
    for (key, value) in unknown {
        output.insert(key, value);
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

fn register_value(value: Value, kind: Kind, field: &Field, network_mode: NetworkMode) -> Value {
    match (kind, value) {
        (Kind::Object(table), Value::Object(object)) => {
            Value::Object(register_object(object, table, network_mode))
        }
        (Kind::List(item_kind), Value::Array(items)) => {
            let mut items: Vec<Value> = items
                .into_iter()
                .filter(|item| !item.is_null())
                .map(|item| register_value(item, *item_kind, field, network_mode))
                .collect();
            if let Some(value_key) = field.object_form {
                if value_key == "value" {
                    items.retain(|item| {
                        entry_field(item, value_key)
                            .and_then(Value::as_str)
                            .is_some_and(|value| !value.is_empty())
                    });
                }
                // environment and secrets: ECS does not keep their order (docs/ecs-facts.md).
                sort_list(&mut items, field.order);
            }
            Value::Array(items)
        }
        (_, value) => value,
    }
}

/// Comparison form of a whole task definition (desired or live, parsed or not). Idempotent.
///
/// - fields the schema does not know are dropped, at any depth: a newer ECS API that adds a field
///   or a default to DescribeTaskDefinition must not make every plan register a revision;
///   desired task definitions are checked for unknown keys by `parse_task_definition`;
/// - read-only fields (`taskDefinitionArn`, `revision`, `status`, ...) are dropped;
/// - nulls, empty strings of role ARNs, empty lists, empty maps and empty objects are dropped at
///   any depth, and so are values equal to their default (`cpu: 0`, `essential: true`,
///   `protocol: "tcp"`, health check 30/5/3, `networkMode: "bridge"`, volume defaults, ...);
/// - `hostPort` equal to `containerPort` (awsvpc, host) or 0 (bridge) is dropped;
/// - sets are sorted: containers, `environment` and `secrets` by name, volumes by name,
///   `requiresCompatibilities`, `placementConstraints`, capabilities, the keys of string maps
///   (`dockerLabels`, log `options`); every other list keeps its order, because ECS keeps it
///   and the order is meaning (`command`, `entryPoint`, ...);
/// - task `cpu` and `memory` become strings of units (`"1 vCPU"` -> `"1024"`, `"1 GB"` -> `"1024"`);
/// - environment entries with an empty value are dropped (see [`register_form`]).
///
/// It takes the value it reads: its strings are moved into the result, not copied.
pub fn comparison_form(task: Map) -> Map {
    let network_mode = match task.get("networkMode").and_then(Value::as_str) {
        Some(text) => NetworkMode::parse(text, "networkMode").unwrap_or_default(),
        None => NetworkMode::default(),
    };
    compare_object(task, &schema::TASK, network_mode)
}

fn compare_object(input: Map, table: &'static Table, network_mode: NetworkMode) -> Map {
    // Fields the schema does not know are dropped.
    let changed = table.change_fields(input, |field, value| {
        Ok::<_, Infallible>(compare_value(value, field.kind, field, network_mode))
    });
    let mut output = match changed {
        Ok(output) => output,
        Err(never) => match never {},
    };
    if table == &schema::PORT_MAPPING {
        let same_as_absent = match output.get("hostPort") {
            Some(host_port) => {
                integer(host_port) == Some(0)
                    || (network_mode.host_port_is_container_port()
                        && Some(host_port) == output.get("containerPort"))
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
    value: Value,
    kind: Kind,
    field: &Field,
    network_mode: NetworkMode,
) -> Option<Value> {
    let value = match (kind, value) {
        (_, Value::Null) => return None,
        (Kind::String, Value::String(text)) if text.is_empty() && field.blank_is_absent => {
            return None;
        }
        (Kind::Integer, value @ Value::Number(_)) => match integer(&value) {
            Some(number) => Value::from(number),
            None => value,
        },
        (Kind::Size(unit), Value::String(text)) => {
            Value::String(size_in_units(&text, unit).map_or(text, |units| units.to_string()))
        }
        (Kind::Size(unit), Value::Number(number)) => {
            let text = number.to_string();
            Value::String(size_in_units(&text, unit).map_or(text, |units| units.to_string()))
        }
        (Kind::StringMap, Value::Object(mut object)) => {
            object.retain(|_, value| !value.is_null());
            // Keys are a set: sorted, so equal maps list them alike and differences read alike.
            object.sort_keys();
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
                .into_iter()
                .filter_map(|item| compare_value(item, *item_kind, &item_field, network_mode))
                .collect();
            if let Some(value_key) = field.object_form {
                // An entry without its value: an environment variable set to "" (see
                // register_form), or a secret ECS would refuse.
                items.retain(|item| entry_field(item, value_key).is_some());
            }
            sort_list(&mut items, field.order);
            Value::Array(items)
        }
        (_, value) => value,
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

fn sort_list(items: &mut Vec<Value>, order: Order) {
    match order {
        Order::Kept => {}
        Order::Sorted => items.sort_by_cached_key(Value::to_string),
        Order::ByKey(key) => sort_by_key_field(items, key),
    }
}

/// Sorts entries by their `key` field (entries without one first), then by their JSON text; a
/// stable sort, so equal entries keep their order.
fn sort_by_key_field(items: &mut Vec<Value>, key: &str) {
    let keys: Vec<Option<&str>> = items
        .iter()
        .map(|item| entry_field(item, key).and_then(Value::as_str))
        .collect();
    // Already in order with no two keys alike, as a list written by name usually is.
    if keys.windows(2).all(|pair| pair[0] < pair[1]) {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| items[a].to_string().cmp(&items[b].to_string()))
    });
    let mut unsorted = std::mem::take(items);
    *items = order
        .into_iter()
        .map(|index| std::mem::take(&mut unsorted[index]))
        .collect();
}
