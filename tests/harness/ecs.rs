//! What ECS does to a task definition between RegisterTaskDefinition and DescribeTaskDefinition,
//! simulated from docs/ecs-facts.md, for round-trip tests: the task definition model's property
//! and comparison tests, and the fuzz targets.

use serde_json::{Value, json};
use task_definition::{Map, NetworkMode, parse_task_definition, register_form};

/// Parses a desired task definition, panicking with the message when it is invalid.
pub fn desired(value: &Value) -> Map {
    match parse_task_definition(value.clone(), "desired") {
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
    let mut containers: Vec<Value> = register_form(containers.to_vec(), network_mode)
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

/// How many kinds of change [`mutate`] makes.
pub const CHANGES: usize = 14;

/// The change of [`mutate`] that removes a container: its difference has no desired value.
pub const REMOVES_A_CONTAINER: usize = 10;

/// One change to a valid task definition, and the path its difference must have: the image,
/// cpu or memory of a container, a variable added, command reordered, an entryPoint argument
/// added, health check retries, a port, a label, a container added or removed, the task role,
/// the task cpu, the user. `None` when the task has nothing to change of that kind.
pub fn mutate(task: &Value, choice: usize, target: usize) -> Option<(Value, String)> {
    let mut task = task.clone();
    let list = task.get("containerDefinitions")?.as_array()?.clone();
    let index = target.checked_rem(list.len())?;
    let container = list[index].as_object()?.clone();
    let name = container.get("name")?.as_str()?.to_string();
    let at = format!("containerDefinitions[{name}]");
    let mut changed = container.clone();
    let mut path = at.clone();
    let mut whole_task = false;
    match choice % CHANGES {
        0 => {
            changed.insert(
                "image".into(),
                json!(format!("{}-changed", container["image"].as_str()?)),
            );
            path.push_str(".image");
        }
        1 => {
            let cpu = container.get("cpu").and_then(Value::as_i64).unwrap_or(0);
            changed.insert("cpu".into(), json!(cpu + 1));
            path.push_str(".cpu");
        }
        2 => {
            let memory = container
                .get("memory")
                .and_then(Value::as_i64)
                .unwrap_or(128);
            changed.insert("memory".into(), json!(memory + 1));
            path.push_str(".memory");
        }
        3 => {
            // Adding a variable: its name is not used by environment or secrets.
            let mut environment = match container.get("environment") {
                Some(Value::Array(items)) => items.clone(),
                Some(Value::Object(entries)) => entries
                    .iter()
                    .map(|(name, value)| json!({"name": name, "value": value}))
                    .collect(),
                _ => Vec::new(),
            };
            environment.push(json!({"name": "ADDED_VAR", "value": "v"}));
            changed.insert("environment".into(), Value::Array(environment));
            path.push_str(".environment[ADDED_VAR].value");
        }
        4 => {
            let command = container
                .get("command")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut reordered = command.clone();
            reordered.reverse();
            if reordered == command {
                reordered.push(json!("extra"));
            }
            changed.insert("command".into(), Value::Array(reordered));
            path.push_str(".command");
        }
        5 => {
            let mut entry_point = container
                .get("entryPoint")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            entry_point.push(json!("--flag"));
            changed.insert("entryPoint".into(), Value::Array(entry_point));
            path.push_str(".entryPoint");
        }
        6 => {
            let check = container.get("healthCheck")?.as_object()?;
            let retries = check.get("retries").and_then(Value::as_i64).unwrap_or(3);
            let mut check = check.clone();
            check.insert("retries".into(), json!(retries % 10 + 1));
            changed.insert("healthCheck".into(), Value::Object(check));
            path.push_str(".healthCheck.retries");
        }
        7 => {
            let mappings = container.get("portMappings")?.as_array()?;
            let first = mappings.first()?.as_object()?;
            let port = first.get("containerPort")?.as_i64()?;
            let new_port = port % 65535 + 1;
            let mut first = first.clone();
            first.insert("containerPort".into(), json!(new_port));
            if first.get("hostPort").and_then(Value::as_i64) == Some(port) {
                let mode = task
                    .get("networkMode")
                    .and_then(Value::as_str)
                    .unwrap_or("bridge");
                if mode == "awsvpc" || mode == "host" {
                    first.insert("hostPort".into(), json!(new_port));
                }
            }
            let mut mappings = mappings.clone();
            mappings[0] = Value::Object(first);
            changed.insert("portMappings".into(), Value::Array(mappings));
            path.push_str(".portMappings[0].containerPort");
        }
        8 => {
            let mut labels = container
                .get("dockerLabels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            labels.insert("added-label".into(), json!("x"));
            changed.insert("dockerLabels".into(), Value::Object(labels));
            path.push_str(".dockerLabels");
        }
        9 => {
            let mut list = list.clone();
            list.push(
                json!({"name": "zz-added", "image": "busybox", "essential": false,
                "memoryReservation": 64}),
            );
            task.as_object_mut()?
                .insert("containerDefinitions".into(), Value::Array(list));
            whole_task = true;
            path = "containerDefinitions[zz-added]".to_string();
        }
        REMOVES_A_CONTAINER => {
            // Removing a container nothing else refers to (the generator makes no references).
            if list.len() < 2 || index == 0 {
                return None;
            }
            let mut list = list.clone();
            list.remove(index);
            task.as_object_mut()?
                .insert("containerDefinitions".into(), Value::Array(list));
            whole_task = true;
        }
        11 => {
            task.as_object_mut()?.insert(
                "taskRoleArn".into(),
                json!("arn:aws:iam::123456789012:role/changed"),
            );
            whole_task = true;
            path = "taskRoleArn".to_string();
        }
        12 => {
            let same = matches!(task.get("cpu"), Some(Value::String(text)) if text == "3 vCPU");
            if same {
                return None;
            }
            task.as_object_mut()?.insert("cpu".into(), json!("3 vCPU"));
            whole_task = true;
            path = "cpu".to_string();
        }
        _ => {
            let user = container.get("user").and_then(Value::as_str).unwrap_or("");
            changed.insert("user".into(), json!(format!("{user}u")));
            path.push_str(".user");
        }
    }
    if !whole_task {
        let mut list = list;
        list[index] = Value::Object(changed);
        task.as_object_mut()?
            .insert("containerDefinitions".into(), Value::Array(list));
    }
    // A change RegisterTaskDefinition would refuse (a container's memory or CPU past the task's,
    // a container without memory on EC2) is no change a deploy could make.
    parse_task_definition(task.clone(), "desired").ok()?;
    Some((task, path))
}

/// Every JSON pointer inside `value`, the root included.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, found: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, item) in object {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    walk(item, format!("{at}/{escaped}"), found);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, format!("{at}/{index}"), found);
                }
            }
            _ => {}
        }
        found.push(at);
    }
    let mut found = Vec::new();
    walk(value, String::new(), &mut found);
    found
}
