//! `policy/ecs_drift.rego`, the no-destroy gate for plans that use ecs-drift, judged by a Rego
//! engine (regorus, OPA's language in Rust) on `terraform show -json` of plans real Terraform made
//! of `examples/fargate` against moto:
//!
//! - a Terraform-side change (the task definition and its revision record replaced) passes;
//! - a task definition without `skip_destroy` replaced, in the same plan, is denied by address;
//! - `terraform plan -destroy` is denied for the service, the role and the task definition;
//! - from the real plan, a revision record replaced alone, or a task definition whose state has no
//!   skip_destroy, is denied.

use serde_json::{Value, json};

use ecs_drift_tests::Run;
use ecs_drift_tests::repo_root;
use ecs_drift_tests::story::{FARGATE, moto_with_cluster};
use ecs_drift_tests::terraform::{Toolchain, Workdir};

/// The gate's `deny` messages for `plan` (a `terraform show -json`), sorted.
fn gate(plan: &Value) -> Vec<String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy_from_file(repo_root().join("policy").join("ecs_drift.rego"))
        .expect("policy/ecs_drift.rego parses");
    engine
        .set_input_json(&plan.to_string())
        .expect("the plan as input");
    let denied = engine
        .eval_rule("data.main.deny".to_string())
        .expect("data.main.deny evaluates");
    let denied: Value =
        serde_json::from_str(&denied.to_json_str().expect("as JSON")).expect("JSON");
    let mut messages: Vec<String> = denied
        .as_array()
        .unwrap_or_else(|| panic!("deny is a set: {denied}"))
        .iter()
        .map(|message| message.as_str().unwrap_or_default().to_string())
        .collect();
    messages.sort();
    messages
}

/// The addresses the gate denies, sorted: each message starts with one.
fn denied_addresses(plan: &Value) -> Vec<String> {
    let mut addresses: Vec<String> = gate(plan)
        .iter()
        .map(|message| {
            assert!(
                message.contains(": the plan deletes it ("),
                "a message names the address and the actions: {message}"
            );
            message
                .split(": the plan deletes it (")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    addresses.sort();
    addresses
}

/// The addresses `plan` deletes (a delete among their actions).
fn deletions(plan: &Value) -> Vec<String> {
    let mut addresses: Vec<String> = plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|change| {
            change["change"]["actions"]
                .as_array()
                .is_some_and(|actions| actions.contains(&json!("delete")))
        })
        .map(|change| change["address"].as_str().unwrap_or_default().to_string())
        .collect();
    addresses.sort();
    addresses
}

#[track_caller]
fn succeeded(run: &Run, what: &str) {
    assert_eq!(run.status, Some(0), "{what}: {run:#?}");
}

/// A task definition of the root module's own, without skip_destroy (the provider's default).
const PLAIN: &str = r#"
resource "aws_ecs_task_definition" "plain" {
  family = "policy-as-code-plain"
  container_definitions = jsonencode([{
    name      = "app"
    image     = "public.ecr.aws/nginx/nginx:stable"
    essential = true
    memory    = 128
  }])
}
"#;

const TERRAFORM_SIDE_CHANGE: (&str, &str) = ("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"debug\"");

#[test]
#[ignore = "needs Terraform"]
fn the_gate_passes_the_modules_replacement_and_names_every_other_deletion() {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(FARGATE.cluster);
    let workdir =
        Workdir::example(toolchain, &moto, FARGATE.name).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(workdir.path.join("plain.tf"), PLAIN).expect("write plain.tf");
    succeeded(&workdir.apply(), "terraform apply");

    let task_definition = FARGATE.layout.task_definition_resource();
    let revision_record = FARGATE.layout.revision_record();
    let service = FARGATE.layout.service.to_string();

    // A Terraform-side change: "2 to destroy", the module's task definition and revision record
    // replaced, and the gate lets it through.
    workdir.edit(TERRAFORM_SIDE_CHANGE.0, TERRAFORM_SIDE_CHANGE.1);
    let change = workdir.plan();
    assert_eq!(change.exit_code, Some(2), "{change:#?}");
    let mut expected = vec![task_definition.clone(), revision_record.clone()];
    expected.sort();
    assert_eq!(deletions(&change.json), expected, "{}", change.text);
    assert_eq!(gate(&change.json), Vec::<String>::new(), "{}", change.text);

    // The same plan with a task definition without skip_destroy replaced: that one is named, the
    // module's replacement still passes.
    std::fs::write(
        workdir.path.join("plain.tf"),
        PLAIN.replace("memory    = 128", "memory    = 256"),
    )
    .expect("edit plain.tf");
    let both = workdir.plan();
    assert_eq!(both.exit_code, Some(2), "{both:#?}");
    assert_eq!(
        both.json["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|change| change["address"] == "aws_ecs_task_definition.plain")
            .map(|change| change["change"]["actions"].clone()),
        Some(json!(["delete", "create"])),
        "{}",
        both.text
    );
    assert_eq!(
        denied_addresses(&both.json),
        ["aws_ecs_task_definition.plain"],
        "{}",
        both.text
    );
    // The same under `terraform`, as a Spacelift plan policy gets it.
    assert_eq!(
        gate(&json!({ "terraform": both.json })),
        gate(&both.json),
        "{}",
        both.text
    );
    assert_eq!(
        gate(&json!({ "terraform": change.json })),
        Vec::<String>::new()
    );

    // From the real plan: the revision record replaced without its task definition, and a task
    // definition whose state has no skip_destroy, are denied.
    let mut record_alone = change.json.clone();
    if let Some(changes) = record_alone["resource_changes"].as_array_mut() {
        changes.retain(|change| change["address"] != task_definition.as_str());
    }
    assert_eq!(denied_addresses(&record_alone), vec![revision_record]);
    let mut no_skip_destroy = change.json.clone();
    for change in no_skip_destroy["resource_changes"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if change["address"] == task_definition.as_str() {
            assert_eq!(change["change"]["before"]["skip_destroy"], json!(true));
            change["change"]["before"]["skip_destroy"] = json!(false);
        }
    }
    assert_eq!(denied_addresses(&no_skip_destroy), expected);

    // `terraform plan -destroy`: the service, the execution role and the task definition (its
    // skip_destroy keeps the revision, but the plan still drops the service) are each named.
    let plan = workdir.run(&[
        "plan",
        "-destroy",
        "-input=false",
        "-no-color",
        "-out=destroy.tfplan",
    ]);
    succeeded(&plan, "terraform plan -destroy");
    let show = workdir.run(&["show", "-json", "destroy.tfplan"]);
    succeeded(&show, "terraform show -json");
    let destroy: Value = serde_json::from_str(&show.stdout).expect("JSON");
    let denied = denied_addresses(&destroy);
    for address in [
        service.as_str(),
        "aws_iam_role.execution",
        task_definition.as_str(),
        "aws_ecs_task_definition.plain",
    ] {
        assert!(
            denied.iter().any(|denied| denied == address),
            "{address} is not denied: {denied:#?}"
        );
    }
    // Every deletion is denied: nothing is let through outside a replacement.
    assert_eq!(denied, deletions(&destroy));
}

/// The rule file is what conftest reads: package `main`, `deny` rules, under `policy/`; a plan
/// with no resource changes passes.
#[test]
fn the_gate_is_in_conftests_layout_and_passes_an_empty_plan() {
    let rego = std::fs::read_to_string(repo_root().join("policy/ecs_drift.rego")).expect("read");
    assert!(rego.lines().any(|line| line == "package main"), "{rego}");
    assert!(rego.contains("\ndeny contains "), "{rego}");
    assert_eq!(
        gate(&json!({ "format_version": "1.2" })),
        Vec::<String>::new()
    );
    assert_eq!(
        gate(&json!({ "resource_changes": [{
            "address": "aws_iam_role.ci",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "ci",
            "change": { "actions": ["delete"], "before": {}, "after": null }
        }]})),
        [
            "aws_iam_role.ci: the plan deletes it (delete); only ecs-drift's replacement of a skip_destroy task definition and its revision record passes this gate"
        ]
    );
}
