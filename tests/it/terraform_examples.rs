//! Every Terraform example, applied as shipped by real Terraform and the real AWS provider against
//! moto, and walked through the drift story with real deploy tools (`tests/harness/story.rs`).
//! What is asserted is what a drift-detection job reads, the exit code of
//! `terraform plan -detailed-exitcode` (0: no changes, 2: changes, outputs included), and what ECS
//! runs after each step.
//!
//! The only changes to an example are the harness's override file (moto's endpoints, this build's
//! programs), the edits a user makes in its `main.tf`, and override files setting one module
//! argument (`<name>_override.tf`).

use ecs_drift_tests::story::{
    self, CODEDEPLOY, Change, Deploy, EC2_BRIDGE, Example, FARGATE, Failure, Layout, OWN_SERVICE,
    REGION, Running, SHIPPED, SIDECAR, check, check_clean, check_moves, deploy, moto_with_cluster,
    running, task_definition,
};
use ecs_drift_tests::terraform::{Toolchain, Workdir, unwrapped};
use ecs_drift_tests::{MOTO_ACCOUNT, Moto, repo_root, run_command, venv_bin};
use serde_json::json;

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// Starts moto, creates the example's cluster (the examples take a shared cluster as given) and
/// initialises a copy of the example.
fn set_up(example: &Example) -> Result<(Moto, Workdir), Failure> {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(example.cluster);
    let workdir = Workdir::example(toolchain, &moto, example.name).map_err(Failure)?;
    Ok((moto, workdir))
}

/// The whole story of an example, its steps written to the test's output.
fn story(example: Example, style: Deploy, change: Change) -> Outcome {
    let (moto, workdir) = set_up(&example)?;
    story::check_story(&moto, &workdir, &example, style, change)?;
    Ok(())
}

const LOG_LEVEL: Change = Change {
    from: "LOG_LEVEL = \"info\"",
    to: "LOG_LEVEL = \"debug\"",
    expected: "container app: environment LOG_LEVEL changed",
};

const SIDECAR_MEMORY: Change = Change {
    from: "memory                   = \"1024\"",
    to: "memory                   = \"2048\"",
    expected: "task: memory 1024 -> 2048",
};

const MEMORY_RESERVATION: Change = Change {
    from: "memoryReservation = 128",
    to: "memoryReservation = 256",
    expected: "container app: memoryReservation 128 -> 256",
};

#[test]
#[ignore = "needs Terraform"]
fn fargate_story_with_ecs_deploy() -> Outcome {
    story(FARGATE, Deploy::EcsDeploy, LOG_LEVEL)
}

#[test]
#[ignore = "needs Terraform"]
fn fargate_story_with_the_aws_cli_pipeline() -> Outcome {
    story(FARGATE, Deploy::AwsCli, LOG_LEVEL)
}

#[test]
#[ignore = "needs Terraform"]
fn sidecar_story_with_ecs_deploy() -> Outcome {
    story(SIDECAR, Deploy::EcsDeploy, SIDECAR_MEMORY)
}

#[test]
#[ignore = "needs Terraform"]
fn sidecar_story_with_the_aws_cli_pipeline() -> Outcome {
    story(SIDECAR, Deploy::AwsCli, SIDECAR_MEMORY)
}

#[test]
#[ignore = "needs Terraform"]
fn ec2_bridge_story_with_ecs_deploy() -> Outcome {
    story(EC2_BRIDGE, Deploy::EcsDeploy, MEMORY_RESERVATION)
}

#[test]
#[ignore = "needs Terraform"]
fn ec2_bridge_story_with_the_aws_cli_pipeline() -> Outcome {
    story(EC2_BRIDGE, Deploy::AwsCli, MEMORY_RESERVATION)
}

/// The composed form: the task definition from the module with `create_service = false`, the
/// service the root's
/// own `aws_ecs_service`. The first apply creates the service with its first revision.
#[test]
#[ignore = "needs Terraform"]
fn own_service_story_with_ecs_deploy() -> Outcome {
    story(OWN_SERVICE, Deploy::EcsDeploy, LOG_LEVEL)
}

#[test]
#[ignore = "needs Terraform"]
fn own_service_story_with_the_aws_cli_pipeline() -> Outcome {
    story(OWN_SERVICE, Deploy::AwsCli, LOG_LEVEL)
}

/// The module's guard fails a composed plan too: the service of the root's
/// own is never planned on a lookup that asked the wrong region.
#[test]
#[ignore = "needs Terraform"]
fn the_region_guard_fails_a_composed_plan() -> Outcome {
    let (moto, workdir) = set_up(&OWN_SERVICE)?;
    apply(&workdir, "first apply")?;
    deploy(&moto, Deploy::AwsCli, &OWN_SERVICE, "app", SHIPPED)?;
    let before = running(&moto, &OWN_SERVICE);
    workdir.override_file(
        "region",
        "module \"task_definition\" {\n  region = \"us-west-2\"\n}\n",
    );
    check_guard_stops(
        &moto,
        &workdir,
        &OWN_SERVICE,
        &before,
        "the live lookup asked region us-west-2, but the AWS provider manages eu-west-1",
    );
    Ok(())
}

/// The release before `create_service`: the root module held a copy of `modules/task_definition`'s
/// files, and the composed form called `modules/task_definition`.
const PREVIOUS_MODULE: &str = "6971bbf";

/// The files of `paths` as commit `rev` has them, written under `dir` (which stands for the
/// repository's root).
fn restore(rev: &str, paths: &[&str], dir: &std::path::Path) -> Outcome {
    let mut archive = std::process::Command::new("git");
    archive
        .current_dir(repo_root())
        .args(["archive", "--format=tar", rev])
        .args(paths);
    let tar = archive.output()?;
    assert!(
        tar.status.success(),
        "git archive {rev} (the suite needs the repository's history): {}",
        String::from_utf8_lossy(&tar.stderr)
    );
    let mut untar = std::process::Command::new("tar");
    untar.current_dir(dir).arg("-x");
    let run = run_command(untar, &tar.stdout);
    assert_eq!(run.status, Some(0), "{run:#?}");
    Ok(())
}

/// `terraform state list`, sorted.
fn state_list(workdir: &Workdir) -> Vec<String> {
    let list = workdir.run(&["state", "list"]);
    assert_eq!(list.status, Some(0), "{list:#?}");
    let mut state: Vec<String> = list.stdout.lines().map(str::to_string).collect();
    state.sort();
    state
}

/// The example as `PREVIOUS_MODULE` shipped it, applied and deployed by CI, then upgraded as a
/// user upgrades: the same configuration with this commit's module, and for a user of the
/// deleted `modules/task_definition` the edit MIGRATING.md gives (`source` to the root module,
/// `create_service = false`, and the example's pipeline, `ecs deploy` with its defaults, names
/// what it needs beyond the default deployer policy, which that module had allowed). The
/// upgrade's plan exits 0 (no move, no replacement, no revision, no output changed), its apply
/// registers nothing and leaves every address where it was, and the plan after it exits 0.
fn upgrade_story(example: &Example) -> Outcome {
    let (moto, workdir) = set_up(example)?;
    let root = workdir.path.join("../..");
    let module = root.join("terraform-module");
    let main = format!("examples/{}/main.tf", example.name);
    std::fs::remove_file(&module)?;
    restore(PREVIOUS_MODULE, &["terraform-module", &main], &root)?;
    let init = workdir.run(&["init", "-input=false", "-no-color"]);
    assert_eq!(init.status, Some(0), "{init:#?}");
    apply(&workdir, "the first apply, by the previous release")?;
    deploy(&moto, Deploy::EcsDeploy, example, "app", SHIPPED)?;
    check_clean(&workdir.plan(), "after a deploy, with the previous release")?;
    let before = running(&moto, example);
    let addresses = state_list(&workdir);

    std::fs::remove_dir_all(&module)?;
    std::os::unix::fs::symlink(repo_root().join("terraform-module"), &module)?;
    let configuration = std::fs::read_to_string(root.join(&main))?;
    let deleted_source = "source = \"../../terraform-module/modules/task_definition\"";
    if configuration.contains(deleted_source) {
        std::fs::write(
            root.join(&main),
            configuration.replace(
                deleted_source,
                "source = \"../../terraform-module\"\n\n  create_service      = false\n  deployer_policy_add = [\"deregister\", \"task_reads\"]",
            ),
        )?;
    }
    let init = workdir.run(&["init", "-input=false", "-no-color"]);
    assert_eq!(init.status, Some(0), "{init:#?}");
    // The upgrade's plan exits 0: no resource and no output changes, the deployer policy
    // included.
    check_clean(&workdir.plan(), "the upgrade's plan")?;
    apply(&workdir, "the upgrade's apply")?;
    let after = running(&moto, example);
    let (_, latest) = task_definition(&moto, example.service);
    check(
        after.task_definition_arn == before.task_definition_arn
            && latest == before.revision
            && after.image("app") == SHIPPED,
        "the upgrade's apply",
        || format!("nothing registered or moved: {before:?} -> {after:?}, latest {latest}"),
    )?;
    // Every resource where it was; this release reads one data source more (the deployment
    // guard), which holds no infrastructure.
    let state = state_list(&workdir);
    let is_data = |address: &String| address.starts_with("data.") || address.contains(".data.");
    let resources = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter(|address| !is_data(address))
            .cloned()
            .collect()
    };
    check(
        resources(&state) == resources(&addresses)
            && addresses.iter().all(|address| state.contains(address)),
        "the upgrade's apply",
        || format!("every address where it was: {addresses:?} -> {state:?}"),
    )?;
    check_clean(&workdir.plan(), "right after the upgrade")?;
    Ok(())
}

/// A user of the root module, upgraded: the task definition, its record and the service keep
/// their addresses (`aws_ecs_service.this` is counted on `create_service` now, still `[0]`).
#[test]
#[ignore = "needs Terraform"]
fn upgrading_a_root_module_user_changes_and_registers_nothing() -> Outcome {
    upgrade_story(&FARGATE)
}

/// A user of `modules/task_definition` with a service of their own, who switches `source` to the
/// root module with `create_service = false`: the addresses inside `module.task_definition` are
/// the same, so no `moved` block is needed and nothing is registered, moved or destroyed.
#[test]
#[ignore = "needs Terraform"]
fn upgrading_a_modules_task_definition_user_changes_and_registers_nothing() -> Outcome {
    upgrade_story(&OWN_SERVICE)
}

/// `terraform apply`, which must succeed.
fn apply(workdir: &Workdir, step: &str) -> Result<String, Failure> {
    story::applied(&workdir.apply(), step)
}

/// The sidecar's image is Terraform's: a deploy tool that ships one is reverted by the next apply,
/// and the plan names the container, while the app keeps the image its pipeline shipped.
#[test]
#[ignore = "needs Terraform"]
fn sidecar_a_deploy_of_the_pinned_sidecar_is_reverted_and_named() -> Outcome {
    let (moto, workdir) = set_up(&SIDECAR)?;
    apply(&workdir, "first apply")?;
    deploy(&moto, Deploy::EcsDeploy, &SIDECAR, "app", SHIPPED)?;
    let stray = "public.ecr.aws/aws-observability/aws-otel-collector:v0.99.0";
    deploy(&moto, Deploy::EcsDeploy, &SIDECAR, "otel", stray)?;
    assert_eq!(running(&moto, &SIDECAR).image("otel"), stray);

    let pinned = SIDECAR.bootstrap_image("otel");
    let plan = workdir.plan();
    check_moves(
        &plan,
        &SIDECAR,
        "a deploy of the pinned sidecar",
        &format!("container otel: image \"{stray}\" -> \"{pinned}\""),
        true,
    )?;
    story::applied(&workdir.apply_plan(), "the apply that reverts the sidecar")?;
    let reverted = running(&moto, &SIDECAR);
    assert_eq!(reverted.image("otel"), pinned);
    assert_eq!(
        reverted.image("app"),
        SHIPPED,
        "the app's deploy was rolled back"
    );
    check_clean(&workdir.plan(), "right after the sidecar was reverted")?;
    Ok(())
}

/// A deploy tool that changes more than the image (here an environment variable) is named in the
/// plan, and the apply brings Terraform's value back while keeping the shipped image.
#[test]
#[ignore = "needs Terraform"]
fn a_deploy_that_changes_the_environment_is_reverted_and_keeps_its_image() -> Outcome {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    let mut ecs = moto.command_in(venv_bin("ecs"), REGION);
    ecs.args([
        "deploy",
        FARGATE.cluster,
        FARGATE.service,
        "--image",
        "app",
        SHIPPED,
        "--env",
        "app",
        "LOG_LEVEL",
        "trace",
        "--timeout",
        "-1",
    ]);
    let run = run_command(ecs, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");

    let plan = workdir.plan();
    check_moves(
        &plan,
        &FARGATE,
        "a deploy that changed LOG_LEVEL",
        "container app: environment LOG_LEVEL changed",
        true,
    )?;
    story::applied(&workdir.apply_plan(), "the apply after it")?;
    let now = running(&moto, &FARGATE);
    assert_eq!(
        now.environment["app"]["LOG_LEVEL"], "info",
        "Terraform's value wins"
    );
    assert_eq!(now.image("app"), SHIPPED, "the shipped image stays");
    check_clean(&workdir.plan(), "right after")?;
    Ok(())
}

/// A pipeline that rolls the service back to an older revision leaves the family's latest
/// revision unused. The service stays on the revision it runs; the task definition resource,
/// which follows the family's latest, registers a copy of the running one once, and the plans are
/// clean again.
#[test]
#[ignore = "needs Terraform"]
fn a_rolled_back_service_stays_on_the_revision_it_runs() -> Outcome {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    let good = "public.ecr.aws/nginx/nginx:1.27.2";
    deploy(&moto, Deploy::AwsCli, &FARGATE, "app", good)?;
    let good_revision = running(&moto, &FARGATE);
    deploy(&moto, Deploy::AwsCli, &FARGATE, "app", SHIPPED)?;
    let mut rollback = moto.command_in(venv_bin("aws"), REGION);
    rollback.args([
        "ecs",
        "update-service",
        "--cluster",
        FARGATE.cluster,
        "--service",
        FARGATE.service,
        "--task-definition",
        &good_revision.task_definition_arn,
    ]);
    let run = run_command(rollback, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");

    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(2), "{}", plan.text);
    assert!(
        plan.actions("module.service.aws_ecs_service.this[0]")
            .is_empty(),
        "the service must not move: {:?}",
        plan.changes()
    );
    assert!(
        story::planned_differences(&plan, &FARGATE).is_empty(),
        "nothing differs from what the service runs: {:?}",
        story::planned_differences(&plan, &FARGATE)
    );
    story::applied(&workdir.apply_plan(), "the apply that registers the copy")?;
    let now = running(&moto, &FARGATE);
    assert_eq!(now.task_definition_arn, good_revision.task_definition_arn);
    assert_eq!(now.image("app"), good);
    check_clean(&workdir.plan(), "once the copy is the latest")?;
    Ok(())
}

/// The fargate example applied and then deployed by `ecs deploy`, and what ECS runs after that.
fn deployed_fargate() -> Result<(Moto, Workdir, Running), Failure> {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    deploy(&moto, Deploy::EcsDeploy, &FARGATE, "app", SHIPPED)?;
    let before = running(&moto, &FARGATE);
    Ok((moto, workdir, before))
}

/// A guard stops the plan with `message`, and the apply too: ECS still runs what it ran `before`.
fn check_guard_stops(
    moto: &Moto,
    workdir: &Workdir,
    example: &Example,
    before: &Running,
    message: &str,
) {
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "{}\n{}", plan.text, plan.stderr);
    assert!(unwrapped(&plan.stderr).contains(message), "{}", plan.stderr);
    let apply = workdir.apply();
    assert_eq!(apply.status, Some(1), "{apply:#?}");
    let after = running(moto, example);
    assert_eq!(after.task_definition_arn, before.task_definition_arn);
    assert_eq!(after.image("app"), SHIPPED);
}

/// A lookup pointed at another region than the provider's finds no service, which looks like a
/// first apply; the region guard fails the plan (and the apply) with its message instead of
/// rolling the service back to its bootstrap image.
#[test]
#[ignore = "needs Terraform"]
fn the_region_guard_fails_a_real_plan_with_its_message() -> Outcome {
    let (moto, workdir, before) = deployed_fargate()?;
    workdir.override_file(
        "region",
        "module \"service\" {\n  region = \"us-west-2\"\n}\n",
    );
    let message = "the live lookup asked region us-west-2, but the AWS provider manages eu-west-1: \
                   a lookup in the wrong region finds no service, so continuing would register the \
                   bootstrap image and roll the service back to it. Set var.region to eu-west-1 (or null).";
    check_guard_stops(&moto, &workdir, &FARGATE, &before, message);
    Ok(())
}

/// With `aws` given by the root module (read once there, as a root with many services does), the
/// module reads no provider data source of its own: a clean plan stays clean, the policies name the
/// service's ARN from those values, and the account guard compares the lookup's account with the
/// given one, failing the plan (and the apply) when they differ.
#[test]
#[ignore = "needs Terraform"]
fn the_guard_reads_the_provider_from_the_aws_argument() -> Outcome {
    let (moto, workdir, before) = deployed_fargate()?;

    std::fs::write(
        workdir.path.join("provider_view.tf"),
        "data \"aws_caller_identity\" \"current\" {}\n\
         data \"aws_partition\" \"current\" {}\n\
         data \"aws_region\" \"current\" {}\n",
    )?;
    let given = |account: &str| {
        format!(
            "module \"service\" {{\n  aws = {{\n    account_id = {account}\n    \
             partition  = data.aws_partition.current.partition\n    \
             region     = data.aws_region.current.id\n  }}\n}}\n"
        )
    };
    workdir.override_file("aws", &given("data.aws_caller_identity.current.account_id"));
    check_clean(&workdir.plan(), "aws given by the root module")?;
    let policy: serde_json::Value = serde_json::from_str(
        workdir.outputs()["deployer_policy_json"]
            .as_str()
            .unwrap_or(""),
    )?;
    let service_arn = format!(
        "arn:aws:ecs:{REGION}:{MOTO_ACCOUNT}:service/{}/{}",
        FARGATE.cluster, FARGATE.service
    );
    assert_eq!(policy["Statement"][1]["Sid"], "ThisService", "{policy:#}");
    assert_eq!(
        policy["Statement"][1]["Resource"],
        service_arn.as_str(),
        "{policy:#}"
    );

    workdir.override_file("aws", &given("\"111111111111\""));
    let message = format!(
        "the live lookup saw account {MOTO_ACCOUNT}, but the AWS provider runs as account \
         111111111111: a lookup in the wrong account finds no service (or another one)"
    );
    check_guard_stops(&moto, &workdir, &FARGATE, &before, &message);
    Ok(())
}

/// `require_live_service = true` keeps a clean plan clean while the service runs, and fails the
/// plan when the lookup finds no service, instead of registering the bootstrap image.
#[test]
#[ignore = "needs Terraform"]
fn require_live_service_fails_a_plan_that_finds_no_service() -> Outcome {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    workdir.override_file(
        "require",
        "module \"service\" {\n  require_live_service = true\n}\n",
    );
    check_clean(
        &workdir.plan(),
        "require_live_service with the service running",
    )?;

    // The service is deleted outside Terraform: ECS then describes it as INACTIVE.
    let mut delete = moto.command_in(venv_bin("aws"), REGION);
    delete.args([
        "ecs",
        "delete-service",
        "--cluster",
        FARGATE.cluster,
        "--service",
        FARGATE.service,
        "--force",
    ]);
    let deleted = run_command(delete, b"");
    assert_eq!(deleted.status, Some(0), "{deleted:#?}");

    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "{}\n{}", plan.text, plan.stderr);
    let message = "the live lookup found no service ecs-drift-fargate in cluster ecs-drift-example \
                   (status INACTIVE) in region eu-west-1, and require_live_service is true: \
                   continuing would register the bootstrap image and roll the service back to it.";
    assert!(unwrapped(&plan.stderr).contains(message), "{}", plan.stderr);
    Ok(())
}

/// A deploy tool that deregisters the revision it replaces (PyPI ecs-deploy does) deregisters
/// Terraform's own, after the first apply and after every apply that moves the service; the
/// plans stay clean and no revision is registered again.
#[test]
#[ignore = "needs Terraform"]
fn a_deploy_tool_that_deregisters_terraforms_revisions() -> Outcome {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    let first = running(&moto, &FARGATE);
    deploy(&moto, Deploy::EcsDeploy, &FARGATE, "app", SHIPPED)?;
    assert_eq!(
        task_definition(&moto, &first.task_definition_arn).0,
        "INACTIVE"
    );

    workdir.edit(LOG_LEVEL.from, LOG_LEVEL.to);
    apply(&workdir, "the apply of a Terraform change")?;
    let terraforms = running(&moto, &FARGATE);
    assert_eq!(terraforms.revision, 3, "{terraforms:?}");

    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    deploy(&moto, Deploy::EcsDeploy, &FARGATE, "app", next)?;
    assert_eq!(
        task_definition(&moto, &terraforms.task_definition_arn).0,
        "INACTIVE"
    );
    check_clean(
        &workdir.plan(),
        "after Terraform's revision was deregistered",
    )?;
    let line = apply(&workdir, "the apply after it")?;
    check(
        line.contains("0 added, 0 changed, 0 destroyed"),
        "the apply after it",
        || line.clone(),
    )?;
    let now = running(&moto, &FARGATE);
    assert_eq!((now.revision, now.image("app")), (4, next));
    assert_eq!(
        task_definition(&moto, FARGATE.service).1,
        4,
        "a revision was registered"
    );
    Ok(())
}

/// A target group's ARN, as CodeDeploy's deployment group knows it.
fn target_group_arn(moto: &Moto, name: &str) -> String {
    let mut command = moto.command_in(venv_bin("aws"), REGION);
    command.args([
        "elbv2",
        "describe-target-groups",
        "--names",
        name,
        "--query",
        "TargetGroups[0].TargetGroupArn",
        "--output",
        "text",
    ]);
    let run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    run.stdout.trim().to_string()
}

/// A CodeDeploy deployment of `appspec` to the target group `target_group` (see
/// tests/deploy/codedeploy.sh for what moto's CodeDeploy cannot do, which the script does).
fn codedeploy(moto: &Moto, target_group: &str, appspec: &str) {
    let mut command = moto.command_in(repo_root().join("tests/deploy/codedeploy.sh"), REGION);
    command
        .args([
            CODEDEPLOY.cluster,
            CODEDEPLOY.service,
            "ecs-drift-codedeploy",
            "ecs-drift-codedeploy",
            &target_group_arn(moto, target_group),
            appspec,
        ])
        .env("AWS", venv_bin("aws"))
        .env("JQ", story::jq());
    let run = run_command(command, b"");
    assert_eq!(
        run.status,
        Some(0),
        "the CodeDeploy deployment failed: {run:#?}"
    );
}

/// The CODE_DEPLOY example as far as moto's CodeDeploy goes: CodeDeploy ships an image (the
/// service's PRIMARY task set then runs it) and the plan stays clean; a Terraform change registers
/// a revision carrying the live image, whose ARN the AppSpec output names, and leaves the service
/// to CodeDeploy; deploying that AppSpec keeps the plan clean.
#[test]
#[ignore = "needs Terraform"]
fn codedeploy_story_as_far_as_motos_codedeploy_goes() -> Outcome {
    let (moto, workdir) = set_up(&CODEDEPLOY)?;
    apply(&workdir, "first apply")?;
    let first = running(&moto, &CODEDEPLOY);
    assert_eq!(first.images, CODEDEPLOY.bootstrap_images());
    check_clean(&workdir.plan(), "right after the first apply")?;

    // A pipeline registers a revision with its image and deploys it with CodeDeploy.
    let shipped = moto.seed(
        "register-copy",
        json!({
            "task_definition": first.task_definition_arn,
            "container": "app",
            "image": SHIPPED,
            "region": REGION,
        }),
    )["task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    codedeploy(&moto, "ecs-drift-codedeploy-green", &appspec_of(&shipped));
    let deployed = running(&moto, &CODEDEPLOY);
    assert_eq!(deployed.task_definition_arn, shipped);
    assert_eq!(deployed.image("app"), SHIPPED);
    check_clean(&workdir.plan(), "right after a CodeDeploy deployment")?;

    // A Terraform change: a new revision with the live image; the service is CodeDeploy's.
    workdir.edit(
        "memory                   = \"512\"",
        "memory                   = \"1024\"",
    );
    let plan = workdir.plan();
    check_moves(
        &plan,
        &CODEDEPLOY,
        "a Terraform-side change",
        "task: memory 512 -> 1024",
        false,
    )?;
    assert!(
        plan.actions("module.service.aws_ecs_service.codedeploy[0]")
            .is_empty(),
        "the module never moves a CODE_DEPLOY service: {:?}",
        plan.changes()
    );
    // The README's instructions, as written: apply the saved plan, and deploy what it registered.
    let deployed_by_script = apply_sh(&moto, &workdir, "ecs-drift-codedeploy-blue");
    check(
        deployed_by_script.status == Some(0) && deployed_by_script.stdout.contains("Deploying "),
        "examples/codedeploy/apply.sh after a Terraform change",
        || format!("the script should apply and deploy: {deployed_by_script:#?}"),
    )?;
    let outputs = workdir.outputs();
    let registered = outputs["registered_task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        task_definition(&moto, &registered),
        ("ACTIVE".to_string(), 3)
    );
    let rolled = running(&moto, &CODEDEPLOY);
    assert_eq!(rolled.task_definition_arn, registered);
    assert_eq!(
        rolled.image("app"),
        SHIPPED,
        "the registered revision carries the live image"
    );
    check_clean(
        &workdir.plan(),
        "right after CodeDeploy deployed Terraform's revision",
    )?;

    // A pipeline deploys again; the instructions, run on the clean plan after it, apply and
    // deploy nothing: the pipeline's revision stays.
    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    let pipeline = moto.seed(
        "register-copy",
        json!({ "task_definition": registered, "container": "app", "image": next, "region": REGION }),
    )["task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let appspec = appspec_of(&pipeline);
    codedeploy(&moto, "ecs-drift-codedeploy-green", &appspec);
    check_clean(&workdir.plan(), "after the pipeline's next deployment")?;
    let kept = apply_sh(&moto, &workdir, "ecs-drift-codedeploy-blue");
    check(
        kept.status == Some(0) && kept.stdout.contains("No revision registered"),
        "examples/codedeploy/apply.sh after a pipeline's deployment",
        || format!("the script should deploy nothing: {kept:#?}"),
    )?;
    let after = running(&moto, &CODEDEPLOY);
    assert_eq!(
        after.task_definition_arn, pipeline,
        "the pipeline's revision stays"
    );
    assert_eq!(after.image("app"), next);
    Ok(())
}

/// The AppSpec of a deployment of `task_definition`, as the example's `appspec` output writes it.
fn appspec_of(task_definition: &str) -> String {
    json!({
        "version": "0.0",
        "Resources": [{ "TargetService": { "Type": "AWS::ECS::Service", "Properties": {
            "TaskDefinition": task_definition,
            "LoadBalancerInfo": { "ContainerName": "app", "ContainerPort": 80 },
        }}}],
    })
    .to_string()
}

/// `examples/codedeploy/apply.sh` on the last saved plan, as its README says to run it: the AWS
/// CLI is the user's, followed for `deploy create-deployment` by the ECS calls CodeDeploy makes
/// (a task set behind `target_group`), which moto's CodeDeploy does not.
fn apply_sh(moto: &Moto, workdir: &Workdir, target_group: &str) -> ecs_drift_tests::Run {
    let plan = workdir.plan_file().to_string_lossy().into_owned();
    let target_group = target_group_arn(moto, target_group);
    let jq = story::jq();
    let aws = venv_bin("aws");
    workdir.script(
        &repo_root().join("examples/codedeploy/apply.sh"),
        &[&plan],
        &[repo_root().join("tests/deploy/codedeploy-aws")],
        &[
            ("AWS_REGION", REGION),
            ("AWS_DEFAULT_REGION", REGION),
            ("AWS_CLI", &aws.to_string_lossy()),
            ("JQ", &jq.to_string_lossy()),
            ("CODEDEPLOY_CLUSTER", CODEDEPLOY.cluster),
            ("CODEDEPLOY_SERVICE", CODEDEPLOY.service),
            ("CODEDEPLOY_TARGET_GROUP_ARN", &target_group),
        ],
    )
}

/// The CODE_DEPLOY example with its service managed outside ecs-drift: the module with
/// `create_service = false` and an `aws_ecs_service` of the root's, which ignores its task
/// definition as a CODE_DEPLOY service must.
fn codedeploy_managed_elsewhere(main: &str) -> String {
    let module_start = main.find("module \"service\" {").expect("the module call");
    let service_args = main[module_start..]
        .find("  desired_count         = 2")
        .map(|offset| module_start + offset)
        .expect("the service's arguments");
    let code_deploy = main[service_args..]
        .find("  # What deployer_policy_json scopes")
        .map(|offset| service_args + offset)
        .expect("the CodeDeploy names");
    let network = main[code_deploy..]
        .find("  network_configuration = {")
        .map(|offset| code_deploy + offset)
        .expect("the network configuration");
    let module_end = main[network..]
        .find("\n}\n")
        .map(|offset| network + offset)
        .expect("the end of the module call");
    format!(
        "{}  deployment_controller = \"CODE_DEPLOY\"\n\n{}}}\n{}{}",
        &main[..service_args],
        &main[code_deploy..network],
        SERVICE_OF_THE_ROOTS,
        &main[module_end + 3..],
    )
    .replace(
        "module \"service\" {\n  source = \"../../terraform-module\"",
        "module \"task_definition\" {\n  source = \"../../terraform-module\"\n\n  create_service = false",
    )
    .replace("module.service.service_name", "aws_ecs_service.this.name")
    .replace("module.service.", "module.task_definition.")
}

const SERVICE_OF_THE_ROOTS: &str = r#"
resource "aws_ecs_service" "this" {
  name                              = "ecs-drift-codedeploy"
  cluster                           = "ecs-drift-example"
  task_definition                   = module.task_definition.task_definition_arn
  desired_count                     = 2
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 30

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.blue.arn
    container_name   = "app"
    container_port   = 80
  }

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = true
  }

  depends_on = [aws_lb_listener.this]

  lifecycle {
    ignore_changes = [task_definition, load_balancer, network_configuration]
  }
}
"#;

/// A CODE_DEPLOY service managed elsewhere: the first apply creates it with its first revision;
/// a Terraform change registers a revision with the live image and leaves the service alone; the
/// example's `apply.sh` deploys `registered_task_definition_arn`, the AppSpec's; the plans after
/// each step exit 0.
#[test]
#[ignore = "needs Terraform"]
fn a_codedeploy_service_managed_elsewhere_deploys_the_registered_revision() -> Outcome {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(CODEDEPLOY.cluster);
    let workdir = Workdir::example_with(
        toolchain,
        &moto,
        CODEDEPLOY.name,
        codedeploy_managed_elsewhere,
    )
    .map_err(Failure)?;
    let composed = Example {
        layout: Layout {
            module: "task_definition",
            task_definition: "module.task_definition",
            service: "aws_ecs_service.this",
        },
        ..CODEDEPLOY
    };
    apply(&workdir, "the first apply")?;
    let first = running(&moto, &composed);
    check(
        first.revision == 1 && first.images == composed.bootstrap_images(),
        "the first apply",
        || format!("the service runs revision 1: {first:?}"),
    )?;
    check_clean(&workdir.plan(), "right after the first apply")?;

    workdir.edit(
        "memory                   = \"512\"",
        "memory                   = \"1024\"",
    );
    check_moves(
        &workdir.plan(),
        &composed,
        "a Terraform-side change",
        "task: memory 512 -> 1024",
        false,
    )?;
    let run = apply_sh(&moto, &workdir, "ecs-drift-codedeploy-green");
    check(
        run.status == Some(0) && run.stdout.contains("Deploying "),
        "apply.sh",
        || format!("the script should apply and deploy: {run:#?}"),
    )?;
    let registered = workdir.outputs()["registered_task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let deployed = running(&moto, &composed);
    check(
        deployed.task_definition_arn == registered && deployed.revision == 2,
        "apply.sh",
        || format!("CodeDeploy runs the registered revision {registered}: {deployed:?}"),
    )?;
    check_clean(&workdir.plan(), "after CodeDeploy deployed it")?;
    Ok(())
}

/// The README of the CODE_DEPLOY example shows `apply.sh` as it is.
#[test]
fn the_codedeploy_readme_shows_apply_sh_as_it_is() {
    let script = std::fs::read_to_string(repo_root().join("examples/codedeploy/apply.sh"))
        .expect("examples/codedeploy/apply.sh");
    let readme = std::fs::read_to_string(repo_root().join("examples/codedeploy/README.md"))
        .expect("examples/codedeploy/README.md");
    assert!(
        readme.contains(&format!("```sh\n{script}```")),
        "examples/codedeploy/README.md must show apply.sh word for word"
    );
}

/// `make demo` where Terraform is missing or too old: one line saying what to install, exit 1,
/// nothing on stdout, no emulator started.
#[test]
fn the_demo_says_what_to_install_when_terraform_is_missing_or_old() {
    let demo = ecs_drift_tests::workspace_binary("demo");
    // A PATH with no terraform on it: the check comes before anything else is started.
    let empty = tempfile::tempdir().expect("temporary directory");
    let cases = [
        (
            None,
            "demo: no terraform on PATH: install Terraform 1.5 or later",
        ),
        (
            Some(venv_bin("terraform")),
            "is Terraform 1.0.3; the module needs 1.5 or later: install Terraform 1.5 or later",
        ),
    ];
    for (terraform, expected) in cases {
        let mut command = ecs_drift_tests::sealed_command(&demo);
        command.env("PATH", empty.path()).env_remove("TERRAFORM");
        if let Some(terraform) = &terraform {
            command.env("TERRAFORM", terraform);
        }
        let run = run_command(command, b"");
        assert_eq!(run.status, Some(1), "{run:#?}");
        assert_eq!(run.stdout, "", "{run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stderr.starts_with("demo: "), "{run:#?}");
        assert!(run.stderr.contains(expected), "{expected:?}: {run:#?}");
    }
}

/// A service cannot move to another cluster in place: changing `cluster` fails the plan and says
/// how to replace the service on purpose, instead of planning a replacement (or, as the cluster
/// is ignored after the create, silently keeping the old one).
#[test]
#[ignore = "needs Terraform"]
fn changing_the_cluster_fails_the_plan_and_says_how_to_replace() -> Outcome {
    let (moto, workdir) = set_up(&FARGATE)?;
    apply(&workdir, "first apply")?;
    deploy(&moto, Deploy::EcsDeploy, &FARGATE, "app", SHIPPED)?;
    workdir.override_file(
        "cluster",
        "module \"service\" {\n  cluster = \"ecs-drift-other\"\n}\n",
    );
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "{}\n{}", plan.text, plan.stderr);
    let message = "the service runs in cluster ecs-drift-example, but var.cluster is ecs-drift-other: \
                   ECS cannot move a service to another cluster, so Terraform would have to delete it \
                   and create it again. To do that on purpose, replace it (terraform apply \
                   -replace='module.NAME.aws_ecs_service.this[0]').";
    assert!(unwrapped(&plan.stderr).contains(message), "{}", plan.stderr);
    assert_eq!(running(&moto, &FARGATE).image("app"), SHIPPED);
    Ok(())
}
