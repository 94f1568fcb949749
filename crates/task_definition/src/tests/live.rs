//! Live task definitions, read leniently.

use super::*;

/// Found by the selector_json fuzz target: a volume name with control characters was listed as
/// it was in the message of a mount point that named another volume, breaking the line.
#[test]
fn names_in_messages_stay_on_one_line() {
    assert_eq!(
        task_error(task(json!({"volumes": [{"name": "da\nta"}]}))),
        "desired_task_definition.volumes[0].name must be 1-255 letters, digits, hyphens or underscores, got \"da\\nta\""
    );
    // The proxy's container is checked before the containers' names are.
    let odd = json!({"family": "web", "containerDefinitions": [app(json!({})), {"name": "si\nde", "image": "x"}],
        "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"}});
    assert_eq!(
        task_error(odd),
        "desired_task_definition.proxyConfiguration.containerName \"envoy\" is not a container of this task (the containers are app, \"si\\nde\")"
    );
}

#[test]
fn keyed_task_lists_need_their_key_once() {
    let proxy = |properties: Value| {
        task(
            json!({"proxyConfiguration": {"type": "APPMESH", "containerName": "app", "properties": properties}}),
        )
    };
    assert_eq!(
        task_error(proxy(
            json!([{"name": "AppPorts", "value": "80"}, {"value": "1337"}])
        )),
        "desired_task_definition.proxyConfiguration.properties[1].name is required"
    );
    assert_eq!(
        task_error(proxy(
            json!([{"name": "AppPorts", "value": "80"}, {"name": "AppPorts", "value": "81"}])
        )),
        "desired_task_definition.proxyConfiguration.properties[1].name \"AppPorts\" is already the name of desired_task_definition.proxyConfiguration.properties[0]; property names must be unique"
    );
    assert_eq!(
        task_error(task(json!({"inferenceAccelerators": [
            {"deviceName": "device_1", "deviceType": "eia2.medium"},
            {"deviceName": "device_1", "deviceType": "eia2.large"}
        ]}))),
        "desired_task_definition.inferenceAccelerators[1].deviceName \"device_1\" is already the name of desired_task_definition.inferenceAccelerators[0]; device names must be unique"
    );
    assert!(
        parse_task_definition(
            proxy(json!([{"name": "AppPorts", "value": "80"}, {"name": "IgnoredUID", "value": "1337"}])).clone(),
            "desired_task_definition"
        )
        .is_ok()
    );
}

#[test]
fn live_parse_drops_read_only_and_unknown_fields_at_any_depth() {
    let live = json!({"taskDefinition": {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
        "revision": 3, "status": "ACTIVE", "compatibilities": ["EC2"],
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
        "registeredAt": 1700000000.0, "registeredBy": "arn:aws:iam::123456789012:user/ci",
        "family": "web",
        "someFutureField": {"x": 1},
        "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 0,
            "futureContainerField": true,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp", "hostPortRange": "x"}]}]
    }});
    match parse_live_task_definition(live.clone(), "live_task_definition") {
        Ok(parsed) => assert_eq!(
            Value::Object(parsed),
            json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 0,
                "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}]})
        ),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn live_parse_keeps_values_of_unexpected_types() {
    let live = json!({"family": "web", "containerDefinitions": [{"name": "app", "cpu": "0"}]});
    match parse_live_task_definition(live.clone(), "live") {
        Ok(parsed) => assert_eq!(parsed["containerDefinitions"][0]["cpu"], json!("0")),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn live_parse_needs_named_containers() {
    let check = |live: Value, expected: &str| match parse_live_task_definition(live.clone(), "live")
    {
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
        Err(error) => assert_eq!(error.to_string(), expected),
    };
    check(json!("web"), "live must be an object, got a string \"web\"");
    check(
        json!({"family": "web"}),
        "live.containerDefinitions is required",
    );
    check(
        json!({"containerDefinitions": {"app": {}}}),
        "live.containerDefinitions must be an array, got an object",
    );
    check(
        json!({"containerDefinitions": [{"image": "x"}]}),
        "live.containerDefinitions[0].name is required",
    );
    check(
        json!({"containerDefinitions": [{"name": "a"}, {"name": "a"}]}),
        "live.containerDefinitions[1].name \"a\" is used by two containers; names must be unique",
    );
}

#[test]
fn errors_report_their_path() {
    let error = Error::invalid("a.b", "must be x");
    assert_eq!(error.path(), "a.b");
    assert_eq!(error.to_string(), "a.b must be x");
}
