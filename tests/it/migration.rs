//! Moving an existing service onto the module, from each starting point of MIGRATING.md, under
//! real Terraform and the AWS provider on moto: the service is created the old way
//! (`tests/migration/<start>/before`), a pipeline ships an image with `ecs deploy`, and the
//! configuration is switched to the module with MIGRATING.md's blocks (`after/`). The plan must
//! move or import the service and import the live revision, replace nothing, register nothing and
//! keep the deployed image; after its apply the next plan exits 0, and the module follows the
//! next deploy.

use std::path::PathBuf;

use ecs_drift_tests::repo_root;
use ecs_drift_tests::story::{
    Deploy, Example, Failure, Layout, SHIPPED, check, check_clean, deploy, moto_with_cluster,
    running, task_definition,
};
use ecs_drift_tests::terraform::{Plan, Toolchain, Workdir};
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
fn check_migration_plan(plan: &Plan, start: &Start, live_arn: &str) -> Result<(), Failure> {
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
    check_imported_unchanged(plan, step, TASK_DEFINITION, RECORD, live_arn)
}

/// The task definition at `task_definition` is imported from the live revision, and the record
/// at `record` says the module's definition equals it: the apply registers nothing.
fn check_imported_unchanged(
    plan: &Plan,
    step: &str,
    task_definition: &str,
    record: &str,
    live_arn: &str,
) -> Result<(), Failure> {
    let imported = plan.resource_change(task_definition);
    check(
        imported["change"]["importing"]["id"] == live_arn,
        step,
        || format!("the task definition should be imported from {live_arn}: {imported}"),
    )?;
    let differences = &plan.after(record)["input"]["differences"];
    check(differences == &json!([]), step, || {
        format!(
            "the module's definition should equal the live one, but the selector says {differences}"
        )
    })
}

fn migrate(start: Start) -> Outcome {
    let toolchain = Toolchain::require();
    let example = example(&start);
    let moto = moto_with_cluster("prod");

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
#[ignore = "needs Terraform"]
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
#[ignore = "needs Terraform"]
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
#[ignore = "needs Terraform"]
fn a_terraform_aws_modules_service_moves_onto_the_module_without_a_replacement() -> Outcome {
    migrate(Start {
        name: "terraform-aws-modules",
        family: "web",
        service_from: Some("module.ecs_service.aws_ecs_service.ignore_task_definition[0]"),
        destroyed: &[],
    })
}

/// MIGRATING.md's steps are the ones the tests run: every block of each `after/migration.tf`
/// (the tests' own, and the examples' of the composed form) appears in it word for word.
#[test]
fn migrating_md_shows_the_blocks_the_tests_run() {
    let guide = std::fs::read_to_string(repo_root().join("MIGRATING.md")).expect("MIGRATING.md");
    for start in [
        "tests/migration/plain-resources",
        "tests/migration/airship",
        "tests/migration/terraform-aws-modules",
        "examples/migrate-terraform-aws-modules",
        "examples/migrate-cloudposse",
    ] {
        let blocks = std::fs::read_to_string(repo_root().join(start).join("after/migration.tf"))
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

// ---------------------------------------------------------------------------------------------
// The composed form: a team keeps its service module and hands the task definition to ecs-drift
// (`examples/migrate-*`, MIGRATING.md "Keeping the service module").

/// A service module a team keeps: `examples/<example>/{before,after}` as a user copies them,
/// with the registry module's `source` line pointed at a fixture of `tests/migration/fixtures`
/// (and its `version` line, which a local source does not take, left out). The fixture declares
/// what the recipe relies on, as the real module does.
struct KeptModule {
    example: &'static str,
    /// The registry source both phases name.
    registry: &'static str,
    /// The fixture in its place, under `tests/migration/fixtures`.
    fixture: &'static str,
    /// The service's address before the move and after it.
    service: (&'static str, &'static str),
    /// How the pipeline ships the image before the move. `ecs deploy` deregisters the revision
    /// it replaces; the AWS CLI pipeline leaves it ACTIVE, so that the move must forget the
    /// service module's task definition rather than deregister it.
    ship: Deploy,
}

/// The service both examples run.
const KEPT: Example = Example {
    name: "migrate",
    cluster: "ecs-drift-example",
    service: "ecs-drift-web",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: Layout {
        module: "task_definition",
        task_definition: "module.task_definition",
        service: "module.service",
    },
};

const KEPT_TASK_DEFINITION: &str = "module.task_definition.aws_ecs_task_definition.this";
const KEPT_RECORD: &str = "module.task_definition.terraform_data.revision";

/// A copy of `examples/<example>/<phase>` with the fixture beside it and only the registry
/// module's `source` (and `version`) lines rewritten.
fn copy_phase(kept: &KeptModule, phase: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("temporary directory");
    let from = repo_root().join("examples").join(kept.example).join(phase);
    let registry = format!("source  = \"{}\"", kept.registry);
    let mut rewritten = 0;
    for entry in std::fs::read_dir(&from).expect("read the example") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|extension| extension != "tf") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read a .tf file");
        let mut lines = Vec::new();
        let mut after_source = false;
        for line in text.lines() {
            if line.trim() == registry {
                lines.push(format!("  source = \"./fixtures/{}\"", kept.fixture));
                rewritten += 1;
                after_source = true;
                continue;
            }
            if after_source && line.trim_start().starts_with("version ") {
                after_source = false;
                continue;
            }
            after_source = false;
            lines.push(line.to_string());
        }
        std::fs::write(
            copy.path().join(path.file_name().expect("a name")),
            lines.join("\n") + "\n",
        )
        .expect("write a .tf file");
    }
    assert_eq!(
        rewritten, 1,
        "examples/{}/{phase} should name {} once",
        kept.example, kept.registry
    );
    ecs_drift_tests::terraform::copy_tree(
        &repo_root().join("tests/migration/fixtures"),
        &copy.path().join("fixtures"),
    );
    copy
}

/// The `moved` blocks of `examples/<example>/after/migration.tf`: `(from, to)`.
fn moved_blocks(kept: &KeptModule) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        repo_root()
            .join("examples")
            .join(kept.example)
            .join("after/migration.tf"),
    )
    .expect("migration.tf");
    let value = |line: &str, key: &str| {
        line.trim()
            .strip_prefix(key)
            .map(|rest| rest.trim_start().trim_start_matches('=').trim().to_string())
    };
    let mut moves = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line != "moved {" {
            continue;
        }
        let from = lines.next().and_then(|line| value(line, "from"));
        let to = lines.next().and_then(|line| value(line, "to"));
        moves.push((
            from.expect("a moved block starts with from"),
            to.expect("then to"),
        ));
    }
    moves
}

/// The plan of the switch: nothing destroyed or replaced, nothing created but the record, every
/// `moved` block of the recipe applied, the live revision imported, no difference found.
fn check_kept_plan(plan: &Plan, kept: &KeptModule, live_arn: &str) -> Result<(), Failure> {
    let step = "the plan that hands the task definition to ecs-drift";
    check(plan.exit_code == Some(2), step, || {
        format!("exit {:?}:\n{}\n{}", plan.exit_code, plan.text, plan.stderr)
    })?;
    for (address, actions) in plan.all_changes() {
        check(
            !actions.iter().any(|action| action == "delete"),
            step,
            || {
                format!(
                    "{address} would be destroyed or replaced: {actions:?}\n{}",
                    plan.text
                )
            },
        )?;
        check(
            !actions.iter().any(|action| action == "create") || address == KEPT_RECORD,
            step,
            || format!("{address} would be created: {actions:?}\n{}", plan.text),
        )?;
    }
    let moves = moved_blocks(kept);
    check(!moves.is_empty(), step, || {
        format!("{}/after/migration.tf has no moved block", kept.example)
    })?;
    for (from, to) in &moves {
        let change = plan.resource_change(to);
        check(change["previous_address"] == from.as_str(), step, || {
            format!("{to} should be moved from {from}: {change}")
        })?;
    }
    let (service_before, service_after) = kept.service;
    let service = plan.resource_change(service_after);
    check(!service.is_null(), step, || {
        format!("the plan does not show the service at {service_after}")
    })?;
    if service_before != service_after {
        check(service["previous_address"] == service_before, step, || {
            format!("the service should be moved from {service_before}: {service}")
        })?;
    }
    check_imported_unchanged(plan, step, KEPT_TASK_DEFINITION, KEPT_RECORD, live_arn)
}

fn keep_the_service_module(kept: KeptModule) -> Outcome {
    let toolchain = Toolchain::require();
    let example = KEPT;
    let at = format!("examples/{}/before", kept.example);
    let moto = moto_with_cluster(example.cluster);

    // The service module as the team runs it; a pipeline ships an image.
    let before = copy_phase(&kept, "before");
    let workdir = Workdir::fixture_at(toolchain, &moto, &[before.path().to_path_buf()], &at)
        .map_err(Failure)?;
    ecs_drift_tests::story::applied(&workdir.apply(), "the service module's apply")?;
    let first = format!("{}:1", example.service);
    deploy(&moto, kept.ship, &example, "app", SHIPPED)?;
    let deployed = running(&moto, &example);
    assert_eq!(deployed.image("app"), SHIPPED, "{deployed:?}");
    let (first_status, _) = task_definition(&moto, &first);

    // The switch, with the recipe's blocks (after/migration.tf).
    let after = copy_phase(&kept, "after");
    let workdir = workdir
        .switch_to(&moto, &[after.path().to_path_buf()], "task_definition")
        .map_err(Failure)?;
    let plan = workdir.plan();
    check_kept_plan(&plan, &kept, &deployed.task_definition_arn)?;
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
        task_definition(&moto, example.service).1,
        deployed.revision,
        "a revision was registered"
    );
    assert_eq!(
        task_definition(&moto, &first).0,
        first_status,
        "the service module's revision {first} was deregistered"
    );
    check_clean(&workdir.plan(), "the plan after the move")?;

    // A CI deploy, then a change on Terraform's side: it lands with the image CI shipped.
    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    deploy(&moto, Deploy::EcsDeploy, &example, "app", next)?;
    check_clean(&workdir.plan(), "the plan after the next deploy")?;
    let main = workdir.path.join("main.tf");
    let text = std::fs::read_to_string(&main).expect("main.tf");
    let changed = text.replace(
        "{ name = \"LOG_LEVEL\", value = \"info\" }",
        "{ name = \"LOG_LEVEL\", value = \"debug\" }",
    );
    assert_ne!(changed, text, "main.tf should set LOG_LEVEL to info");
    std::fs::write(&main, changed).expect("edit main.tf");
    let plan = workdir.plan();
    check(
        plan.exit_code == Some(2),
        "the plan of LOG_LEVEL=debug",
        || format!("exit {:?}:\n{}\n{}", plan.exit_code, plan.text, plan.stderr),
    )?;
    ecs_drift_tests::story::applied(&workdir.apply_plan(), "the apply of LOG_LEVEL=debug")?;
    let changed = running(&moto, &example);
    assert_eq!(
        changed.image("app"),
        next,
        "the shipped image was lost: {changed:?}"
    );
    assert_eq!(
        changed.environment["app"]["LOG_LEVEL"], "debug",
        "the change did not land: {changed:?}"
    );
    check_clean(&workdir.plan(), "the plan after the change")?;
    Ok(())
}

/// terraform-aws-modules/ecs `modules/service` 5.12.1 with its defaults, then with
/// `create_task_definition = false` beside ecs-drift: the roles, the policy, its attachment and
/// the log group moved out of the module, its task definition forgotten, the live revision
/// imported; the service stays where it is.
#[test]
#[ignore = "needs Terraform"]
fn a_terraform_aws_modules_service_keeps_its_module_and_hands_over_the_task_definition() -> Outcome
{
    keep_the_service_module(KeptModule {
        example: "migrate-terraform-aws-modules",
        registry: "terraform-aws-modules/ecs/aws//modules/service",
        fixture: "terraform-aws-ecs/modules/service",
        service: (
            "module.service.aws_ecs_service.this[0]",
            "module.service.aws_ecs_service.this[0]",
        ),
        ship: Deploy::EcsDeploy,
    })
}

/// cloudposse/ecs-alb-service-task 0.78.0 with its defaults, then given ecs-drift's
/// `task_definition`: the service moved to the resource that deploys it, the module's task
/// definition forgotten, the live revision imported; the roles stay in the module. The image is
/// shipped by the AWS CLI pipeline, which leaves the module's revision ACTIVE: the move keeps it
/// so.
#[test]
#[ignore = "needs Terraform"]
fn a_cloudposse_service_keeps_its_module_and_hands_over_the_task_definition() -> Outcome {
    keep_the_service_module(KeptModule {
        example: "migrate-cloudposse",
        registry: "cloudposse/ecs-alb-service-task/aws",
        fixture: "cloudposse-ecs-alb-service-task",
        service: (
            "module.service.aws_ecs_service.ignore_changes_task_definition[0]",
            "module.service.aws_ecs_service.default[0]",
        ),
        ship: Deploy::AwsCli,
    })
}
