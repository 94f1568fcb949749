//! The program as Terraform runs it, and the differences as a plan shows them.

use ecs_drift_tests::{Run, run};
use serde_json::{Value, json};

const PROGRAM: &str = "task_definition_selector";
const LIVE_ARN: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7";

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_task_definition_selector")
}

fn select(desired: &Value, live: Option<&Value>, extra: &[(&str, &str)]) -> Run {
    let mut query = serde_json::Map::new();
    query.insert("desired_task_definition".into(), desired.to_string().into());
    if let Some(live) = live {
        query.insert("live_task_definition".into(), live.to_string().into());
        query.insert("live_task_definition_arn".into(), LIVE_ARN.into());
    }
    for (key, value) in extra {
        query.insert((*key).into(), (*value).into());
    }
    run(binary(), &[], &Value::Object(query).to_string())
}

/// A realistic desired definition, as the module builds it.
fn desired() -> Value {
    json!({
        "family": "web",
        "cpu": "512",
        "memory": "1024",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "containerDefinitions": [
            {
                "name": "app",
                "image": "registry.example.com/web:1.4.2",
                "portMappings": [{ "containerPort": 8080 }],
                "environment": [
                    { "name": "LOG_LEVEL", "value": "info" },
                    { "name": "DATABASE_HOST", "value": "db.internal" }
                ],
                "secrets": [{ "name": "DATABASE_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/web/db" }],
                "command": ["serve", "--port", "8080"],
                "healthCheck": { "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"] },
                "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" } }
            },
            {
                "name": "envoy",
                "image": "envoyproxy/envoy:v1.31.0",
                "essential": false,
                "dependsOn": [],
                "user": "1337"
            }
        ]
    })
}

/// What DescribeTaskDefinition returns for `desired()` after a deploy tool shipped a new image:
/// ECS's defaults, reordered lists, units, read-only fields, and the tool's empty role ARN.
fn live_after_ecs() -> Value {
    json!({
        "taskDefinitionArn": LIVE_ARN,
        "family": "web",
        "revision": 7,
        "status": "ACTIVE",
        "cpu": "0.5 vCPU",
        "memory": "1 GB",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "compatibilities": ["EC2", "FARGATE"],
        "requiresAttributes": [{ "name": "com.amazonaws.ecs.capability.logging-driver.awslogs" }],
        "registeredAt": "2026-11-20T10:00:00.000Z",
        "registeredBy": "arn:aws:sts::123456789012:assumed-role/deployer/ci",
        "placementConstraints": [],
        "volumes": [],
        "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "containerDefinitions": [
            {
                "name": "envoy",
                "image": "envoyproxy/envoy:v1.31.0",
                "cpu": 0,
                "essential": false,
                "portMappings": [],
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "systemControls": [],
                "user": "1337"
            },
            {
                "name": "app",
                "image": "registry.example.com/web:1.4.2",
                "cpu": 0,
                "essential": true,
                "portMappings": [{ "containerPort": 8080, "hostPort": 8080, "protocol": "tcp" }],
                "environment": [
                    { "name": "DATABASE_HOST", "value": "db.internal" },
                    { "name": "LOG_LEVEL", "value": "info" }
                ],
                "secrets": [{ "name": "DATABASE_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/web/db" }],
                "mountPoints": [],
                "volumesFrom": [],
                "systemControls": [],
                "command": ["serve", "--port", "8080"],
                "healthCheck": { "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], "interval": 30, "timeout": 5, "retries": 3 },
                "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" }, "secretOptions": [] }
            }
        ]
    })
}

fn container_mut<'a>(task: &'a mut Value, name: &str) -> &'a mut Value {
    task["containerDefinitions"]
        .as_array_mut()
        .expect("containers")
        .iter_mut()
        .find(|container| container["name"] == name)
        .expect("container")
}

#[test]
fn an_ecs_round_trip_keeps_the_live_revision() {
    let result = select(&desired(), Some(&live_after_ecs()), &[]).assert_success();
    assert_eq!(result["changed"], "false", "{result:#?}");
    assert_eq!(result["task_definition_arn"], LIVE_ARN);
    assert_eq!(result["differences"], "");
    assert_eq!(result["differences_json"], "[]");
}

#[test]
fn the_first_apply_registers_a_revision() {
    let result = select(&desired(), None, &[]).assert_success();
    assert_eq!(result["changed"], "true");
    assert_eq!(result["task_definition_arn"], "");
    assert_eq!(result["differences"], task_definition_selector::FIRST_APPLY);
    let json: Value =
        serde_json::from_str(result["differences_json"].as_str().expect("string")).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
}

/// The differences a plan shows for a handful of realistic changes.
#[test]
fn differences_read_well_in_a_plan() {
    let mut cases: Vec<(&str, Value)> = Vec::new();

    let mut live = live_after_ecs();
    container_mut(&mut live, "app")["environment"][1]["value"] = json!("debug");
    cases.push(("a deploy tool changed an environment variable", live));

    let mut live = live_after_ecs();
    live["cpu"] = json!("256");
    live["memory"] = json!("512");
    cases.push(("task size", live));

    let mut live = live_after_ecs();
    container_mut(&mut live, "app")["healthCheck"]["retries"] = json!(5);
    container_mut(&mut live, "app")["command"] = json!(["serve", "8080", "--port"]);
    cases.push(("health check and command order", live));

    let mut live = live_after_ecs();
    live["containerDefinitions"]
        .as_array_mut()
        .expect("containers")
        .retain(|container| container["name"] != "envoy");
    live["taskRoleArn"] = json!("");
    cases.push(("a removed sidecar and role", live));

    let mut live = live_after_ecs();
    container_mut(&mut live, "app")["secrets"][0]["valueFrom"] =
        json!("arn:aws:ssm:eu-west-1:123456789012:parameter/web/old-db");
    container_mut(&mut live, "app")["portMappings"][0]["containerPort"] = json!(80);
    container_mut(&mut live, "app")["portMappings"][0]["hostPort"] = json!(80);
    cases.push(("secret reference and port", live));

    let mut report = String::new();
    for (title, live) in &cases {
        let result = select(&desired(), Some(live), &[]).assert_success();
        assert_eq!(result["changed"], "true", "{title}");
        assert_eq!(result["task_definition_arn"], "", "{title}");
        report.push_str(&format!(
            "## {title}\n{}\n\n",
            result["differences"].as_str().expect("string")
        ));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn environment_values_are_redacted_unless_asked_for() {
    let mut live = live_after_ecs();
    container_mut(&mut live, "app")["environment"][1]["value"] = json!("debug");
    let hidden = select(&desired(), Some(&live), &[]).assert_success();
    let hidden_text = format!("{}{}", hidden["differences"], hidden["differences_json"]);
    assert!(hidden_text.contains("LOG_LEVEL"), "{hidden_text}");
    assert!(
        !hidden_text.contains("debug") && !hidden_text.contains("\\\"info"),
        "{hidden_text}"
    );
    let shown = select(
        &desired(),
        Some(&live),
        &[("show_environment_values", "true")],
    )
    .assert_success();
    let shown_text = shown["differences"].as_str().expect("string");
    assert!(
        shown_text.contains("debug") && shown_text.contains("info"),
        "{shown_text}"
    );
}

#[test]
fn rejects_bad_input_with_one_line() {
    let desired = desired().to_string();
    let live = live_after_ecs().to_string();
    let query = |pairs: &[(&str, &str)]| {
        Value::Object(
            pairs
                .iter()
                .map(|(key, value)| ((*key).to_string(), Value::from(*value)))
                .collect(),
        )
        .to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "the query is empty"),
        (
            "{\"desired_task_definition\": 1}".into(),
            "query key `desired_task_definition` is a number, not a string",
        ),
        (
            query(&[("live_task_definition", &live)]),
            "query key `desired_task_definition` is required",
        ),
        (
            query(&[("desired_task_definition", "{")]),
            "query key `desired_task_definition` is not valid JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            query(&[("desired_task_definition", "[]")]),
            "desired_task_definition",
        ),
        (
            query(&[("desired_task_definition", "{\"family\":\"web\"}")]),
            "containerDefinitions",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("live_task_definition", &live),
            ]),
            "live_task_definition is given without live_task_definition_arn",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("live_task_definition_arn", LIVE_ARN),
            ]),
            "live_task_definition_arn is given without live_task_definition",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("live_task_definition", &live),
                ("live_task_definition_arn", "web:7"),
            ]),
            "live_task_definition_arn \"web:7\" is not a task definition ARN",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("live_task_definition", "[1]"),
                ("live_task_definition_arn", LIVE_ARN),
            ]),
            "live_task_definition",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("show_environment_values", "1"),
            ]),
            "query key `show_environment_values` must be \"true\" or \"false\", got \"1\"",
        ),
        (
            query(&[
                ("desired_task_definition", &desired),
                ("live_arn", LIVE_ARN),
            ]),
            "unknown query key `live_arn`",
        ),
        (
            query(&[(
                "desired_task_definition",
                &desired.replace("\"essential\"", "\"esential\""),
            )]),
            "esential",
        ),
    ];
    let mut refusals = String::new();
    for (stdin, needle) in &cases {
        let refused = run(binary(), &[], stdin);
        refused.assert_error(PROGRAM, needle);
        refusals.push_str(&refused.refusal(PROGRAM, stdin));
    }
    insta::assert_snapshot!(refusals);
}

#[test]
fn validates_task_definition_arns() {
    use task_definition_selector::is_task_definition_arn as valid;
    assert!(valid(LIVE_ARN));
    assert!(valid(
        "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a_b-c:12"
    ));
    for bad in [
        "",
        "web:7",
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web",
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:0",
        "arn:aws:ecs:eu-west-1:1234:task-definition/web:7",
        "arn:aws:ecs:eu-west-1:123456789012:service/web:7",
        "arn:aws:iam::123456789012:task-definition/web:7",
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/we b:7",
    ] {
        assert!(!valid(bad), "{bad}");
    }
}

#[test]
fn help_teaches_every_key() {
    let help = run(binary(), &["--help"], "");
    assert_eq!((help.status, help.stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!(help.stdout);
}

#[test]
fn a_desired_definition_ecs_would_refuse_fails_with_one_line() {
    let cases: Vec<(Value, &str)> = vec![
        (
            {
                let mut task = desired();
                container_mut(&mut task, "app")["logConfiguration"]["logDriver"] =
                    json!("json-file");
                task
            },
            "task_definition_selector: desired_task_definition.containerDefinitions[0].logConfiguration.logDriver \"json-file\" is not supported with requiresCompatibilities FARGATE (Fargate supports awslogs, splunk, awsfirelens)",
        ),
        (
            {
                let mut task = desired();
                task.as_object_mut()
                    .expect("object")
                    .remove("executionRoleArn");
                task
            },
            "task_definition_selector: desired_task_definition.executionRoleArn is required with requiresCompatibilities FARGATE when a container logs with awslogs (desired_task_definition.containerDefinitions[0].logConfiguration.logDriver): Fargate sends the logs with the execution role",
        ),
        (
            {
                let mut task = desired();
                container_mut(&mut task, "envoy")["memory"] = json!(2048);
                task
            },
            "task_definition_selector: desired_task_definition.containerDefinitions[1].memory 2048 is more than the task's memory (1024 MiB); a container's memory must fit in the task's",
        ),
    ];
    for (task, line) in cases {
        for live in [None, Some(live_after_ecs())] {
            let run = select(&task, live.as_ref(), &[]);
            assert_eq!(run.assert_error(PROGRAM, line), line);
        }
    }
}

/// A live definition is never held to the registration rules: ECS accepted it. Here it breaks
/// several (a Fargate log driver, a hostname in awsvpc, eleven containers), and the selector
/// still compares it and says what differs.
#[test]
fn a_live_definition_is_never_refused_by_the_registration_rules() {
    let mut live = live_after_ecs();
    container_mut(&mut live, "app")["logConfiguration"]["logDriver"] = json!("json-file");
    container_mut(&mut live, "app")["hostname"] = json!("web");
    let containers = live["containerDefinitions"]
        .as_array_mut()
        .expect("containers");
    for index in 0..9 {
        containers.push(json!({"name": format!("extra{index}"), "image": "busybox:1"}));
    }
    let result = select(&desired(), Some(&live), &[]).assert_success();
    assert_eq!(result["changed"], "true", "{result:#?}");
    let differences = result["differences"].as_str().expect("a string");
    assert!(differences.contains("logDriver"), "{differences}");
    assert!(differences.contains("extra8"), "{differences}");
}

// ---------------------------------------------------------------------------------------------
// environment_sources, docker_label_sources: the keys that kept the live value.

fn with_release(value: &str) -> Value {
    let mut definition = desired();
    let app = &mut definition["containerDefinitions"][0];
    app["environment"]
        .as_array_mut()
        .expect("environment")
        .push(json!({ "name": "DD_VERSION", "value": value }));
    app["dockerLabels"] = json!({ "com.datadoghq.tags.version": value });
    definition
}

const SOURCES: [(&str, &str); 2] = [
    (
        "environment_sources",
        r#"{"app":{"DD_VERSION":"live","GIT_SHA":"absent"}}"#,
    ),
    (
        "docker_label_sources",
        r#"{"app":{"com.datadoghq.tags.version":"live","team":"bootstrap"}}"#,
    ),
];

#[test]
fn a_move_says_which_keys_kept_the_live_value_and_never_their_values() {
    let live = with_release("1.2.3");
    let mut desired = with_release("1.2.3");
    desired["memory"] = json!("2048");
    for show in ["false", "true"] {
        let mut extra = SOURCES.to_vec();
        extra.push(("show_environment_values", show));
        let result = select(&desired, Some(&live), &extra).assert_success();
        assert_eq!(result["changed"], "true");
        assert_eq!(
            result["differences"]
                .as_str()
                .expect("string")
                .lines()
                .collect::<Vec<_>>(),
            [
                "task: memory 1024 -> 2048",
                "container app: environment DD_VERSION keeps the live value (live_environment)",
                "container app: docker label com.datadoghq.tags.version keeps the live value (live_docker_labels)",
            ]
        );
        assert!(
            !result["differences"]
                .as_str()
                .expect("string")
                .contains("1.2.3")
        );
        // The JSON form lists differences only.
        let json: Value =
            serde_json::from_str(result["differences_json"].as_str().expect("string"))
                .expect("JSON");
        assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
    }
}

#[test]
fn nothing_moving_says_nothing_about_kept_values() {
    let live = with_release("1.2.3");
    let result = select(&with_release("1.2.3"), Some(&live), &SOURCES).assert_success();
    assert_eq!(result["changed"], "false");
    assert_eq!(result["differences"], "");
    assert_eq!(result["task_definition_arn"], LIVE_ARN);
}

#[test]
fn a_value_that_did_not_follow_is_a_difference_redacted_as_any() {
    // Without the key named, a deploy's DD_VERSION is a difference like any other.
    let result = select(&with_release("0.0.0"), Some(&with_release("1.2.3")), &[]).assert_success();
    assert_eq!(result["changed"], "true");
    let differences = result["differences"].as_str().expect("string");
    assert!(
        differences
            .lines()
            .any(|line| line == "container app: environment DD_VERSION changed"),
        "{differences}"
    );
    // Docker labels are not secret-like and are shown, as before.
    assert!(
        differences.contains("com.datadoghq.tags.version"),
        "{differences}"
    );
    assert!(
        !differences.contains("keeps the live value"),
        "{differences}"
    );
}

#[test]
fn rejects_sources_of_the_wrong_shape_with_one_line() {
    for (key, value) in [
        ("environment_sources", r#"["DD_VERSION"]"#),
        ("docker_label_sources", r#"{"app":"live"}"#),
        ("environment_sources", "{"),
    ] {
        select(&desired(), Some(&desired()), &[(key, value)])
            .assert_error(PROGRAM, &format!("query key `{key}`"));
    }
}
