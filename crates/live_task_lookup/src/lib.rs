//! `live_task_lookup`: which task definition does an ECS service run right now, and which image
//! does each of its containers have?
//!
//! Two calls, no more: DescribeServices, then DescribeTaskDefinition of the revision the service
//! runs. A missing cluster, a missing service and an INACTIVE service are the first apply, not an
//! error.
//!
//! The query is validated into [`Settings`] first; [`aws::connect`] builds the one SDK
//! configuration (timeouts, retries, credentials); [`lookup::lookup`] makes the two calls with
//! the client passed in, so tests drive it with `aws-smithy-mocks`.

// The modules lie on floors: each uses only modules of the floors below it (tests.rs checks it).
//
// 0. error, service_settings, deployment: the errors, and what DescribeServices says of the
//    service's settings and its deployment.
// 1. settings, trust, live_values: the query read, the certificates trusted, the named values.
// 2. aws: the one SDK configuration.
// 3. lookup: the two calls.
// 4. guard: what to do when the deployment has not settled.
pub mod deployment;
mod error;
pub mod service_settings;

pub mod live_values;
mod settings;
pub mod trust;

pub mod aws;

pub mod lookup;

pub mod guard;

use external_protocol::{Kind, Output, Program, Query, QueryKey, ResultKey};

pub use error::Error;
pub use lookup::{Live, lookup};
pub use settings::{
    AssumeRole, DEFAULT_MAX_ATTEMPTS, DEFAULT_SESSION_NAME, DEFAULT_TIMEOUT_SECONDS, Settings,
};

pub static PROGRAM: Program = Program {
    name: "live_task_lookup",
    version: env!("CARGO_PKG_VERSION"),
    summary: "Tells which task definition an ECS service runs right now and which image each container has.",
    description: "Calls ECS twice, read-only: DescribeServices, then DescribeTaskDefinition of the task definition \
the service runs. For the EXTERNAL and CODE_DEPLOY deployment controllers that is the PRIMARY task \
set's task definition when there is one, else the service's own.\n\n\
A missing cluster, a missing service or an INACTIVE (deleted) service is not an error: it is the \
first apply, and the result says found = \"false\" with empty images (\"{}\") and an empty ARN. \
Because a lookup pointed at the wrong region or account finds nothing as well, the result always \
says which region was asked and, when an ARN tells, which account.\n\n\
Credentials and region come from the standard AWS chain unless the query sets them: environment \
variables, the shared config and credentials files (profiles, SSO, credential_process), a web \
identity token, ECS container credentials, EC2 instance metadata. AWS_ENDPOINT_URL and \
AWS_ENDPOINT_URL_ECS are honoured. The needed IAM actions are ecs:DescribeServices and \
ecs:DescribeTaskDefinition (plus sts:AssumeRole on assume_role_arn when set).\n\n\
Time is bounded: the whole lookup takes at most timeout_seconds; connecting at most 3 s; each \
attempt its share, timeout_seconds / max_attempts (at least 2 s). Throttling, 5xx answers and \
connection failures are retried with exponential backoff and jitter, up to max_attempts per call.\n\n\
The result also says whether the service's deployment has settled (deployment_settled, read from the \
same DescribeServices answer: the PRIMARY deployment's rollout state and the ACTIVE deployments, or the \
task sets); deployment_in_progress = \"fail\" or \"wait\" makes a deployment that has not settled an error, \
or something to wait for (DescribeServices and DescribeTaskDefinition again every 5 s).",
    query: &[
        QueryKey {
            name: "cluster",
            kind: Kind::String,
            required: true,
            default: None,
            help: "The cluster's name or ARN.",
        },
        QueryKey {
            name: "service",
            kind: Kind::String,
            required: true,
            default: None,
            help: "The service's name or ARN.",
        },
        QueryKey {
            name: "region",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The AWS region, such as eu-west-1. Default: the region of the cluster or service ARN, \
else the standard chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's region).",
        },
        QueryKey {
            name: "profile",
            kind: Kind::String,
            required: false,
            default: None,
            help: "A profile of the shared AWS config files. Default: AWS_PROFILE, else the default profile.",
        },
        QueryKey {
            name: "assume_role_arn",
            kind: Kind::String,
            required: false,
            default: None,
            help: "A role to assume (sts:AssumeRole) with the credentials found, before calling ECS. \
Terraform's provider-level assume_role does not reach external programs: pass the same role here.",
        },
        QueryKey {
            name: "assume_role_external_id",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The external ID the role's trust policy requires, if any.",
        },
        QueryKey {
            name: "assume_role_session_name",
            kind: Kind::String,
            required: false,
            default: Some(DEFAULT_SESSION_NAME),
            help: "The session name of the assumed role, shown in CloudTrail.",
        },
        QueryKey {
            name: "endpoint_url",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The ECS endpoint, such as http://127.0.0.1:5000 for a local emulator. Default: \
AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else the region's public endpoint.",
        },
        QueryKey {
            name: "timeout_seconds",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("20"),
            help: "The most the whole lookup may take: credentials, both calls and their retries. Each \
attempt gets timeout_seconds / max_attempts (at least 2 s); connecting, at most 3 s.",
        },
        QueryKey {
            name: "max_attempts",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("8"),
            help: "How many times each call is tried when ECS throttles, answers 5xx or cannot be \
reached; 1 turns retries off, 10 is the most.",
        },
        QueryKey {
            name: "expect_task_definition_arn",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The full ARN of the task definition the service ran when the plan was made. When set, \
the lookup fails unless the service still runs it: a deploy that shipped between the plan and its \
apply would otherwise be rolled back by a revision the plan computed with the older image. The \
module sets it, with read_during_apply, in a second lookup that Terraform reads during the apply, \
before anything is registered or moved.",
        },
        QueryKey {
            name: "read_during_apply",
            kind: Kind::String,
            required: false,
            default: None,
            help: "Any text; the lookup does not use it. Terraform reads a data source during the apply \
when one of its query values is known only then: the module passes timestamp() here when the plan \
registers a revision.",
        },
        QueryKey {
            name: "deployment_in_progress",
            kind: Kind::String,
            required: false,
            default: Some("report"),
            help: "What to do when the service's deployment has not settled (deployment_settled = \"false\"): \
\"report\" says so in the result; \"fail\" fails with one line naming the deployment, its state and since \
when; \"wait\" describes the service again every 5 s until it settles and then answers, or fails after \
wait_timeout_seconds with a line naming what it waited for. The module asks \"fail\" or \"wait\" only when the \
plan moves the service. A plan that moves nothing (moves_task_definition = \"false\" and service_settings as \
the service runs) passes whatever the state.",
        },
        QueryKey {
            name: "wait_timeout_seconds",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("900"),
            help: "With deployment_in_progress = \"wait\": the longest wait for the deployment to settle, on top \
of timeout_seconds. At most 86400.",
        },
        QueryKey {
            name: "expect_deployment_id",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The deployment_id the plan saw. When set, the lookup fails unless it is still the service's: \
a deployment started since the plan (with the same revision or another). The module sets it in its \
apply-time lookup.",
        },
        QueryKey {
            name: "moves_task_definition",
            kind: Kind::Boolean,
            required: false,
            default: Some("true"),
            help: "Whether the plan gives the service another task definition. With deployment_in_progress = \"fail\" \
or \"wait\", a deployment that has not settled stops the lookup only when the plan moves the service: a new \
task definition, or a change of service_settings.",
        },
        QueryKey {
            name: "service_settings",
            kind: Kind::Json,
            required: false,
            default: None,
            help: "JSON object: the service's settings whose change starts a deployment (UpdateService), as the plan \
gives them: platform_version, network_configuration {subnets, security_groups, assign_public_ip}, \
load_balancers [{target_group_arn, elb_name, container_name, container_port}], capacity_provider_strategy \
[{capacity_provider, weight, base}], enable_execute_command, propagate_tags. One left out or null, and an \
empty strategy, is not compared; lists are compared as sets. With deployment_in_progress = \"fail\" or \"wait\", \
one that differs from the service's moves it as a new task definition does.",
        },
        QueryKey {
            name: "enabled",
            kind: Kind::Boolean,
            required: false,
            default: Some("true"),
            help: "\"false\": the query is validated, no call is made, and the result says found = \"false\" \
with every other key empty (images \"{}\", region as given). The module's apply-time lookup is \
disabled this way when the plan registers nothing: a count could not depend on the plan's \
decision, which Terraform may know only during the apply.",
        },
        QueryKey {
            name: "live_environment",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> array of environment variable names, e.g. \
{\"app\": [\"DD_VERSION\"]}: the variables a deploy pipeline owns, whose live values the result's \
`environment` passes on. No other environment value is written there.",
        },
        QueryKey {
            name: "live_docker_labels",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> array of Docker label keys, e.g. \
{\"app\": [\"com.datadoghq.tags.version\"]}: the labels a deploy pipeline owns, whose live values the \
result's `docker_labels` passes on.",
        },
    ],
    result: &[
        ResultKey {
            name: "found",
            help: "\"true\" when the service exists, is not INACTIVE and runs a task definition; else \"false\" \
and every other key but status, deployment_controller, region and account_id is empty (images is \"{}\").",
        },
        ResultKey {
            name: "status",
            help: "The service's status: ACTIVE, DRAINING or INACTIVE; MISSING when the cluster or the \
service does not exist.",
        },
        ResultKey {
            name: "task_definition_arn",
            help: "The full ARN of the task definition the service runs (never family:revision).",
        },
        ResultKey {
            name: "family",
            help: "Its family.",
        },
        ResultKey {
            name: "revision",
            help: "Its revision number.",
        },
        ResultKey {
            name: "images",
            help: "JSON object: container name -> image, for every container of the task definition.",
        },
        ResultKey {
            name: "task_definition",
            help: "JSON object: the live task definition as DescribeTaskDefinition returns it (the ECS API's \
camelCase), without the read-only fields taskDefinitionArn, revision, status, requiresAttributes, \
compatibilities, registeredAt, registeredBy, deregisteredAt and deleteRequestedAt; empty when not found.",
        },
        ResultKey {
            name: "desired_count",
            help: "The service's desired count as ECS reports it (an autoscaler's changes included); empty \
when not found.",
        },
        ResultKey {
            name: "deployment_controller",
            help: "ECS, CODE_DEPLOY or EXTERNAL; empty when the service does not exist.",
        },
        ResultKey {
            name: "rollout_state",
            help: "The PRIMARY deployment's rollout state (IN_PROGRESS, COMPLETED, FAILED); empty when ECS \
reports none (task-set services, older services).",
        },
        ResultKey {
            name: "deployment_settled",
            help: "\"true\" when the service's deployment has settled: for the ECS controller (every strategy: \
ROLLING, BLUE_GREEN, LINEAR, CANARY) the PRIMARY deployment is not IN_PROGRESS and no other deployment is \
ACTIVE; for CODE_DEPLOY and EXTERNAL the PRIMARY task set is the only one and is not STABILIZING. \
\"false\" otherwise; empty when not found.",
        },
        ResultKey {
            name: "deployment_id",
            help: "The PRIMARY deployment's ID (ECS controller), or the newest task set's; empty when none.",
        },
        ResultKey {
            name: "deployment_state",
            help: "Its rollout state (IN_PROGRESS, COMPLETED, FAILED), or the task set's status.",
        },
        ResultKey {
            name: "deployment_since",
            help: "When it entered that state, RFC 3339, as far as ECS tells (createdAt while IN_PROGRESS, else \
updatedAt); empty when there is no deployment.",
        },
        ResultKey {
            name: "deployment_strategy",
            help: "ROLLING, BLUE_GREEN, LINEAR or CANARY (the ECS controller's deploymentConfiguration.strategy, \
ROLLING when unset), or CODE_DEPLOY or EXTERNAL.",
        },
        ResultKey {
            name: "region",
            help: "The region that was asked.",
        },
        ResultKey {
            name: "account_id",
            help: "The account the service (or the ARN given) belongs to; empty when no ARN tells.",
        },
        ResultKey {
            name: "environment",
            help: "JSON object: container name -> {NAME: value} for the names in live_environment that \
the live container sets; a name it lacks, and every name not asked for, is left out. \"{}\" when not found.",
        },
        ResultKey {
            name: "docker_labels",
            help: "JSON object: container name -> {key: value} for the keys in live_docker_labels that the \
live container sets, as environment. \"{}\" when not found.",
        },
    ],
    example: "echo '{\"cluster\": \"prod\", \"service\": \"web\", \"region\": \"eu-west-1\"}' | live_task_lookup",
};

/// The program: validate, connect, look up, write the result.
pub fn run(query: &Query) -> Result<Output, Error> {
    let settings = Settings::from_query(query)?;
    let named = live_values::NamedKeys::from_query(query)?;
    let deployment_settings = guard::DeploymentSettings::from_query(query)?;
    if !settings.enabled {
        let nothing = Live::not_found("", String::new(), String::new());
        let mut output = nothing.to_output(settings.region.as_deref().unwrap_or_default());
        named.write(None, &mut output);
        return Ok(output);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let timeout = settings.timeout;
        let total = timeout + deployment_settings.extra_time();
        match tokio::time::timeout(
            total,
            lookup_with_settings(&settings, &named, &deployment_settings),
        )
        .await
        {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::Timeout {
                what: "the lookup".to_string(),
                endpoint: aws::endpoint_description(&settings, None),
                seconds: timeout.as_secs(),
            }),
        }
    })
}

async fn lookup_with_settings(
    settings: &Settings,
    named: &live_values::NamedKeys,
    deployment_settings: &guard::DeploymentSettings,
) -> Result<Output, Error> {
    let connection = aws::connect(settings).await?;
    let live = lookup(&connection.client, &connection.context).await?;
    let live = guard::settle(
        &connection.client,
        &connection.context,
        deployment_settings,
        live,
    )
    .await?;
    if let Some(expected) = &settings.expect_task_definition_arn
        && *expected != live.task_definition_arn
    {
        return Err(Error::MovedSincePlan {
            service: settings.service.clone(),
            cluster: settings.cluster.clone(),
            expected: expected.clone(),
            running: if live.found {
                live.task_definition_arn
            } else {
                format!("no task definition (status {})", live.status)
            },
        });
    }
    guard::check_expected(&connection.context, deployment_settings, &live)?;
    let mut output = live.to_output(&connection.context.region);
    named.write(live.task_definition.as_ref(), &mut output);
    Ok(output)
}

#[cfg(test)]
mod tests;
