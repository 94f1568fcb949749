//! Environment values and Docker labels that follow each deploy (`live_environment`,
//! `live_docker_labels`), under real Terraform with the real deploy tools: `ecs deploy -e
//! --docker-label` and the AWS CLI recipe (`tests/deploy/aws-cli.sh ... env ... label ...`), each
//! stamping the release as Datadog's unified service tagging asks (`DD_VERSION`,
//! `com.datadoghq.tags.version`).
//!
//! One applied example (`examples/fargate`, with a bootstrap `DD_VERSION` and label) goes through
//! both stories in turn, to spend one `terraform apply` of the whole stack rather than two. For
//! each deploy tool:
//! 1. the deploy ships an image, `DD_VERSION` and the label: the plan exits 0, nothing moves;
//! 2. without the two inputs, the same state plans exit 2 and names the key (the behaviour
//!    without them, unchanged);
//! 3. a Terraform-side change applies a revision with the shipped image, the shipped
//!    `DD_VERSION` and label, and the change; the plan after it exits 0.
//!
//! Then a key named for a container that does not exist, and one for a pinned container, each
//! fail the plan with the program's one line.

use ecs_drift_tests::story::{
    self, Change, FARGATE, Failure, REGION, SHIPPED, check, check_clean, check_moves,
    moto_with_cluster, planned_differences, running,
};
use ecs_drift_tests::terraform::{Toolchain, Workdir, unwrapped};
use ecs_drift_tests::{Moto, repo_root, run_command, venv_bin};
use serde_json::Value;

type Outcome = Result<(), Box<dyn std::error::Error>>;

const LABEL: &str = "com.datadoghq.tags.version";

/// The module arguments the stories are about, as an override file.
const INPUTS: &str = r#"module "service" {
  live_environment   = { app = ["DD_VERSION"] }
  live_docker_labels = { app = ["com.datadoghq.tags.version"] }
}
"#;

/// The example's container, with a bootstrap `DD_VERSION` and label: what Terraform writes for
/// keys the pipeline owns.
fn with_bootstrap_release(main: &str) -> String {
    main.replacen(
        "      environment = {\n        LOG_LEVEL = \"info\"\n      }\n",
        "      environment = {\n        LOG_LEVEL  = \"info\"\n        DD_VERSION = \"0.0.0\"\n      }\n      dockerLabels = {\n        \"com.datadoghq.tags.version\" = \"0.0.0\"\n      }\n",
        1,
    )
}

/// How a pipeline ships an image and stamps its release, outside Terraform.
#[derive(Clone, Copy)]
enum Pipeline {
    /// `ecs deploy CLUSTER SERVICE --image app IMAGE -e app DD_VERSION V --docker-label app KEY V`.
    EcsDeploy,
    /// `tests/deploy/aws-cli.sh CLUSTER SERVICE app IMAGE env DD_VERSION V label KEY V`.
    AwsCli,
}

fn ship(moto: &Moto, pipeline: Pipeline, image: &str, version: &str) -> Result<(), Failure> {
    let command = match pipeline {
        Pipeline::EcsDeploy => {
            let mut command =
                moto.ecs_deploy_command(REGION, FARGATE.cluster, FARGATE.service, "app", image);
            command.args([
                "-e",
                "app",
                "DD_VERSION",
                version,
                "--docker-label",
                "app",
                LABEL,
                version,
            ]);
            command
        }
        Pipeline::AwsCli => {
            let mut command = moto.command_in(repo_root().join("tests/deploy/aws-cli.sh"), REGION);
            command
                .args([FARGATE.cluster, FARGATE.service, "app", image])
                .args(["env", "DD_VERSION", version, "label", LABEL, version])
                .env("AWS", venv_bin("aws"))
                .env("JQ", story::jq());
            command
        }
    };
    let run = run_command(command, b"");
    check(run.status == Some(0), "the deploy", || format!("{run:#?}"))
}

/// The app container's Docker labels in the revision the service runs.
fn running_labels(moto: &Moto, task_definition_arn: &str) -> Value {
    let mut aws = moto.command_in(venv_bin("aws"), REGION);
    aws.args([
        "ecs",
        "describe-task-definition",
        "--task-definition",
        task_definition_arn,
        "--output",
        "json",
    ]);
    let run = run_command(aws, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    let described: Value = serde_json::from_str(&run.stdout).expect("JSON");
    described["taskDefinition"]["containerDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|container| container["name"] == "app")
        .map(|container| container["dockerLabels"].clone())
        .unwrap_or(Value::Null)
}

/// One deploy tool's story, from a service that runs `revision` with Terraform's values.
fn story(
    moto: &Moto,
    workdir: &Workdir,
    pipeline: Pipeline,
    (image, version): (&str, &str),
    change: Change,
) -> Result<(), Failure> {
    let before = running(moto, &FARGATE);
    ship(moto, pipeline, image, version)?;
    let deployed = running(moto, &FARGATE);
    check(
        deployed.revision == before.revision + 1
            && deployed.image("app") == image
            && deployed.environment["app"]["DD_VERSION"] == version
            && running_labels(moto, &deployed.task_definition_arn)[LABEL] == version,
        "the deploy",
        || format!("ECS should run the shipped image and release: {deployed:?}"),
    )?;
    check_clean(&workdir.plan(), "the plan right after the deploy")?;
    check(
        running(moto, &FARGATE).task_definition_arn == deployed.task_definition_arn,
        "the plan right after the deploy",
        || "the service moved".to_string(),
    )?;

    // Without the inputs: the deploy's values are differences, as they always were.
    let inputs = workdir.path.join("live_override.tf");
    std::fs::remove_file(&inputs).expect("remove the inputs");
    let plan = workdir.plan();
    check_moves(
        &plan,
        &FARGATE,
        "without live_environment and live_docker_labels",
        "container app: environment DD_VERSION changed",
        true,
    )?;
    let differences = planned_differences(&plan, &FARGATE);
    check(
        differences.iter().any(|line| line.contains(LABEL)),
        "without live_docker_labels",
        || format!("the label is not named in {differences:?}"),
    )?;
    workdir.override_file("live", INPUTS);

    // A Terraform-side change carries the pipeline's values.
    workdir.edit(change.from, change.to);
    let plan = workdir.plan();
    check_moves(&plan, &FARGATE, "the change", change.expected, true)?;
    let differences = planned_differences(&plan, &FARGATE);
    for kept in [
        "container app: environment DD_VERSION keeps the live value (live_environment)",
        "container app: docker label com.datadoghq.tags.version keeps the live value (live_docker_labels)",
    ] {
        check(
            differences.iter().any(|line| line == kept),
            "the change",
            || format!("{kept:?} is not among {differences:?}"),
        )?;
    }
    story::applied(&workdir.apply_plan(), "the change")?;
    let moved = running(moto, &FARGATE);
    check(
        moved.revision == deployed.revision + 1
            && moved.image("app") == image
            && moved.environment["app"]["DD_VERSION"] == version
            && running_labels(moto, &moved.task_definition_arn)[LABEL] == version,
        "the change",
        || format!("the new revision should carry the shipped image and release: {moved:?}"),
    )?;
    check_clean(&workdir.plan(), "the plan right after the change")
}

#[test]
#[ignore = "needs Terraform"]
fn the_release_a_pipeline_stamps_follows_each_deploy() -> Outcome {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(FARGATE.cluster);
    let workdir = Workdir::example_with(toolchain, &moto, FARGATE.name, with_bootstrap_release)
        .map_err(Failure)?;
    workdir.override_file("live", INPUTS);

    story::applied(&workdir.apply(), "the first apply")?;
    let first = running(&moto, &FARGATE);
    check(
        first.revision == 1
            && first.environment["app"]["DD_VERSION"] == "0.0.0"
            && running_labels(&moto, &first.task_definition_arn)[LABEL] == "0.0.0",
        "the first apply",
        || format!("revision 1 should carry the bootstrap release: {first:?}"),
    )?;
    check_clean(&workdir.plan(), "the plan right after the first apply")?;

    story(
        &moto,
        &workdir,
        Pipeline::EcsDeploy,
        (SHIPPED, "1.2.3"),
        Change {
            from: "LOG_LEVEL  = \"info\"",
            to: "LOG_LEVEL  = \"debug\"",
            expected: "container app: environment LOG_LEVEL changed",
        },
    )
    .map_err(|Failure(error)| Failure(format!("ecs deploy: {error}")))?;
    story(
        &moto,
        &workdir,
        Pipeline::AwsCli,
        ("public.ecr.aws/nginx/nginx:1.27.4", "1.2.4"),
        Change {
            from: "LOG_LEVEL  = \"debug\"",
            to: "LOG_LEVEL  = \"trace\"",
            expected: "container app: environment LOG_LEVEL changed",
        },
    )
    .map_err(|Failure(error)| Failure(format!("the AWS CLI recipe: {error}")))?;

    // What Terraform cannot check stops the plan with the program's one line.
    for (arguments, line) in [
        (
            "live_environment = { ap = [\"DD_VERSION\"] }",
            "container_definition: live_environment names container `ap`, which is not a container of container_definitions; did you mean `app`?",
        ),
        (
            "live_image_containers = []",
            "container_definition: live_environment names container `app`, whose image is pinned (not in live_image_containers)",
        ),
    ] {
        // Named to come after live_override.tf: of two override files, the later one wins.
        workdir.override_file(
            "zz_bad",
            &format!("module \"service\" {{\n  {arguments}\n}}\n"),
        );
        let plan = workdir.plan();
        check(
            plan.exit_code == Some(1) && unwrapped(&plan.stderr).contains(&unwrapped(line)),
            arguments,
            || format!("the plan should fail with {line:?}: {plan:#?}"),
        )?;
    }
    Ok(())
}
