//! Whole outputs, snapshotted: what the module hands to aws_ecs_task_definition, and what a plan
//! shows when a deploy tool's copy reverted several Terraform changes.

use ecs_drift_tests::ecs::{desired, ecs_describe};
use serde_json::{Value, json};
use task_definition::{NetworkMode, differences, parse_container_definitions, register_form};

fn containers() -> Value {
    json!([
        {
            "name": "app",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123",
            "memory": 512,
            "portMappings": [{"containerPort": 8080}],
            "environment": {"LOG_LEVEL": "info", "APP_ENV": "prod", "EMPTY": ""},
            "secrets": {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"},
            "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"]},
            "linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}
        },
        {"name": "sidecar", "image": "envoyproxy/envoy:v1.31", "essential": false}
    ])
}

#[test]
fn register_form_of_an_awsvpc_task() {
    let parsed = match parse_container_definitions(
        containers().clone(),
        "container_definitions",
        NetworkMode::Awsvpc,
    ) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{error}"),
    };
    insta::assert_json_snapshot!(register_form(parsed.to_vec(), NetworkMode::Awsvpc));
}

#[test]
fn differences_after_a_deploy_tool_reverted_changes() {
    let terraform = json!({
        "family": "web",
        "networkMode": "awsvpc",
        "cpu": "1 vCPU",
        "memory": "2 GB",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "containerDefinitions": containers()
    });
    // What the deploy tool registered: a copy of an older revision with a new image.
    let mut older = terraform.clone();
    older["cpu"] = json!("512");
    older["containerDefinitions"][0]["environment"] =
        json!({"LOG_LEVEL": "debug", "APP_ENV": "prod"});
    older["containerDefinitions"][0]["healthCheck"]["retries"] = json!(5);
    older["containerDefinitions"][0]["command"] = json!(["serve"]);
    older["containerDefinitions"][1]["image"] = json!("envoyproxy/envoy:v1.30");
    let live = match task_definition::parse_live_task_definition(
        ecs_describe(&older, 2).clone(),
        "live",
    ) {
        Ok(live) => live,
        Err(error) => panic!("{error}"),
    };
    let found = differences(&desired(&terraform), &live, false);
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(lines.join("\n"));
    insta::assert_json_snapshot!(found);
}
