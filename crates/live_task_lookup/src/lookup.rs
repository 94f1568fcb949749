//! The two calls and what they mean: DescribeServices, then DescribeTaskDefinition of the task
//! definition the service runs.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_sdk_ecs::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_ecs::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ecs::types::{DeploymentControllerType, Service};
use external_protocol::Output;

use crate::aws::{Context, call_error};
use crate::deployment::Deployment;
use crate::error::Error;
use crate::service_settings::ServiceSettings;
use crate::settings::account_of;

/// The IAM actions of the two calls, named in errors.
pub const DESCRIBE_SERVICES: &str = "ecs:DescribeServices";
pub const DESCRIBE_TASK_DEFINITION: &str = "ecs:DescribeTaskDefinition";

/// Fields of DescribeTaskDefinition's `taskDefinition` that ECS sets and RegisterTaskDefinition
/// does not take: the task definition model's list, left out of the result.
pub use task_definition::READ_ONLY_TASK_FIELDS as READ_ONLY_FIELDS;

/// What the service runs, or why nothing was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub found: bool,
    pub status: String,
    pub task_definition_arn: String,
    pub family: String,
    pub revision: String,
    /// Container name → image.
    pub images: BTreeMap<String, String>,
    /// The service's desired count; `None` when not found.
    pub desired_count: Option<i32>,
    /// The task definition without its read-only fields; `None` when not found.
    pub task_definition: Option<serde_json::Map<String, serde_json::Value>>,
    pub deployment_controller: String,
    pub rollout_state: String,
    pub account_id: String,
    /// The state of the service's deployment; `None` when not found.
    pub deployment: Option<Deployment>,
    /// The service's settings whose change starts a deployment; `None` when not found.
    pub service_settings: Option<ServiceSettings>,
}

impl Live {
    /// Nothing to find: the first apply.
    pub(crate) fn not_found(
        status: &str,
        deployment_controller: String,
        account_id: String,
    ) -> Self {
        Self {
            found: false,
            status: status.to_string(),
            task_definition_arn: String::new(),
            family: String::new(),
            revision: String::new(),
            images: BTreeMap::new(),
            desired_count: None,
            task_definition: None,
            deployment_controller,
            rollout_state: String::new(),
            account_id,
            deployment: None,
            service_settings: None,
        }
    }

    /// The program's result, for a lookup in `region`.
    pub fn to_output(&self, region: &str) -> Output {
        let mut out = Output::new();
        out.insert("found", if self.found { "true" } else { "false" })
            .insert("status", self.status.as_str())
            .insert("task_definition_arn", self.task_definition_arn.as_str())
            .insert("family", self.family.as_str())
            .insert("revision", self.revision.as_str())
            .insert_json("images", &self.images)
            .insert(
                "desired_count",
                self.desired_count
                    .map(|count| count.to_string())
                    .unwrap_or_default(),
            )
            .insert("deployment_controller", self.deployment_controller.as_str())
            .insert("rollout_state", self.rollout_state.as_str())
            .insert("region", region)
            .insert("account_id", self.account_id.as_str());
        match &self.task_definition {
            Some(definition) => out.insert_json("task_definition", definition),
            None => out.insert("task_definition", ""),
        };
        crate::deployment::insert(&mut out, self.deployment.as_ref());
        out
    }
}

/// Looks the service up with `client`: DescribeServices, then (when there is something to find)
/// DescribeTaskDefinition. Never more than these two calls.
pub async fn lookup(client: &aws_sdk_ecs::Client, context: &Context) -> Result<Live, Error> {
    let target = format!("service {} in cluster {}", context.service, context.cluster);
    let answer = match client
        .describe_services()
        .cluster(&context.cluster)
        .services(&context.service)
        .send()
        .await
    {
        Ok(answer) => answer,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_cluster_not_found_exception()) =>
        {
            let account = context.account_from_query.clone().unwrap_or_default();
            return Ok(Live::not_found("MISSING", String::new(), account));
        }
        Err(error) => return Err(call_error(DESCRIBE_SERVICES, target, context, error)),
    };

    // A deleted service stays described as INACTIVE for a while; a new one of the same name may
    // exist beside it, so prefer a live one.
    let service = answer
        .services()
        .iter()
        .find(|service| service.status() != Some("INACTIVE"))
        .or_else(|| answer.services().first());
    let Some(service) = service else {
        let Some(failure) = answer.failures().first() else {
            return Err(Error::Malformed {
                action: DESCRIBE_SERVICES,
                what: "service and no failure",
            });
        };
        let account = failure
            .arn()
            .and_then(account_of)
            .or_else(|| context.account_from_query.clone())
            .unwrap_or_default();
        return match failure.reason() {
            // (ECS API reference, DescribeServices: a missing service is a `failures` entry with
            // reason MISSING, not an error.)
            Some("MISSING") => Ok(Live::not_found("MISSING", String::new(), account)),
            reason => Err(Error::Failure {
                action: DESCRIBE_SERVICES,
                target,
                reason: reason.unwrap_or("no reason given").to_string(),
                detail: failure
                    .detail()
                    .map(|detail| format!(" ({detail})"))
                    .unwrap_or_default(),
            }),
        };
    };

    let status = service.status().unwrap_or_default().to_string();
    let controller = controller_of(service);
    let account = service
        .service_arn()
        .and_then(account_of)
        .or_else(|| context.account_from_query.clone())
        .unwrap_or_default();
    if status == "INACTIVE" {
        return Ok(Live::not_found("INACTIVE", controller, account));
    }
    let Some(reference) = running_task_definition(service) else {
        // An EXTERNAL service before its first task set runs nothing yet.
        return Ok(Live::not_found(&status, controller, account));
    };
    let rollout_state = service
        .deployments()
        .iter()
        .find(|deployment| deployment.status() == Some("PRIMARY"))
        .and_then(|deployment| deployment.rollout_state())
        .map(|state| state.as_str().to_string())
        .unwrap_or_default();

    let raw = RawBody::default();
    let described = client
        .describe_task_definition()
        .task_definition(reference)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
        .map_err(|error| {
            call_error(
                DESCRIBE_TASK_DEFINITION,
                format!("task definition {reference} of {target}"),
                context,
                error,
            )
        })?;
    let Some(definition) = described.task_definition() else {
        return Err(Error::Malformed {
            action: DESCRIBE_TASK_DEFINITION,
            what: "taskDefinition",
        });
    };
    // The ARN comes from this answer, not from the service: ECS (and moto) may keep a
    // `family:revision` string there when a deploy tool set one.
    let Some(task_definition_arn) = definition.task_definition_arn() else {
        return Err(Error::Malformed {
            action: DESCRIBE_TASK_DEFINITION,
            what: "taskDefinitionArn",
        });
    };
    let images = definition
        .container_definitions()
        .iter()
        .map(|container| {
            (
                container.name().unwrap_or_default().to_string(),
                container.image().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let task_definition = raw.task_definition().ok_or(Error::Malformed {
        action: DESCRIBE_TASK_DEFINITION,
        what: "taskDefinition object in its JSON body",
    })?;
    let account = account_of(task_definition_arn).unwrap_or(account);
    Ok(Live {
        found: true,
        status,
        task_definition_arn: task_definition_arn.to_string(),
        family: definition.family().unwrap_or_default().to_string(),
        revision: definition.revision().to_string(),
        images,
        desired_count: Some(service.desired_count()),
        task_definition: Some(task_definition),
        deployment_controller: controller,
        rollout_state,
        account_id: account,
        deployment: Some(crate::deployment::of(service)),
        service_settings: Some(ServiceSettings::of(service)),
    })
}

/// The deployment controller's name; ECS when the service does not say.
fn controller_of(service: &Service) -> String {
    service
        .deployment_controller()
        .map(|controller| controller.r#type().as_str().to_string())
        .unwrap_or_else(|| "ECS".to_string())
}

/// The task definition the service runs: for the EXTERNAL and CODE_DEPLOY controllers the PRIMARY
/// task set's when there is one (ECS API reference, TaskSet: the PRIMARY task set serves
/// production traffic), else the service's own. During a deployment, the replacement task set's
/// (`crate::deployment::target_task_set`), as the ECS controller's service names its target.
fn running_task_definition(service: &Service) -> Option<&str> {
    if let Some(target) = crate::deployment::target_task_set(service) {
        return Some(target);
    }
    let uses_task_sets = matches!(
        service
            .deployment_controller()
            .map(|controller| controller.r#type()),
        Some(DeploymentControllerType::External | DeploymentControllerType::CodeDeploy)
    );
    let primary_task_set = service
        .task_sets()
        .iter()
        .find(|task_set| task_set.status() == Some("PRIMARY"))
        .and_then(|task_set| task_set.task_definition());
    match primary_task_set {
        Some(task_definition) if uses_task_sets => Some(task_definition),
        _ => service.task_definition().filter(|value| !value.is_empty()),
    }
}

/// Keeps the JSON body of DescribeTaskDefinition's answer.
///
/// The task definition is passed on as ECS wrote it, not rebuilt from the SDK's types: no field
/// can be forgotten by a conversion, and fields newer than the SDK survive too.
#[derive(Debug, Clone, Default)]
struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl RawBody {
    /// `taskDefinition` of the body, without the read-only fields.
    fn task_definition(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        let bytes = self.0.lock().ok()?.take()?;
        let mut body: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes).ok()?;
        let serde_json::Value::Object(mut definition) = body.remove("taskDefinition")? else {
            return None;
        };
        for field in READ_ONLY_FIELDS {
            definition.remove(*field);
        }
        Some(definition)
    }
}

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "RawBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        // A non-streaming answer is read whole before it is deserialised, so the bytes are here.
        if let (Some(bytes), Ok(mut slot)) = (context.response().body().bytes(), self.0.lock()) {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}
