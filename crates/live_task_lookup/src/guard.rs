//! What the lookup does when the service's deployment has not settled (`deployment_in_progress`):
//! report it, fail with one line, or describe the service again until it settles; and the
//! apply-time check that no deployment started since the plan. Whether it has settled is
//! `deployment.rs`'s; what the plan changes that starts a deployment is the query's
//! (`moves_task_definition`, `service_settings`).

use std::time::{Duration, Instant};

use external_protocol::Query;

use crate::aws::Context;
use crate::deployment::describe;
use crate::error::Error;
use crate::lookup::{Live, lookup};
use crate::service_settings::ServiceSettings;

/// What the lookup does when the service's deployment has not settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report it, nothing more (the default).
    Report,
    /// Fail with one line that names the deployment.
    Fail,
    /// Describe the service again until it settles, at most `wait_timeout_seconds`.
    Wait,
}

/// How long `wait` polls between two DescribeServices. ECS's own waiter for a stable service
/// polls every 15 s (botocore `data/ecs/2014-11-13/waiters-2.json`, ServicesStable); a plan
/// waiting on a deployment that completes should not lose much more than a few seconds.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// `wait_timeout_seconds` when the query does not set it.
pub const DEFAULT_WAIT_TIMEOUT_SECONDS: u64 = 900;

/// The deployment part of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentSettings {
    pub mode: Mode,
    pub wait_timeout: Duration,
    /// The deployment the plan saw: the lookup fails unless it is still the service's.
    pub expect_deployment_id: Option<String>,
    /// Whether the plan gives the service another task definition (`moves_task_definition`).
    pub moves_task_definition: bool,
    /// The service's settings as the plan gives them (`service_settings`): a change of one of
    /// them starts a deployment too.
    pub service_settings: ServiceSettings,
}

impl DeploymentSettings {
    pub fn from_query(query: &Query) -> Result<Self, Error> {
        let mode = match query
            .optional_string("deployment_in_progress")
            .map(str::trim)
        {
            None | Some("report") => Mode::Report,
            Some("fail") => Mode::Fail,
            Some("wait") => Mode::Wait,
            Some(other) => {
                return Err(Error::InvalidDeploymentMode {
                    value: other.to_string(),
                });
            }
        };
        let wait_timeout_seconds = query
            .positive_integer("wait_timeout_seconds")?
            .unwrap_or(DEFAULT_WAIT_TIMEOUT_SECONDS)
            .min(86_400);
        Ok(Self {
            mode,
            wait_timeout: Duration::from_secs(wait_timeout_seconds),
            expect_deployment_id: query
                .optional_string("expect_deployment_id")
                .map(|id| id.trim().to_string()),
            moves_task_definition: query.boolean("moves_task_definition")?,
            service_settings: query.json("service_settings")?.unwrap_or_default(),
        })
    }

    /// What the plan changes that starts a deployment of `live`, in words for the one line; empty
    /// when it changes nothing of the kind.
    pub fn moves(&self, live: &Live) -> String {
        let mut moves = Vec::new();
        if self.moves_task_definition {
            moves.push("gives it a new task definition".to_string());
        }
        let changes = live
            .service_settings
            .as_ref()
            .map(|settings| self.service_settings.changes(settings))
            .unwrap_or_default();
        if !changes.is_empty() {
            moves.push(format!("changes its {}", changes.join(", ")));
        }
        moves.join(" and ")
    }

    /// How much longer than `timeout_seconds` the whole lookup may take.
    pub fn extra_time(&self) -> Duration {
        match self.mode {
            Mode::Wait => self.wait_timeout + POLL_INTERVAL,
            _ => Duration::ZERO,
        }
    }
}

/// Whether the wait may go on: the time it has left, if any.
pub fn remaining(started: Instant, budget: Duration) -> Option<Duration> {
    budget
        .checked_sub(started.elapsed())
        .filter(|left| !left.is_zero())
}

/// Applies `settings.mode` to the looked-up service: returns `live` when its deployment has
/// settled (or when only reporting), fails when it has not, or describes the service again every
/// [`POLL_INTERVAL`] until it settles, within `wait_timeout`.
pub async fn settle(
    client: &aws_sdk_ecs::Client,
    context: &Context,
    settings: &DeploymentSettings,
    mut live: Live,
) -> Result<Live, Error> {
    let started = Instant::now();
    loop {
        let Some(deployment) = live.deployment.as_ref().filter(|found| !found.settled) else {
            return Ok(live);
        };
        // A plan that starts no deployment passes, whatever the state.
        let moves = settings.moves(&live);
        if moves.is_empty() {
            return Ok(live);
        }
        match settings.mode {
            Mode::Report => return Ok(live),
            Mode::Fail => {
                return Err(Error::DeploymentInProgress {
                    service: context.service.clone(),
                    cluster: context.cluster.clone(),
                    deployment: describe(deployment),
                    moves,
                });
            }
            Mode::Wait => match remaining(started, settings.wait_timeout) {
                None => {
                    return Err(Error::DeploymentWaitTimedOut {
                        service: context.service.clone(),
                        cluster: context.cluster.clone(),
                        seconds: settings.wait_timeout.as_secs(),
                        deployment: describe(deployment),
                    });
                }
                Some(left) => {
                    tokio::time::sleep(left.min(POLL_INTERVAL)).await;
                    live = lookup(client, context).await?;
                }
            },
        }
    }
}

/// Fails when the service's deployment is not the one the plan saw.
pub fn check_expected(
    context: &Context,
    settings: &DeploymentSettings,
    live: &Live,
) -> Result<(), Error> {
    let Some(expected) = &settings.expect_deployment_id else {
        return Ok(());
    };
    let Some(deployment) = &live.deployment else {
        return Ok(());
    };
    if *expected == deployment.id {
        return Ok(());
    }
    Err(Error::DeploymentSincePlan {
        service: context.service.clone(),
        cluster: context.cluster.clone(),
        expected: expected.clone(),
        running: format!(
            "{} ({} since {})",
            deployment.id, deployment.state, deployment.since
        ),
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecs::Client;
    use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
    use aws_sdk_ecs::types::{DeploymentRolloutState, Service};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::*;
    use crate::deployment::Deployment;
    use crate::deployment::tests::{deployment, in_progress, service};
    use crate::tests::context;

    fn settings(pairs: &[&str]) -> Result<DeploymentSettings, Error> {
        let query =
            Query::from_arguments(&crate::PROGRAM, pairs.iter().map(|pair| pair.to_string()))?;
        DeploymentSettings::from_query(&query)
    }

    #[test]
    fn the_query_says_what_to_do() {
        let default = settings(&["cluster=prod", "service=web"]).expect("valid");
        assert_eq!(default.mode, Mode::Report);
        assert_eq!(default.extra_time(), Duration::ZERO);
        let wait = settings(&[
            "cluster=prod",
            "service=web",
            "deployment_in_progress=wait",
            "wait_timeout_seconds=30",
        ])
        .expect("valid");
        assert_eq!(wait.mode, Mode::Wait);
        assert_eq!(wait.extra_time(), Duration::from_secs(30) + POLL_INTERVAL);
        let error = settings(&["cluster=prod", "service=web", "deployment_in_progress=skip"])
            .expect_err("invalid");
        assert_eq!(
            error.to_string(),
            "query key `deployment_in_progress` must be \"report\", \"fail\" or \"wait\", got \"skip\"; fix `deployment_in_progress`"
        );
        assert!(settings(&["cluster=prod", "service=web", "wait_timeout_seconds=0"]).is_err());
    }

    const TASK_DEFINITION: &str = r#"{"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42", "family": "web", "revision": 42, "containerDefinitions": [{"name": "app", "image": "nginx"}]}}"#;

    /// Settles a service ECS describes as `first`, then as `then` on every later call.
    fn settle_with(mode: &[&str], first: Service, then: Service) -> (Result<Live, Error>, usize) {
        let first_answer = mock!(Client::describe_services).then_output(move || {
            DescribeServicesOutput::builder()
                .services(first.clone())
                .build()
        });
        let later = mock!(Client::describe_services).then_output(move || {
            DescribeServicesOutput::builder()
                .services(then.clone())
                .build()
        });
        let definition = || {
            mock!(Client::describe_task_definition).then_http_response(|| {
                aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
                    aws_smithy_runtime_api::http::StatusCode::try_from(200).expect("200"),
                    aws_smithy_types::body::SdkBody::from(TASK_DEFINITION),
                )
            })
        };
        let (first_definition, later_definition) = (definition(), definition());
        let client = mock_client!(
            aws_sdk_ecs,
            RuleMode::Sequential,
            [&first_answer, &first_definition, &later, &later_definition]
        );
        let mut pairs = vec!["cluster=prod", "service=web"];
        pairs.extend_from_slice(mode);
        let settings = settings(&pairs).expect("valid");
        let result = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(async {
                let live = lookup(&client, &context()).await?;
                settle(&client, &context(), &settings, live).await
            });
        (result, first_answer.num_calls() + later.num_calls())
    }

    fn completed() -> Service {
        service()
            .deployments(deployment(
                "ecs-svc/2",
                "PRIMARY",
                Some(DeploymentRolloutState::Completed),
            ))
            .build()
    }

    #[test]
    fn fail_names_the_deployment_in_one_line() {
        let (result, calls) =
            settle_with(&["deployment_in_progress=fail"], in_progress(), completed());
        let line = result.expect_err("unsettled").to_string();
        assert_eq!(calls, 1);
        assert_eq!(
            line,
            "service web in cluster prod has not settled: ROLLING deployment ecs-svc/2 is IN_PROGRESS since 2027-01-15T08:00:00Z; the plan gives it a new task definition, and moving it now would build on a revision that may still be rolled back and supersede that deployment. Let it complete (aws ecs wait services-stable --cluster prod --services web) and run terraform plan again, or set deployment_in_progress = \"wait\" (nothing was registered or moved)"
        );
        let (settled, _) = settle_with(&["deployment_in_progress=fail"], completed(), completed());
        assert!(settled.is_ok());
        let (reported, _) = settle_with(&[], in_progress(), completed());
        let output = reported.expect("reported").to_output("eu-west-1");
        assert_eq!(output.get("deployment_settled"), Some("false"));
        assert_eq!(output.get("deployment_id"), Some("ecs-svc/2"));
        assert_eq!(output.get("deployment_state"), Some("IN_PROGRESS"));
        assert_eq!(output.get("deployment_since"), Some("2027-01-15T08:00:00Z"));
        assert_eq!(output.get("deployment_strategy"), Some("ROLLING"));
    }

    #[test]
    fn a_plan_that_starts_no_deployment_passes_and_a_service_change_fails() {
        let (same, calls) = settle_with(
            &[
                "deployment_in_progress=fail",
                "moves_task_definition=false",
                r#"service_settings={"enable_execute_command": false, "platform_version": null}"#,
            ],
            in_progress(),
            completed(),
        );
        assert_eq!(calls, 1);
        let output = same.expect("moves nothing").to_output("eu-west-1");
        assert_eq!(output.get("deployment_settled"), Some("false"));

        let (changed, _) = settle_with(
            &[
                "deployment_in_progress=fail",
                "moves_task_definition=false",
                r#"service_settings={"enable_execute_command": true, "propagate_tags": "SERVICE"}"#,
            ],
            in_progress(),
            completed(),
        );
        let line = changed.expect_err("a service change").to_string();
        assert!(
            line.contains(" is IN_PROGRESS since 2027-01-15T08:00:00Z; the plan changes its enable_execute_command, propagate_tags, and moving it now"),
            "{line}"
        );
        let (both, _) = settle_with(
            &[
                "deployment_in_progress=fail",
                r#"service_settings={"enable_execute_command": true}"#,
            ],
            in_progress(),
            completed(),
        );
        let line = both.expect_err("both").to_string();
        assert!(
            line.contains("; the plan gives it a new task definition and changes its enable_execute_command, and moving"),
            "{line}"
        );
        let wrong = settings(&[
            "cluster=prod",
            "service=web",
            r#"service_settings={"platform": "LATEST"}"#,
        ])
        .expect_err("an unknown setting")
        .to_string();
        assert!(wrong.contains("`service_settings`"), "{wrong}");
    }

    #[test]
    fn wait_goes_on_once_settled_and_names_what_it_waited_for_on_timeout() {
        let (result, calls) = settle_with(
            &["deployment_in_progress=wait", "wait_timeout_seconds=2"],
            in_progress(),
            completed(),
        );
        let live = result.expect("settled while waiting");
        assert_eq!(calls, 2);
        assert_eq!(live.deployment.map(|found| found.settled), Some(true));

        let (result, _) = settle_with(
            &["deployment_in_progress=wait", "wait_timeout_seconds=1"],
            in_progress(),
            in_progress(),
        );
        let line = result.expect_err("still in progress").to_string();
        assert!(
            line.starts_with("waited 1 s for the deployment of service web in cluster prod to complete, and it has not: ROLLING deployment ecs-svc/2 is IN_PROGRESS since 2027-01-15T08:00:00Z;")
                && line.ends_with("(nothing was registered or moved)"),
            "{line}"
        );
    }

    #[test]
    fn a_deployment_started_since_the_plan_is_refused() {
        let live = |id: &str| Live {
            deployment: Some(Deployment {
                settled: true,
                id: id.to_string(),
                state: "COMPLETED".into(),
                since: "2027-01-15T08:10:00Z".into(),
                strategy: "ROLLING".into(),
                detail: String::new(),
            }),
            ..Live::not_found("ACTIVE", "ECS".into(), String::new())
        };
        let expecting = settings(&[
            "cluster=prod",
            "service=web",
            "expect_deployment_id=ecs-svc/1",
        ])
        .expect("valid");
        assert!(check_expected(&context(), &expecting, &live("ecs-svc/1")).is_ok());
        let line = check_expected(&context(), &expecting, &live("ecs-svc/2"))
            .expect_err("a new deployment")
            .to_string();
        assert_eq!(
            line,
            "service web in cluster prod started deployment ecs-svc/2 (COMPLETED since 2027-01-15T08:10:00Z) after the plan was made (the plan saw ecs-svc/1): applying the plan would build on what that deployment replaced; run terraform plan again (nothing was registered or moved)"
        );
        let unexpecting = settings(&["cluster=prod", "service=web"]).expect("valid");
        assert!(check_expected(&context(), &unexpecting, &live("ecs-svc/2")).is_ok());
    }
}
