//! A task definition ECS would refuse at RegisterTaskDefinition fails `terraform plan`, with the
//! program's one line shown as it wrote it, before anything reaches ECS. Real Terraform and the
//! real AWS provider on a copy of an example, against moto; the changes to the example are the
//! user's edit of its `main.tf` that makes the definition invalid and, for the selector's rules,
//! an override file giving the module an existing role's ARN.
//!
//! The selector reads the whole desired definition, so it runs at plan only when every task-level
//! value is known then. A role the same configuration creates has no ARN before the first apply,
//! and the selector then runs during the apply instead; an existing role, as most services name,
//! is known at plan.

use ecs_drift_tests::story::{EC2_BRIDGE, Example, FARGATE, REGION, moto_with_cluster};
use ecs_drift_tests::terraform::{Toolchain, Workdir, unwrapped};
use ecs_drift_tests::{Moto, run_command, venv_bin};
use serde_json::{Value, json};

/// `aws ecs ARGS` against moto, as JSON.
fn ecs(moto: &Moto, arguments: &[&str]) -> Value {
    let mut command = moto.command_in(venv_bin("aws"), REGION);
    command
        .arg("ecs")
        .args(arguments)
        .args(["--output", "json"]);
    let run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "aws ecs {arguments:?}: {run:#?}");
    serde_json::from_str(&run.stdout).expect("the AWS CLI prints JSON")
}

/// Edits `example`'s `main.tf` from `from` to `to`, sets the module arguments `arguments` (HCL) in
/// an override file, and checks that `terraform plan` fails with `line` (the program's stderr
/// line, whole) and that ECS has no task definition and no service.
fn refused_at_plan(
    example: Example,
    (from, to): (&str, &str),
    arguments: &str,
    line: &str,
) -> Result<(), String> {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(example.cluster);
    let workdir = Workdir::example(toolchain, &moto, example.name)?;
    workdir.edit(from, to);
    if !arguments.is_empty() {
        workdir.override_file(
            "known_role",
            &format!("module \"service\" {{\n  {arguments}\n}}\n"),
        );
    }
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "the plan must fail: {plan:#?}");
    assert!(
        unwrapped(&plan.stderr).contains(&unwrapped(line)),
        "{line:?} is not in the plan's error:\n{}",
        plan.stderr
    );
    // The line reaches Terraform as one line: the program wrote nothing else.
    assert!(!line.contains('\n'));
    assert_eq!(
        ecs(&moto, &["list-task-definitions"])["taskDefinitionArns"],
        json!([]),
        "nothing may be registered"
    );
    assert_eq!(
        ecs(&moto, &["list-services", "--cluster", example.cluster])["serviceArns"],
        json!([]),
        "no service may be created"
    );
    Ok(())
}

#[test]
#[ignore = "needs Terraform"]
fn a_log_driver_fargate_refuses_fails_the_fargate_plan() -> Result<(), String> {
    refused_at_plan(
        FARGATE,
        ("logDriver = \"awslogs\"", "logDriver = \"json-file\""),
        "execution_role_arn = \"arn:aws:iam::123456789012:role/ecs-drift-fargate-execution\"",
        "task_definition_selector: desired_task_definition.containerDefinitions[0].logConfiguration.logDriver \"json-file\" is not supported with requiresCompatibilities FARGATE (Fargate supports awslogs, splunk, awsfirelens)",
    )
}

#[test]
#[ignore = "needs Terraform"]
fn a_container_memory_above_the_task_memory_fails_the_ec2_plan() -> Result<(), String> {
    refused_at_plan(
        EC2_BRIDGE,
        ("memoryReservation = 128", "memory            = 1024"),
        "task_role_arn = \"arn:aws:iam::123456789012:role/ecs-drift-ec2-bridge-task\"",
        "task_definition_selector: desired_task_definition.containerDefinitions[0].memory 1024 is more than the task's memory (512 MiB); a container's memory must fit in the task's",
    )
}

#[test]
#[ignore = "needs Terraform"]
fn links_in_awsvpc_mode_fail_the_fargate_plan_in_container_definition() -> Result<(), String> {
    refused_at_plan(
        FARGATE,
        (
            "essential = true",
            "essential = true\n      links     = [\"db\"]",
        ),
        "",
        "container_definition: container_definitions[0].links are only supported in bridge network mode, not awsvpc; containers of one task reach each other on localhost in awsvpc and host mode",
    )
}

/// A task-level variable the module does not validate itself (variables.tf: the selector checks
/// ECS's rules once) fails the plan with the selector's line, naming the field.
#[test]
#[ignore = "needs Terraform"]
fn a_task_field_out_of_range_fails_the_fargate_plan_naming_the_field() -> Result<(), String> {
    refused_at_plan(
        FARGATE,
        ("logDriver = \"awslogs\"", "logDriver = \"awslogs\""),
        "execution_role_arn = \"arn:aws:iam::123456789012:role/ecs-drift-fargate-execution\"\n  ephemeral_storage_size_in_gib = 500",
        "task_definition_selector: desired_task_definition.ephemeralStorage.sizeInGiB must be 21..200, got 500",
    )
}
