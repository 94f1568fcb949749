//! The drift story, step by step: what `make demo` prints and what the end-to-end test checks.
//!
//! Terraform (played by [`Moto::apply`], the module's data flow with the real programs) and a real
//! deploy tool (`ecs deploy`, PyPI `ecs-deploy`) share one two-container service on moto. Every step
//! checks its outcome and the story stops at the first one that is not what it says.

use std::io::Write;

use serde_json::{Value, json};

use crate::Moto;
use crate::module::{Applied, Stack};

pub const CLUSTER: &str = "demo";
pub const SERVICE: &str = "web";
/// The image Terraform configures for `app`: used on the first apply and when forced.
pub const BOOTSTRAP_IMAGE: &str = "public.ecr.aws/nginx/nginx:stable";
/// The image CI ships outside Terraform.
pub const SHIPPED_IMAGE: &str = "public.ecr.aws/nginx/nginx:1.27.3";
/// The sidecar's image, pinned by Terraform.
pub const SIDECAR_IMAGE: &str = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4";

/// The demo's stack: `app` follows deployments, `log-router` is pinned by Terraform.
pub fn stack() -> Stack {
    let mut stack = Stack::fargate(
        CLUSTER,
        SERVICE,
        json!([
            {
                "name": "app",
                "image": BOOTSTRAP_IMAGE,
                "portMappings": [{ "containerPort": 80 }],
                "environment": { "LOG_LEVEL": "info", "UPSTREAM": "http://localhost:9000" },
                "healthCheck": { "command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] },
                "dependsOn": [{ "containerName": "log-router", "condition": "START" }]
            },
            {
                "name": "log-router",
                "image": SIDECAR_IMAGE,
                "essential": false,
                "firelensConfiguration": { "type": "fluentbit" }
            }
        ]),
    );
    stack.live_image_containers = Some(vec!["app".to_string()]);
    stack
}

/// The story failed: which step, and what happened instead.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

fn check(condition: bool, step: &str, what: impl FnOnce() -> String) -> Result<(), Failure> {
    if condition {
        Ok(())
    } else {
        Err(Failure(format!("step {step}: {}", what())))
    }
}

/// Short `family:revision` of an ARN, for reading.
fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Writes what an apply decided, indented.
fn report(out: &mut dyn Write, applied: &Applied) -> std::io::Result<()> {
    let plan = &applied.plan;
    let sources = plan.image_sources();
    for (name, image) in plan.images() {
        let source = sources.get(&name).and_then(Value::as_str).unwrap_or("?");
        writeln!(
            out,
            "   image     {name} = {} ({source})",
            image.as_str().unwrap_or_default()
        )?;
    }
    if plan.changed() {
        writeln!(out, "   selector  changed:")?;
        for line in plan.differences().lines() {
            writeln!(out, "               {line}")?;
        }
    } else {
        writeln!(
            out,
            "   selector  unchanged: keep {}",
            short(plan.live_arn())
        )?;
    }
    let registered = if applied.registered {
        "registered a new revision"
    } else {
        "registered nothing"
    };
    let service = match (applied.service_created, applied.service_updated) {
        (true, _) => "created the service",
        (false, true) => "updated the service",
        (false, false) => "left the service alone",
    };
    writeln!(
        out,
        "   apply     {registered}; {service}; it runs {}",
        short(&applied.task_definition_arn)
    )
}

fn image_of(applied: &Applied, container: &str) -> String {
    applied
        .plan
        .images()
        .get(container)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Runs the whole story against `moto`, writing each step to `out`.
pub fn run(moto: &Moto, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let mut stack = stack();
    writeln!(
        out,
        "ecs-drift demo: Terraform and a deploy pipeline share service {SERVICE} (ECS emulator at {})\n",
        moto.endpoint()
    )?;

    writeln!(out, "1. First apply: no service exists yet")?;
    let first = moto.apply(&stack);
    report(out, &first)?;
    check(!first.plan.found(), "1", || {
        "the lookup found a service before the first apply".into()
    })?;
    check(image_of(&first, "app") == BOOTSTRAP_IMAGE, "1", || {
        format!(
            "app should use the bootstrap image, got {}",
            image_of(&first, "app")
        )
    })?;
    check(first.registered && first.service_created, "1", || {
        "the first apply should register and create".into()
    })?;

    writeln!(
        out,
        "\n2. CI ships {SHIPPED_IMAGE} with the real deploy tool, outside Terraform:"
    )?;
    writeln!(
        out,
        "   $ ecs deploy {CLUSTER} {SERVICE} --image app {SHIPPED_IMAGE} --timeout -1"
    )?;
    moto.ecs_deploy(CLUSTER, SERVICE, "app", SHIPPED_IMAGE);
    let deployed = moto.plan(&stack);
    writeln!(
        out,
        "   the service now runs {} (app = {})",
        short(deployed.live_arn()),
        deployed.images()["app"]
    )?;
    check(
        deployed.live_arn() != first.task_definition_arn,
        "2",
        || "the deploy tool did not register a new revision".into(),
    )?;

    writeln!(
        out,
        "\n3. Next terraform plan/apply, nothing changed in Terraform:"
    )?;
    let steady = moto.apply(&stack);
    report(out, &steady)?;
    check(image_of(&steady, "app") == SHIPPED_IMAGE, "3", || {
        format!(
            "the live image should be kept, got {}",
            image_of(&steady, "app")
        )
    })?;
    check(
        image_of(&steady, "log-router") == SIDECAR_IMAGE,
        "3",
        || "the pinned sidecar should keep Terraform's image".into(),
    )?;
    check(
        !steady.plan.changed() && !steady.registered && !steady.service_updated,
        "3",
        || {
            format!(
                "nothing should be deployed, but the selector said: {}",
                steady.plan.differences()
            )
        },
    )?;
    writeln!(out, "   => no rollback, no new revision: the plan is clean")?;

    writeln!(
        out,
        "\n4. A Terraform-side change: LOG_LEVEL=debug and a health check with 5 retries"
    )?;
    stack.container_mut("app")["environment"]["LOG_LEVEL"] = json!("debug");
    stack.container_mut("app")["healthCheck"]["retries"] = json!(5);
    let change = moto.apply(&stack);
    report(out, &change)?;
    let differences = change.plan.differences();
    check(
        change.plan.changed() && change.registered && change.service_updated,
        "4",
        || "the change should be deployed".into(),
    )?;
    check(
        differences.contains("LOG_LEVEL") && differences.contains("healthCheck.retries"),
        "4",
        || format!("the differences should name both changes, got: {differences}"),
    )?;
    check(image_of(&change, "app") == SHIPPED_IMAGE, "4", || {
        "the new revision should carry the live image".into()
    })?;
    writeln!(
        out,
        "   => the new revision carries the live image {SHIPPED_IMAGE}"
    )?;

    writeln!(out, "\n5. force_bootstrap_container_image = true")?;
    stack.force_bootstrap_image = true;
    let forced = moto.apply(&stack);
    report(out, &forced)?;
    check(
        image_of(&forced, "app") == BOOTSTRAP_IMAGE && forced.service_updated,
        "5",
        || "the bootstrap image should be chosen and deployed".into(),
    )?;
    writeln!(
        out,
        "   and once more, with the bootstrap image already live:"
    )?;
    let again = moto.apply(&stack);
    report(out, &again)?;
    check(
        !again.plan.changed() && !again.registered && !again.service_updated,
        "5",
        || {
            format!(
                "nothing should happen when the bootstrap image is live, but: {}",
                again.plan.differences()
            )
        },
    )?;
    writeln!(out, "\nEvery step did what the story says.")?;
    Ok(())
}
