//! The drift scenario end to end: the module's data flow with the real programs, moto as ECS and
//! the real deploy tool, `ecs deploy` (PyPI `ecs-deploy`), shipping images outside Terraform.

use ecs_drift_tests::module::Stack;
use ecs_drift_tests::story::{self, CLUSTER, SERVICE, SHIPPED_IMAGE, SIDECAR_IMAGE};
use ecs_drift_tests::{Moto, venv_bin};
use serde_json::{Value, json};

/// The whole story `make demo` tells, with every step's outcome checked.
#[test]
fn the_demo_story_holds() {
    let moto = Moto::start();
    let mut out = Vec::new();
    let outcome = story::run(&moto, &mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(outcome.is_ok(), "{outcome:?}\n{text}");
    assert!(
        text.contains("Every step did what the story says."),
        "{text}"
    );
}

fn describe(moto: &Moto, arn: &str) -> Value {
    moto.seed(
        "describe-task-definition",
        json!({ "task_definition": arn }),
    )
}

/// Runs the real deploy tool with extra arguments (`--env`, `--task`, ...).
fn ecs(moto: &Moto, arguments: &[&str]) {
    let mut command = moto.command(venv_bin("ecs"));
    command.args(arguments);
    let run = ecs_drift_tests::run_command(command, b"");
    assert_eq!(run.status, Some(0), "ecs {arguments:?} failed: {run:#?}");
}

#[test]
fn the_previous_revision_deregistered_by_the_tool_does_not_matter() {
    let moto = Moto::start();
    let stack = story::stack();
    let first = moto.apply(&stack);
    moto.ecs_deploy(CLUSTER, SERVICE, "app", SHIPPED_IMAGE);
    // ecs-deploy deregisters the revision it replaced: Terraform's own.
    assert_eq!(
        describe(&moto, &first.task_definition_arn)["status"],
        "INACTIVE"
    );
    let next = moto.apply(&stack);
    assert!(!next.plan.changed(), "{}", next.plan.differences());
    assert!(!next.registered && !next.service_updated);
    assert_eq!(next.plan.images()["app"], SHIPPED_IMAGE);
}

#[test]
fn a_deploy_tool_that_changes_the_environment_is_reported_and_terraform_wins() {
    let moto = Moto::start();
    let stack = story::stack();
    moto.apply(&stack);
    ecs(
        &moto,
        &[
            "deploy",
            CLUSTER,
            SERVICE,
            "--image",
            "app",
            SHIPPED_IMAGE,
            "--env",
            "app",
            "LOG_LEVEL",
            "trace",
            "--timeout",
            "-1",
        ],
    );
    let next = moto.apply(&stack);
    assert!(next.plan.changed());
    assert_eq!(
        next.plan.differences(),
        "container app: environment LOG_LEVEL changed"
    );
    let now = describe(&moto, &next.task_definition_arn);
    assert_eq!(
        now["environment"]["app"]["LOG_LEVEL"], "info",
        "Terraform's value wins: {now}"
    );
    assert_eq!(
        now["images"]["app"], SHIPPED_IMAGE,
        "the shipped image stays: {now}"
    );
}

#[test]
fn a_rolled_back_service_keeps_the_older_revision_it_runs() {
    let moto = Moto::start();
    let stack = story::stack();
    moto.apply(&stack);
    moto.ecs_deploy(CLUSTER, SERVICE, "app", "public.ecr.aws/nginx/nginx:1.27.2");
    let good = moto.plan(&stack).live_arn().to_string();
    ecs(
        &moto,
        &[
            "deploy",
            CLUSTER,
            SERVICE,
            "--image",
            "app",
            SHIPPED_IMAGE,
            "--no-deregister",
            "--timeout",
            "-1",
        ],
    );
    // The pipeline rolls back: the service runs an older revision than the family's latest.
    let mut rollback = moto.command(venv_bin("aws"));
    rollback.args([
        "ecs",
        "update-service",
        "--cluster",
        CLUSTER,
        "--service",
        SERVICE,
        "--task-definition",
        &good,
    ]);
    let run = ecs_drift_tests::run_command(rollback, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    let next = moto.apply(&stack);
    assert!(!next.plan.changed(), "{}", next.plan.differences());
    assert_eq!(next.task_definition_arn, good);
    assert_eq!(
        next.plan.images()["app"],
        "public.ecr.aws/nginx/nginx:1.27.2"
    );
}

#[test]
fn a_pinned_sidecar_keeps_terraforms_image_while_the_app_follows() {
    let moto = Moto::start();
    let stack = story::stack();
    moto.apply(&stack);
    ecs(
        &moto,
        &[
            "deploy",
            CLUSTER,
            SERVICE,
            "--image",
            "app",
            SHIPPED_IMAGE,
            "--image",
            "log-router",
            "fluent/fluent-bit:3.1",
            "--timeout",
            "-1",
        ],
    );
    let next = moto.apply(&stack);
    assert_eq!(
        next.plan.image_sources(),
        json!({ "app": "live", "log-router": "pinned" })
            .as_object()
            .cloned()
            .unwrap_or_default()
    );
    assert!(next.plan.changed());
    assert!(
        next.plan
            .differences()
            .contains("container log-router: image"),
        "{}",
        next.plan.differences()
    );
    let now = describe(&moto, &next.task_definition_arn);
    assert_eq!(
        now["images"],
        json!({ "app": SHIPPED_IMAGE, "log-router": SIDECAR_IMAGE })
    );
}

#[test]
fn a_fargate_service_with_one_container_follows_deployments() {
    let moto = Moto::start();
    let stack = Stack::fargate(
        "solo",
        "api",
        json!([{ "name": "api", "image": "public.ecr.aws/docker/library/httpd:2.4" }]),
    );
    let first = moto.apply(&stack);
    assert!(first.service_created && first.registered);
    moto.ecs_deploy(
        "solo",
        "api",
        "api",
        "public.ecr.aws/docker/library/httpd:2.4.62",
    );
    let next = moto.apply(&stack);
    assert!(
        !next.plan.changed() && !next.registered,
        "{}",
        next.plan.differences()
    );
}
