//! The Terraform module's data flow, as code: what `terraform-module/main.tf` does on a plan and an
//! apply, against a [`Moto`] server, with the real programs.
//!
//! plan:  live_task_lookup -> container_definition -> task_definition_selector
//! apply: register the task definition when the selector says "changed" (aws_ecs_task_definition),
//!        then create the service or point it at the chosen ARN when it runs another
//!        (aws_ecs_service).
//!
//! The queries are built the way the module's `data "external"` blocks build them: nested values
//! through `jsonencode`, results through `jsondecode`.

use serde_json::{Map, Value, json};

use crate::{MOTO_REGION, Moto, Run, run_command, workspace_binary};

/// The module's inputs that matter to the decision.
#[derive(Debug, Clone)]
pub struct Stack {
    pub cluster: String,
    pub service: String,
    /// Task-level fields in the ECS API's camelCase: family, cpu, memory, networkMode, roles, ...
    pub task: Map<String, Value>,
    /// The container definitions as written in Terraform; each `image` is the bootstrap image.
    pub containers: Value,
    /// `None`: every container follows deployments.
    pub live_image_containers: Option<Vec<String>>,
    pub force_bootstrap_image: bool,
    /// The service's deployment controller: ECS, CODE_DEPLOY or EXTERNAL.
    pub deployment_controller: String,
}

impl Stack {
    /// A Fargate service `service` in `cluster` with the given containers.
    pub fn fargate(cluster: &str, service: &str, containers: Value) -> Self {
        let task = json!({
            "family": service,
            "cpu": "256",
            "memory": "512",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
        });
        Self {
            cluster: cluster.to_string(),
            service: service.to_string(),
            task: task.as_object().cloned().unwrap_or_default(),
            containers,
            live_image_containers: None,
            force_bootstrap_image: false,
            deployment_controller: "ECS".to_string(),
        }
    }

    /// The container named `name`, to change a field as a Terraform edit would.
    pub fn container_mut(&mut self, name: &str) -> &mut Value {
        self.containers
            .as_array_mut()
            .and_then(|containers| {
                containers
                    .iter_mut()
                    .find(|container| container["name"] == name)
            })
            .unwrap_or_else(|| panic!("no container {name} in the stack"))
    }
}

/// What a plan computed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub lookup: Map<String, Value>,
    pub containers: Map<String, Value>,
    pub selection: Map<String, Value>,
    /// The task definition the apply registers (task fields plus the containers), when changed.
    pub register: Option<Value>,
}

impl Plan {
    pub fn found(&self) -> bool {
        self.lookup["found"] == "true"
    }

    pub fn changed(&self) -> bool {
        self.selection["changed"] == "true"
    }

    /// The lookup's live ARN ("" on the first apply).
    pub fn live_arn(&self) -> &str {
        self.lookup["task_definition_arn"]
            .as_str()
            .unwrap_or_default()
    }

    /// Container name -> image chosen.
    pub fn images(&self) -> Map<String, Value> {
        decode(&self.containers, "images")
    }

    /// Container name -> "live", "bootstrap", "forced" or "pinned".
    pub fn image_sources(&self) -> Map<String, Value> {
        decode(&self.containers, "image_sources")
    }

    /// The selector's readable differences.
    pub fn differences(&self) -> &str {
        self.selection["differences"].as_str().unwrap_or_default()
    }
}

/// What an apply did.
#[derive(Debug, Clone)]
pub struct Applied {
    pub plan: Plan,
    /// The ARN the service runs after the apply.
    pub task_definition_arn: String,
    pub registered: bool,
    pub service_created: bool,
    pub service_updated: bool,
}

fn decode(result: &Map<String, Value>, key: &str) -> Map<String, Value> {
    let text = result[key].as_str().unwrap_or_default();
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("result {key} is not a JSON object ({error}): {text}"))
}

/// Runs a workspace program against `moto` with `query`, as Terraform's external data source does.
fn external(moto: &Moto, program: &str, query: &Value) -> Map<String, Value> {
    let run: Run = run_command(
        moto.command(workspace_binary(program)),
        query.to_string().as_bytes(),
    );
    if run.status != Some(0) {
        panic!("{program} failed: {}", run.stderr.trim());
    }
    run.assert_success()
}

impl Moto {
    /// `terraform plan`: the three data sources, in the module's order.
    pub fn plan(&self, stack: &Stack) -> Plan {
        let lookup = external(
            self,
            "live_task_lookup",
            &json!({
                "cluster": stack.cluster,
                "service": stack.service,
                "region": MOTO_REGION,
                "endpoint_url": self.endpoint(),
            }),
        );
        let network_mode = stack
            .task
            .get("networkMode")
            .and_then(Value::as_str)
            .unwrap_or("bridge");
        let mut query = json!({
            "container_definitions": stack.containers.to_string(),
            "live_images": lookup["images"],
            "force_bootstrap_image": stack.force_bootstrap_image.to_string(),
            "network_mode": network_mode,
        });
        if let Some(names) = &stack.live_image_containers {
            query["live_image_containers"] = json!(json!(names).to_string());
        }
        let containers = external(self, "container_definition", &query);
        let container_definitions: Value = serde_json::from_str(
            containers["container_definitions"]
                .as_str()
                .unwrap_or_default(),
        )
        .unwrap_or_else(|error| panic!("container_definitions is not JSON: {error}"));
        let mut desired = stack.task.clone();
        desired.insert("containerDefinitions".into(), container_definitions);
        let selection = external(
            self,
            "task_definition_selector",
            &json!({
                "desired_task_definition": Value::Object(desired.clone()).to_string(),
                "live_task_definition": lookup["task_definition"],
                "live_task_definition_arn": lookup["task_definition_arn"],
            }),
        );
        let register = (selection["changed"] == "true").then_some(Value::Object(desired));
        Plan {
            lookup,
            containers,
            selection,
            register,
        }
    }

    /// `terraform apply`: the plan, then the task definition and the service.
    pub fn apply(&self, stack: &Stack) -> Applied {
        let plan = self.plan(stack);
        let applied = self.seed(
            "apply",
            json!({
                "cluster": stack.cluster,
                "service": stack.service,
                "task_definition": plan.register,
                "task_definition_arn": plan.selection["task_definition_arn"],
                "controller": stack.deployment_controller,
            }),
        );
        Applied {
            task_definition_arn: applied["task_definition_arn"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            registered: applied["registered"] == true,
            service_created: applied["service_created"] == true,
            service_updated: applied["service_updated"] == true,
            plan,
        }
    }
}
