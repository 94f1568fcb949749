//! The drift story under real Terraform, step by step: what `make demo` prints and what the
//! example tests assert, for any ECS-controlled example and deploy tool.
//!
//! 1. `terraform apply`: the bootstrap images, revision 1; `plan -detailed-exitcode` exits 0.
//! 2. A pipeline ships an image outside Terraform (`ecs deploy`, or the AWS CLI and jq); ECS runs
//!    revision 2; the plan exits 0.
//! 3. `terraform apply` changes nothing: no rollback, no revision registered.
//! 4. A Terraform-side change: the plan exits 2, replaces the task definition and shows why;
//!    the apply moves the service to revision 3, with the deployed image; the plan exits 0.
//! 5. `force_bootstrap_container_image = true`: the bootstrap image back, revision 4; the plan
//!    exits 0.
//!
//! Each step checks what ECS runs afterwards, and the story stops at the first step that is not
//! what it says.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::terraform::{Plan, Workdir};
use crate::{Moto, path_program, repo_root, run_command, venv_bin};

/// The region every example's provider manages.
pub const REGION: &str = "eu-west-1";

/// moto on loopback with `cluster` created in REGION: every example takes its cluster as given.
pub fn moto_with_cluster(cluster: &str) -> Moto {
    let moto = Moto::start();
    moto.seed(
        "create-cluster",
        serde_json::json!({ "cluster": cluster, "region": REGION }),
    );
    moto
}

/// The image a pipeline ships in the story.
pub const SHIPPED: &str = "public.ecr.aws/nginx/nginx:1.27.3";

/// An example of `examples/`, as its `main.tf` writes it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub name: &'static str,
    pub cluster: &'static str,
    pub service: &'static str,
    /// Container name to the image the example configures (its bootstrap image).
    pub bootstrap: &'static [(&'static str, &'static str)],
    /// The container whose image the pipeline ships.
    pub follower: &'static str,
    /// Where the configuration keeps the task definition and the service.
    pub layout: Layout,
}

/// The addresses of an example's task definition and service.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// The `module` block that takes the task definition's arguments (an override file sets them).
    pub module: &'static str,
    /// The address of the module call that holds the task definition (`module.service`, or
    /// `module.task_definition` with `create_service = false`).
    pub task_definition: &'static str,
    /// The address of the service resource.
    pub service: &'static str,
}

/// The whole service from the root module, as `module "service"`.
pub const ROOT_MODULE: Layout = Layout {
    module: "service",
    task_definition: "module.service",
    service: "module.service.aws_ecs_service.this[0]",
};

impl Layout {
    pub fn task_definition_resource(&self) -> String {
        format!("{}.aws_ecs_task_definition.this", self.task_definition)
    }

    pub fn revision_record(&self) -> String {
        format!("{}.terraform_data.revision", self.task_definition)
    }
}

pub const FARGATE: Example = Example {
    name: "fargate",
    cluster: "ecs-drift-example",
    service: "ecs-drift-fargate",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: ROOT_MODULE,
};

pub const SIDECAR: Example = Example {
    name: "sidecar",
    cluster: "ecs-drift-example",
    service: "ecs-drift-sidecar",
    bootstrap: &[
        ("app", "public.ecr.aws/nginx/nginx:stable"),
        (
            "otel",
            "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1",
        ),
    ],
    follower: "app",
    layout: ROOT_MODULE,
};

pub const EC2_BRIDGE: Example = Example {
    name: "ec2-bridge",
    cluster: "ecs-drift-ec2",
    service: "ecs-drift-ec2-bridge",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: ROOT_MODULE,
};

pub const AUTOSCALED: Example = Example {
    name: "autoscaled",
    cluster: "ecs-drift-example",
    service: "ecs-drift-autoscaled",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: ROOT_MODULE,
};

/// `examples/own-service`: the module with `create_service = false` and a plain `aws_ecs_service`
/// of the root's.
pub const OWN_SERVICE: Example = Example {
    name: "own-service",
    cluster: "ecs-drift-example",
    service: "ecs-drift-own-service",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: Layout {
        module: "task_definition",
        task_definition: "module.task_definition",
        service: "aws_ecs_service.this",
    },
};

pub const CODEDEPLOY: Example = Example {
    name: "codedeploy",
    cluster: "ecs-drift-example",
    service: "ecs-drift-codedeploy",
    bootstrap: &[("app", "public.ecr.aws/nginx/nginx:stable")],
    follower: "app",
    layout: ROOT_MODULE,
};

impl Example {
    pub fn bootstrap_images(&self) -> Map<String, Value> {
        self.bootstrap
            .iter()
            .map(|(name, image)| ((*name).to_string(), json!(image)))
            .collect()
    }

    pub fn bootstrap_image(&self, container: &str) -> &'static str {
        self.bootstrap
            .iter()
            .find(|(name, _)| *name == container)
            .map(|(_, image)| *image)
            .unwrap_or_else(|| panic!("{} has no container {container}", self.name))
    }
}

/// What ECS runs for a service: the task definition (the PRIMARY task set's, for CODE_DEPLOY)
/// and its containers.
#[derive(Debug, Clone)]
pub struct Running {
    pub task_definition_arn: String,
    pub revision: u64,
    pub images: Map<String, Value>,
    /// Container name to its environment, name to value.
    pub environment: Value,
    /// The revision's tags (DescribeTaskDefinition with TAGS).
    pub tags: Value,
    pub desired_count: u64,
}

impl Running {
    /// `family:revision (container = image, ...)`, for reading.
    pub fn describe(&self) -> String {
        let images: Vec<String> = self
            .images
            .iter()
            .map(|(name, image)| format!("{name} = {}", image.as_str().unwrap_or_default()))
            .collect();
        let short = self
            .task_definition_arn
            .rsplit('/')
            .next()
            .unwrap_or_default();
        format!("{short} ({})", images.join(", "))
    }

    pub fn image(&self, container: &str) -> &str {
        self.images
            .get(container)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// What ECS runs for `example`'s service.
pub fn running(moto: &Moto, example: &Example) -> Running {
    let described = moto.seed(
        "describe-service",
        json!({ "cluster": example.cluster, "service": example.service, "region": REGION }),
    );
    Running {
        task_definition_arn: described["task_definition_arn"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        revision: described["revision"].as_u64().unwrap_or_default(),
        images: described["images"].as_object().cloned().unwrap_or_default(),
        environment: described["environment"].clone(),
        tags: described["tags"].clone(),
        desired_count: described["desired_count"].as_u64().unwrap_or_default(),
    }
}

/// The status (ACTIVE, INACTIVE) and revision of a task definition, or of a family's latest
/// ACTIVE revision.
pub fn task_definition(moto: &Moto, name: &str) -> (String, u64) {
    let described = moto.seed(
        "describe-task-definition",
        json!({ "task_definition": name, "region": REGION }),
    );
    (
        described["status"].as_str().unwrap_or_default().to_string(),
        described["revision"].as_u64().unwrap_or_default(),
    )
}

/// How a pipeline ships an image, outside Terraform.
#[derive(Debug, Clone, Copy)]
pub enum Deploy {
    /// `ecs deploy CLUSTER SERVICE --image CONTAINER IMAGE` (PyPI ecs-deploy): registers a copy of
    /// the running revision with the new image, points the service at it and deregisters the
    /// revision it replaced.
    EcsDeploy,
    /// `tests/deploy/aws-cli.sh`: the AWS CLI and jq, as CI jobs script it (describe, swap the
    /// image, register, update the service); the previous revision stays registered.
    AwsCli,
}

impl Deploy {
    /// The command line, for reading.
    pub fn command_line(&self, example: &Example, container: &str, image: &str) -> String {
        let (cluster, service) = (example.cluster, example.service);
        match self {
            Deploy::EcsDeploy => {
                format!("ecs deploy {cluster} {service} --image {container} {image} --timeout -1")
            }
            Deploy::AwsCli => {
                format!("tests/deploy/aws-cli.sh {cluster} {service} {container} {image}")
            }
        }
    }
}

/// Ships `image` to `container` of `example`'s service with `style`.
pub fn deploy(
    moto: &Moto,
    style: Deploy,
    example: &Example,
    container: &str,
    image: &str,
) -> Result<(), Failure> {
    let command = match style {
        Deploy::EcsDeploy => {
            moto.ecs_deploy_command(REGION, example.cluster, example.service, container, image)
        }
        Deploy::AwsCli => {
            let mut command = moto.command_in(repo_root().join("tests/deploy/aws-cli.sh"), REGION);
            command
                .args([example.cluster, example.service, container, image])
                .env("AWS", venv_bin("aws"))
                .env("JQ", jq());
            command
        }
    };
    let run = run_command(command, b"");
    if run.status == Some(0) {
        Ok(())
    } else {
        Err(Failure(format!(
            "`{}` failed: {}",
            style.command_line(example, container, image),
            run.stderr.trim()
        )))
    }
}

/// The user's jq where there is one; else jaq, the jq-compatible program the test tools pin.
pub fn jq() -> std::path::PathBuf {
    path_program("jq").unwrap_or_else(|| venv_bin("jaq"))
}

/// A Terraform-side change: an edit of the example's `main.tf`, and a line of the selector's
/// differences it must produce.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub from: &'static str,
    pub to: &'static str,
    pub expected: &'static str,
}

/// The story failed: which step, and what happened instead. Its Debug is its text, so that a
/// test returning it prints the message as written.
pub struct Failure(pub String);

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// `Ok` when `condition` holds, else a failure of `step` saying `what`.
pub fn check(condition: bool, step: &str, what: impl FnOnce() -> String) -> Result<(), Failure> {
    if condition {
        Ok(())
    } else {
        Err(Failure(format!("{step}: {}", what())))
    }
}

/// The selector's differences the plan shows for the replaced revision record.
pub fn planned_differences(plan: &Plan, example: &Example) -> Vec<String> {
    plan.after(&example.layout.revision_record())["input"]["differences"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|line| line.as_str().map(str::to_string))
        .collect()
}

/// A clean plan: exit code 0 under `-detailed-exitcode`.
pub fn check_clean(plan: &Plan, step: &str) -> Result<(), Failure> {
    check(plan.exit_code == Some(0), step, || {
        format!(
            "`terraform plan -detailed-exitcode` exited {:?}, not 0; resource changes {:?}, output changes {:?}\n{}\n{}",
            plan.exit_code,
            plan.changes(),
            plan.output_changes(),
            plan.text,
            plan.stderr
        )
    })
}

/// A plan that moves the service to a new revision: exit code 2, the task definition and the
/// record of the move replaced, the service updated (`service_updated`, for the ECS controller)
/// or left alone, and `expected` among the differences, in the JSON and in the text people read.
pub fn check_moves(
    plan: &Plan,
    example: &Example,
    step: &str,
    expected: &str,
    service_updated: bool,
) -> Result<(), Failure> {
    // Created before the old one leaves the state (create_before_destroy).
    let replaced = ["create", "delete"];
    check(plan.exit_code == Some(2), step, || {
        format!(
            "the plan exited {:?}, not 2:\n{}\n{}",
            plan.exit_code, plan.text, plan.stderr
        )
    })?;
    check(
        plan.actions(&example.layout.task_definition_resource()) == replaced
            && plan.actions(&example.layout.revision_record()) == replaced,
        step,
        || {
            format!(
                "the task definition and its record should be replaced: {:?}",
                plan.changes()
            )
        },
    )?;
    let service = plan.actions(example.layout.service);
    check(
        if service_updated {
            service == ["update"]
        } else {
            service.is_empty()
        },
        step,
        || format!("the service's planned actions: {:?}", plan.changes()),
    )?;
    let differences = planned_differences(plan, example);
    check(
        differences.iter().any(|line| line == expected),
        step,
        || format!("{expected:?} is not among the planned differences {differences:?}"),
    )?;
    // The plan shows strings as HCL literals, with their quotes escaped.
    check(
        plan.text.replace("\\\"", "\"").contains(expected),
        step,
        || format!("the plan does not show {expected:?}:\n{}", plan.text),
    )
}

/// A successful `terraform apply`'s summary line (`Apply complete! Resources: ...`).
pub fn applied(run: &crate::Run, step: &str) -> Result<String, Failure> {
    check(run.status == Some(0), step, || {
        format!("terraform apply failed:\n{}\n{}", run.stdout, run.stderr)
    })?;
    Ok(run
        .stdout
        .lines()
        .find(|line| line.starts_with("Apply complete!"))
        .unwrap_or_default()
        .to_string())
}

/// The summary line of a plan: `No changes.` or `Plan: ...`.
pub fn summary(plan: &Plan) -> String {
    plan.text
        .lines()
        .find(|line| line.starts_with("Plan:") || line.starts_with("No changes."))
        .unwrap_or("")
        .trim()
        .to_string()
}

fn report_plan(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    writeln!(
        out,
        "   $ terraform plan -detailed-exitcode   -> exit {}: {}",
        plan.exit_code
            .map_or("?".to_string(), |code| code.to_string()),
        summary(plan)
    )
}

/// Runs the story of an ECS-controlled `example` in `workdir`, shipping with `style`, writing
/// each step to `out`.
pub fn run(
    moto: &Moto,
    workdir: &Workdir,
    example: &Example,
    style: Deploy,
    change: Change,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let follower = example.follower;

    writeln!(
        out,
        "1. terraform apply: the first apply, with the bootstrap image"
    )?;
    writeln!(out, "   {}", applied(&workdir.apply(), "1")?)?;
    let first = running(moto, example);
    writeln!(out, "   ECS runs {}", first.describe())?;
    check(
        first.revision == 1 && first.images == example.bootstrap_images(),
        "1",
        || format!("the service should run revision 1 with the bootstrap images: {first:?}"),
    )?;
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    check_clean(&plan, "1, the plan right after the first apply")?;

    writeln!(out, "\n2. CI ships {SHIPPED} outside Terraform:")?;
    writeln!(
        out,
        "   $ {}",
        style.command_line(example, follower, SHIPPED)
    )?;
    deploy(moto, style, example, follower, SHIPPED)?;
    let deployed = running(moto, example);
    writeln!(out, "   ECS runs {}", deployed.describe())?;
    check(
        deployed.revision == 2 && deployed.image(follower) == SHIPPED,
        "2",
        || format!("the deploy should run revision 2 with {SHIPPED}: {deployed:?}"),
    )?;
    if let Deploy::EcsDeploy = style {
        let (status, _) = task_definition(moto, &first.task_definition_arn);
        writeln!(
            out,
            "   Terraform's revision 1 is now {status} (ecs-deploy deregisters it)"
        )?;
        check(status == "INACTIVE", "2", || {
            format!("ecs deploy should have deregistered revision 1, which is {status}")
        })?;
    }
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    check_clean(&plan, "2, the plan right after a CI deploy")?;

    writeln!(out, "\n3. terraform apply, nothing changed in Terraform:")?;
    let line = applied(&workdir.apply(), "3")?;
    writeln!(out, "   {line}")?;
    let after = running(moto, example);
    let (_, latest) = task_definition(moto, example.service);
    writeln!(
        out,
        "   ECS runs {}; the family's latest revision is {latest}",
        after.describe()
    )?;
    check(
        line.contains("0 added, 0 changed, 0 destroyed")
            && after.task_definition_arn == deployed.task_definition_arn
            && latest == 2,
        "3",
        || format!("the apply should change nothing: {line}; {after:?}; latest {latest}"),
    )?;
    writeln!(out, "   => no rollback, no new revision")?;

    writeln!(
        out,
        "\n4. A Terraform-side change in main.tf: {} -> {}",
        change.from.split_whitespace().collect::<Vec<_>>().join(" "),
        change.to.split_whitespace().collect::<Vec<_>>().join(" ")
    )?;
    workdir.edit(change.from, change.to);
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    for line in planned_differences(&plan, example) {
        writeln!(out, "     why: {line}")?;
    }
    check_moves(&plan, example, "4", change.expected, true)?;
    writeln!(out, "   {}", applied(&workdir.apply_plan(), "4")?)?;
    let moved = running(moto, example);
    writeln!(out, "   ECS runs {}", moved.describe())?;
    let pinned_kept = example
        .bootstrap
        .iter()
        .filter(|(name, _)| *name != follower)
        .all(|(name, image)| moved.image(name) == *image);
    check(
        moved.revision == 3 && moved.image(follower) == SHIPPED && pinned_kept,
        "4",
        || {
            format!(
                "the service should run revision 3 with {SHIPPED} and the pinned images: {moved:?}"
            )
        },
    )?;
    writeln!(out, "   => the new revision carries the deployed image")?;
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    check_clean(
        &plan,
        "4, the plan right after the apply that moved the service",
    )?;

    writeln!(out, "\n5. force_bootstrap_container_image = true")?;
    workdir.override_file(
        "force",
        &format!(
            "module \"{}\" {{\n  force_bootstrap_container_image = true\n}}\n",
            example.layout.module
        ),
    );
    let bootstrap = example.bootstrap_image(follower);
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    for line in planned_differences(&plan, example) {
        writeln!(out, "     why: {line}")?;
    }
    check_moves(
        &plan,
        example,
        "5",
        &format!("container {follower}: image \"{SHIPPED}\" -> \"{bootstrap}\""),
        true,
    )?;
    writeln!(out, "   {}", applied(&workdir.apply_plan(), "5")?)?;
    let forced = running(moto, example);
    writeln!(out, "   ECS runs {}", forced.describe())?;
    check(
        forced.revision == 4 && forced.image(follower) == bootstrap,
        "5",
        || format!("the service should run revision 4 with {bootstrap}: {forced:?}"),
    )?;
    let plan = workdir.plan();
    report_plan(out, &plan)?;
    check_clean(
        &plan,
        "5, the plan right after force_bootstrap_container_image",
    )?;

    writeln!(out, "\nEvery step did what the story says.")?;
    Ok(())
}

/// [`run`] for a test: the steps are written only when one fails, after the failure.
pub fn check_story(
    moto: &Moto,
    workdir: &Workdir,
    example: &Example,
    style: Deploy,
    change: Change,
) -> Result<(), Failure> {
    let mut out = Vec::new();
    run(moto, workdir, example, style, change, &mut out).map_err(|error| {
        Failure(format!(
            "{error}\n\nThe story up to there:\n{}",
            String::from_utf8_lossy(&out)
        ))
    })
}
