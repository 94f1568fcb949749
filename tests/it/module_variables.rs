//! The variable types and validations of the module and of each submodule (`modules/`), run by
//! real Terraform on `variables.tf` alone: a configuration with no resources needs no provider, so
//! every bad input is checked in seconds, with the message Terraform prints for it. (The examples'
//! arguments are checked by applying the examples for real, in `terraform_examples.rs`.)

use ecs_drift_tests::terraform::{Toolchain, unwrapped};
use ecs_drift_tests::{Run, run_command};
use serde_json::{Map, Value, json};

/// Arguments every check starts from: a Fargate service the validations accept.
fn valid_arguments() -> Map<String, Value> {
    let arguments = json!({
        "name": "web",
        "cluster": "prod",
        "cpu": "256",
        "memory": "512",
        "container_definitions": [{
            "name": "app",
            "image": "public.ecr.aws/nginx/nginx:stable",
            "portMappings": [{ "containerPort": 80 }],
            "environment": { "LOG_LEVEL": "info" },
        }],
        "network_configuration": { "subnets": ["subnet-0123456789abcdef0"] },
    });
    arguments.as_object().cloned().unwrap_or_default()
}

/// `terraform plan` of variables.tf with `values` as the module's arguments.
fn plan_variables(toolchain: &Toolchain, values: &Map<String, Value>) -> Run {
    plan_module_variables(toolchain, "terraform-module", values)
}

/// `terraform plan` of the variables.tf of `module` (a folder of the repository) with `values`.
fn plan_module_variables(toolchain: &Toolchain, module: &str, values: &Map<String, Value>) -> Run {
    let dir = tempfile::tempdir().expect("temporary directory");
    let module = ecs_drift_tests::repo_root().join(module);
    std::fs::copy(module.join("variables.tf"), dir.path().join("variables.tf")).expect("copy");
    std::fs::write(
        dir.path().join("inputs.tfvars.json"),
        Value::Object(values.clone()).to_string(),
    )
    .expect("write");
    let init = run_command(
        toolchain.command(
            dir.path(),
            &["init", "-backend=false", "-input=false", "-no-color"],
        ),
        b"",
    );
    assert_eq!(init.status, Some(0), "{init:#?}");
    run_command(
        toolchain.command(
            dir.path(),
            &[
                "plan",
                "-input=false",
                "-no-color",
                "-var-file=inputs.tfvars.json",
            ],
        ),
        b"",
    )
}

#[test]
#[ignore = "needs Terraform"]
fn valid_arguments_pass_the_checks() {
    let toolchain = Toolchain::require();
    let run = plan_variables(toolchain, &valid_arguments());
    assert_eq!(run.status, Some(0), "{run:#?}");
    let mut given = valid_arguments();
    given.insert(
        "aws".to_string(),
        json!({ "account_id": "123456789012", "partition": "aws", "region": "eu-west-1" }),
    );
    let run = plan_variables(toolchain, &given);
    assert_eq!(run.status, Some(0), "{run:#?}");
    let mut given = valid_arguments();
    given.insert(
        "deployer_policy_add".to_string(),
        json!(["deregister", "task_reads"]),
    );
    // Deprecated, still accepted where it asks for what is now the default.
    given.insert(
        "deployer_policy_leave_out".to_string(),
        json!(["task_reads", "deregister"]),
    );
    given.insert("code_deploy_application_name".to_string(), json!("web"));
    given.insert(
        "live_environment".to_string(),
        json!({ "app": ["DD_VERSION", "GIT_SHA", "_lower1"] }),
    );
    given.insert(
        "live_docker_labels".to_string(),
        json!({ "app": ["com.datadoghq.tags.version", "a", "com.example/build_id"] }),
    );
    given.insert(
        "code_deploy_deployment_group_name".to_string(),
        json!("web"),
    );
    let run = plan_variables(toolchain, &given);
    assert_eq!(run.status, Some(0), "{run:#?}");
}

#[test]
#[ignore = "needs Terraform"]
fn the_variable_checks_name_the_allowed_values() {
    let toolchain = Toolchain::require();
    let cases = [
        (
            "network_mode",
            json!("nat"),
            "network_mode must be one of: awsvpc, bridge, host, none.",
        ),
        (
            "deployment_controller",
            json!("EXTERNAL"),
            "deployment_controller must be one of: ECS, CODE_DEPLOY.",
        ),
        (
            "launch_type",
            json!("SPOT"),
            "launch_type must be null or one of: EC2, FARGATE, EXTERNAL.",
        ),
        (
            "requires_compatibilities",
            json!(["FARGATE", "LAMBDA"]),
            "requires_compatibilities may contain only: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.",
        ),
        (
            "pid_mode",
            json!("container"),
            "pid_mode must be null or one of: host, task.",
        ),
        (
            "ipc_mode",
            json!("shareable"),
            "ipc_mode must be null or one of: host, task, none.",
        ),
        (
            "propagate_tags",
            json!("ALL"),
            "propagate_tags must be null or one of: SERVICE, TASK_DEFINITION, NONE.",
        ),
        (
            "ephemeral_storage_size_in_gib",
            json!(500),
            "ephemeral_storage_size_in_gib must be null or 21 to 200.",
        ),
        (
            "volumes",
            json!([{ "name": "data", "hostPath": "/data" }]),
            "may only have the keys: name, host, dockerVolumeConfiguration, efsVolumeConfiguration, configuredAtLaunch.",
        ),
        (
            "deployment_in_progress",
            json!("ignore"),
            "deployment_in_progress must be \"fail\" or \"wait\".",
        ),
        (
            "deployment_wait_timeout_seconds",
            json!(0),
            "deployment_wait_timeout_seconds must be a whole number of seconds from 1 to 86400.",
        ),
        (
            "aws",
            json!({ "account_id": "12345", "partition": "aws", "region": "eu-west-1" }),
            "aws must be null or { account_id = the 12-digit account ID, partition, region } of the AWS provider, none of them empty.",
        ),
        (
            "aws",
            json!({ "account_id": "123456789012", "partition": "aws", "region": "" }),
            "aws must be null or { account_id = the 12-digit account ID, partition, region } of the AWS provider, none of them empty.",
        ),
        (
            "container_definitions",
            json!([]),
            "container_definitions must be a non-empty list of objects, each with a `name`.",
        ),
        (
            "deployer_policy_add",
            json!(["deregister", "DeregisterTaskDefinition"]),
            "deployer_policy_add may contain only: deregister, task_reads.",
        ),
        // A user of the deprecated variable who kept one of the two gets what to write instead.
        (
            "deployer_policy_leave_out",
            json!(["deregister"]),
            "deployer_policy_leave_out is gone: deployer_policy_json leaves out deregister and task_reads by default now. Remove it, and list in deployer_policy_add what the deploy path needs (ecs deploy with its defaults: deregister and task_reads).",
        ),
        (
            "code_deploy_application_name",
            json!(""),
            "code_deploy_application_name must be null or a CodeDeploy application name of 1 to 100 characters.",
        ),
        (
            "code_deploy_deployment_group_name",
            json!("g".repeat(101)),
            "code_deploy_deployment_group_name must be null or a CodeDeploy deployment group name of 1 to 100 characters.",
        ),
        (
            "code_deploy_deployment_config_name",
            json!(""),
            "code_deploy_deployment_config_name must be a CodeDeploy deployment configuration name of 1 to 100 characters, such as CodeDeployDefault.ECSAllAtOnce.",
        ),
    ];
    let live_environment = "live_environment names each environment variable once, by a valid name: letters, digits and _, not starting with a digit (such as DD_VERSION).";
    let live_docker_labels = "live_docker_labels names each label once, by a valid key: letters, digits, '.', '-', '_' and '/', starting and ending with a letter or digit (such as com.datadoghq.tags.version).";
    let cases = cases.into_iter().chain([
        (
            "live_environment",
            json!({ "app": ["DD VERSION"] }),
            live_environment,
        ),
        (
            "live_environment",
            json!({ "app": ["1ST"] }),
            live_environment,
        ),
        (
            "live_environment",
            json!({ "app": ["DD_VERSION", "DD_VERSION"] }),
            live_environment,
        ),
        (
            "live_docker_labels",
            json!({ "app": ["com.datadoghq.tags.version="] }),
            live_docker_labels,
        ),
        (
            "live_docker_labels",
            json!({ "app": ["-version"] }),
            live_docker_labels,
        ),
        (
            "live_environment",
            json!(["DD_VERSION"]),
            "map of list of string required",
        ),
    ]);
    let base = valid_arguments();
    for (name, value, message) in cases {
        let mut values = base.clone();
        values.insert(name.to_string(), value);
        let run = plan_variables(toolchain, &values);
        assert_ne!(run.status, Some(0), "{name} accepted: {run:#?}");
        // Terraform wraps long messages; compare with the line breaks taken out.
        let stderr = unwrapped(&run.stderr);
        assert!(
            stderr.contains(message),
            "{name}: {message:?} not in {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The submodules of `terraform-module/modules/`, one program each.

/// Arguments a submodule accepts, and arguments each of which breaks one of its validations,
/// with the message that validation gives. Null is accepted where the submodule reads it as "".
/// An input the program checks itself is not validated again in HCL: the lookup's `region`,
/// `endpoint_url`, `timeout_seconds` and `max_attempts` (the root's `lookup_*`) are refused by
/// `live_task_lookup` in one line naming the query key (its tests in crates/live_task_lookup).
fn submodule_cases() -> Vec<(&'static str, Vec<Value>, Value, Vec<&'static str>)> {
    vec![
        (
            "live_task_lookup",
            vec![
                json!({ "cluster": "prod", "service": "web", "region": null, "profile": null,
                        "assume_role_arn": null, "endpoint_url": null }),
                json!({
                    "cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                    "service": "arn:aws:ecs:eu-west-1:123456789012:service/prod/web",
                    "region": "us-gov-west-1",
                    "assume_role_arn": "arn:aws:iam::123456789012:role/ecs-drift-lookup",
                    "assume_role_session_name": "ci-plan@example.com",
                    "endpoint_url": "http://127.0.0.1:5000",
                    "timeout_seconds": 5,
                    "max_attempts": 10,
                    "live_environment": { "app": ["DD_VERSION"] },
                    "live_docker_labels": { "app": ["com.datadoghq.tags.version"] },
                    "deployment_in_progress": "wait",
                    "wait_timeout_seconds": 600,
                }),
            ],
            json!({
                "cluster": "",
                "service": "prod/web",
                "assume_role_arn": "arn:aws:iam::123456789012:user/bob",
                "assume_role_session_name": "a",
                "deployment_in_progress": "ignore",
                "wait_timeout_seconds": 86401,
            }),
            vec![
                "cluster must be the cluster's name (1 to 255 letters, digits, hyphens or underscores) or its ARN.",
                "service must be the service's name (1 to 255 letters, digits, hyphens or underscores) or its ARN.",
                "assume_role_arn must be \"\" or a role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME).",
                "assume_role_session_name must be \"\" or 2 to 64 letters, digits or characters among _+=,.@-.",
                "deployment_in_progress must be \"report\", \"fail\" or \"wait\".",
                "wait_timeout_seconds must be a whole number of seconds from 1 to 86400.",
            ],
        ),
        (
            "container_definition",
            vec![
                json!({ "container_definitions": [{ "name": "app", "image": "nginx:stable" }] }),
                json!({
                    "container_definitions": [
                        { "name": "app", "image": "nginx:stable", "environment": { "A": "1" } },
                        { "name": "otel", "image": "otel:1" },
                    ],
                    "live_images": null,
                    "live_image_containers": ["app"],
                    "force_bootstrap_image": true,
                    "network_mode": "bridge",
                    "live_environment": { "app": ["DD_VERSION"] },
                    "live_docker_labels": { "app": ["com.datadoghq.tags.version"] },
                    "live_environment_values": { "app": { "DD_VERSION": "1.2.3" } },
                    "live_docker_label_values": { "app": { "com.datadoghq.tags.version": "1.2.3" } },
                }),
            ],
            json!({
                "container_definitions": [{ "image": "nginx:stable" }],
                "live_image_containers": ["app", "app"],
                "network_mode": "nat",
            }),
            vec![
                "container_definitions must be a non-empty list of objects, each with a `name`.",
                "live_image_containers must be null or a list of container names, each named once.",
                "network_mode must be one of: awsvpc, bridge, host, none.",
            ],
        ),
        (
            "task_definition_selector",
            vec![
                json!({ "desired_task_definition": { "family": "web",
                        "containerDefinitions": [{ "name": "app", "image": "nginx:stable" }] },
                        "live_task_definition": null, "live_task_definition_arn": null }),
                json!({
                    "desired_task_definition": { "family": "web", "cpu": "256",
                        "containerDefinitions": [{ "name": "app", "image": "nginx:stable" }] },
                    "live_task_definition": { "family": "web", "cpu": "256",
                        "containerDefinitions": [{ "name": "app", "image": "nginx:1.27" }] },
                    "live_task_definition_arn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
                    "show_environment_values": true,
                    "environment_sources": { "app": { "DD_VERSION": "live" } },
                    "docker_label_sources": { "app": { "com.datadoghq.tags.version": "live" } },
                }),
            ],
            json!({
                "desired_task_definition": { "family": "web", "containerDefinitions": [] },
                "live_task_definition": "{\"family\": \"web\"}",
                "live_task_definition_arn": "web:7",
            }),
            vec![
                "desired_task_definition must be an object of task-level fields in the ECS API's camelCase with a non-empty `containerDefinitions` list.",
                "live_task_definition must be null or an object (the live_task_lookup submodule's task_definition), not JSON text.",
                "live_task_definition_arn must be \"\" or a full task definition ARN (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION).",
            ],
        ),
        (
            "deployer_policy",
            vec![
                json!({ "policy_jsons": [r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:DescribeTaskDefinition","Resource":"*"}]}"#] }),
                json!({
                    "policy_jsons": [r#"{"Statement":[{"Effect":"Allow","Action":["ecs:DescribeServices"],"Resource":["*"]}]}"#],
                    "services_per_document": 20,
                }),
            ],
            json!({
                "policy_jsons": [r#"{"Version":"2012-10-17","Statement":[]}"#],
                "services_per_document": 1.5,
            }),
            vec![
                "policy_jsons must be a non-empty list of IAM policy documents as JSON, each with a Statement list.",
                "services_per_document must be null or a whole number of at least 1.",
            ],
        ),
    ]
}

/// Each submodule accepts its valid arguments, and refuses each bad one with its own message
/// (Terraform reports every failed validation of a plan, so one plan checks them all).
#[test]
#[ignore = "needs Terraform"]
fn the_submodules_variable_checks_name_what_is_allowed() {
    let toolchain = Toolchain::require();
    for (submodule, valid, bad, messages) in submodule_cases() {
        let module = format!("terraform-module/modules/{submodule}");
        for arguments in valid {
            let arguments = arguments.as_object().cloned().unwrap_or_default();
            let run = plan_module_variables(toolchain, &module, &arguments);
            assert_eq!(
                run.status,
                Some(0),
                "{submodule} refused {arguments:?}: {run:#?}"
            );
        }
        let bad = bad.as_object().cloned().unwrap_or_default();
        let run = plan_module_variables(toolchain, &module, &bad);
        assert_ne!(
            run.status,
            Some(0),
            "{submodule} accepted {bad:?}: {run:#?}"
        );
        let stderr = unwrapped(&run.stderr);
        for message in &messages {
            assert!(
                stderr.contains(message),
                "{submodule}: {message:?} not in {stderr}"
            );
        }
        // One message per bad argument, none for the others.
        assert_eq!(
            stderr.matches("Invalid value for variable").count(),
            messages.len(),
            "{submodule}: {stderr}"
        );
    }
}
