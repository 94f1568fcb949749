//! The module never moves a service whose deployment has not settled, by real Terraform and the
//! real AWS provider on moto, whose deployments take time here (tests/moto_server.py, correction
//! 4): held IN_PROGRESS, or completing after some seconds, through moto's state manager.
//!
//! During a rolling deployment, a BLUE_GREEN one in its bake time, LINEAR and CANARY ones held by
//! a lifecycle hook, and a CODE_DEPLOY one with an ACTIVE task set: a plan with no change exits 0;
//! a Terraform-side change (of the task definition, or of the service's network) fails the plan
//! with the lookup's line; a saved plan made before the deployment started fails at apply with
//! nothing registered or moved; once the deployment completes, the change applies with the
//! shipped image.
//! And `deployment_in_progress = "wait"`: a deployment that completes while the plan waits lets
//! it go on, one that does not ends it with the timeout's line. One applied example serves each
//! controller's steps.

use ecs_drift_tests::Moto;
use ecs_drift_tests::story::{
    self, CODEDEPLOY, Deploy, Example, FARGATE, Failure, REGION, Running, SHIPPED, check,
    check_clean, check_moves, deploy, moto_with_cluster, running, task_definition,
};
use ecs_drift_tests::terraform::{Plan, Toolchain, Workdir, unwrapped};
use serde_json::{Value, json};

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// How the deployments started from now on complete (moto's state manager).
fn deployments(moto: &Moto, transition: Value) {
    moto.seed("deployments", json!({ "transition": transition }));
}

/// Deployments stay IN_PROGRESS until released.
fn hold(moto: &Moto) {
    deployments(moto, json!({ "progression": "manual", "times": 1_000_000 }));
}

/// Deployments complete at once, the held ones at their next describe.
fn release(moto: &Moto) {
    deployments(moto, json!({ "progression": "immediate" }));
}

/// A deploy by the AWS CLI recipe whose deployment stays IN_PROGRESS until released.
fn held_deploy(moto: &Moto, example: &Example, image: &str) -> Result<(), Failure> {
    hold(moto);
    deploy(moto, Deploy::AwsCli, example, "app", image)
}

/// The service's deployment strategy, bake time and lifecycle hooks, set through the API (the AWS
/// provider 5.100 has no `deployment_configuration.strategy`).
fn set_strategy(
    moto: &Moto,
    example: &Example,
    strategy: &str,
    bake_time_minutes: u32,
    hooks: Value,
) {
    moto.seed(
        "strategy",
        json!({
            "cluster": example.cluster, "service": example.service, "strategy": strategy,
            "bake_time_minutes": bake_time_minutes, "lifecycle_hooks": hooks, "region": REGION,
        }),
    );
}

fn set_up(example: &Example) -> Result<(Moto, Workdir), Failure> {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(example.cluster);
    let workdir = Workdir::example(toolchain, &moto, example.name).map_err(Failure)?;
    story::applied(&workdir.apply(), "the first apply")?;
    check_clean(&workdir.plan(), "right after the first apply")?;
    Ok((moto, workdir))
}

/// A plan that fails with the lookup's one line, holding every one of `needles`.
fn check_plan_fails(plan: &Plan, step: &str, needles: &[&str]) -> Result<(), Failure> {
    let stderr = unwrapped(&plan.stderr);
    check(
        plan.exit_code == Some(1) && needles.iter().all(|needle| stderr.contains(needle)),
        step,
        || {
            format!(
                "the plan should fail with {needles:?}; it exited {:?}:\n{stderr}",
                plan.exit_code
            )
        },
    )
}

/// The apply of a saved plan refused with `needles`, ECS still running `before`, and nothing
/// registered.
fn check_apply_refused(
    moto: &Moto,
    example: &Example,
    run: &ecs_drift_tests::Run,
    before: &Running,
    family: &str,
    step: &str,
    needles: &[&str],
) -> Result<(), Failure> {
    let stderr = unwrapped(&run.stderr);
    check(
        run.status == Some(1)
            && needles.iter().all(|needle| stderr.contains(needle))
            && stderr.contains("nothing was registered or moved"),
        step,
        || format!("the apply should fail with {needles:?}:\n{run:#?}"),
    )?;
    let after = running(moto, example);
    check(
        after.task_definition_arn == before.task_definition_arn && after.images == before.images,
        step,
        || format!("ECS should still run {before:?}, runs {after:?}"),
    )?;
    let (_, latest) = task_definition(moto, family);
    check(latest == before.revision, step, || {
        format!(
            "nothing may be registered: the family's latest is {latest}, ECS runs {}",
            before.revision
        )
    })
}

/// How long Terraform read the deployment guard, from the plan's "Read complete after Ns".
fn guard_read_seconds(plan: &Plan) -> Option<u64> {
    plan.text
        .lines()
        .find(|line| line.contains("data.external.deployment_guard: Read complete after "))
        .and_then(|line| line.split("Read complete after ").nth(1))
        .and_then(|rest| rest.split('s').next())
        .and_then(|seconds| seconds.trim().parse().ok())
}

const LOG_LEVEL: &str = "container app: environment LOG_LEVEL changed";

/// The ECS controller: a rolling deployment, then a BLUE_GREEN one (the strategy set through the
/// API, as the AWS provider 5.100 cannot), on one applied `examples/fargate`.
#[test]
#[ignore = "needs Terraform"]
fn rolling_and_blue_green_deployments_in_progress_hold_terraform_changes() -> Outcome {
    let example = FARGATE;
    let (moto, workdir) = set_up(&example)?;
    let family = "ecs-drift-fargate";
    let service = "service ecs-drift-fargate in cluster ecs-drift-example";

    // 1. A rolling deployment IN_PROGRESS.
    held_deploy(&moto, &example, SHIPPED)?;
    let deploying = running(&moto, &example);
    check_clean(
        &workdir.plan(),
        "no change during a rolling deployment in progress",
    )?;
    workdir.edit("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"debug\"");
    check_plan_fails(
        &workdir.plan(),
        "a Terraform change during a rolling deployment",
        &[
            &format!("{service} has not settled: ROLLING deployment ecs-svc/"),
            " is IN_PROGRESS since 20",
            "run terraform plan again, or set deployment_in_progress = \"wait\"",
        ],
    )?;
    workdir.override_file(
        "wait",
        "module \"service\" {\n  deployment_in_progress          = \"wait\"\n  deployment_wait_timeout_seconds = 3\n}\n",
    );
    check_plan_fails(
        &workdir.plan(),
        "\"wait\" for a deployment that does not complete",
        &[
            &format!(
                "waited 3 s for the deployment of {service} to complete, and it has not: ROLLING deployment ecs-svc/"
            ),
            "raise deployment_wait_timeout_seconds",
        ],
    )?;
    std::fs::remove_file(workdir.path.join("wait_override.tf"))?;

    // Completed: the change lands with the shipped image.
    release(&moto);
    check_moves(
        &workdir.plan(),
        &example,
        "the change after the deployment completed",
        LOG_LEVEL,
        true,
    )?;
    story::applied(&workdir.apply(), "the change after the deployment")?;
    let moved = running(&moto, &example);
    check(
        moved.revision == deploying.revision + 1
            && moved.image("app") == SHIPPED
            && moved.environment["app"]["LOG_LEVEL"] == "debug",
        "the change after the deployment",
        || {
            format!(
                "revision {} with {SHIPPED}: {moved:?}",
                deploying.revision + 1
            )
        },
    )?;
    check_clean(&workdir.plan(), "right after")?;

    // 2. A saved plan made before a rolling deployment started.
    workdir.edit("LOG_LEVEL = \"debug\"", "LOG_LEVEL = \"warn\"");
    check_moves(&workdir.plan(), &example, "a saved plan", LOG_LEVEL, true)?;
    hold(&moto);
    deploy(
        &moto,
        Deploy::EcsDeploy,
        &example,
        "app",
        "public.ecr.aws/nginx/nginx:1.27.4",
    )?;
    let before = running(&moto, &example);
    check_apply_refused(
        &moto,
        &example,
        &workdir.apply_plan(),
        &before,
        family,
        "a saved plan applied during a rolling deployment that started after it",
        &[&format!(
            "{service} has not settled: ROLLING deployment ecs-svc/"
        )],
    )?;
    release(&moto);
    story::applied(&workdir.apply(), "the change planned again")?;
    check_clean(&workdir.plan(), "after the change planned again")?;

    // 3. BLUE_GREEN, in its bake time: the green deployment PRIMARY and IN_PROGRESS, the blue one
    //    ACTIVE beside it.
    set_strategy(&moto, &example, "BLUE_GREEN", 5, json!([]));
    check_clean(&workdir.plan(), "the strategy set through the API")?;
    workdir.edit("LOG_LEVEL = \"warn\"", "LOG_LEVEL = \"error\"");
    check_moves(&workdir.plan(), &example, "a saved plan", LOG_LEVEL, true)?;
    held_deploy(&moto, &example, "public.ecr.aws/nginx/nginx:1.27.5")?;
    let baking = running(&moto, &example);
    let blue_green = [
        &format!("{service} has not settled: BLUE_GREEN deployment ecs-svc/")[..],
        " is IN_PROGRESS since 20",
        "bake time of 5 min",
    ];
    check_apply_refused(
        &moto,
        &example,
        &workdir.apply_plan(),
        &baking,
        family,
        "a saved plan applied during a blue/green deployment that started after it",
        &blue_green,
    )?;
    check_plan_fails(
        &workdir.plan(),
        "a Terraform change during the bake time",
        &blue_green,
    )?;
    workdir.edit("LOG_LEVEL = \"error\"", "LOG_LEVEL = \"warn\"");
    // The guard compares the service's settings with the live ones: equal, the plan passes.
    check_clean(&workdir.plan(), "no change during the bake time")?;
    // A change of the service alone starts a deployment too.
    workdir.edit("assign_public_ip = true", "assign_public_ip = false");
    check_plan_fails(
        &workdir.plan(),
        "a change of the service's network during the bake time",
        &[
            blue_green[0],
            "the plan changes its network_configuration, and moving it now",
        ],
    )?;
    workdir.edit("assign_public_ip = false", "assign_public_ip = true");

    // 4. LINEAR and CANARY, each with a lifecycle hook that can pause it (until
    //    ContinueServiceDeployment): the same two deployments while traffic shifts.
    for strategy in ["LINEAR", "CANARY"] {
        release(&moto);
        let hook = json!([{
            "hookTargetArn": format!("arn:aws:lambda:{REGION}:123456789012:function:approve"),
            "roleArn": "arn:aws:iam::123456789012:role/ecs-hooks",
            "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"],
        }]);
        set_strategy(&moto, &example, strategy, 10, hook);
        check_clean(&workdir.plan(), &format!("the {strategy} strategy set"))?;
        held_deploy(&moto, &example, "public.ecr.aws/nginx/nginx:1.27.5")?;
        check_clean(
            &workdir.plan(),
            &format!("no change during a {strategy} deployment"),
        )?;
        workdir.edit("LOG_LEVEL = \"warn\"", "LOG_LEVEL = \"error\"");
        check_plan_fails(
            &workdir.plan(),
            &format!("a Terraform change during a {strategy} deployment held by its hook"),
            &[
                &format!("{service} has not settled: {strategy} deployment ecs-svc/"),
                "bake time of 10 min",
                "1 lifecycle hook(s) may hold it, a paused one until ecs:ContinueServiceDeployment",
            ],
        )?;
        workdir.edit("LOG_LEVEL = \"error\"", "LOG_LEVEL = \"warn\"");
    }

    // "wait": a deployment that completes while the plan waits lets it go on.
    release(&moto);
    check_clean(&workdir.plan(), "the bake time over")?;
    // Completes at its 8th describe: the deploy's UpdateService, the provider's refresh, the
    // lookup and the guard's first look make about four, so the guard polls a few times first.
    deployments(&moto, json!({ "progression": "manual", "times": 8 }));
    let shipped = "public.ecr.aws/nginx/nginx:1.27.6";
    deploy(&moto, Deploy::AwsCli, &example, "app", shipped)?;
    workdir.edit("LOG_LEVEL = \"warn\"", "LOG_LEVEL = \"error\"");
    workdir.override_file(
        "wait",
        "module \"service\" {\n  deployment_in_progress          = \"wait\"\n  deployment_wait_timeout_seconds = 120\n}\n",
    );
    let plan = workdir.plan();
    check_moves(
        &plan,
        &example,
        "\"wait\" for a deployment that completes",
        LOG_LEVEL,
        true,
    )?;
    let waited = guard_read_seconds(&plan);
    check(
        waited.is_some_and(|seconds| seconds >= 5),
        "\"wait\" for a deployment that completes",
        || {
            format!(
                "the plan should have waited for the deployment (guard read in {waited:?} s):\n{}",
                plan.text
            )
        },
    )?;
    release(&moto);
    story::applied(&workdir.apply(), "the change after waiting")?;
    let landed = running(&moto, &example);
    check(
        landed.image("app") == shipped && landed.environment["app"]["LOG_LEVEL"] == "error",
        "the change after waiting",
        || format!("{shipped} and LOG_LEVEL error: {landed:?}"),
    )?;
    check_clean(&workdir.plan(), "after the change")?;
    Ok(())
}

/// A copy of the revision ECS runs, with `image`: what a pipeline registers before it starts a
/// CodeDeploy deployment.
fn register_copy(moto: &Moto, from: &str, image: &str) -> String {
    moto.seed(
        "register-copy",
        json!({ "task_definition": from, "container": "app", "image": image, "region": REGION }),
    )["task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// CodeDeploy's replacement task set, ACTIVE beside the PRIMARY one until the deployment ends.
fn start_codedeploy(moto: &Moto, task_definition: &str) -> String {
    moto.seed(
        "replacement-task-set",
        json!({
            "cluster": CODEDEPLOY.cluster, "service": CODEDEPLOY.service,
            "task_definition": task_definition, "region": REGION,
        }),
    )["task_set_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn finish_codedeploy(moto: &Moto, task_set: &str) {
    moto.seed(
        "finish-task-set",
        json!({
            "cluster": CODEDEPLOY.cluster, "service": CODEDEPLOY.service,
            "task_set_arn": task_set, "region": REGION,
        }),
    );
}

/// CODE_DEPLOY, on one applied `examples/codedeploy`: a deployment with an ACTIVE task set.
#[test]
#[ignore = "needs Terraform"]
fn a_code_deploy_deployment_in_progress_holds_terraform_changes() -> Outcome {
    let example = CODEDEPLOY;
    let (moto, workdir) = set_up(&example)?;
    let family = "ecs-drift-codedeploy";
    let service = "service ecs-drift-codedeploy in cluster ecs-drift-example";
    let first = running(&moto, &example);
    let codedeploy = [
        &format!("{service} has not settled: CODE_DEPLOY deployment ecs-svc/")[..],
        "is ACTIVE beside the PRIMARY task set since 20",
    ];

    // A deployment with its replacement task set ACTIVE.
    let shipped = register_copy(&moto, &first.task_definition_arn, SHIPPED);
    let green = start_codedeploy(&moto, &shipped);
    check_clean(&workdir.plan(), "no change during a CodeDeploy deployment")?;
    let memory = "task: memory 512 -> 1024";
    workdir.edit(
        "memory                   = \"512\"",
        "memory                   = \"1024\"",
    );
    check_plan_fails(
        &workdir.plan(),
        "a Terraform change during a CodeDeploy deployment",
        &codedeploy,
    )?;

    // Completed; a plan saved then, applied after the next deployment started, is refused.
    finish_codedeploy(&moto, &green);
    check_moves(&workdir.plan(), &example, "a saved plan", memory, false)?;
    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    let next_revision = register_copy(&moto, &shipped, next);
    let blue = start_codedeploy(&moto, &next_revision);
    let before = running(&moto, &example);
    check_apply_refused(
        &moto,
        &example,
        &workdir.apply_plan(),
        &Running {
            revision: task_definition(&moto, family).1,
            ..before
        },
        family,
        "a saved plan applied during a CodeDeploy deployment that started after it",
        &codedeploy,
    )?;

    // Completed: the change registers a revision with the shipped image, for the next AppSpec.
    finish_codedeploy(&moto, &blue);
    check_moves(
        &workdir.plan(),
        &example,
        "the change after the deployment",
        memory,
        false,
    )?;
    story::applied(&workdir.apply(), "the change after the deployment")?;
    let registered = workdir.outputs()["registered_task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let moto_view = moto.seed(
        "describe-task-definition",
        json!({ "task_definition": registered, "region": REGION }),
    );
    check(
        moto_view["images"]["app"] == next,
        "the change after the deployment",
        || format!("the registered revision should carry {next}: {moto_view}"),
    )?;
    // CodeDeploy deploys it (the example's AppSpec): the plan is clean again.
    let appspec = start_codedeploy(&moto, &registered);
    finish_codedeploy(&moto, &appspec);
    check_clean(&workdir.plan(), "after CodeDeploy deployed the change")?;
    Ok(())
}
