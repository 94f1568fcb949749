//! The register form: what DescribeTaskDefinition returns for what is registered.

use super::*;

fn register(containers: Value, network_mode: NetworkMode) -> Value {
    let containers = parsed(containers, network_mode);
    Value::Array(
        register_form(containers.to_vec(), network_mode)
            .into_iter()
            .map(Value::Object)
            .collect(),
    )
}

#[test]
fn register_form_fills_ecs_defaults_in_bridge_mode() {
    assert_eq!(
        register(
            json!([app(json!({
                "portMappings": [{"containerPort": 80}, {"containerPortRange": "9000-9010"}],
                "environment": {"B": "2", "A": "1", "EMPTY": ""},
                "secrets": [{"name": "Z", "valueFrom": "arn:z"}, {"name": "Y", "valueFrom": "arn:y"}],
                "healthCheck": {"command": ["CMD", "true"]},
                "linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}}
            }))]),
            NetworkMode::Bridge
        ),
        json!([{
            "name": "app",
            "image": "nginx:1.27",
            "cpu": 0,
            "essential": true,
            "portMappings": [
                {"containerPort": 80, "hostPort": 0, "protocol": "tcp"},
                {"containerPortRange": "9000-9010", "protocol": "tcp"}
            ],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "secrets": [{"name": "Y", "valueFrom": "arn:y"}, {"name": "Z", "valueFrom": "arn:z"}],
            "mountPoints": [],
            "volumesFrom": [],
            "systemControls": [],
            "healthCheck": {"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 3},
            "linuxParameters": {"capabilities": {"add": [], "drop": ["NET_RAW"]}}
        }])
    );
}

#[test]
fn register_form_host_port_follows_the_network_mode() {
    let containers = json!([app(json!({"portMappings": [{"containerPort": 8080}]}))]);
    for (mode, host_port) in [
        (NetworkMode::Awsvpc, json!(8080)),
        (NetworkMode::Host, json!(8080)),
        (NetworkMode::Bridge, json!(0)),
    ] {
        let registered = register(containers.clone(), mode);
        assert_eq!(
            registered[0]["portMappings"][0]["hostPort"], host_port,
            "{mode}"
        );
    }
}

#[test]
fn register_form_keeps_what_was_given() {
    let registered = register(
        json!([
            app(json!({"essential": false, "cpu": 128,
            "portMappings": [{"containerPort": 80, "hostPort": 8080, "protocol": "udp"}],
            "command": ["b", "a"],
            "healthCheck": {"command": ["CMD", "true"], "interval": 10, "retries": 5, "timeout": 3, "startPeriod": 20}})),
            json!({"name": "sidecar", "image": "envoy"})
        ]),
        NetworkMode::Bridge,
    );
    assert_eq!(registered[0]["essential"], json!(false));
    assert_eq!(registered[0]["cpu"], json!(128));
    assert_eq!(
        registered[0]["portMappings"],
        json!([{"containerPort": 80, "hostPort": 8080, "protocol": "udp"}])
    );
    assert_eq!(registered[0]["command"], json!(["b", "a"]));
    assert_eq!(
        registered[0]["healthCheck"],
        json!({"command": ["CMD", "true"], "interval": 10, "retries": 5, "timeout": 3, "startPeriod": 20})
    );
    assert_eq!(
        registered[1]["name"],
        json!("sidecar"),
        "container order is kept"
    );
}

#[test]
fn register_form_adds_only_the_empty_lists_ecs_adds() {
    let registered = register(
        json!([app(
            json!({"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}, "initProcessEnabled": true}})
        )]),
        NetworkMode::Bridge,
    );
    assert_eq!(
        registered[0]["linuxParameters"],
        json!({"capabilities": {"add": ["SYS_PTRACE"]}, "initProcessEnabled": true})
    );
    for absent in [
        "links",
        "secrets",
        "environmentFiles",
        "dependsOn",
        "ulimits",
        "dockerLabels",
    ] {
        assert!(registered[0].get(absent).is_none(), "{absent}");
    }
}

#[test]
fn register_form_is_idempotent() {
    let once = parsed(
        json!([app(
            json!({"portMappings": [{"containerPort": 80}], "environment": {"B": "", "A": "1"},
            "healthCheck": {"command": ["CMD", "true"]}})
        )]),
        NetworkMode::Awsvpc,
    );
    let once = register_form(once.to_vec(), NetworkMode::Awsvpc);
    let twice = register_form(once.to_vec(), NetworkMode::Awsvpc);
    assert_eq!(once, twice);
}

#[test]
fn mount_points_need_a_volume_and_a_path() {
    assert_eq!(
        app_error(json!({"mountPoints": [{"containerPath": "/data"}]})),
        "container_definitions[0].mountPoints[0].sourceVolume is required"
    );
    assert_eq!(
        app_error(json!({"mountPoints": [{"sourceVolume": "data"}]})),
        "container_definitions[0].mountPoints[0].containerPath is required"
    );
    // Without the task's volumes (container definitions alone), any volume name is accepted.
    parsed(
        json!([app(
            json!({"mountPoints": [{"sourceVolume": "data", "containerPath": "/d"}]})
        )]),
        NetworkMode::Bridge,
    );
}

#[test]
fn nulls_inside_lists_are_refused() {
    assert_eq!(
        error(json!([app(json!({})), null])),
        "container_definitions[1] must be an object, got null"
    );
    assert_eq!(
        app_error(json!({"environment": [null]})),
        "container_definitions[0].environment[0] must be an object, got null"
    );
    assert_eq!(
        app_error(json!({"environment": {"A": null}})),
        "container_definitions[0].environment.A must be a string (environment values are strings: quote numbers and booleans), got null"
    );
}

#[test]
fn task_level_value_lists() {
    assert_eq!(
        task_error(task(
            json!({"proxyConfiguration": {"type": "ENVOY", "containerName": "app"}})
        )),
        "desired_task_definition.proxyConfiguration.type must be one of APPMESH, got \"ENVOY\""
    );
    assert_eq!(
        task_error(task(json!({"volumes": [{"name": "d",
            "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ON"}}]}))),
        "desired_task_definition.volumes[0].efsVolumeConfiguration.transitEncryption must be one of ENABLED, DISABLED, got \"ON\""
    );
    assert_eq!(
        task_error(task(json!({"ephemeralStorage": {}}))),
        "desired_task_definition.ephemeralStorage.sizeInGiB is required (21..200)"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": {"app": {}}}))),
        "desired_task_definition.containerDefinitions must be an array, got an object"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": []}))),
        "desired_task_definition.containerDefinitions must have at least one container definition"
    );
}

#[test]
fn register_form_output_parses_again() {
    let once = register(
        json!([app(
            json!({"portMappings": [{"containerPort": 80}], "environment": {"A": "1"}})
        )]),
        NetworkMode::Bridge,
    );
    let again = register(once.clone(), NetworkMode::Bridge);
    assert_eq!(once, again);
    let _ = object(json!({}));
}
