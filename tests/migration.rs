//! Moving an existing service onto the module, from each starting point of MIGRATING.md, under
//! real Terraform and the AWS provider on moto: the service is created the old way
//! (`tests/migration/<start>/before`), a pipeline ships an image with `ecs deploy`, and the
//! configuration is switched to the module with MIGRATING.md's blocks (`after/`). The plan must
//! move or import the service and import the live revision, replace nothing, register nothing and
//! keep the deployed image; after its apply the next plan exits 0, and the module follows the
//! next deploy.

use std::path::PathBuf;

use ecs_drift_tests::story::{
    Deploy, Example, Failure, Layout, REGION, SHIPPED, check, check_clean, deploy, running,
    task_definition,
};
use ecs_drift_tests::terraform::{Toolchain, Workdir};
use ecs_drift_tests::{Moto, repo_root};
use serde_json::json;

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// How a starting point hands its service to the module.
struct Start {
    name: &'static str,
    /// The service's family (the old module's naming).
    family: &'static str,
    /// Where the service was in the old configuration: `Some` when MIGRATING.md moves it there
    /// from, `None` when it imports it.
    service_from: Option<&'static str>,
    /// Resources the old configuration had that the new one deliberately destroys.
    destroyed: &'static [&'static str],
}

const SERVICE: &str = "module.web.aws_ecs_service.this[0]";
const TASK_DEFINITION: &str = "module.web.aws_ecs_task_definition.this";
const RECORD: &str = "module.web.terraform_data.revision";

/// A phase's configuration, and the provider and network both phases share.
fn fixture(start: &Start, phase: &str) -> [PathBuf; 2] {
    let migration = repo_root().join("tests/migration");
    [
        migration.join(start.name).join(phase),
        migration.join("network.tf"),
    ]
}

/// The service as the story helpers know it.
fn example(start: &Start) -> Example {
    Example {
        name: start.name,
        cluster: "prod",
        service: "web",
        bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
        follower: "app",
        layout: Layout {
            module: "web",
            task_definition: "module.web",
            service: SERVICE,
        },
    }
}

/// The first plan after the switch: what it may and must do.
fn check_migration_plan(
    plan: &ecs_drift_tests::terraform::Plan,
    start: &Start,
    live_arn: &str,
) -> Result<(), Failure> {
    let step = "the plan that moves the service onto the module";
    check(plan.exit_code == Some(2), step, || {
        format!("exit {:?}:\n{}\n{}", plan.exit_code, plan.text, plan.stderr)
    })?;
    for (address, actions) in plan.all_changes() {
        let deletes = actions.iter().any(|action| action == "delete");
        let creates = actions.iter().any(|action| action == "create");
        check(
            !deletes || start.destroyed.contains(&address.as_str()),
            step,
            || {
                format!(
                    "{address} would be deleted or replaced: {actions:?}\n{}",
                    plan.text
                )
            },
        )?;
        check(!creates || address == RECORD, step, || {
            format!("{address} would be created: {actions:?}\n{}", plan.text)
        })?;
    }
    let service = plan.resource_change(SERVICE);
    match start.service_from {
        Some(from) => check(service["previous_address"] == from, step, || {
            format!("the service should be moved from {from}: {service}")
        })?,
        None => check(
            service["change"]["importing"]["id"] == "prod/web",
            step,
            || format!("the service should be imported as prod/web: {service}"),
        )?,
    }
    let task_definition = plan.resource_change(TASK_DEFINITION);
    check(
        task_definition["change"]["importing"]["id"] == live_arn,
        step,
        || format!("the task definition should be imported from {live_arn}: {task_definition}"),
    )?;
    let differences = &plan.after(RECORD)["input"]["differences"];
    check(differences == &json!([]), step, || {
        format!(
            "the module's definition should equal the live one, but the selector says {differences}"
        )
    })
}

fn migrate(start: Start) -> Outcome {
    let Some(toolchain) = Toolchain::get() else {
        return Ok(());
    };
    let example = example(&start);
    let moto = Moto::start();
    moto.seed(
        "create-cluster",
        json!({ "cluster": "prod", "region": REGION }),
    );

    // The old way: created, then a pipeline ships an image.
    let workdir =
        Workdir::fixture(toolchain, &moto, &fixture(&start, "before")).map_err(Failure)?;
    ecs_drift_tests::story::applied(&workdir.apply(), "the old configuration's apply")?;
    deploy(&moto, Deploy::EcsDeploy, &example, "app", SHIPPED)?;
    let deployed = running(&moto, &example);
    assert_eq!(deployed.image("app"), SHIPPED, "{deployed:?}");

    // The switch, with MIGRATING.md's blocks.
    let after = fixture(&start, "after");
    let workdir = workdir.switch_to(&moto, &after, "web").map_err(Failure)?;
    let plan = workdir.plan();
    check_migration_plan(&plan, &start, &deployed.task_definition_arn)?;
    ecs_drift_tests::story::applied(&workdir.apply_plan(), "the apply of the move")?;
    let moved = running(&moto, &example);
    assert_eq!(
        moved.task_definition_arn, deployed.task_definition_arn,
        "{moved:?}"
    );
    assert_eq!(
        moved.image("app"),
        SHIPPED,
        "the deployed image was rolled back"
    );
    assert_eq!(
        task_definition(&moto, start.family).1,
        deployed.revision,
        "a revision was registered"
    );
    check_clean(&workdir.plan(), "the plan after the move")?;

    // From now on the module follows the pipeline.
    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    deploy(&moto, Deploy::EcsDeploy, &example, "app", next)?;
    check_clean(&workdir.plan(), "the plan after the next deploy")?;
    Ok(())
}

/// Plain `aws_ecs_service` (ignoring `task_definition`) and `aws_ecs_task_definition` resources,
/// the cluster given by name: both forgotten with `removed`, then imported, the service as
/// "CLUSTER/SERVICE" (which the provider stores with the cluster's ARN).
#[test]
fn plain_resources_move_onto_the_module_without_a_replacement() -> Outcome {
    migrate(Start {
        name: "plain-resources",
        family: "web",
        service_from: None,
        destroyed: &[],
    })
}

/// The Airship module (1.0.0's resources, the cluster given as an ARN, the task definition as
/// family:revision): the service moved out of its submodule, the live revision imported, the
/// roles and the log group moved to the root module, the Lambda lookup's role destroyed.
#[test]
fn an_airship_service_moves_onto_the_module_without_a_replacement() -> Outcome {
    migrate(Start {
        name: "airship",
        family: "prod-web",
        service_from: Some("module.web.module.ecs_service.aws_ecs_service.this[0]"),
        destroyed: &["module.web.module.iam.aws_iam_role.lambda_lookup[0]"],
    })
}

/// terraform-aws-modules/ecs's service module with ignore_task_definition_changes: the service
/// moved out of it, the live revision imported, the roles, policy, security group and log group
/// moved to the root module.
#[test]
fn a_terraform_aws_modules_service_moves_onto_the_module_without_a_replacement() -> Outcome {
    migrate(Start {
        name: "terraform-aws-modules",
        family: "web",
        service_from: Some("module.ecs_service.aws_ecs_service.ignore_task_definition[0]"),
        destroyed: &[],
    })
}

/// MIGRATING.md's steps are the ones the tests run: every block of each `after/migration.tf`
/// appears in it word for word.
#[test]
fn migrating_md_shows_the_blocks_the_tests_run() {
    let guide = std::fs::read_to_string(repo_root().join("MIGRATING.md")).expect("MIGRATING.md");
    for start in ["plain-resources", "airship", "terraform-aws-modules"] {
        let blocks = std::fs::read_to_string(
            repo_root()
                .join("tests/migration")
                .join(start)
                .join("after/migration.tf"),
        )
        .expect("migration.tf");
        let mut found = 0;
        let mut lines = blocks.lines();
        while let Some(line) = lines.next() {
            if !["moved {", "removed {", "import {"].contains(&line) {
                continue;
            }
            // A top-level block ends at the first `}` in the first column.
            let mut block = vec![line];
            for line in lines.by_ref() {
                block.push(line);
                if line == "}" {
                    break;
                }
            }
            let block = block.join("\n");
            assert!(
                guide.contains(&block),
                "MIGRATING.md does not show this block of {start}:\n{block}"
            );
            found += 1;
        }
        assert!(found >= 2, "{start}: no blocks found");
    }
}
