//! The program as Terraform runs it, against moto's ECS on loopback, the real `ecs deploy`, and
//! endpoints that refuse, never answer, throttle or deny.

use std::process::Command;
use std::time::{Duration, Instant};

use ecs_drift_tests::{
    APP_IMAGE, BlackHole, MOTO_ACCOUNT, MOTO_REGION, Moto, Reply, Run, SIDECAR_IMAGE, Stub,
    run_command, sealed_command,
};
use serde_json::{Map, Value, json};

const PROGRAM: &str = "live_task_lookup";
const BINARY: &str = env!("CARGO_BIN_EXE_live_task_lookup");

/// A secret access key that must never show in an error.
const SECRET: &str = "SecretKeyThatMustNeverBePrinted0123456789";
const TOKEN: &str = "SessionTokenThatMustNeverBePrinted9876543210";

/// The program pointed at moto, one attempt per call (retries against moto leave orphans).
fn lookup(moto: &Moto, query: Value) -> Run {
    let mut query = query;
    query["max_attempts"] = json!("1");
    run_command(
        with_secrets(moto.command(BINARY)),
        query.to_string().as_bytes(),
    )
}

/// Dummy credentials that are easy to spot in an error.
fn with_secrets(mut command: Command) -> Command {
    command
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN);
    command
}

/// The program pointed at `endpoint` (no moto), with `query`.
fn lookup_at(endpoint: &str, query: Value) -> (Run, Duration) {
    let mut command = with_secrets(sealed_command(BINARY));
    command.env("AWS_ENDPOINT_URL", endpoint);
    let started = Instant::now();
    let run = run_command(command, query.to_string().as_bytes());
    (run, started.elapsed())
}

#[track_caller]
fn assert_error(run: &Run, needle: &str) -> String {
    let line = run.assert_error(PROGRAM, needle).to_string();
    assert!(
        !line.contains(SECRET) && !line.contains(TOKEN) && !line.contains("testing"),
        "an error shows a credential: {line}"
    );
    line
}

fn images(result: &Map<String, Value>) -> Value {
    serde_json::from_str(result["images"].as_str().unwrap_or_default()).unwrap_or_default()
}

fn task_definition(result: &Map<String, Value>) -> Value {
    serde_json::from_str(result["task_definition"].as_str().unwrap_or_default()).unwrap_or_default()
}

fn arn(resource: &str) -> String {
    format!("arn:aws:ecs:{MOTO_REGION}:{MOTO_ACCOUNT}:{resource}")
}

#[track_caller]
fn assert_not_found(result: &Map<String, Value>, status: &str) {
    assert_eq!(result["found"], "false", "{result:#?}");
    assert_eq!(result["status"], status, "{result:#?}");
    assert_eq!(result["images"], "{}", "{result:#?}");
    assert_eq!(result["task_definition_arn"], "", "{result:#?}");
    assert_eq!(result["task_definition"], "", "{result:#?}");
    assert_eq!(result["region"], MOTO_REGION, "{result:#?}");
}

#[test]
fn found_service_reports_revision_images_and_task_definition() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(result["status"], "ACTIVE");
    assert_eq!(result["task_definition_arn"], arn("task-definition/web:1"));
    assert_eq!(result["family"], "web");
    assert_eq!(result["revision"], "1");
    assert_eq!(
        images(&result),
        json!({"app": APP_IMAGE, "sidecar": SIDECAR_IMAGE})
    );
    assert_eq!(result["deployment_controller"], "ECS");
    assert_eq!(result["rollout_state"], "COMPLETED");
    assert_eq!(result["deployment_settled"], "true");
    assert_eq!(result["deployment_strategy"], "ROLLING");
    assert_eq!(result["desired_count"], "1");
    assert_eq!(result["region"], MOTO_REGION);
    assert_eq!(result["account_id"], MOTO_ACCOUNT);

    let definition = task_definition(&result);
    assert_eq!(definition["family"], "web");
    assert_eq!(definition["networkMode"], "awsvpc");
    assert_eq!(definition["cpu"], "256");
    assert_eq!(definition["containerDefinitions"][0]["name"], "app");
    assert_eq!(
        definition["containerDefinitions"][1]["portMappings"][0]["containerPort"],
        8081
    );
    for read_only in live_task_lookup::lookup::READ_ONLY_FIELDS {
        assert!(
            definition.get(read_only).is_none(),
            "{read_only} is read-only: {definition:#}"
        );
    }
}

#[test]
fn image_shipped_by_ecs_deploy_is_the_live_one() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    moto.ecs_deploy("prod", "web", "app", "example/app:2.0.0");
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(result["revision"], "2");
    assert_eq!(result["task_definition_arn"], arn("task-definition/web:2"));
    assert_eq!(
        images(&result),
        json!({"app": "example/app:2.0.0", "sidecar": SIDECAR_IMAGE})
    );
    // ecs-deploy copies the task definition; the copy is what the service runs now.
    let definition = task_definition(&result);
    assert_eq!(
        definition["containerDefinitions"][0]["image"],
        "example/app:2.0.0"
    );
}

/// The count an autoscaler set (an UpdateService call, as Application Auto Scaling makes it) is
/// the one reported.
#[test]
fn desired_count_is_the_one_ecs_runs() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let mut scale = moto.command(ecs_drift_tests::venv_bin("aws"));
    scale.args([
        "ecs",
        "update-service",
        "--cluster",
        "prod",
        "--service",
        "web",
        "--desired-count",
        "5",
    ]);
    let run = run_command(scale, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(result["desired_count"], "5");
}

/// The apply-time check: while the service runs the revision the plan saw, the lookup answers as
/// usual; once a deploy moved it, the lookup fails with one line naming both revisions.
#[test]
fn a_deploy_since_the_plan_fails_the_expected_revision() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let planned = arn("task-definition/web:1");
    let query = json!({
        "cluster": "prod",
        "service": "web",
        "expect_task_definition_arn": planned,
        "read_during_apply": "2026-12-03T16:00:00Z",
    });
    let result = lookup(&moto, query.clone()).assert_success();
    assert_eq!(result["task_definition_arn"], planned);

    moto.ecs_deploy("prod", "web", "app", "example/app:2.0.0");
    let run = lookup(&moto, query);
    let line = assert_error(&run, "a deploy shipped since the plan");
    assert!(line.contains(&arn("task-definition/web:2")), "{line}");
    assert!(line.contains(&planned), "{line}");
    assert!(line.contains("run terraform plan again"), "{line}");

    // A service deleted since the plan runs nothing: that is a move too.
    let missing = lookup(
        &moto,
        json!({"cluster": "prod", "service": "api", "expect_task_definition_arn": planned}),
    );
    assert_error(&missing, "runs no task definition (status MISSING) now");
}

/// A deployment in progress (held by moto's state manager, tests/moto_server.py correction 4):
/// reported by default, one line with "fail", and gone once it completes; a deployment started
/// since the plan fails `expect_deployment_id`; a bad mode or timeout is one line.
#[test]
fn a_deployment_in_progress_is_reported_refused_and_checked() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let settled = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(settled["deployment_settled"], "true");
    let planned = settled["deployment_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(planned.starts_with("ecs-svc/"), "{settled:?}");

    let transition = |progression: Value| {
        moto.seed("deployments", json!({ "transition": progression }));
    };
    transition(json!({ "progression": "manual", "times": 1_000_000 }));
    moto.ecs_deploy("prod", "web", "app", "example/app:2.0.0");
    let reported = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(reported["deployment_settled"], "false");
    assert_eq!(reported["deployment_state"], "IN_PROGRESS");
    assert_eq!(reported["deployment_strategy"], "ROLLING");
    assert_ne!(reported["deployment_id"], json!(planned));
    let failed = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "deployment_in_progress": "fail"}),
    );
    let line = assert_error(
        &failed,
        "service web in cluster prod has not settled: ROLLING deployment ecs-svc/",
    );
    assert!(line.contains("is IN_PROGRESS since 20"), "{line}");

    transition(json!({ "progression": "immediate" }));
    let completed = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "deployment_in_progress": "fail"}),
    )
    .assert_success();
    assert_eq!(completed["deployment_settled"], "true");
    let since_plan = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "expect_deployment_id": planned}),
    );
    assert_error(
        &since_plan,
        "after the plan was made (the plan saw ecs-svc/",
    );

    for (query, needle) in [
        (
            json!({"cluster": "prod", "service": "web", "deployment_in_progress": "skip"}),
            "query key `deployment_in_progress` must be \"report\", \"fail\" or \"wait\", got \"skip\"",
        ),
        (
            json!({"cluster": "prod", "service": "web", "wait_timeout_seconds": "0"}),
            "wait_timeout_seconds",
        ),
    ] {
        assert_error(&lookup(&moto, query), needle);
    }
}

/// Disabled, the lookup calls nothing (here an endpoint that refuses every connection) and answers
/// that nothing was found; a value other than true or false is a one-line error.
#[test]
fn a_disabled_lookup_makes_no_call() {
    let query = json!({
        "cluster": "prod",
        "service": "web",
        "region": "eu-west-1",
        "enabled": "false",
        "expect_task_definition_arn": arn("task-definition/web:1"),
    });
    let (run, _) = lookup_at(ecs_drift_tests::UNUSED_LOOPBACK_ENDPOINT, query);
    let result = run.assert_success();
    assert_eq!(result["found"], "false");
    assert_eq!(result["images"], "{}");
    assert_eq!(result["task_definition_arn"], "");
    assert_eq!(result["region"], "eu-west-1");

    let (run, _) = lookup_at(
        ecs_drift_tests::UNUSED_LOOPBACK_ENDPOINT,
        json!({"cluster": "prod", "service": "web", "enabled": "maybe"}),
    );
    assert_error(&run, "enabled");
}

#[test]
fn missing_service_is_the_first_apply() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let result = lookup(&moto, json!({"cluster": "prod", "service": "api"})).assert_success();
    assert_not_found(&result, "MISSING");
    assert_eq!(result["account_id"], MOTO_ACCOUNT);
}

#[test]
fn missing_cluster_is_the_first_apply() {
    let moto = Moto::start();
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_not_found(&result, "MISSING");
    assert_eq!(result["account_id"], "");
}

#[test]
fn deleted_service_is_the_first_apply() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    moto.seed(
        "delete-service",
        json!({"cluster": "prod", "service": "web"}),
    );
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_not_found(&result, "INACTIVE");
    assert_eq!(result["deployment_controller"], "ECS");
}

#[test]
fn cluster_and_service_given_as_arns() {
    let moto = Moto::start();
    let service = moto.create_service("prod", "web");
    let run = run_command(
        with_secrets({
            let mut command = moto.command(BINARY);
            // The region comes from the ARNs, not from the environment.
            command
                .env_remove("AWS_REGION")
                .env_remove("AWS_DEFAULT_REGION");
            command
        }),
        json!({
            "cluster": service.cluster_arn,
            "service": service.service_arn,
            "max_attempts": "1",
        })
        .to_string()
        .as_bytes(),
    );
    let result = run.assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(result["task_definition_arn"], service.task_definition_arn);
    assert_eq!(result["region"], MOTO_REGION);
    assert_eq!(result["account_id"], MOTO_ACCOUNT);
}

#[test]
fn external_controller_reports_the_primary_task_sets_revision() {
    let moto = Moto::start();
    moto.create_service_with_controller("prod", "web", "EXTERNAL");
    moto.seed(
        "register",
        json!({"family": "web", "containers": [
            {"name": "app", "image": "example/app:canary"},
            {"name": "sidecar", "image": SIDECAR_IMAGE},
        ]}),
    );
    moto.seed(
        "primary-task-set",
        json!({"cluster": "prod", "service": "web", "task_definition": arn("task-definition/web:2")}),
    );
    let result = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(result["deployment_controller"], "EXTERNAL");
    assert_eq!(result["revision"], "2");
    assert_eq!(result["task_definition_arn"], arn("task-definition/web:2"));
    assert_eq!(
        images(&result),
        json!({"app": "example/app:canary", "sidecar": SIDECAR_IMAGE})
    );
}

/// An EXTERNAL deployment: the controller's replacement task set ACTIVE beside the PRIMARY one
/// until the pipeline makes it PRIMARY and removes the original. Not settled until then; the
/// lookup reports it, refuses it when asked to and the plan moves the service, and passes a plan
/// that moves nothing.
#[test]
fn an_external_deployment_with_a_second_task_set_has_not_settled() {
    let moto = Moto::start();
    moto.create_service_with_controller("prod", "web", "EXTERNAL");
    moto.seed(
        "primary-task-set",
        json!({"cluster": "prod", "service": "web", "task_definition": arn("task-definition/web:1")}),
    );
    let settled = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(settled["deployment_settled"], "true");
    assert_eq!(settled["deployment_strategy"], "EXTERNAL");

    moto.seed(
        "register",
        json!({"family": "web", "containers": [
            {"name": "app", "image": "example/app:next"},
            {"name": "sidecar", "image": SIDECAR_IMAGE},
        ]}),
    );
    let started = moto.seed(
        "replacement-task-set",
        json!({"cluster": "prod", "service": "web", "task_definition": arn("task-definition/web:2")}),
    );
    let deploying = lookup(&moto, json!({"cluster": "prod", "service": "web"})).assert_success();
    assert_eq!(deploying["deployment_settled"], "false");
    assert_eq!(
        deploying["deployment_state"],
        "ACTIVE beside the PRIMARY task set"
    );
    assert_eq!(
        deploying["task_definition_arn"],
        arn("task-definition/web:2")
    );

    let refused = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "deployment_in_progress": "fail"}),
    );
    let line = assert_error(
        &refused,
        "service web in cluster prod has not settled: EXTERNAL deployment ",
    );
    assert!(
        line.contains(" is ACTIVE beside the PRIMARY task set since 20")
            && line.contains("; the plan gives it a new task definition, and moving it now"),
        "{line}"
    );
    let unmoved = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "deployment_in_progress": "fail", "moves_task_definition": "false"}),
    )
    .assert_success();
    assert_eq!(unmoved["deployment_settled"], "false");

    moto.seed(
        "finish-task-set",
        json!({"cluster": "prod", "service": "web", "task_set_arn": started["task_set_arn"]}),
    );
    let finished = lookup(
        &moto,
        json!({"cluster": "prod", "service": "web", "deployment_in_progress": "fail"}),
    )
    .assert_success();
    assert_eq!(finished["deployment_settled"], "true");
    assert_eq!(
        finished["task_definition_arn"],
        arn("task-definition/web:2")
    );
}

#[test]
fn assumed_role_is_used_for_the_calls() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let result = lookup(
        &moto,
        json!({
            "cluster": "prod",
            "service": "web",
            "assume_role_arn": format!("arn:aws:iam::{MOTO_ACCOUNT}:role/terraform-plan"),
            "assume_role_external_id": "ecs-drift",
        }),
    )
    .assert_success();
    assert_eq!(result["found"], "true");
}

#[test]
fn endpoint_from_the_query_or_the_ecs_variable_wins() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    // The query's endpoint_url over AWS_ENDPOINT_URL.
    let (run, _) = lookup_at(
        ecs_drift_tests::UNUSED_LOOPBACK_ENDPOINT,
        json!({"cluster": "prod", "service": "web", "endpoint_url": moto.endpoint(), "max_attempts": "1"}),
    );
    assert_eq!(run.assert_success()["found"], "true");

    // AWS_ENDPOINT_URL_ECS over AWS_ENDPOINT_URL (the SDKs' service-specific endpoint variable).
    let mut command = with_secrets(sealed_command(BINARY));
    command.env("AWS_ENDPOINT_URL_ECS", moto.endpoint());
    let run = run_command(
        command,
        br#"{"cluster": "prod", "service": "web", "max_attempts": "1"}"#,
    );
    assert_eq!(run.assert_success()["found"], "true");
}

#[test]
fn profile_from_the_shared_files_gives_region_and_credentials() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let config = directory.path().join("config");
    let credentials = directory.path().join("credentials");
    std::fs::write(&config, "[profile plan]\nregion = us-east-1\n").expect("config written");
    std::fs::write(
        &credentials,
        format!("[plan]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET}\n"),
    )
    .expect("credentials written");
    let mut command = moto.command(BINARY);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials);
    let query =
        json!({"cluster": "prod", "service": "web", "profile": "plan", "max_attempts": "1"});
    let result = run_command(command, query.to_string().as_bytes()).assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(result["region"], MOTO_REGION);

    // A profile that does not exist is named, and nothing of the files is repeated.
    let mut command = moto.command(BINARY);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials);
    let query = json!({"cluster": "prod", "service": "web", "profile": "prod-admin"});
    let run = run_command(command, query.to_string().as_bytes());
    let line = assert_error(&run, "prod-admin");
    assert!(!line.contains("AKIDPROFILE"), "{line}");
}

#[test]
fn refused_endpoint_fails_fast_with_one_line() {
    // Default retries: the refused connection is retried with backoff, and still fails fast.
    let (run, elapsed) = lookup_at(
        ecs_drift_tests::UNUSED_LOOPBACK_ENDPOINT,
        json!({"cluster": "prod", "service": "web"}),
    );
    let line = assert_error(
        &run,
        "cannot connect to the ECS endpoint set by AWS_ENDPOINT_URL",
    );
    assert!(line.contains("ecs:DescribeServices"), "{line}");
    assert!(line.contains("refused"), "{line}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn black_holed_endpoint_fails_within_timeout_seconds() {
    let hole = BlackHole::start();
    let (run, elapsed) = lookup_at(
        &hole.endpoint(),
        json!({"cluster": "prod", "service": "web", "timeout_seconds": "2"}),
    );
    let line = assert_error(&run, "got no answer");
    assert!(line.contains("within 2 s"), "{line}");
    assert!(line.contains("timeout_seconds"), "{line}");
    // Generous: the bound is 2 s, process start and a loaded machine get the rest.
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}

/// A stub in front of a moto running prod/web that throttles the first `throttled` calls and
/// forwards the rest.
fn throttling_the_first(throttled: usize, moto: &Moto) -> Stub {
    moto.create_service("prod", "web");
    let upstream = moto.endpoint();
    Stub::start(move |number, _target| {
        if number < throttled {
            Reply::aws_error("ThrottlingException", "Rate exceeded")
        } else {
            Reply::Forward(upstream.clone())
        }
    })
}

#[test]
fn throttling_is_retried_until_ecs_answers() {
    let moto = Moto::start();
    let stub = throttling_the_first(2, &moto);
    let (run, _) = lookup_at(
        &stub.endpoint(),
        json!({"cluster": "prod", "service": "web", "max_attempts": "3"}),
    );
    let result = run.assert_success();
    assert_eq!(result["found"], "true");
    assert_eq!(
        stub.targets(),
        [
            "DescribeServices",
            "DescribeServices",
            "DescribeServices",
            "DescribeTaskDefinition"
        ]
    );
}

/// Without `max_attempts`, a call throttled four times in a row (more than the SDK's default of
/// three attempts allows) still succeeds: the default is DEFAULT_MAX_ATTEMPTS.
#[test]
fn the_default_attempts_outlast_a_burst_of_throttling() {
    let moto = Moto::start();
    let stub = throttling_the_first(4, &moto);
    let (run, _) = lookup_at(
        &stub.endpoint(),
        json!({"cluster": "prod", "service": "web"}),
    );
    let result = run.assert_success();
    assert_eq!(result["found"], "true");
    let targets = stub.targets();
    assert_eq!(targets.len(), 6, "{targets:?}");
    assert_eq!(targets[4], "DescribeServices");
    assert_eq!(targets[5], "DescribeTaskDefinition");
}

#[test]
fn throttling_after_the_last_attempt_says_so() {
    let stub = Stub::start(|_, _| Reply::aws_error("ThrottlingException", "Rate exceeded"));
    let (run, _) = lookup_at(
        &stub.endpoint(),
        json!({"cluster": "prod", "service": "web", "max_attempts": "2"}),
    );
    let line = assert_error(&run, "throttled ecs:DescribeServices after 2 attempt(s)");
    assert!(line.contains("max_attempts"), "{line}");
    assert_eq!(stub.targets().len(), 2);
}

#[test]
fn access_denied_names_the_action() {
    let denied = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:DescribeServices";
    let stub = Stub::start(move |_, _| Reply::aws_error("AccessDeniedException", denied));
    let (run, _) = lookup_at(
        &stub.endpoint(),
        json!({"cluster": "prod", "service": "web"}),
    );
    let line = assert_error(&run, "access denied to ecs:DescribeServices");
    assert!(line.contains("grant ecs:DescribeServices"), "{line}");
    assert_eq!(
        stub.targets(),
        ["DescribeServices"],
        "access denied is not retried"
    );
}

#[test]
fn access_denied_on_the_task_definition_names_that_action() {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    let upstream = moto.endpoint();
    let stub = Stub::start(move |_, target| {
        if target.ends_with("DescribeTaskDefinition") {
            Reply::aws_error("AccessDeniedException", "not authorized")
        } else {
            Reply::Forward(upstream.clone())
        }
    });
    let (run, _) = lookup_at(
        &stub.endpoint(),
        json!({"cluster": "prod", "service": "web"}),
    );
    let line = assert_error(&run, "access denied to ecs:DescribeTaskDefinition");
    assert!(line.contains("web:1"), "{line}");
}

#[test]
fn no_credentials_names_the_chain() {
    let mut command = sealed_command(BINARY);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let run = run_command(command, br#"{"cluster": "prod", "service": "web"}"#);
    let line = assert_error(&run, "no AWS credentials found");
    for source in [
        "environment",
        "shared config",
        "SSO",
        "web identity",
        "container",
        "instance metadata",
    ] {
        assert!(line.contains(source), "{source} missing: {line}");
    }
}

#[test]
fn invalid_region_is_refused_before_any_call() {
    let (run, _) = lookup_at(
        ecs_drift_tests::UNUSED_LOOPBACK_ENDPOINT,
        json!({"cluster": "prod", "service": "web", "region": "eu west 1"}),
    );
    assert_error(&run, "query key `region` must be an AWS region name");

    // From the environment, the value is not repeated.
    let mut command = with_secrets(sealed_command(BINARY));
    command.env("AWS_REGION", "Not/A/Region");
    let run = run_command(command, br#"{"cluster": "prod", "service": "web"}"#);
    let line = assert_error(&run, "is not a valid region name");
    assert!(!line.contains("Not/A/Region"), "{line}");
}

#[test]
fn help_describes_every_key_and_default() {
    let mut command = sealed_command(BINARY);
    command.arg("--help");
    let run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    insta::assert_snapshot!("help", run.stdout);
}

/// The whole process contract of the failures a user meets first: exit status, stdout and stderr
/// together.
#[test]
fn error_contracts() {
    // Name, variables removed from the sealed environment, stdin.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 5] = [
        (
            "invalid region",
            &[],
            r#"{"cluster": "prod", "service": "web", "region": "Europe"}"#,
        ),
        (
            "external id without a role",
            &[],
            r#"{"cluster": "prod", "service": "web", "assume_role_external_id": "x"}"#,
        ),
        (
            "unknown key",
            &[],
            r#"{"cluster": "prod", "service": "web", "timeout": "5"}"#,
        ),
        (
            "no credentials",
            &[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "")],
            r#"{"cluster": "prod", "service": "web"}"#,
        ),
        (
            "refused endpoint",
            &[],
            r#"{"cluster": "prod", "service": "web", "max_attempts": "1"}"#,
        ),
    ];
    let mut contracts = String::new();
    for (name, removed, query) in cases {
        let mut command = with_secrets(sealed_command(BINARY));
        for (variable, _) in removed {
            command.env_remove(variable);
        }
        let run = run_command(command, query.as_bytes());
        contracts.push_str(&format!(
            "## {name}\nstdin: {query}\nstatus: {:?}\nstdout: {:?}\nstderr: {}\n",
            run.status, run.stdout, run.stderr
        ));
    }
    insta::assert_snapshot!("error_contracts", contracts);
}

#[test]
fn a_variable_that_is_not_utf8_is_no_panic() {
    use std::os::unix::ffi::OsStrExt;
    let mut command = with_secrets(sealed_command(BINARY));
    command.env(
        "NOT_UTF8",
        std::ffi::OsStr::from_bytes(&[0x66, 0x6f, 0xff, 0x6f]),
    );
    let run = run_command(
        command,
        br#"{"cluster": "prod", "service": "web", "max_attempts": "1"}"#,
    );
    assert_error(&run, "cannot connect");
}
