//! The comparison form and the comparison engine: round trips that must compare equal, and
//! single-field changes that must not.

use ecs_drift_tests::ecs::{desired, ecs_describe, object};
use serde_json::{Value, json};
use task_definition::{Map, comparison_form, differences, parse_live_task_definition};

fn live(value: &Value) -> Map {
    match parse_live_task_definition(value.clone(), "live") {
        Ok(task) => task,
        Err(error) => panic!("invalid live task definition: {error}"),
    }
}

fn lines(desired: &Map, live: &Map) -> Vec<String> {
    differences(desired, live, false)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A realistic Fargate web task: an app container and a FireLens log router.
fn web() -> Value {
    json!({
        "family": "web",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678"}}],
        "containerDefinitions": [
            {
                "name": "app",
                "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123",
                "cpu": 256,
                "memory": 512,
                "portMappings": [{"containerPort": 8080, "name": "http", "appProtocol": "http"}],
                "command": ["serve", "--port", "8080"],
                "entryPoint": ["/bin/app"],
                "environment": {"LOG_LEVEL": "info", "APP_ENV": "prod"},
                "secrets": {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"},
                "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                "dependsOn": [{"containerName": "log_router", "condition": "START"}],
                "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}},
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], "startPeriod": 10},
                "ulimits": [{"name": "nofile", "softLimit": 4096, "hardLimit": 8192}],
                "linuxParameters": {"initProcessEnabled": true},
                "dockerLabels": {"team": "web"}
            },
            {
                "name": "log_router",
                "image": "amazon/aws-for-fluent-bit:stable",
                "essential": false,
                "user": "0",
                "firelensConfiguration": {"type": "fluentbit"}
            }
        ]
    })
}

/// A hand-written DescribeTaskDefinition response for `web()`, shaped like real ECS output.
fn web_described() -> Value {
    json!({
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42",
            "containerDefinitions": [
                {
                    "name": "log_router",
                    "image": "amazon/aws-for-fluent-bit:stable",
                    "cpu": 0,
                    "portMappings": [],
                    "essential": false,
                    "environment": [],
                    "mountPoints": [],
                    "volumesFrom": [],
                    "user": "0",
                    "systemControls": [],
                    "firelensConfiguration": {"type": "fluentbit", "options": {}}
                },
                {
                    "name": "app",
                    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123",
                    "cpu": 256,
                    "memory": 512,
                    "links": [],
                    "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http"}],
                    "essential": true,
                    "entryPoint": ["/bin/app"],
                    "command": ["serve", "--port", "8080"],
                    "environment": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {"name": "APP_ENV", "value": "prod"}
                    ],
                    "environmentFiles": [],
                    "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": false}],
                    "volumesFrom": [],
                    "linuxParameters": {"initProcessEnabled": true, "devices": [], "tmpfs": []},
                    "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"}],
                    "dependsOn": [{"containerName": "log_router", "condition": "START"}],
                    "dnsServers": [],
                    "dockerLabels": {"team": "web"},
                    "ulimits": [{"name": "nofile", "softLimit": 4096, "hardLimit": 8192}],
                    "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}, "secretOptions": []},
                    "healthCheck": {
                        "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                        "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10
                    },
                    "systemControls": [],
                    "credentialSpecs": []
                }
            ],
            "family": "web",
            "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
            "networkMode": "awsvpc",
            "revision": 42,
            "volumes": [{
                "name": "data",
                "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "rootDirectory": "/"},
                "configuredAtLaunch": false
            }],
            "status": "ACTIVE",
            "requiresAttributes": [
                {"name": "com.amazonaws.ecs.capability.logging-driver.awsfirelens"},
                {"name": "ecs.capability.execution-role-awslogs"},
                {"name": "com.amazonaws.ecs.capability.ecr-auth"},
                {"name": "com.amazonaws.ecs.capability.task-iam-role"},
                {"name": "ecs.capability.container-health-check"},
                {"name": "ecs.capability.task-eni"},
                {"name": "ecs.capability.efsAuth"},
                {"name": "ecs.capability.firelens.fluentbit"},
                {"name": "ecs.capability.container-ordering"}
            ],
            "placementConstraints": [],
            "compatibilities": ["EC2", "FARGATE"],
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "512",
            "memory": "1024",
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
            "registeredAt": "2026-11-20T10:00:00.000000+00:00",
            "registeredBy": "arn:aws:sts::123456789012:assumed-role/github-deploy/ci",
            "enableFaultInjection": false
        },
        "tags": []
    })
}

/// Sets (or, with null, removes) the value at a JSON pointer, creating nothing but the last key.
fn set(value: &mut Value, pointer: &str, new: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = if parent.is_empty() {
        Some(&mut *value)
    } else {
        value.pointer_mut(parent)
    };
    match parent {
        Some(Value::Object(object)) => {
            if new.is_null() {
                object.remove(key);
            } else {
                object.insert(key.to_string(), new);
            }
        }
        Some(Value::Array(items)) => {
            let index: usize = key.parse().expect("an index");
            if new.is_null() {
                items.remove(index);
            } else if index == items.len() {
                items.push(new);
            } else {
                items[index] = new;
            }
        }
        _ => panic!("no parent at {pointer} in {value}"),
    }
}

fn with(base: Value, changes: &[(&str, Value)]) -> Value {
    let mut value = base;
    for (pointer, new) in changes {
        set(&mut value, pointer, new.clone());
    }
    value
}

// ---- the comparison form ----

#[test]
fn comparison_form_of_the_real_shaped_document() {
    let form = comparison_form(live(&web_described()).clone());
    assert_eq!(
        Value::Object(form),
        json!({
            "family": "web",
            "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
            "networkMode": "awsvpc",
            "containerDefinitions": [
                {
                    "name": "app",
                    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123",
                    "cpu": 256,
                    "memory": 512,
                    "portMappings": [{"containerPort": 8080, "name": "http", "appProtocol": "http"}],
                    "entryPoint": ["/bin/app"],
                    "command": ["serve", "--port", "8080"],
                    "environment": [
                        {"name": "APP_ENV", "value": "prod"},
                        {"name": "LOG_LEVEL", "value": "info"}
                    ],
                    "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                    "linuxParameters": {"initProcessEnabled": true},
                    "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"}],
                    "dependsOn": [{"containerName": "log_router", "condition": "START"}],
                    "dockerLabels": {"team": "web"},
                    "ulimits": [{"name": "nofile", "softLimit": 4096, "hardLimit": 8192}],
                    "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}},
                    "healthCheck": {
                        "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                        "startPeriod": 10
                    }
                },
                {
                    "name": "log_router",
                    "image": "amazon/aws-for-fluent-bit:stable",
                    "essential": false,
                    "user": "0",
                    "firelensConfiguration": {"type": "fluentbit"}
                }
            ],
            "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678"}}],
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "512",
            "memory": "1024",
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"}
        })
    );
}

#[test]
fn comparison_form_defaults_and_empties() {
    let form = comparison_form(object(json!({
        "family": "web",
        "networkMode": "bridge",
        "taskRoleArn": "",
        "executionRoleArn": "",
        "enableFaultInjection": false,
        "cpu": "1 vCPU",
        "memory": 2048,
        "requiresCompatibilities": ["FARGATE", "EC2"],
        "placementConstraints": [
            {"type": "memberOf", "expression": "b"},
            {"type": "memberOf", "expression": "a"}
        ],
        "volumes": [
            {"name": "z", "host": {}},
            {"name": "a", "configuredAtLaunch": false,
             "dockerVolumeConfiguration": {"scope": "task", "autoprovision": false, "driver": "local", "labels": {}}}
        ],
        "containerDefinitions": [{
            "name": "app", "image": "nginx", "cpu": 0, "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}, {"hostPort": 0}],
            "environment": [{"name": "B", "value": ""}, {"name": "A", "value": "1"}, {"name": "C"}],
            "linuxParameters": {"capabilities": {"add": [], "drop": ["SYS_ADMIN", "NET_RAW"]}},
            "dockerLabels": {},
            "healthCheck": {"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 3},
            "mountPoints": [], "volumesFrom": [], "systemControls": [], "ulimits": null
        }]
    })).clone());
    assert_eq!(
        Value::Object(form),
        json!({
            "family": "web",
            "containerDefinitions": [{
                "name": "app", "image": "nginx",
                "portMappings": [{"containerPort": 80}],
                "environment": [{"name": "A", "value": "1"}],
                "linuxParameters": {"capabilities": {"drop": ["SYS_ADMIN", "NET_RAW"]}},
                "healthCheck": {"command": ["CMD", "true"]}
            }],
            "volumes": [{"name": "a"}, {"name": "z"}],
            "placementConstraints": [
                {"type": "memberOf", "expression": "a"},
                {"type": "memberOf", "expression": "b"}
            ],
            "requiresCompatibilities": ["EC2", "FARGATE"],
            "cpu": "1024",
            "memory": "2048"
        })
    );
}

#[test]
fn comparison_form_host_ports_per_network_mode() {
    let task = |mode: &str, host_port: Value| {
        let form = comparison_form(
            object(json!({
                "family": "web", "networkMode": mode,
                "containerDefinitions": [{"name": "app", "image": "x",
                    "portMappings": [{"containerPort": 80, "hostPort": host_port}]}]
            }))
            .clone(),
        );
        form["containerDefinitions"][0]["portMappings"][0].clone()
    };
    assert_eq!(task("awsvpc", json!(80)), json!({"containerPort": 80}));
    assert_eq!(task("host", json!(80)), json!({"containerPort": 80}));
    assert_eq!(task("bridge", json!(0)), json!({"containerPort": 80}));
    assert_eq!(
        task("bridge", json!(80)),
        json!({"containerPort": 80, "hostPort": 80})
    );
    assert_eq!(
        task("bridge", json!(8080)),
        json!({"containerPort": 80, "hostPort": 8080})
    );
}

#[test]
fn comparison_form_units() {
    for (cpu, memory, expected_cpu, expected_memory) in [
        ("1 vCPU", "1 GB", "1024", "1024"),
        ("1 vcpu", "1GB", "1024", "1024"),
        ("0.25 vCPU", "0.5 GB", "256", "512"),
        ("2048", "4096", "2048", "4096"),
        (" 512 ", "3gb", "512", "3072"),
    ] {
        let form = comparison_form(object(json!({"cpu": cpu, "memory": memory})).clone());
        assert_eq!(form["cpu"], json!(expected_cpu), "{cpu}");
        assert_eq!(form["memory"], json!(expected_memory), "{memory}");
    }
}

#[test]
fn comparison_form_is_idempotent_on_the_examples() {
    for value in [web(), web_described()] {
        let once = comparison_form(live(&value).clone());
        assert_eq!(comparison_form(once.clone()), once);
    }
}

// ---- round trips that must compare equal ----

#[test]
fn round_trips_compare_equal() {
    let bridge = json!({
        "family": "worker",
        "containerDefinitions": [{
            "name": "worker", "image": "busybox", "memory": 128,
            "portMappings": [{"containerPort": 9000}],
            "environment": {"Z": "1", "A": "2", "M": "3"}
        }]
    });
    let cases: Vec<(&str, Value, Value)> = vec![
        ("real-shaped DescribeTaskDefinition", web(), web_described()),
        (
            "simulated ECS round trip, awsvpc",
            web(),
            ecs_describe(&web(), 0),
        ),
        (
            "simulated ECS round trip, shuffled",
            web(),
            ecs_describe(&web(), 3),
        ),
        (
            "simulated ECS round trip, bridge",
            bridge.clone(),
            ecs_describe(&bridge, 1),
        ),
        (
            "task cpu and memory units",
            with(
                web(),
                &[("/cpu", json!("0.5 vCPU")), ("/memory", json!("1 GB"))],
            ),
            web_described(),
        ),
        (
            "task cpu and memory as numbers",
            with(web(), &[("/cpu", json!(512)), ("/memory", json!(1024))]),
            web_described(),
        ),
        (
            "environment and secrets as lists in another order",
            with(
                web(),
                &[(
                    "/containerDefinitions/0/environment",
                    json!([
                        {"name": "LOG_LEVEL", "value": "info"}, {"name": "APP_ENV", "value": "prod"}
                    ]),
                )],
            ),
            web_described(),
        ),
        (
            "containers in another order",
            {
                let mut value = web();
                if let Some(Value::Array(containers)) = value.get_mut("containerDefinitions") {
                    containers.reverse();
                }
                value
            },
            web_described(),
        ),
        (
            "explicit defaults on the desired side",
            with(
                web(),
                &[
                    ("/containerDefinitions/0/essential", json!(true)),
                    (
                        "/containerDefinitions/0/portMappings/0/protocol",
                        json!("tcp"),
                    ),
                    (
                        "/containerDefinitions/0/portMappings/0/hostPort",
                        json!(8080),
                    ),
                    ("/containerDefinitions/0/healthCheck/interval", json!(30)),
                    ("/containerDefinitions/0/healthCheck/retries", json!(3)),
                    ("/containerDefinitions/0/healthCheck/timeout", json!(5)),
                    ("/containerDefinitions/1/cpu", json!(0)),
                    ("/enableFaultInjection", json!(false)),
                    (
                        "/volumes/0/efsVolumeConfiguration/rootDirectory",
                        json!("/"),
                    ),
                ],
            ),
            web_described(),
        ),
        (
            "nested empty lists and maps on the desired side",
            with(
                web(),
                &[
                    (
                        "/containerDefinitions/0/linuxParameters/capabilities",
                        json!({"add": [], "drop": []}),
                    ),
                    ("/containerDefinitions/0/linuxParameters/devices", json!([])),
                    ("/containerDefinitions/1/dockerLabels", json!({})),
                    ("/containerDefinitions/1/links", json!([])),
                    ("/placementConstraints", json!([])),
                ],
            ),
            web_described(),
        ),
        (
            "a deploy tool's copy with taskRoleArn \"\" and no role",
            with(web(), &[("/taskRoleArn", Value::Null)]),
            with(
                web_described(),
                &[("/taskDefinition/taskRoleArn", json!(""))],
            ),
        ),
        (
            "bridge network mode absent on one side",
            bridge.clone(),
            with(
                ecs_describe(&bridge, 0),
                &[("/taskDefinition/networkMode", Value::Null)],
            ),
        ),
        (
            "bridge hostPort 0 filled by ECS",
            bridge.clone(),
            json!({"family": "worker", "networkMode": "bridge", "containerDefinitions": [{
                "name": "worker", "image": "busybox", "memory": 128, "cpu": 0, "essential": true,
                "portMappings": [{"containerPort": 9000, "hostPort": 0, "protocol": "tcp"}],
                "environment": [{"name": "M", "value": "3"}, {"name": "A", "value": "2"}, {"name": "Z", "value": "1"}],
                "mountPoints": [], "volumesFrom": []
            }]}),
        ),
        (
            "moto-shaped response (fewer defaults, environment in order)",
            bridge.clone(),
            json!({"taskDefinition": {
                "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1",
                "family": "worker", "revision": 1, "status": "ACTIVE", "volumes": [], "placementConstraints": [],
                "compatibilities": ["EC2"],
                "containerDefinitions": [{
                    "name": "worker", "image": "busybox", "memory": 128, "cpu": 0, "essential": true,
                    "portMappings": [{"containerPort": 9000}],
                    "environment": [{"name": "Z", "value": "1"}, {"name": "A", "value": "2"}, {"name": "M", "value": "3"}],
                    "mountPoints": [], "volumesFrom": []
                }]
            }}),
        ),
        (
            "documented defaults written out on the live side",
            web(),
            with(
                web_described(),
                &[
                    (
                        "/taskDefinition/containerDefinitions/1/versionConsistency",
                        json!("enabled"),
                    ),
                    (
                        "/taskDefinition/containerDefinitions/1/privileged",
                        json!(false),
                    ),
                    (
                        "/taskDefinition/containerDefinitions/1/readonlyRootFilesystem",
                        json!(false),
                    ),
                    (
                        "/taskDefinition/volumes/0/efsVolumeConfiguration/transitEncryption",
                        json!("DISABLED"),
                    ),
                    (
                        "/taskDefinition/volumes/0/efsVolumeConfiguration/authorizationConfig",
                        json!({"iam": "DISABLED"}),
                    ),
                ],
            ),
        ),
        (
            "docker labels and log options with their keys in another order",
            with(
                web(),
                &[
                    (
                        "/containerDefinitions/0/dockerLabels",
                        json!({"team": "web", "tier": "front"}),
                    ),
                    (
                        "/containerDefinitions/0/logConfiguration/options",
                        json!({"Name": "cloudwatch", "region": "eu-west-1"}),
                    ),
                ],
            ),
            with(
                web_described(),
                &[
                    (
                        "/taskDefinition/containerDefinitions/1/dockerLabels",
                        json!({"tier": "front", "team": "web"}),
                    ),
                    (
                        "/taskDefinition/containerDefinitions/1/logConfiguration/options",
                        json!({"region": "eu-west-1", "Name": "cloudwatch"}),
                    ),
                ],
            ),
        ),
        (
            "environment entry with an empty value dropped by ECS",
            with(
                bridge.clone(),
                &[("/containerDefinitions/0/environment/EMPTY", json!(""))],
            ),
            ecs_describe(&bridge, 2),
        ),
    ];
    for (name, desired_value, live_value) in cases {
        let found = lines(&desired(&desired_value), &live(&live_value));
        assert!(
            found.is_empty(),
            "{name}: expected no differences, got {found:#?}"
        );
    }
}

// ---- single-field changes that must compare different ----

#[test]
fn single_field_changes_are_found_with_their_path() {
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        // (pointer into web(), new value, expected path, expected line)
        ("/cpu", json!("256"), "cpu", "task: cpu 512 -> 256"),
        (
            "/memory",
            json!("2 GB"),
            "memory",
            "task: memory 1024 -> 2048",
        ),
        (
            "/family",
            json!("web2"),
            "family",
            "task: family \"web\" -> \"web2\"",
        ),
        (
            "/taskRoleArn",
            json!("arn:aws:iam::123456789012:role/other"),
            "taskRoleArn",
            "task: taskRoleArn \"arn:aws:iam::123456789012:role/web-task\" -> \"arn:aws:iam::123456789012:role/other\"",
        ),
        // (Not removed: this Fargate task pulls a private ECR image, which needs the role, and
        // RegisterTaskDefinition refuses it without.)
        (
            "/executionRoleArn",
            json!("arn:aws:iam::123456789012:role/other-execution"),
            "executionRoleArn",
            "task: executionRoleArn \"arn:aws:iam::123456789012:role/web-execution\" -> \"arn:aws:iam::123456789012:role/other-execution\"",
        ),
        (
            "/requiresCompatibilities",
            json!(["FARGATE", "EC2"]),
            "requiresCompatibilities",
            "task: requiresCompatibilities [\"FARGATE\"] -> [\"EC2\",\"FARGATE\"]",
        ),
        (
            "/pidMode",
            json!("task"),
            "pidMode",
            "task: pidMode (absent) -> \"task\"",
        ),
        (
            "/ephemeralStorage",
            json!({"sizeInGiB": 30}),
            "ephemeralStorage.sizeInGiB",
            "task: ephemeralStorage.sizeInGiB (absent) -> 30",
        ),
        (
            "/enableFaultInjection",
            json!(true),
            "enableFaultInjection",
            "task: enableFaultInjection false -> true",
        ),
        (
            "/runtimePlatform/cpuArchitecture",
            json!("ARM64"),
            "runtimePlatform.cpuArchitecture",
            "task: runtimePlatform.cpuArchitecture \"X86_64\" -> \"ARM64\"",
        ),
        (
            "/volumes/0/efsVolumeConfiguration/rootDirectory",
            json!("/app"),
            "volumes[data].efsVolumeConfiguration.rootDirectory",
            "task: volumes[data].efsVolumeConfiguration.rootDirectory \"/\" -> \"/app\"",
        ),
        (
            "/volumes/1",
            json!({"name": "tmp", "host": {}}),
            "volumes[tmp]",
            "task: volumes[tmp] (absent) -> {\"name\":\"tmp\"}",
        ),
        (
            "/containerDefinitions/0/image",
            json!("nginx:1.27"),
            "containerDefinitions[app].image",
            "container app: image \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123\" -> \"nginx:1.27\"",
        ),
        (
            "/containerDefinitions/0/cpu",
            json!(512),
            "containerDefinitions[app].cpu",
            "container app: cpu 256 -> 512",
        ),
        (
            "/containerDefinitions/0/cpu",
            Value::Null,
            "containerDefinitions[app].cpu",
            "container app: cpu 256 -> 0",
        ),
        (
            "/containerDefinitions/0/memoryReservation",
            json!(256),
            "containerDefinitions[app].memoryReservation",
            "container app: memoryReservation (absent) -> 256",
        ),
        (
            "/containerDefinitions/1/essential",
            json!(true),
            "containerDefinitions[log_router].essential",
            "container log_router: essential false -> true",
        ),
        (
            "/containerDefinitions/0/command",
            json!(["--port", "8080", "serve"]),
            "containerDefinitions[app].command",
            "container app: command reordered [\"serve\",\"--port\",\"8080\"] -> [\"--port\",\"8080\",\"serve\"]",
        ),
        (
            "/containerDefinitions/0/entryPoint",
            json!(["/bin/sh", "-c"]),
            "containerDefinitions[app].entryPoint",
            "container app: entryPoint [\"/bin/app\"] -> [\"/bin/sh\",\"-c\"]",
        ),
        (
            "/containerDefinitions/0/environment/LOG_LEVEL",
            json!("debug"),
            "containerDefinitions[app].environment[LOG_LEVEL].value",
            "container app: environment LOG_LEVEL changed",
        ),
        (
            "/containerDefinitions/0/environment/NEW",
            json!("1"),
            "containerDefinitions[app].environment[NEW].value",
            "container app: environment NEW added",
        ),
        (
            "/containerDefinitions/0/environment/APP_ENV",
            Value::Null,
            "containerDefinitions[app].environment[APP_ENV].value",
            "container app: environment APP_ENV removed",
        ),
        (
            "/containerDefinitions/0/secrets/DB_PASSWORD",
            json!("arn:aws:ssm:eu-west-1:123456789012:parameter/db"),
            "containerDefinitions[app].secrets[DB_PASSWORD].valueFrom",
            "container app: secrets DB_PASSWORD \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\" -> \"arn:aws:ssm:eu-west-1:123456789012:parameter/db\"",
        ),
        (
            "/containerDefinitions/0/portMappings/0/containerPort",
            json!(9090),
            "containerDefinitions[app].portMappings[0].containerPort",
            "container app: portMappings[0].containerPort 8080 -> 9090",
        ),
        (
            "/containerDefinitions/0/portMappings/0/protocol",
            json!("udp"),
            "containerDefinitions[app].portMappings[0].protocol",
            "container app: portMappings[0].protocol \"tcp\" -> \"udp\"",
        ),
        (
            "/containerDefinitions/0/healthCheck/retries",
            json!(5),
            "containerDefinitions[app].healthCheck.retries",
            "container app: healthCheck.retries 3 -> 5",
        ),
        (
            "/containerDefinitions/0/healthCheck/interval",
            json!(10),
            "containerDefinitions[app].healthCheck.interval",
            "container app: healthCheck.interval 30 -> 10",
        ),
        (
            "/containerDefinitions/0/logConfiguration/options/Name",
            json!("firehose"),
            "containerDefinitions[app].logConfiguration.options",
            "container app: logConfiguration.options {\"Name\":\"cloudwatch\"} -> {\"Name\":\"firehose\"}",
        ),
        (
            "/containerDefinitions/0/ulimits/0/softLimit",
            json!(1024),
            "containerDefinitions[app].ulimits[0].softLimit",
            "container app: ulimits[0].softLimit 4096 -> 1024",
        ),
        (
            "/containerDefinitions/0/mountPoints/0/readOnly",
            json!(true),
            "containerDefinitions[app].mountPoints[0].readOnly",
            "container app: mountPoints[0].readOnly false -> true",
        ),
        (
            "/containerDefinitions/0/dockerLabels/team",
            json!("platform"),
            "containerDefinitions[app].dockerLabels",
            "container app: dockerLabels {\"team\":\"web\"} -> {\"team\":\"platform\"}",
        ),
        (
            "/containerDefinitions/0/linuxParameters/initProcessEnabled",
            json!(false),
            "containerDefinitions[app].linuxParameters.initProcessEnabled",
            "container app: linuxParameters.initProcessEnabled true -> false",
        ),
        (
            "/containerDefinitions/0/stopTimeout",
            json!(30),
            "containerDefinitions[app].stopTimeout",
            "container app: stopTimeout (absent) -> 30",
        ),
        (
            "/containerDefinitions/0/dependsOn/0/condition",
            json!("COMPLETE"),
            "containerDefinitions[app].dependsOn[0].condition",
            "container app: dependsOn[0].condition \"START\" -> \"COMPLETE\"",
        ),
        (
            "/containerDefinitions/1/user",
            json!("1000"),
            "containerDefinitions[log_router].user",
            "container log_router: user \"0\" -> \"1000\"",
        ),
        (
            "/containerDefinitions/2",
            json!({"name": "sidecar", "image": "envoy", "essential": false}),
            "containerDefinitions[sidecar]",
            "container sidecar: added",
        ),
        (
            "/containerDefinitions/0/readonlyRootFilesystem",
            json!(true),
            "containerDefinitions[app].readonlyRootFilesystem",
            "container app: readonlyRootFilesystem false -> true",
        ),
    ];
    let live = live(&web_described());
    for (pointer, new, path, line) in cases {
        let desired = desired(&with(web(), &[(pointer, new.clone())]));
        let found = differences(&desired, &live, false);
        assert_eq!(
            found.len(),
            1,
            "{pointer} = {new}: expected one difference, got {:#?}",
            found.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
        assert_eq!(found[0].path, path, "{pointer} = {new}");
        assert_eq!(found[0].to_string(), line, "{pointer} = {new}");
    }
    // Placement constraints, which Fargate refuses, on the same task run on EC2.
    let ec2 = with(web(), &[("/requiresCompatibilities", json!(["EC2"]))]);
    let constrained = with(
        ec2.clone(),
        &[(
            "/placementConstraints",
            json!([{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]),
        )],
    );
    let found = differences(
        &desired(&constrained),
        &crate::live(&ecs_describe(&ec2, 0)),
        false,
    );
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "task: placementConstraints (absent) -> [{\"type\":\"memberOf\",\"expression\":\"attribute:ecs.os-type == linux\"}]"
        ]
    );
    assert_eq!(found[0].path, "placementConstraints");
}

#[test]
fn a_removed_container_is_reported() {
    let mut value = web();
    set(&mut value, "/containerDefinitions/1", Value::Null);
    set(&mut value, "/containerDefinitions/0/dependsOn", Value::Null);
    set(
        &mut value,
        "/containerDefinitions/0/logConfiguration",
        json!({"logDriver": "awslogs"}),
    );
    let found = lines(&desired(&value), &live(&web_described()));
    assert_eq!(
        found,
        vec![
            "container app: dependsOn [{\"containerName\":\"log_router\",\"condition\":\"START\"}] -> (absent)",
            "container app: logConfiguration.logDriver \"awsfirelens\" -> \"awslogs\"",
            "container app: logConfiguration.options {\"Name\":\"cloudwatch\"} -> (absent)",
            "container log_router: removed",
        ]
    );
}

#[test]
fn a_renamed_container_is_one_removed_and_one_added() {
    let value = with(
        web(),
        &[
            ("/containerDefinitions/1/name", json!("router")),
            (
                "/containerDefinitions/0/dependsOn/0/containerName",
                json!("router"),
            ),
        ],
    );
    let found = lines(&desired(&value), &live(&web_described()));
    assert_eq!(
        found,
        vec![
            "container app: dependsOn[0].containerName \"log_router\" -> \"router\"",
            "container log_router: removed",
            "container router: added",
        ]
    );
}

#[test]
fn environment_values_are_shown_only_when_asked() {
    let value = with(
        web(),
        &[
            (
                "/containerDefinitions/0/environment/LOG_LEVEL",
                json!("debug"),
            ),
            ("/containerDefinitions/0/environment/NEW", json!("x")),
        ],
    );
    let desired = desired(&value);
    let live = live(&web_described());
    let hidden = differences(&desired, &live, false);
    assert_eq!(hidden[0].live, json!("(redacted)"));
    assert_eq!(hidden[0].desired, json!("(redacted)"));
    assert_eq!(hidden[1].live, Value::Null);
    assert_eq!(hidden[1].desired, json!("(redacted)"));
    let shown: Vec<String> = differences(&desired, &live, true)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        vec![
            "container app: environment LOG_LEVEL \"info\" -> \"debug\"",
            "container app: environment NEW (absent) -> \"x\"",
        ]
    );
}

#[test]
fn an_added_container_has_its_environment_redacted() {
    let value = with(
        web(),
        &[(
            "/containerDefinitions/2",
            json!({"name": "sidecar", "image": "envoy", "essential": false,
               "environment": {"TOKEN": "s3cr3t"}, "secrets": {"KEY": "arn:aws:ssm:eu-west-1:123456789012:parameter/k"}}),
        )],
    );
    let found = differences(&desired(&value), &live(&web_described()), false);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].desired,
        json!({"name": "sidecar", "image": "envoy", "essential": false,
               "environment": [{"name": "TOKEN", "value": "(redacted)"}],
               "secrets": [{"name": "KEY", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/k"}]})
    );
    assert!(
        !serde_json::to_string(&found)
            .unwrap_or_default()
            .contains("s3cr3t")
    );
}

#[test]
fn unknown_live_fields_are_ignored_but_known_ones_compared() {
    let live_value = with(
        web_described(),
        &[
            (
                "/taskDefinition/containerDefinitions/1/restartPolicyV2",
                json!({"enabled": true}),
            ),
            ("/taskDefinition/newTaskField", json!("x")),
        ],
    );
    assert!(lines(&desired(&web()), &live(&live_value)).is_empty());
    // Unparsed live maps go through comparison_form inside differences, which drops them too.
    let raw = object(live_value["taskDefinition"].clone());
    assert!(lines(&desired(&web()), &raw).is_empty());
}

#[test]
fn odd_names_stay_on_one_line() {
    let desired = object(json!({"family": "web", "containerDefinitions": [
        {"name": "app", "image": "x", "environment": [{"name": "A B\nC", "value": "1"}]}
    ]}));
    let live = object(json!({"family": "web", "containerDefinitions": [
        {"name": "app", "image": "x"}, {"name": "old\none", "image": "y"}
    ]}));
    let found = differences(&desired, &live, false);
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "container app: environment \"A B\\nC\" added",
            "container \"old\\none\": removed",
        ]
    );
    assert_eq!(
        found[0].path,
        "containerDefinitions[app].environment[\"A B\\nC\"].value"
    );
}

#[test]
fn differences_serialise_for_differences_json() {
    let value = with(web(), &[("/cpu", json!("256"))]);
    let found = differences(&desired(&value), &live(&web_described()), false);
    assert_eq!(
        serde_json::to_value(&found).unwrap_or_default(),
        json!([{"path": "cpu", "live": "512", "desired": "256", "line": "task: cpu 512 -> 256"}])
    );
}

#[test]
fn a_changed_value_is_found_whatever_the_key_order() {
    let desired = desired(&with(
        web(),
        &[(
            "/containerDefinitions/0/dockerLabels",
            json!({"team": "web", "tier": "front"}),
        )],
    ));
    let live = live(&with(
        web_described(),
        &[(
            "/taskDefinition/containerDefinitions/1/dockerLabels",
            json!({"tier": "back", "team": "web"}),
        )],
    ));
    assert_eq!(
        lines(&desired, &live),
        [
            "container app: dockerLabels {\"team\":\"web\",\"tier\":\"back\"} -> {\"team\":\"web\",\"tier\":\"front\"}"
        ]
    );
}

#[test]
fn a_reordered_list_is_one_line_that_says_so() {
    let task = |ulimits: Value, dns: Value| {
        desired(&json!({"family": "web", "containerDefinitions": [{
            "name": "app", "image": "nginx", "ulimits": ulimits, "dnsServers": dns
        }]}))
    };
    let nofile = json!({"name": "nofile", "softLimit": 1024, "hardLimit": 4096});
    let nproc = json!({"name": "nproc", "softLimit": 64, "hardLimit": 128});
    let core = json!({"name": "core", "softLimit": 0, "hardLimit": 0});
    let live = task(
        json!([nofile, nproc, core]),
        json!(["10.0.0.2", "10.0.0.3", "10.0.0.2"]),
    );
    assert_eq!(
        lines(
            &task(
                json!([core, nofile, nproc]),
                json!(["10.0.0.3", "10.0.0.2", "10.0.0.2"])
            ),
            &live
        ),
        [
            "container app: dnsServers reordered [\"10.0.0.2\",\"10.0.0.3\",\"10.0.0.2\"] -> [\"10.0.0.3\",\"10.0.0.2\",\"10.0.0.2\"]",
            "container app: ulimits reordered [{\"name\":\"nofile\",\"softLimit\":1024,\"hardLimit\":4096},{\"name\":\"nproc\",\"softLimit\":64,\"hardLimit\":128},{\"name\":\"core\",\"softLimit\":0,\"hardLimit\":0}] -> [{\"name\":\"core\",\"softLimit\":0,\"hardLimit\":0},{\"name\":\"nofile\",\"softLimit\":1024,\"hardLimit\":4096},{\"name\":\"nproc\",\"softLimit\":64,\"hardLimit\":128}]",
        ]
    );
    // Not a reordering: an entry changed too, or one entry twice in place of another.
    let changed = json!({"name": "core", "softLimit": 0, "hardLimit": 1});
    assert_eq!(
        lines(
            &task(
                json!([nofile, changed, nproc]),
                json!(["10.0.0.2", "10.0.0.3", "10.0.0.3"])
            ),
            &live
        ),
        [
            "container app: dnsServers [\"10.0.0.2\",\"10.0.0.3\",\"10.0.0.2\"] -> [\"10.0.0.2\",\"10.0.0.3\",\"10.0.0.3\"]",
            "container app: ulimits[1].name \"nproc\" -> \"core\"",
            "container app: ulimits[1].softLimit 64 -> 0",
            "container app: ulimits[1].hardLimit 128 -> 1",
            "container app: ulimits[2].name \"core\" -> \"nproc\"",
            "container app: ulimits[2].softLimit 0 -> 64",
            "container app: ulimits[2].hardLimit 0 -> 128",
        ]
    );
}

/// `{"name": X, "value": ""}` on one side and no X on the other, whichever of ECS's two reported
/// behaviours holds (terraform-provider-aws #39533: ECS keeps the entry, or drops it): no
/// difference, so no revision per apply.
#[test]
fn an_empty_environment_value_is_the_same_as_none_whether_ecs_keeps_or_drops_it() {
    let container = |environment: Value| {
        json!({"family": "web", "containerDefinitions": [{
            "name": "app", "image": "nginx", "environment": environment
        }]})
    };
    let with_empty = container(json!([{"name": "A", "value": "1"}, {"name": "X", "value": ""}]));
    let with_null = container(json!([{"name": "A", "value": "1"}, {"name": "X", "value": null}]));
    let with_no_value = container(json!([{"name": "A", "value": "1"}, {"name": "X"}]));
    let without = container(json!([{"name": "A", "value": "1"}]));
    let dropped = ecs_describe(&without, 1);
    // The register form never sends X="" (see register_form); a deploy tool may, and ECS keep it.
    let kept = with(
        dropped.clone(),
        &[(
            "/taskDefinition/containerDefinitions/0/environment/1",
            json!({"name": "X", "value": ""}),
        )],
    );
    assert!(kept.to_string().contains(r#"{"name":"X","value":""}"#));
    for (name, desired_value, live_value) in [
        ("desired X=\"\", ECS kept it", &with_empty, &kept),
        ("desired X=\"\", ECS dropped it", &with_empty, &dropped),
        ("desired X=null, ECS dropped it", &with_null, &dropped),
        (
            "desired X without a value, ECS kept X=\"\"",
            &with_no_value,
            &kept,
        ),
        (
            "desired without X, a deploy tool's X=\"\" kept by ECS",
            &without,
            &kept,
        ),
        ("desired without X, ECS dropped X", &without, &dropped),
    ] {
        let found = lines(&desired(desired_value), &live(live_value));
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
    // A value that is not empty is a difference, either way round.
    let set = container(json!([{"name": "A", "value": "1"}, {"name": "X", "value": "0"}]));
    assert_eq!(
        differences(&desired(&set), &live(&kept), true)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["container app: environment X (absent) -> \"0\""]
    );
    assert_eq!(
        lines(&desired(&without), &live(&ecs_describe(&set, 0))).len(),
        1
    );
}
