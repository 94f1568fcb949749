//! The service's deployment: whether the revision the service names is settled, read from the
//! DescribeServices answer the lookup already has (no further call), and what the lookup does
//! when it is not (`deployment_in_progress`, `guard.rs`).
//!
//! What "settled" means, by deployment controller and strategy (the repository README,
//! "Deployments in progress", says the same for users):
//!
//! - ECS controller, every strategy (ROLLING, BLUE_GREEN, LINEAR, CANARY): settled when the
//!   PRIMARY deployment's `rolloutState` is not IN_PROGRESS and no other deployment is ACTIVE.
//!   "When a service deployment is started, it begins in an IN_PROGRESS state. When the service
//!   reaches a steady state, the deployment transitions to a COMPLETED state"; an ACTIVE
//!   deployment "still has running tasks, but are in the process of being replaced with a new
//!   PRIMARY deployment" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html).
//!   A blue/green, linear or canary deployment keeps the source ("blue") revision's tasks
//!   through its bake time so that it can roll back, and a lifecycle hook can hold it for days
//!   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html;
//!   `bakeTimeInMinutes` and `lifecycleHooks`,
//!   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html;
//!   a paused hook waits for https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html):
//!   through all of that the deployment is not COMPLETED and the blue one still ACTIVE, so these
//!   two fields tell without ListServiceDeployments or DescribeServiceDeployments. Those calls
//!   would add the lifecycle stage (BAKE_TIME, a paused hook) to the message, not change the
//!   answer, and each would be a third signed request on every plan. `rolloutState` is absent
//!   behind a Classic Load Balancer; then the ACTIVE deployments alone tell. A FAILED deployment
//!   beside an ACTIVE one (the circuit breaker without rollback) has not settled either: the
//!   service runs two revisions.
//! - CODE_DEPLOY and EXTERNAL controllers: settled when the PRIMARY task set is the only one and
//!   is STEADY_STATE. During a CodeDeploy deployment the replacement task set runs ACTIVE beside
//!   the PRIMARY one until traffic has moved and the original is drained
//!   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html: "ACTIVE: the
//!   task set is not serving production traffic", "DRAINING: the tasks in the task set are being
//!   stopped"; `stabilityStatus` STABILIZING until the task set reaches its desired count).
//!
//! What is "live" is the lookup's answer as before: the service's `taskDefinition` for the ECS
//! controller (during a deployment, the target revision), the PRIMARY task set's for the other
//! two (during a CodeDeploy deployment, the original revision). Settled, both are what
//! production runs.

use aws_sdk_ecs::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ecs::types::{DeploymentControllerType, Service};
use external_protocol::Output;

/// The state of the service's latest deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deployment {
    pub settled: bool,
    /// The PRIMARY deployment's ID (ECS controller) or the newest task set's.
    pub id: String,
    /// The rollout state (IN_PROGRESS, COMPLETED, FAILED), or the task set's status.
    pub state: String,
    /// When it entered that state, as far as ECS tells (RFC 3339).
    pub since: String,
    /// ROLLING, BLUE_GREEN, LINEAR or CANARY for the ECS controller; CODE_DEPLOY or EXTERNAL.
    pub strategy: String,
    /// What holds a deployment of this strategy, for messages.
    pub detail: String,
}

fn timestamp(time: Option<&DateTime>) -> String {
    time.and_then(|time| time.fmt(DateTimeFormat::DateTime).ok())
        .unwrap_or_else(|| "an unknown time".to_string())
}

/// The deployment state of `service`, from DescribeServices alone.
pub fn of(service: &Service) -> Deployment {
    let controller = service
        .deployment_controller()
        .map(|controller| controller.r#type().clone());
    match controller {
        Some(DeploymentControllerType::CodeDeploy | DeploymentControllerType::External) => {
            of_task_sets(service)
        }
        _ => of_deployments(service),
    }
}

fn of_deployments(service: &Service) -> Deployment {
    let configuration = service.deployment_configuration();
    let strategy = configuration
        .and_then(|configuration| configuration.strategy())
        .map_or("ROLLING", |strategy| strategy.as_str())
        .to_string();
    let Some(primary) = service
        .deployments()
        .iter()
        .find(|deployment| deployment.status() == Some("PRIMARY"))
    else {
        return Deployment {
            settled: true,
            strategy,
            ..Deployment::default()
        };
    };
    let rollout = primary.rollout_state().map(|state| state.as_str());
    let others_active = service
        .deployments()
        .iter()
        .any(|deployment| deployment.status() == Some("ACTIVE"));
    let settled = rollout != Some("IN_PROGRESS") && !others_active;
    let (state, since) = match rollout {
        Some("IN_PROGRESS") => ("IN_PROGRESS".to_string(), primary.created_at()),
        Some(state) => (state.to_string(), primary.updated_at()),
        None if others_active => (
            "IN_PROGRESS (an ACTIVE deployment still runs)".to_string(),
            primary.created_at(),
        ),
        None => ("COMPLETED".to_string(), primary.updated_at()),
    };
    let mut detail = Vec::new();
    if strategy != "ROLLING" {
        let bake = configuration.and_then(|configuration| configuration.bake_time_in_minutes());
        detail.push(match bake {
            Some(minutes) => format!(
                "ECS keeps the previous revision for rollback until a bake time of {minutes} min after traffic moved"
            ),
            None => "ECS keeps the previous revision for rollback until its bake time ends".to_string(),
        });
        let hooks = configuration.map_or(0, |configuration| configuration.lifecycle_hooks().len());
        if hooks > 0 {
            detail.push(format!(
                "{hooks} lifecycle hook(s) may hold it, a paused one until ecs:ContinueServiceDeployment or ecs:StopServiceDeployment"
            ));
        }
    }
    Deployment {
        settled,
        id: primary.id().unwrap_or_default().to_string(),
        state,
        since: timestamp(since),
        strategy,
        detail: detail.join("; "),
    }
}

fn of_task_sets(service: &Service) -> Deployment {
    let strategy = service
        .deployment_controller()
        .map(|controller| controller.r#type().as_str().to_string())
        .unwrap_or_default();
    let unsettled = service
        .task_sets()
        .iter()
        .filter(|task_set| task_set.status() != Some("PRIMARY"))
        .max_by_key(|task_set| {
            task_set
                .created_at()
                .map(|time| (time.secs(), time.subsec_nanos()))
        });
    if let Some(task_set) = unsettled {
        return Deployment {
            settled: false,
            id: task_set.id().unwrap_or_default().to_string(),
            state: format!(
                "{} beside the PRIMARY task set",
                task_set.status().unwrap_or("ACTIVE")
            ),
            since: timestamp(task_set.created_at()),
            strategy,
            detail: if service.deployment_controller().map(|c| c.r#type())
                == Some(&DeploymentControllerType::CodeDeploy)
            {
                "a CodeDeploy deployment runs until it shifts traffic and terminates the original task set".to_string()
            } else {
                String::new()
            },
        };
    }
    let Some(primary) = service
        .task_sets()
        .iter()
        .find(|task_set| task_set.status() == Some("PRIMARY"))
    else {
        return Deployment {
            settled: true,
            strategy,
            ..Deployment::default()
        };
    };
    let stability = primary
        .stability_status()
        .map_or("STEADY_STATE", |status| status.as_str());
    Deployment {
        settled: stability != "STABILIZING",
        id: primary.id().unwrap_or_default().to_string(),
        state: format!("PRIMARY task set {stability}"),
        since: timestamp(primary.stability_status_at().or(primary.updated_at())),
        strategy,
        detail: String::new(),
    }
}

/// The revision a deployment of a CODE_DEPLOY or EXTERNAL service moves to: the newest task set
/// beside the PRIMARY one (ACTIVE: CodeDeploy's replacement, before traffic moves), `None` when
/// the PRIMARY task set is alone or the service has no task sets. It is what the pipeline
/// registered last, the family's latest revision, which the module's task definition follows
/// (track_latest): taking it as live keeps a plan that changes nothing clean during the
/// deployment, and the deployment guard keeps every change out until it has settled. A DRAINING
/// task set is on its way out and never the target.
pub fn target_task_set(service: &Service) -> Option<&str> {
    if !matches!(
        service
            .deployment_controller()
            .map(|controller| controller.r#type()),
        Some(DeploymentControllerType::CodeDeploy | DeploymentControllerType::External)
    ) {
        return None;
    }
    service
        .task_sets()
        .iter()
        .filter(|task_set| task_set.status() == Some("ACTIVE"))
        .filter(|task_set| task_set.created_at().is_some())
        .max_by_key(|task_set| {
            task_set
                .created_at()
                .map(|time| (time.secs(), time.subsec_nanos()))
        })
        .filter(|newest| {
            service
                .task_sets()
                .iter()
                .filter(|task_set| task_set.status() == Some("PRIMARY"))
                .all(|primary| primary.created_at() < newest.created_at())
        })
        .and_then(|task_set| task_set.task_definition())
}

/// The one line of a deployment that has not settled: which, in what state, since when.
pub fn describe(deployment: &Deployment) -> String {
    let detail = if deployment.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", deployment.detail)
    };
    format!(
        "{} deployment {} is {} since {}{detail}",
        deployment.strategy, deployment.id, deployment.state, deployment.since
    )
}

/// The result's deployment keys; empty when the service was not found.
pub fn insert(out: &mut Output, deployment: Option<&Deployment>) {
    let empty = Deployment::default();
    let found = deployment.unwrap_or(&empty);
    out.insert(
        "deployment_settled",
        match deployment {
            Some(deployment) if deployment.settled => "true",
            Some(_) => "false",
            None => "",
        },
    )
    .insert("deployment_id", found.id.as_str())
    .insert("deployment_state", found.state.as_str())
    .insert(
        "deployment_since",
        if deployment.is_some() && !found.id.is_empty() {
            found.since.as_str()
        } else {
            ""
        },
    )
    .insert("deployment_strategy", found.strategy.as_str());
}

#[cfg(test)]
pub(crate) mod tests {
    use aws_sdk_ecs::types::{
        Deployment as EcsDeployment, DeploymentConfiguration, DeploymentController,
        DeploymentLifecycleHook, DeploymentRolloutState, DeploymentStrategy, StabilityStatus,
        TaskSet,
    };

    use super::*;

    const ARN: &str = "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:42";

    fn at(seconds: i64) -> DateTime {
        DateTime::from_secs(seconds)
    }

    pub(crate) fn deployment(
        id: &str,
        status: &str,
        rollout: Option<DeploymentRolloutState>,
    ) -> EcsDeployment {
        EcsDeployment::builder()
            .id(id)
            .status(status)
            .set_rollout_state(rollout)
            .created_at(at(1_800_000_000))
            .updated_at(at(1_800_000_600))
            .build()
    }

    pub(crate) fn service() -> aws_sdk_ecs::types::builders::ServiceBuilder {
        Service::builder()
            .service_arn("arn:aws:ecs:eu-west-1:210987654321:service/prod/web")
            .service_name("web")
            .status("ACTIVE")
            .task_definition(ARN)
    }

    fn controller(kind: DeploymentControllerType) -> DeploymentController {
        DeploymentController::builder()
            .r#type(kind)
            .build()
            .expect("a controller")
    }

    fn task_set(id: &str, status: &str, created: i64) -> TaskSet {
        TaskSet::builder()
            .id(id)
            .status(status)
            .task_definition(ARN)
            .created_at(at(created))
            .stability_status(StabilityStatus::SteadyState)
            .build()
    }

    /// A rolling deployment IN_PROGRESS, the one it replaces ACTIVE beside it.
    pub(crate) fn in_progress() -> Service {
        service()
            .deployments(deployment(
                "ecs-svc/2",
                "PRIMARY",
                Some(DeploymentRolloutState::InProgress),
            ))
            .deployments(deployment(
                "ecs-svc/1",
                "ACTIVE",
                Some(DeploymentRolloutState::Completed),
            ))
            .build()
    }

    #[test]
    fn a_rolling_deployment_settles_when_completed_and_alone() {
        let rolling = of(&in_progress());
        assert_eq!(
            rolling,
            Deployment {
                settled: false,
                id: "ecs-svc/2".into(),
                state: "IN_PROGRESS".into(),
                since: "2027-01-15T08:00:00Z".into(),
                strategy: "ROLLING".into(),
                detail: String::new(),
            }
        );
        let completed = of(&service()
            .deployments(deployment(
                "ecs-svc/2",
                "PRIMARY",
                Some(DeploymentRolloutState::Completed),
            ))
            .build());
        assert!(completed.settled, "{completed:?}");
        assert_eq!(completed.since, "2027-01-15T08:10:00Z");
        // Behind a Classic Load Balancer ECS reports no rollout state: the ACTIVE one tells.
        let classic = of(&service()
            .deployments(deployment("ecs-svc/2", "PRIMARY", None))
            .deployments(deployment("ecs-svc/1", "ACTIVE", None))
            .build());
        assert!(!classic.settled, "{classic:?}");
        let classic_done = of(&service()
            .deployments(deployment("ecs-svc/2", "PRIMARY", None))
            .build());
        assert!(classic_done.settled, "{classic_done:?}");
        // The circuit breaker without rollback: FAILED, and the old revision still runs.
        let failed = of(&service()
            .deployments(deployment(
                "ecs-svc/2",
                "PRIMARY",
                Some(DeploymentRolloutState::Failed),
            ))
            .deployments(deployment("ecs-svc/1", "ACTIVE", None))
            .build());
        assert!(!failed.settled && failed.state == "FAILED", "{failed:?}");
        let failed_alone = of(&service()
            .deployments(deployment(
                "ecs-svc/2",
                "PRIMARY",
                Some(DeploymentRolloutState::Failed),
            ))
            .build());
        assert!(failed_alone.settled, "{failed_alone:?}");
    }

    #[test]
    fn blue_green_linear_and_canary_name_their_bake_time_and_hooks() {
        for strategy in [
            DeploymentStrategy::BlueGreen,
            DeploymentStrategy::Linear,
            DeploymentStrategy::Canary,
        ] {
            let baking = of(&service()
                .deployment_configuration(
                    DeploymentConfiguration::builder()
                        .strategy(strategy.clone())
                        .bake_time_in_minutes(15)
                        .lifecycle_hooks(DeploymentLifecycleHook::builder().build())
                        .build(),
                )
                .deployments(deployment(
                    "ecs-svc/2",
                    "PRIMARY",
                    Some(DeploymentRolloutState::InProgress),
                ))
                .deployments(deployment(
                    "ecs-svc/1",
                    "ACTIVE",
                    Some(DeploymentRolloutState::Completed),
                ))
                .build());
            assert!(!baking.settled);
            assert_eq!(baking.strategy, strategy.as_str());
            let line = describe(&baking);
            assert!(
                line.starts_with(&format!(
                    "{} deployment ecs-svc/2 is IN_PROGRESS since 2027-01-15T08:00:00Z",
                    strategy.as_str()
                )) && line.contains("bake time of 15 min")
                    && line.contains("1 lifecycle hook(s)")
                    && line.contains("ecs:ContinueServiceDeployment"),
                "{line}"
            );
        }
    }

    #[test]
    fn task_set_services_settle_when_the_primary_task_set_is_alone_and_steady() {
        for kind in [
            DeploymentControllerType::CodeDeploy,
            DeploymentControllerType::External,
        ] {
            let deploying = of(&service()
                .deployment_controller(controller(kind.clone()))
                .task_sets(task_set("ecs-svc/1", "PRIMARY", 1_800_000_000))
                .task_sets(task_set("ecs-svc/2", "ACTIVE", 1_800_000_300))
                .build());
            assert_eq!(
                (
                    deploying.settled,
                    deploying.id.as_str(),
                    deploying.state.as_str(),
                    deploying.since.as_str()
                ),
                (
                    false,
                    "ecs-svc/2",
                    "ACTIVE beside the PRIMARY task set",
                    "2027-01-15T08:05:00Z"
                ),
                "{kind:?}"
            );
            assert_eq!(deploying.strategy, kind.as_str());
            let steady = of(&service()
                .deployment_controller(controller(kind.clone()))
                .task_sets(task_set("ecs-svc/2", "PRIMARY", 1_800_000_300))
                .build());
            assert!(steady.settled && steady.id == "ecs-svc/2", "{steady:?}");
            let mut stabilizing = task_set("ecs-svc/2", "PRIMARY", 1_800_000_300);
            stabilizing.stability_status = Some(StabilityStatus::Stabilizing);
            let scaling = of(&service()
                .deployment_controller(controller(kind.clone()))
                .task_sets(stabilizing)
                .build());
            assert!(!scaling.settled, "{scaling:?}");
        }
        let none = of(&service()
            .deployment_controller(controller(DeploymentControllerType::External))
            .build());
        assert!(none.settled && none.id.is_empty(), "{none:?}");
    }

    #[test]
    fn a_task_set_deployment_targets_its_replacement_until_it_is_primary() {
        let with = |task_sets: Vec<TaskSet>| {
            service()
                .deployment_controller(controller(DeploymentControllerType::CodeDeploy))
                .set_task_sets(Some(task_sets))
                .build()
        };
        let revision = |task_set: TaskSet, arn: &str| {
            let mut task_set = task_set;
            task_set.task_definition = Some(arn.to_string());
            task_set
        };
        let original = revision(task_set("ecs-svc/1", "PRIMARY", 1_800_000_000), "web:1");
        let replacement = revision(task_set("ecs-svc/2", "ACTIVE", 1_800_000_300), "web:2");
        let deploying = with(vec![original.clone(), replacement.clone()]);
        assert_eq!(target_task_set(&deploying), Some("web:2"));
        // Traffic moved: the original is ACTIVE until CodeDeploy terminates it.
        let mut shifted_original = original.clone();
        shifted_original.status = Some("ACTIVE".into());
        let mut shifted_replacement = replacement.clone();
        shifted_replacement.status = Some("PRIMARY".into());
        assert_eq!(
            target_task_set(&with(vec![shifted_original, shifted_replacement])),
            None
        );
        assert_eq!(target_task_set(&with(vec![original])), None);
        // The first deployment of a service that has no task set yet.
        assert_eq!(
            target_task_set(&with(vec![replacement.clone()])),
            Some("web:2")
        );
        let ecs = service().task_sets(replacement).build();
        assert_eq!(target_task_set(&ecs), None);
    }
}
