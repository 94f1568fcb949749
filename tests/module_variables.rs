//! The module's variable types and validations, run by real Terraform on `variables.tf` alone: a
//! configuration with no resources needs no provider, so every bad input is checked in seconds,
//! with the message Terraform prints for it. (The examples' arguments are checked by applying the
//! examples for real, in `terraform_examples.rs`.)

use ecs_drift_tests::terraform::Toolchain;
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
    let dir = tempfile::tempdir().expect("temporary directory");
    let module = ecs_drift_tests::repo_root().join("terraform-module");
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
fn valid_arguments_pass_the_checks() {
    let Some(toolchain) = Toolchain::get() else {
        return;
    };
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
        "deployer_policy_leave_out".to_string(),
        json!(["deregister", "task_reads"]),
    );
    given.insert("code_deploy_application_name".to_string(), json!("web"));
    given.insert(
        "code_deploy_deployment_group_name".to_string(),
        json!("web"),
    );
    let run = plan_variables(toolchain, &given);
    assert_eq!(run.status, Some(0), "{run:#?}");
}

#[test]
fn the_variable_checks_name_the_allowed_values() {
    let Some(toolchain) = Toolchain::get() else {
        return;
    };
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
            "lookup_max_attempts",
            json!(11),
            "lookup_max_attempts must be a whole number from 1 to 10.",
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
            "deployer_policy_leave_out",
            json!(["deregister", "DeregisterTaskDefinition"]),
            "deployer_policy_leave_out may contain only: deregister, task_reads.",
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
    let base = valid_arguments();
    for (name, value, message) in cases {
        let mut values = base.clone();
        values.insert(name.to_string(), value);
        let run = plan_variables(toolchain, &values);
        assert_ne!(run.status, Some(0), "{name} accepted: {run:#?}");
        // Terraform wraps long messages; compare with the line breaks taken out.
        let stderr = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            stderr.contains(message),
            "{name}: {message:?} not in {stderr}"
        );
    }
}
