//! The variable types and validations of the module and of each submodule (`modules/`), run by
//! real Terraform on `variables.tf` alone: a configuration with no resources needs no provider, so
//! every bad input is checked in seconds. (The examples' arguments are checked by applying the
//! examples for real, in `terraform_examples.rs`.)
//!
//! The cases are `terraform test` files, one per module: `tests/variables/MODULE.tftest.json`. A
//! run without `expect_failures` gives arguments the checks accept; a run with it gives one bad
//! input, which its variable must refuse, and its `"//"` is the message Terraform prints for it
//! (`"//"` is a comment in Terraform's JSON syntax). `expect_failures` names the variable, not the
//! message, so each module's bad inputs are then planned again to read the messages: Terraform
//! reports every failed validation of a plan, so one plan takes one bad input of every variable.

use std::collections::BTreeMap;
use std::path::Path;

use ecs_drift_tests::terraform::{Toolchain, unwrapped};
use ecs_drift_tests::{Run, repo_root, run_command};
use serde_json::{Map, Value, json};
use tempfile::TempDir;

/// The module's `variables.tf` and its test file (`tests/variables/NAME.tftest.json`) in a fresh
/// directory, initialized: `module` is the module's folder in the repository.
fn variables_only(toolchain: &Toolchain, module: &str) -> (TempDir, Value) {
    let name = Path::new(module)
        .file_name()
        .expect("a folder")
        .to_string_lossy();
    let cases = repo_root()
        .join("tests/variables")
        .join(format!("{name}.tftest.json"));
    let text = std::fs::read_to_string(&cases).expect("the module's test file");
    let file: Value = serde_json::from_str(&text).expect("the test file is JSON");
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(
        repo_root().join(module).join("variables.tf"),
        dir.path().join("variables.tf"),
    )
    .expect("copy variables.tf");
    std::fs::create_dir(dir.path().join("tests")).expect("tests/");
    std::fs::write(dir.path().join("tests/variables.tftest.json"), text).expect("write");
    let init = terraform(
        toolchain,
        dir.path(),
        &["init", "-backend=false", "-input=false"],
    );
    assert_eq!(init.status, Some(0), "{init:#?}");
    (dir, file)
}

fn terraform(toolchain: &Toolchain, dir: &Path, arguments: &[&str]) -> Run {
    let mut arguments = arguments.to_vec();
    arguments.push("-no-color");
    run_command(toolchain.command(dir, &arguments), b"")
}

/// `terraform plan` of the directory with `values` as the module's arguments.
fn plan(toolchain: &Toolchain, dir: &Path, values: &Map<String, Value>) -> Run {
    std::fs::write(
        dir.join("inputs.tfvars.json"),
        Value::Object(values.clone()).to_string(),
    )
    .expect("write");
    terraform(
        toolchain,
        dir,
        &["plan", "-input=false", "-var-file=inputs.tfvars.json"],
    )
}

/// A bad input of a test file: the variable, its value and the message it must print.
struct BadInput {
    variable: String,
    value: Value,
    message: String,
}

/// The test file's runs with `expect_failures`, each refused by the one variable it sets.
fn bad_inputs(file: &Value) -> Vec<BadInput> {
    let runs = file["run"].as_array().expect("run blocks");
    runs.iter()
        .flat_map(|run| run.as_object().expect("a named run").values())
        .filter(|body| body.get("expect_failures").is_some())
        .map(|body| {
            let variables = body["variables"].as_object().expect("variables");
            assert_eq!(variables.len(), 1, "a bad run sets one variable: {body}");
            let (variable, value) = variables.iter().next().expect("one variable");
            assert_eq!(body["expect_failures"], json!([format!("var.{variable}")]));
            BadInput {
                variable: variable.clone(),
                value: value.clone(),
                message: body["//"]
                    .as_str()
                    .expect("the message, as \"//\"")
                    .to_string(),
            }
        })
        .collect()
}

/// `terraform test` of the module's file passes: every valid run plans, and every bad input is
/// refused by its own variable. Then every message: the bad inputs planned again, the k-th of each
/// variable together in the k-th plan, which must print each of their messages, and no other.
fn check_variables(module: &str) {
    let toolchain = Toolchain::require();
    let (dir, file) = variables_only(toolchain, module);
    let runs = file["run"].as_array().expect("run blocks").len();
    let test = terraform(toolchain, dir.path(), &["test"]);
    assert_eq!(test.status, Some(0), "{module}: {test:#?}");
    assert!(
        test.stdout
            .contains(&format!("Success! {runs} passed, 0 failed.")),
        "{module}: {test:#?}"
    );

    let mut by_variable: BTreeMap<String, Vec<BadInput>> = BTreeMap::new();
    for input in bad_inputs(&file) {
        by_variable
            .entry(input.variable.clone())
            .or_default()
            .push(input);
    }
    assert!(!by_variable.is_empty(), "{module}: no bad input");
    let rounds = by_variable.values().map(Vec::len).max().unwrap_or(0);
    for round in 0..rounds {
        let mut values = file["variables"].as_object().cloned().expect("variables");
        let inputs: Vec<&BadInput> = by_variable
            .values()
            .filter_map(|inputs| inputs.get(round))
            .collect();
        for input in &inputs {
            values.insert(input.variable.clone(), input.value.clone());
        }
        let run = plan(toolchain, dir.path(), &values);
        assert_ne!(
            run.status,
            Some(0),
            "{module} accepted {values:?}: {run:#?}"
        );
        // Terraform wraps long messages; compare with the line breaks taken out.
        let stderr = unwrapped(&run.stderr);
        for input in &inputs {
            assert!(
                stderr.contains(&input.message),
                "{module}: {} = {}: {:?} not in {stderr}",
                input.variable,
                input.value,
                input.message
            );
        }
        assert_eq!(
            stderr.matches("Invalid value for variable").count(),
            inputs.len(),
            "{module}: one message per bad input: {stderr}"
        );
    }
}

#[test]
#[ignore = "needs Terraform"]
fn the_root_modules_variable_checks_name_what_is_allowed() {
    check_variables("terraform-module");
}

#[test]
#[ignore = "needs Terraform"]
fn the_live_task_lookup_submodules_variable_checks_name_what_is_allowed() {
    check_variables("terraform-module/modules/live_task_lookup");
}

#[test]
#[ignore = "needs Terraform"]
fn the_container_definition_submodules_variable_checks_name_what_is_allowed() {
    check_variables("terraform-module/modules/container_definition");
}

#[test]
#[ignore = "needs Terraform"]
fn the_task_definition_selector_submodules_variable_checks_name_what_is_allowed() {
    check_variables("terraform-module/modules/task_definition_selector");
}

#[test]
#[ignore = "needs Terraform"]
fn the_deployer_policy_submodules_variable_checks_name_what_is_allowed() {
    check_variables("terraform-module/modules/deployer_policy");
}

/// A value of another type is refused by Terraform's type check before any validation runs,
/// which `terraform test` cannot expect: a plan of its own.
#[test]
#[ignore = "needs Terraform"]
fn a_value_of_another_type_is_refused_with_the_type_wanted() {
    let toolchain = Toolchain::require();
    let (dir, file) = variables_only(toolchain, "terraform-module");
    let mut values = file["variables"].as_object().cloned().expect("variables");
    values.insert("live_environment".to_string(), json!(["DD_VERSION"]));
    let run = plan(toolchain, dir.path(), &values);
    assert_ne!(run.status, Some(0), "{run:#?}");
    let stderr = unwrapped(&run.stderr);
    assert!(
        stderr.contains("map of list of string required"),
        "{stderr}"
    );
}
