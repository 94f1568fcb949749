//! What the fuzz targets share: the process contract every input must keep, valid task
//! definitions to start from, and structure-aware mutations of them.

use external_protocol::{Output, Program};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

/// What ECS would return for a registered task definition, and one real change of a valid one:
/// the simulation the property tests use (the test harness's `ecs`).
pub use ecs_drift_tests::ecs;

/// Valid desired task definitions, as a user or the module writes them.
pub const DEFINITIONS: &[&str] = &[
    include_str!("../definitions/fargate_web.json"),
    include_str!("../definitions/app_mesh.json"),
    include_str!("../definitions/ec2_bridge.json"),
];

/// One of [`DEFINITIONS`].
pub fn definition(input: &mut Unstructured) -> Result<Value> {
    let text = input.choose(DEFINITIONS)?;
    Ok(serde_json::from_str(text).unwrap_or(Value::Null))
}

/// Runs `program` on `stdin` as `main` would, and checks Terraform's external protocol whatever
/// the input: exit 0 with one JSON object of strings on stdout and nothing on stderr, or exit 1
/// with nothing on stdout and one line `<program>: <message>` on stderr. Returns the result.
pub fn run_program<E: std::error::Error>(
    program: &'static Program,
    stdin: &[u8],
    run: impl FnOnce(&external_protocol::Query) -> std::result::Result<Output, E>,
) -> Option<Map<String, Value>> {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    // The reporter joins lines with a space; the message itself must be one line already, or
    // what it quotes (a key, a name) reads as something that was not sent.
    let run = |query: &external_protocol::Query| {
        run(query).inspect_err(|error| {
            let message = external_protocol::error_chain(error);
            assert!(!message.contains(['\n', '\r']), "{message:?}");
        })
    };
    let status = external_protocol::run_with(
        program,
        Vec::new(),
        stdin,
        &mut stdout,
        &mut stderr,
        false,
        run,
    );
    match status {
        0 => {
            assert!(
                stderr.is_empty(),
                "exit 0 with stderr {:?}",
                String::from_utf8_lossy(&stderr)
            );
            let text = std::str::from_utf8(&stdout).expect("stdout is UTF-8");
            assert!(
                text.ends_with('\n') && text.matches('\n').count() == 1,
                "stdout: {text:?}"
            );
            let Ok(Value::Object(result)) = serde_json::from_str::<Value>(text) else {
                panic!("stdout is not a JSON object: {text:?}");
            };
            for (key, value) in &result {
                assert!(
                    value.is_string(),
                    "result key {key} is not a string: {value}"
                );
            }
            Some(result)
        }
        1 => {
            assert!(
                stdout.is_empty(),
                "exit 1 with stdout {:?}",
                String::from_utf8_lossy(&stdout)
            );
            let text = std::str::from_utf8(&stderr).expect("stderr is UTF-8");
            let line = text.strip_suffix('\n').expect("stderr ends with a newline");
            assert!(
                !line.contains(['\n', '\r']),
                "stderr is more than one line: {text:?}"
            );
            let message = line
                .strip_prefix(program.name)
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or_else(|| panic!("stderr does not start with the program: {text:?}"));
            assert!(!message.trim().is_empty(), "empty error message");
            assert!(!message.contains("internal error"), "{message}");
            None
        }
        other => panic!("exit status {other}"),
    }
}

/// The query `{"key": "value", ...}` as bytes.
pub fn query(pairs: &[(&str, String)]) -> Vec<u8> {
    let object: Map<String, Value> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), Value::String(value.clone())))
        .collect();
    Value::Object(object).to_string().into_bytes()
}

/// Field names of the ECS API, so that a mutation adds known fields as often as unknown ones.
const NAMES: &[&str] = &[
    "name",
    "image",
    "cpu",
    "memory",
    "memoryReservation",
    "essential",
    "links",
    "portMappings",
    "containerPort",
    "hostPort",
    "protocol",
    "appProtocol",
    "containerPortRange",
    "environment",
    "value",
    "secrets",
    "valueFrom",
    "command",
    "entryPoint",
    "healthCheck",
    "interval",
    "timeout",
    "retries",
    "startPeriod",
    "linuxParameters",
    "capabilities",
    "add",
    "drop",
    "devices",
    "permissions",
    "tmpfs",
    "size",
    "mountPoints",
    "sourceVolume",
    "containerPath",
    "readOnly",
    "volumesFrom",
    "sourceContainer",
    "dependsOn",
    "containerName",
    "condition",
    "ulimits",
    "softLimit",
    "hardLimit",
    "logConfiguration",
    "logDriver",
    "options",
    "secretOptions",
    "dockerLabels",
    "restartPolicy",
    "enabled",
    "ignoredExitCodes",
    "family",
    "networkMode",
    "taskRoleArn",
    "executionRoleArn",
    "volumes",
    "host",
    "sourcePath",
    "efsVolumeConfiguration",
    "fileSystemId",
    "rootDirectory",
    "dockerVolumeConfiguration",
    "scope",
    "driver",
    "placementConstraints",
    "type",
    "expression",
    "requiresCompatibilities",
    "proxyConfiguration",
    "properties",
    "inferenceAccelerators",
    "deviceName",
    "deviceType",
    "ephemeralStorage",
    "sizeInGiB",
    "runtimePlatform",
    "cpuArchitecture",
    "containerDefinitions",
    "taskDefinition",
    "taskDefinitionArn",
    "revision",
    "status",
    "tags",
    "enviroment",
    "",
];

/// Strings that mean something to the model: defaults, units, modes, empty.
const STRINGS: &[&str] = &[
    "",
    "tcp",
    "udp",
    "bridge",
    "awsvpc",
    "host",
    "none",
    "FARGATE",
    "EC2",
    "1 vCPU",
    "0.5 vcpu",
    "2 GB",
    "512",
    "0",
    "-1",
    "APPMESH",
    "CMD",
    "CMD-SHELL",
    "HEALTHY",
    "START",
    "awslogs",
    "/",
    "DISABLED",
    "enabled",
    "arn:aws:iam::123456789012:role/x",
    "{}",
    "[]",
    "null",
    "x\ny",
    "é",
];

/// A small JSON value, often one the model gives a meaning to.
pub fn small_value(input: &mut Unstructured) -> Result<Value> {
    Ok(match input.int_in_range(0..=9u8)? {
        0 => Value::Null,
        1 => Value::Bool(input.arbitrary()?),
        2 => json!(input.int_in_range(-2..=70000i64)?),
        3 => json!(input.arbitrary::<i64>()?),
        4 => json!(
            input
                .arbitrary::<f64>()
                .map(|x| if x.is_finite() { x } else { 0.5 })?
        ),
        5 => json!(input.choose(STRINGS)?),
        6 => json!(input.arbitrary::<String>()?),
        7 => json!([]),
        8 => json!({}),
        _ => json!([{"name": input.choose(NAMES)?, "value": input.choose(STRINGS)?}]),
    })
}

/// A few structure-aware changes to `value`: a value replaced, nudged, removed or copied from
/// elsewhere, a known or unknown field added, list entries duplicated or swapped.
pub fn mutate(value: &mut Value, input: &mut Unstructured) -> Result<()> {
    for _ in 0..input.int_in_range(1..=6u8)? {
        let all = ecs::pointers(value);
        let at = input.choose(&all)?.clone();
        let donor = input.choose(&all)?.clone();
        let copied = value.pointer(&donor).cloned().unwrap_or(Value::Null);
        let operation = input.int_in_range(0..=7u8)?;
        let fresh = small_value(input)?;
        let index = input.arbitrary::<u8>()? as usize;
        let name = input.choose(NAMES)?.to_string();
        let Some(slot) = value.pointer_mut(&at) else {
            continue;
        };
        match (operation, slot) {
            (0, slot) => *slot = fresh,
            (1, Value::String(text)) => text.push_str(input.choose(STRINGS)?),
            (1, Value::Number(number)) => {
                *number = number.as_i64().map_or(0, |n| n.wrapping_add(1)).into();
            }
            (1, Value::Bool(flag)) => *flag = !*flag,
            (2, Value::Object(object)) if !object.is_empty() => {
                let key = object.keys().nth(index % object.len()).cloned();
                if let Some(key) = key {
                    object.remove(&key);
                }
            }
            (2, Value::Array(items)) if !items.is_empty() => {
                items.remove(index % items.len());
            }
            (3, Value::Object(object)) => {
                object.insert(name, fresh);
            }
            (4, Value::Array(items)) if !items.is_empty() => {
                let item = items[index % items.len()].clone();
                items.push(item);
            }
            (5, Value::Array(items)) if items.len() > 1 => {
                let len = items.len();
                items.swap(index % len, (index / 7 + 1) % len);
            }
            (6, slot) => *slot = copied,
            (_, Value::Object(object)) => {
                object.insert(name, copied);
            }
            _ => {}
        }
    }
    Ok(())
}
