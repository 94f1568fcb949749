//! Each list's class (ordered, keyed by a member, or a set), checked against the source that
//! decides it: what the AWS provider does with the list on its way to ECS, and what ECS returns.

use ecs_drift_tests::ecs::desired;
use serde_json::{Value, json};
use task_definition::{Map, differences, parse_live_task_definition};

/// An App Mesh task whose every list has at least two entries. Bridge mode, so that its
/// containers may have `links` (RegisterTaskDefinition refuses them in any other mode).
fn task() -> Value {
    json!({
        "family": "mesh",
        "networkMode": "bridge",
        "memory": "1024",
        "requiresCompatibilities": ["EC2", "EXTERNAL"],
        "placementConstraints": [
            {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"},
            {"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}
        ],
        "volumes": [
            {"name": "data", "dockerVolumeConfiguration": {
                "scope": "shared", "autoprovision": true, "driver": "rexray",
                "driverOpts": {"size": "10", "volumetype": "gp3"},
                "labels": {"team": "web", "tier": "data"}
            }},
            {"name": "cache", "host": {"sourcePath": "/var/cache/app"}}
        ],
        "inferenceAccelerators": [
            {"deviceName": "device_1", "deviceType": "eia2.medium"},
            {"deviceName": "device_2", "deviceType": "eia2.large"}
        ],
        "proxyConfiguration": {
            "type": "APPMESH",
            "containerName": "envoy",
            "properties": [
                {"name": "IgnoredUID", "value": "1337"},
                {"name": "ProxyIngressPort", "value": "15000"},
                {"name": "ProxyEgressPort", "value": "15001"},
                {"name": "AppPorts", "value": "80"},
                {"name": "EgressIgnoredIPs", "value": "169.254.170.2,169.254.169.254"}
            ]
        },
        "containerDefinitions": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "links": ["envoy", "sidecar"],
                "portMappings": [{"containerPort": 80}, {"containerPort": 443}],
                "restartPolicy": {"enabled": true, "ignoredExitCodes": [0, 143]},
                "entryPoint": ["sh", "-c"],
                "command": ["nginx", "-g", "daemon off;"],
                "environmentFiles": [
                    {"value": "arn:aws:s3:::config/base.env", "type": "s3"},
                    {"value": "arn:aws:s3:::config/prod.env", "type": "s3"}
                ],
                "mountPoints": [
                    {"sourceVolume": "data", "containerPath": "/data"},
                    {"sourceVolume": "cache", "containerPath": "/cache"}
                ],
                "volumesFrom": [{"sourceContainer": "envoy"}, {"sourceContainer": "sidecar"}],
                "linuxParameters": {
                    "capabilities": {"add": ["NET_ADMIN", "SYS_PTRACE"], "drop": ["NET_RAW", "MKNOD"]},
                    "devices": [
                        {"hostPath": "/dev/fuse", "permissions": ["read", "write"]},
                        {"hostPath": "/dev/net/tun", "permissions": ["read"]}
                    ],
                    "tmpfs": [
                        {"containerPath": "/tmp", "size": 64, "mountOptions": ["rw", "noexec"]},
                        {"containerPath": "/run", "size": 16}
                    ]
                },
                "dependsOn": [
                    {"containerName": "envoy", "condition": "START"},
                    {"containerName": "sidecar", "condition": "START"}
                ],
                "dnsServers": ["10.0.0.2", "10.0.0.3"],
                "dnsSearchDomains": ["svc.local", "local"],
                "extraHosts": [
                    {"hostname": "db", "ipAddress": "10.0.1.5"},
                    {"hostname": "cache", "ipAddress": "10.0.1.6"}
                ],
                "dockerSecurityOptions": ["no-new-privileges", "label:type:app_t"],
                "ulimits": [
                    {"name": "nofile", "softLimit": 1024, "hardLimit": 4096},
                    {"name": "nproc", "softLimit": 64, "hardLimit": 128}
                ],
                "logConfiguration": {
                    "logDriver": "splunk",
                    "secretOptions": [
                        {"name": "splunk-token", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/token"},
                        {"name": "splunk-url", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/url"}
                    ]
                },
                "healthCheck": {"command": ["CMD", "curl", "-f", "http://localhost/"]},
                "systemControls": [
                    {"namespace": "net.core.somaxconn", "value": "1024"},
                    {"namespace": "net.ipv4.tcp_keepalive_time", "value": "60"}
                ],
                "resourceRequirements": [
                    {"type": "InferenceAccelerator", "value": "device_1"},
                    {"type": "InferenceAccelerator", "value": "device_2"}
                ],
                "credentialSpecs": ["credentialspec:arn:aws:s3:::specs/a.json", "credentialspec:arn:aws:s3:::specs/b.json"]
            },
            {"name": "envoy", "image": "envoyproxy/envoy:v1.31", "user": "1337"},
            {"name": "sidecar", "image": "busybox", "essential": false}
        ]
    })
}

fn live(value: &Value) -> Map {
    match parse_live_task_definition(value.clone(), "live") {
        Ok(task) => task,
        Err(error) => panic!("invalid live task definition: {error}"),
    }
}

/// `value` with the last two entries of the list at `pointer` swapped.
fn reordered(mut value: Value, pointer: &str) -> Value {
    match value.pointer_mut(pointer) {
        Some(Value::Array(items)) if items.len() > 1 => {
            let last = items.len() - 1;
            items.swap(last - 1, last);
        }
        other => panic!("no list of two or more at {pointer}: {other:?}"),
    }
    value
}

/// `value` with the object at `pointer` rebuilt with its keys in reverse order.
fn keys_reversed(mut value: Value, pointer: &str) -> Value {
    match value.pointer_mut(pointer) {
        Some(Value::Object(object)) if object.len() > 1 => {
            let entries: Vec<(String, Value)> = std::mem::take(object).into_iter().rev().collect();
            object.extend(entries);
        }
        other => panic!("no object of two or more keys at {pointer}: {other:?}"),
    }
    value
}

fn differences_of(desired_value: &Value, live_value: &Value) -> Vec<String> {
    differences(&desired(desired_value), &live(live_value), true)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_sample_is_valid_and_equal_to_itself() {
    let task = desired(&task());
    assert!(differences(&task, &task, true).is_empty());
}

/// The lists and maps that `aws_ecs_task_definition` keeps as a TypeSet or a TypeMap (AWS
/// provider schema, `internal/service/ecs/task_definition.go`): they reach ECS, and come back,
/// in an order of the provider's, so any order compares equal.
const PROVIDER_SETS_AND_MAPS: &[(&str, &str)] = &[
    (
        "/proxyConfiguration/properties",
        "proxy_configuration.properties is a TypeMap; ecspresso sorts them by name",
    ),
    (
        "/inferenceAccelerators",
        "inference_accelerator is a TypeSet",
    ),
    ("/volumes", "volume is a TypeSet; ecspresso sorts them"),
    (
        "/placementConstraints",
        "placement_constraints is a TypeSet; ecspresso sorts them",
    ),
    (
        "/requiresCompatibilities",
        "requires_compatibilities is a TypeSet; ecspresso sorts them",
    ),
];

#[test]
fn lists_the_provider_keeps_as_sets_or_maps_compare_equal_in_any_order() {
    for (pointer, source) in PROVIDER_SETS_AND_MAPS {
        let found = differences_of(&task(), &reordered(task(), pointer));
        assert!(found.is_empty(), "{pointer} ({source}): {found:#?}");
    }
    for (pointer, source) in [
        (
            "/volumes/0/dockerVolumeConfiguration/driverOpts",
            "docker_volume_configuration.driver_opts is a TypeMap",
        ),
        (
            "/volumes/0/dockerVolumeConfiguration/labels",
            "docker_volume_configuration.labels is a TypeMap",
        ),
    ] {
        let found = differences_of(&task(), &keys_reversed(task(), pointer));
        assert!(found.is_empty(), "{pointer} ({source}): {found:#?}");
    }
}

#[test]
fn a_changed_entry_of_a_provider_set_is_still_found_in_any_order() {
    let changes = [
        ("/proxyConfiguration/properties/3/value", json!("8080")),
        ("/inferenceAccelerators/0/deviceType", json!("eia2.xlarge")),
        ("/volumes/1/host/sourcePath", json!("/var/cache/other")),
        (
            "/placementConstraints/0/expression",
            json!("attribute:ecs.instance-type =~ m6.*"),
        ),
        ("/requiresCompatibilities/1", json!("MANAGED_INSTANCES")),
    ];
    for ((pointer, source), (at, value)) in PROVIDER_SETS_AND_MAPS.iter().zip(changes) {
        let mut changed = task();
        *changed.pointer_mut(at).expect("the sample has the entry") = value;
        let found = differences_of(&changed, &reordered(task(), pointer));
        assert_eq!(found.len(), 1, "{pointer} ({source}): {found:#?}");
    }
}

/// Every list inside `containerDefinitions` but `environment` and `secrets`: the AWS provider
/// sends container_definitions as written and compares these in order
/// (`containerDefinitionsAreEquivalent` sorts only containers, environment and secrets), and ECS
/// returns them in order (provider test `TestContainerDefinitionsAreEquivalent_arrays`). A
/// reordering is one difference, so the service moves to the revision the provider registers.
const IN_ORDER: &[&str] = &[
    "links",
    "portMappings",
    "restartPolicy/ignoredExitCodes",
    "entryPoint",
    "command",
    "environmentFiles",
    "mountPoints",
    "volumesFrom",
    "linuxParameters/capabilities/add",
    "linuxParameters/capabilities/drop",
    "linuxParameters/devices",
    "linuxParameters/devices/0/permissions",
    "linuxParameters/tmpfs",
    "linuxParameters/tmpfs/0/mountOptions",
    "dependsOn",
    "dnsServers",
    "dnsSearchDomains",
    "extraHosts",
    "dockerSecurityOptions",
    "ulimits",
    "logConfiguration/secretOptions",
    "healthCheck/command",
    "systemControls",
    "resourceRequirements",
    "credentialSpecs",
];

#[test]
fn lists_inside_container_definitions_compare_in_order() {
    for list in IN_ORDER {
        let pointer = format!("/containerDefinitions/0/{list}");
        let found = differences(&desired(&reordered(task(), &pointer)), &live(&task()), true);
        let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 1, "{list}: {lines:#?}");
        let path =
            format!("containerDefinitions[app].{}", list.replace('/', ".")).replace(".0.", "[0].");
        assert_eq!(found[0].path, path, "{list}: {lines:#?}");
    }
}

#[test]
fn entries_of_keyed_task_lists_are_reported_by_key() {
    let mut changed = task();
    *changed
        .pointer_mut("/proxyConfiguration/properties/3/value")
        .expect("AppPorts") = json!("8080");
    *changed
        .pointer_mut("/inferenceAccelerators/1/deviceType")
        .expect("device_2") = json!("eia2.xlarge");
    let described = reordered(
        reordered(task(), "/proxyConfiguration/properties"),
        "/inferenceAccelerators",
    );
    assert_eq!(
        differences_of(&changed, &described),
        [
            "task: proxyConfiguration.properties AppPorts \"80\" -> \"8080\"",
            "task: inferenceAccelerators device_2 \"eia2.large\" -> \"eia2.xlarge\"",
        ]
    );
    let found = differences(&desired(&changed), &live(&described), true);
    assert_eq!(
        found[0].path,
        "proxyConfiguration.properties[AppPorts].value"
    );
    assert_eq!(found[1].path, "inferenceAccelerators[device_2].deviceType");
}
