//! What ECS does to a task definition between RegisterTaskDefinition and DescribeTaskDefinition,
//! simulated from ECS_FACTS.md, for round-trip tests.

#![allow(dead_code)]

use serde_json::{Value, json};
use task_definition::{Map, NetworkMode, parse_task_definition, register_form};

/// Parses a desired task definition, panicking with the message when it is invalid.
pub fn desired(value: &Value) -> Map {
    match parse_task_definition(value, "desired") {
        Ok(task) => task,
        Err(error) => panic!("invalid desired task definition: {error}\n{value:#}"),
    }
}

pub fn object(value: Value) -> Map {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn rotate(items: &mut [Value], by: usize) {
    if !items.is_empty() {
        let by = by % items.len();
        items.rotate_left(by);
        if by % 2 == 1 {
            items.reverse();
        }
    }
}

/// `"1 vCPU"` -> `"1024"`, `"2 GB"` -> `"2048"`, as RegisterTaskDefinition converts them.
fn units(text: &str, suffix: &str) -> String {
    let lower = text.to_ascii_lowercase();
    match lower.strip_suffix(suffix) {
        Some(number) => {
            let number: f64 = number.trim().parse().expect("a number before the unit");
            format!("{}", (number * 1024.0) as i64)
        }
        None => text.to_string(),
    }
}

/// The DescribeTaskDefinition response ECS would give for `desired` once registered the way the
/// module registers it (containers in register form): defaults filled in, read-only fields
/// added, sets reordered (by `shuffle`), units converted, and a field from a newer API.
pub fn ecs_describe(desired: &Value, shuffle: usize) -> Value {
    let task = self::desired(desired);
    let network_mode = task
        .get("networkMode")
        .and_then(Value::as_str)
        .map(|mode| mode.parse::<NetworkMode>().expect("valid mode"))
        .unwrap_or_default();
    let containers: Vec<Map> = task["containerDefinitions"]
        .as_array()
        .expect("containers")
        .iter()
        .map(|container| container.as_object().expect("container").clone())
        .collect();
    let mut containers: Vec<Value> = register_form(&containers, network_mode)
        .into_iter()
        .map(|mut container| {
            for key in ["environment", "secrets"] {
                if let Some(Value::Array(items)) = container.get_mut(key) {
                    rotate(items, shuffle + 1);
                }
            }
            // A field a newer ECS API returns, which this schema does not know.
            container.insert("futureSetting".to_string(), json!({"enabled": false}));
            Value::Object(container)
        })
        .collect();
    rotate(&mut containers, shuffle + 1);

    let mut described = task.clone();
    described.insert("containerDefinitions".to_string(), Value::Array(containers));
    for (key, suffix) in [("cpu", "vcpu"), ("memory", "gb")] {
        if let Some(Value::String(text)) = described.get(key).cloned() {
            described.insert(key.to_string(), Value::String(units(&text, suffix)));
        }
    }
    if network_mode == NetworkMode::Bridge {
        described.insert("networkMode".to_string(), json!("bridge"));
    }
    for key in ["volumes", "placementConstraints"] {
        described
            .entry(key.to_string())
            .or_insert_with(|| json!([]));
    }
    if let Some(Value::Array(volumes)) = described.get_mut("volumes") {
        for volume in volumes.iter_mut() {
            let Some(volume) = volume.as_object_mut() else {
                continue;
            };
            volume.entry("configuredAtLaunch").or_insert(json!(false));
            if let Some(Value::Object(docker)) = volume.get_mut("dockerVolumeConfiguration") {
                docker.entry("scope").or_insert(json!("task"));
                docker.entry("autoprovision").or_insert(json!(false));
                docker.entry("driver").or_insert(json!("local"));
            }
            if let Some(Value::Object(efs)) = volume.get_mut("efsVolumeConfiguration") {
                efs.entry("rootDirectory").or_insert(json!("/"));
            }
        }
        rotate(volumes, shuffle);
    }
    // The AWS provider keeps these as a TypeSet or a TypeMap: they reach ECS in its order.
    for key in [
        "requiresCompatibilities",
        "placementConstraints",
        "inferenceAccelerators",
    ] {
        if let Some(Value::Array(items)) = described.get_mut(key) {
            rotate(items, shuffle + 1);
        }
    }
    if let Some(Value::Array(properties)) = described
        .get_mut("proxyConfiguration")
        .and_then(|proxy| proxy.get_mut("properties"))
    {
        rotate(properties, shuffle + 1);
    }
    described
        .entry("enableFaultInjection")
        .or_insert(json!(false));
    if shuffle.is_multiple_of(2) {
        // fabfuel ecs-deploy's copy of a task definition carries `taskRoleArn: ""`.
        described.entry("taskRoleArn").or_insert(json!(""));
    }
    let family = described
        .get("family")
        .and_then(Value::as_str)
        .unwrap_or("web")
        .to_string();
    let read_only = json!({
        "taskDefinitionArn": format!("arn:aws:ecs:eu-west-1:123456789012:task-definition/{family}:7"),
        "revision": 7,
        "status": "ACTIVE",
        "requiresAttributes": [
            {"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"},
            {"name": "ecs.capability.task-eni"}
        ],
        "compatibilities": ["EC2", "FARGATE"],
        "registeredAt": "2026-11-20T10:00:00.000Z",
        "registeredBy": "arn:aws:sts::123456789012:assumed-role/ci/deploy",
        "someFutureTaskField": {"x": 1}
    });
    if let Value::Object(read_only) = read_only {
        described.extend(read_only);
    }
    json!({"taskDefinition": described, "tags": []})
}
