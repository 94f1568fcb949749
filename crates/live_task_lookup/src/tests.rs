//! The lookup's decisions, with `aws-smithy-mocks` in place of ECS.

use std::time::Duration;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::{
    Deployment, DeploymentController, DeploymentControllerType, DeploymentRolloutState, Failure,
    Service, TaskSet,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use external_protocol::Query;
use serde_json::{Value, json};

use crate::aws::Context;
use crate::lookup::READ_ONLY_FIELDS;
use crate::{Error, Live, PROGRAM, Settings, lookup};

/// A DescribeTaskDefinition answer that sets every field the SDK knows, plus one it does not.
const EVERY_FIELD: &str =
    include_str!("../tests/fixtures/describe_task_definition_every_field.json");

pub(crate) fn context() -> Context {
    Context {
        cluster: "prod".to_string(),
        service: "web".to_string(),
        region: "eu-west-1".to_string(),
        endpoint: "the ECS endpoint of eu-west-1".to_string(),
        max_attempts: 3,
        timeout_seconds: 20,
        account_from_query: None,
    }
}

fn http(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(
        StatusCode::try_from(status).expect("a valid status"),
        SdkBody::from(body),
    )
}

fn aws_error(code: &str, message: &str) -> String {
    json!({"__type": code, "message": message}).to_string()
}

fn service(task_definition: &str) -> aws_sdk_ecs::types::builders::ServiceBuilder {
    Service::builder()
        .service_arn("arn:aws:ecs:eu-west-1:210987654321:service/prod/web")
        .service_name("web")
        .status("ACTIVE")
        .task_definition(task_definition)
}

fn services(service: Service) -> DescribeServicesOutput {
    DescribeServicesOutput::builder().services(service).build()
}

fn query(pairs: &[&str]) -> Query {
    Query::from_arguments(&PROGRAM, pairs.iter().map(|pair| pair.to_string()))
        .expect("a valid query")
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[test]
fn exactly_two_calls_and_the_whole_task_definition() {
    let describe_services = mock!(Client::describe_services)
        .match_requests(|input| {
            input.cluster() == Some("prod") && input.services() == ["web".to_string()]
        })
        .then_output(|| {
            services(
                service("web:42")
                    .deployments(
                        Deployment::builder()
                            .status("PRIMARY")
                            .rollout_state(DeploymentRolloutState::Completed)
                            .build(),
                    )
                    .build(),
            )
        });
    // The service holds `family:revision`; the result must still be the full ARN.
    let describe_task_definition = mock!(Client::describe_task_definition)
        .match_requests(|input| input.task_definition() == Some("web:42"))
        .then_http_response(|| http(200, EVERY_FIELD));
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::Sequential,
        [&describe_services, &describe_task_definition]
    );

    let live = block_on(lookup(&client, &context())).expect("found");

    assert_eq!(describe_services.num_calls(), 1);
    assert_eq!(describe_task_definition.num_calls(), 1);
    assert!(live.found);
    assert_eq!(
        live.task_definition_arn,
        "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42"
    );
    assert_eq!(live.family, "web");
    assert_eq!(live.revision, "42");
    assert_eq!(live.status, "ACTIVE");
    assert_eq!(live.deployment_controller, "ECS");
    assert_eq!(live.rollout_state, "COMPLETED");
    assert_eq!(live.account_id, "210987654321");
    assert_eq!(
        serde_json::to_value(&live.images).expect("json"),
        json!({
            "app": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2",
            "log-router": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        })
    );

    // Every field comes back, as ECS wrote it, but the read-only ones.
    let Value::Object(mut expected) =
        serde_json::from_str::<Value>(EVERY_FIELD).expect("fixture")["taskDefinition"].clone()
    else {
        panic!("the fixture has no taskDefinition object")
    };
    for field in READ_ONLY_FIELDS {
        assert!(
            expected.remove(*field).is_some(),
            "the fixture lacks {field}"
        );
    }
    assert_eq!(live.task_definition, Some(expected));

    let output = live.to_output(&context().region);
    assert_eq!(output.get("found"), Some("true"));
    assert_eq!(output.get("region"), Some("eu-west-1"));
}

/// The fixture is only a proof if it sets every field the SDK knows: when an SDK update adds a
/// field, this fails until the fixture has it too.
#[test]
fn fixture_sets_every_field_the_sdk_knows() {
    let rule =
        mock!(Client::describe_task_definition).then_http_response(|| http(200, EVERY_FIELD));
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let answer = block_on(
        client
            .describe_task_definition()
            .task_definition("web:42")
            .send(),
    )
    .expect("parsed");
    let definition = answer.task_definition().expect("taskDefinition");
    let mut unset = unset_fields(&format!("{definition:#?}"));
    let app = definition
        .container_definitions()
        .first()
        .expect("a container");
    unset.extend(
        unset_fields(&format!("{app:#?}"))
            .into_iter()
            .map(|field| format!("containerDefinitions[0].{field}")),
    );
    assert!(
        unset.is_empty(),
        "the fixture does not set {unset:?}: add them to {}",
        "tests/fixtures/describe_task_definition_every_field.json"
    );
}

/// The struct's own fields (one indent deep in `{:#?}`) that are `None` or an empty list.
fn unset_fields(debug: &str) -> Vec<String> {
    debug
        .lines()
        .filter_map(|line| {
            let field = line.strip_prefix("    ")?;
            if field.starts_with(' ') {
                return None;
            }
            let (name, value) = field.split_once(": ")?;
            matches!(value, "None," | "[],").then(|| name.to_string())
        })
        .collect()
}

#[test]
fn missing_service_is_one_call_and_not_found() {
    let describe_services = mock!(Client::describe_services).then_output(|| {
        DescribeServicesOutput::builder()
            .failures(
                Failure::builder()
                    .arn("arn:aws:ecs:eu-west-1:210987654321:service/prod/web")
                    .reason("MISSING")
                    .build(),
            )
            .build()
    });
    let describe_task_definition =
        mock!(Client::describe_task_definition).then_http_response(|| http(200, EVERY_FIELD));
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&describe_services, &describe_task_definition]
    );
    let live = block_on(lookup(&client, &context())).expect("not an error");
    assert!(!live.found);
    assert_eq!(live.status, "MISSING");
    assert_eq!(live.account_id, "210987654321");
    assert_eq!(describe_task_definition.num_calls(), 0);
    let output = live.to_output(&context().region);
    assert_eq!(output.get("images"), Some("{}"));
    assert_eq!(output.get("task_definition_arn"), Some(""));
    assert_eq!(output.get("task_definition"), Some(""));
}

#[test]
fn missing_cluster_is_not_found() {
    let rule = mock!(Client::describe_services).then_http_response(|| {
        http(
            400,
            &aws_error("ClusterNotFoundException", "Cluster not found."),
        )
    });
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let mut context = context();
    context.account_from_query = Some("210987654321".to_string());
    let live = block_on(lookup(&client, &context)).expect("not an error");
    assert!(!live.found);
    assert_eq!(live.status, "MISSING");
    assert_eq!(live.account_id, "210987654321");
}

#[test]
fn other_failure_reasons_are_errors() {
    let rule = mock!(Client::describe_services).then_output(|| {
        DescribeServicesOutput::builder()
            .failures(
                Failure::builder()
                    .reason("INVALID")
                    .detail("bad name")
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let error = block_on(lookup(&client, &context())).expect_err("an error");
    assert!(matches!(error, Error::Failure { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "ecs:DescribeServices reported a failure for service web in cluster prod: INVALID (bad name); check the names and the region"
    );
}

#[test]
fn inactive_service_is_not_found_unless_an_active_one_shares_its_name() {
    let inactive = service("arn:aws:ecs:eu-west-1:210987654321:task-definition/web:1")
        .status("INACTIVE")
        .build();
    let only_inactive = inactive.clone();
    let rule =
        mock!(Client::describe_services).then_output(move || services(only_inactive.clone()));
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let live = block_on(lookup(&client, &context())).expect("not an error");
    assert!(!live.found);
    assert_eq!(live.status, "INACTIVE");

    let both = DescribeServicesOutput::builder()
        .services(inactive)
        .services(service("arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42").build())
        .build();
    let describe_services = mock!(Client::describe_services).then_output(move || both.clone());
    let describe_task_definition =
        mock!(Client::describe_task_definition).then_http_response(|| http(200, EVERY_FIELD));
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::Sequential,
        [&describe_services, &describe_task_definition]
    );
    let live = block_on(lookup(&client, &context())).expect("found");
    assert!(live.found);
    assert_eq!(live.status, "ACTIVE");
}

fn task_set(status: &str, task_definition: &str) -> TaskSet {
    TaskSet::builder()
        .status(status)
        .task_definition(task_definition)
        .build()
}

/// The lookup of a service ECS describes as `described`, whose task definition ECS is asked for
/// only by `expected_arn`: a request for any other fails the lookup.
fn lookup_described(described: Service, expected_arn: &'static str) -> Live {
    let describe_services =
        mock!(Client::describe_services).then_output(move || services(described.clone()));
    let describe_task_definition = mock!(Client::describe_task_definition)
        .match_requests(move |input| input.task_definition() == Some(expected_arn))
        .then_http_response(|| http(200, EVERY_FIELD));
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::Sequential,
        [&describe_services, &describe_task_definition]
    );
    block_on(lookup(&client, &context())).expect("found")
}

#[test]
fn code_deploy_and_external_take_the_primary_task_sets_revision() {
    for controller in [
        DeploymentControllerType::CodeDeploy,
        DeploymentControllerType::External,
    ] {
        let described = service("arn:aws:ecs:eu-west-1:210987654321:task-definition/web:41")
            .deployment_controller(
                DeploymentController::builder()
                    .r#type(controller.clone())
                    .build()
                    .expect("a controller"),
            )
            .task_sets(task_set(
                "ACTIVE",
                "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:43",
            ))
            .task_sets(task_set(
                "PRIMARY",
                "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42",
            ))
            .build();
        let live = lookup_described(
            described,
            "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42",
        );
        assert_eq!(live.revision, "42", "{controller:?}");
        assert_eq!(live.deployment_controller, controller.as_str());
    }
}

#[test]
fn the_ecs_controller_ignores_task_sets() {
    let described = service("arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42")
        .task_sets(task_set(
            "PRIMARY",
            "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:7",
        ))
        .build();
    let live = lookup_described(
        described,
        "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42",
    );
    assert_eq!(live.revision, "42");
}

#[test]
fn external_service_without_task_sets_runs_nothing_yet() {
    let described = Service::builder()
        .service_arn("arn:aws:ecs:eu-west-1:210987654321:service/prod/web")
        .status("ACTIVE")
        .deployment_controller(
            DeploymentController::builder()
                .r#type(DeploymentControllerType::External)
                .build()
                .expect("a controller"),
        )
        .build();
    let rule = mock!(Client::describe_services).then_output(move || services(described.clone()));
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let live = block_on(lookup(&client, &context())).expect("not an error");
    assert!(!live.found);
    assert_eq!(live.status, "ACTIVE");
    assert_eq!(live.deployment_controller, "EXTERNAL");
}

#[test]
fn access_denied_on_describe_task_definition_names_that_action() {
    let describe_services =
        mock!(Client::describe_services).then_output(|| services(service("web:42").build()));
    let describe_task_definition = mock!(Client::describe_task_definition).then_http_response(|| {
        http(
            400,
            &aws_error(
                "AccessDeniedException",
                "User: arn:aws:iam::210987654321:user/ci is not authorized to perform: ecs:DescribeTaskDefinition",
            ),
        )
    });
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::Sequential,
        [&describe_services, &describe_task_definition]
    );
    let error = block_on(lookup(&client, &context())).expect_err("denied");
    assert_eq!(
        error.to_string(),
        "access denied to ecs:DescribeTaskDefinition on task definition web:42 of service web in cluster prod; \
grant ecs:DescribeTaskDefinition to the identity Terraform runs as (the module's plan policy has it): \
User: arn:aws:iam::210987654321:user/ci is not authorized to perform: ecs:DescribeTaskDefinition"
    );
}

#[test]
fn server_errors_and_rejected_credentials_say_what_to_do() {
    let cases = [
        (500, "ServerException", "ECS failed on its side"),
        (
            400,
            "UnrecognizedClientException",
            "the AWS credentials were rejected",
        ),
        (
            400,
            "ThrottlingException",
            "still throttled ecs:DescribeServices after 3 attempt(s)",
        ),
        (
            400,
            "ClientException",
            "check the names, the region and the account",
        ),
    ];
    for (status, code, needle) in cases {
        let rule = mock!(Client::describe_services)
            .then_http_response(move || http(status, &aws_error(code, "the detail")));
        let client = mock_client!(aws_sdk_ecs, [&rule]);
        let error = block_on(lookup(&client, &context())).expect_err("an error");
        let line = external_protocol::error_chain(&error);
        assert!(line.contains(needle), "{code}: {line}");
        assert!(line.contains("ecs:DescribeServices"), "{code}: {line}");
    }
}

#[test]
fn settings_take_the_region_from_arns() {
    let settings = Settings::from_query(&query(&[
        "cluster=arn:aws:ecs:ap-southeast-2:210987654321:cluster/prod",
        "service=web",
    ]))
    .expect("valid");
    assert_eq!(settings.region.as_deref(), Some("ap-southeast-2"));
    assert_eq!(
        settings.account_from_query().as_deref(),
        Some("210987654321")
    );
    assert_eq!(settings.timeout, Duration::from_secs(20));
    assert_eq!(settings.max_attempts, crate::DEFAULT_MAX_ATTEMPTS);
    assert_eq!(settings.assume_role, None);
}

#[test]
fn settings_refuse_what_cannot_work() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "cluster=prod",
                "service=arn:aws:ecs:eu-west-1:210987654321:service/prod/web",
                "region=us-east-1",
            ],
            "query key `service` is an ARN in region eu-west-1, but the region is us-east-1",
        ),
        (
            &["cluster=arn:aws:s3:::bucket", "service=web"],
            "query key `cluster` is not an ECS ARN",
        ),
        (
            &["cluster=prod", "service=web", "region=EU-WEST-1"],
            "query key `region` must be an AWS region name",
        ),
        (
            &["cluster=prod", "service=web", "assume_role_external_id=x"],
            "set without `assume_role_arn`",
        ),
        (
            &["cluster=prod", "service=web", "endpoint_url=localhost:4566"],
            "must start with http:// or https://",
        ),
        (
            &["cluster=prod", "service=web", "max_attempts=50"],
            "must be at most 10",
        ),
        (
            &[
                "cluster=prod",
                "service=web",
                "expect_task_definition_arn=web:7",
            ],
            "query key `expect_task_definition_arn` must be a task definition's full ARN (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION), got \"web:7\"",
        ),
        (
            &["cluster=prod", "service=web", "timeout_seconds=0"],
            "must be a positive integer",
        ),
        (&["cluster=prod"], "query key `service` is required"),
    ];
    for (pairs, needle) in cases {
        let error = Settings::from_query(&query(pairs)).expect_err("refused");
        assert!(
            error.to_string().contains(needle),
            "{pairs:?}: {error} should contain {needle}"
        );
    }
}

#[test]
fn assume_role_settings_default_the_session_name() {
    let settings = Settings::from_query(&query(&[
        "cluster=prod",
        "service=web",
        "assume_role_arn=arn:aws:iam::210987654321:role/plan",
        "assume_role_external_id=abc",
    ]))
    .expect("valid");
    let role = settings.assume_role.expect("a role");
    assert_eq!(role.role_arn, "arn:aws:iam::210987654321:role/plan");
    assert_eq!(role.external_id.as_deref(), Some("abc"));
    assert_eq!(role.session_name, crate::DEFAULT_SESSION_NAME);
}

#[test]
fn every_attempt_gets_its_share_of_the_timeout() {
    let config = crate::aws::timeout_config(Duration::from_secs(20), 4);
    assert_eq!(config.connect_timeout(), Some(Duration::from_secs(3)));
    assert_eq!(
        config.operation_attempt_timeout(),
        Some(Duration::from_secs(5))
    );
    assert_eq!(config.operation_timeout(), Some(Duration::from_secs(20)));

    let short = crate::aws::timeout_config(Duration::from_secs(1), 3);
    assert_eq!(short.connect_timeout(), Some(Duration::from_secs(1)));
    assert_eq!(
        short.operation_attempt_timeout(),
        Some(Duration::from_secs(1))
    );
}

#[test]
fn region_names() {
    for good in [
        "us-east-1",
        "eu-west-1",
        "us-gov-west-1",
        "cn-north-1",
        "eu-isoe-west-1",
    ] {
        assert_eq!(crate::settings::check_region(good), Ok(()), "{good}");
    }
    for bad in [
        "",
        "us",
        "US-EAST-1",
        "us east 1",
        "us-east-",
        "http://x",
        "us--east-1",
    ] {
        assert_eq!(crate::settings::check_region(bad), Err(()), "{bad}");
    }
}

#[test]
fn trust_roots_are_skipped_only_when_every_endpoint_is_plain_http() {
    let environment = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    };
    let local = ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
    let only_plain_http = crate::aws::only_plain_http;
    assert!(only_plain_http(
        None,
        &environment(&[local, ("AWS_REGION", "eu-west-1")])
    ));
    assert!(only_plain_http(
        Some("http://127.0.0.1:5001"),
        &environment(&[local, ("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:5002")])
    ));
    // Anything that may reach a TLS endpoint keeps the trust roots.
    assert!(!only_plain_http(None, &environment(&[])));
    assert!(!only_plain_http(
        None,
        &environment(&[("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:5000")])
    ));
    assert!(!only_plain_http(
        Some("https://ecs.example"),
        &environment(&[local])
    ));
    for https in [
        (
            "AWS_ENDPOINT_URL_STS",
            "https://sts.eu-west-1.amazonaws.com",
        ),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "https://credentials.internal/",
        ),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ] {
        assert!(
            !only_plain_http(None, &environment(&[local, https])),
            "{https:?}"
        );
    }
}

/// The floors of the comment in lib.rs, lowest first, with each module's source.
const FLOORS: &[floors::Floor] = &[
    &[
        ("error", include_str!("error.rs")),
        ("service_settings", include_str!("service_settings.rs")),
        ("deployment", include_str!("deployment.rs")),
    ],
    &[
        ("settings", include_str!("settings.rs")),
        ("trust", include_str!("trust.rs")),
        ("live_values", include_str!("live_values.rs")),
    ],
    &[("aws", include_str!("aws.rs"))],
    &[("lookup", include_str!("lookup.rs"))],
    &[("guard", include_str!("guard.rs"))],
];

#[test]
fn each_module_uses_only_modules_on_the_floors_below_it() {
    let found = floors::violations(include_str!("lib.rs"), FLOORS);
    assert!(found.is_empty(), "{found:#?}");
}
