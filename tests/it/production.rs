//! The promise under the conditions production teams run with, by real Terraform and the real AWS
//! provider on moto: an autoscaler that sets the service's count, provider `default_tags` with
//! deploy tools that copy or drop them, and saved plans (Atlantis, HCP Terraform) applied after a
//! CI deploy. `examples/autoscaled` has all three, so one apply serves the whole story.

use ecs_drift_tests::story::{
    self, AUTOSCALED, Deploy, Failure, REGION, Running, SHIPPED, check, check_clean, check_moves,
    deploy, moto_with_cluster, running, task_definition,
};
use ecs_drift_tests::terraform::{Toolchain, Workdir, unwrapped};
use ecs_drift_tests::{Moto, Run};
use serde_json::json;

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// The tags every revision Terraform registers carries: the provider's `default_tags` and the
/// module's `tags`.
fn terraform_tags() -> serde_json::Value {
    json!({ "team": "platform", "managed-by": "terraform", "service": "ecs-drift-autoscaled" })
}

/// What Application Auto Scaling does when it scales: UpdateService with a new desired count.
fn scale(moto: &Moto, count: u64) {
    moto.seed(
        "scale",
        json!({
            "cluster": AUTOSCALED.cluster,
            "service": AUTOSCALED.service,
            "desired_count": count,
            "region": REGION,
        }),
    );
}

/// The apply of a saved plan that a deploy made stale: it fails, with the lookup's one line, and
/// ECS still runs what it ran `before` (nothing registered, nothing moved).
fn check_refused(moto: &Moto, run: &Run, before: &Running, step: &str) -> Result<(), Failure> {
    let stderr = unwrapped(&run.stderr);
    check(
        run.status == Some(1)
            && stderr.contains("a deploy shipped since the plan")
            && stderr.contains("run terraform plan again")
            && stderr.contains(&before.task_definition_arn),
        step,
        || format!("the apply should fail naming the deploy:\n{run:#?}"),
    )?;
    let after = running(moto, &AUTOSCALED);
    check(
        after.task_definition_arn == before.task_definition_arn
            && after.images == before.images
            && after.desired_count == before.desired_count,
        step,
        || format!("ECS should still run {before:?}, runs {after:?}"),
    )?;
    let (_, latest) = task_definition(moto, "ecs-drift-autoscaled");
    check(latest == before.revision, step, || {
        format!(
            "nothing may be registered: the family's latest is {latest}, the deploy's {}",
            before.revision
        )
    })
}

#[test]
#[ignore = "needs Terraform"]
fn autoscaling_default_tags_and_saved_plans_keep_the_promise() -> Outcome {
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(AUTOSCALED.cluster);
    let workdir = Workdir::example(toolchain, &moto, AUTOSCALED.name).map_err(Failure)?;

    // 1. The first apply starts the service with desired_count and tags revision 1.
    story::applied(&workdir.apply(), "the first apply")?;
    let first = running(&moto, &AUTOSCALED);
    check(
        first.desired_count == 2 && first.tags == terraform_tags(),
        "the first apply",
        || format!("2 tasks and the tags of default_tags and the module: {first:?}"),
    )?;
    check_clean(&workdir.plan(), "right after the first apply")?;

    // 2. The autoscaler scales out: the plan keeps its count.
    scale(&moto, 4);
    check_clean(&workdir.plan(), "after a scaling event")?;

    // 3. Deploys that copy the tags (ecs deploy) and that drop them (the AWS CLI recipe, which
    //    copies `taskDefinition` alone): the plan stays clean after each.
    deploy(&moto, Deploy::EcsDeploy, &AUTOSCALED, "app", SHIPPED)?;
    check_clean(&workdir.plan(), "after `ecs deploy`, which copies the tags")?;
    let shipped = "public.ecr.aws/nginx/nginx:1.27.4";
    deploy(&moto, Deploy::AwsCli, &AUTOSCALED, "app", shipped)?;
    let deployed = running(&moto, &AUTOSCALED);
    check(
        deployed.tags == json!({}) && deployed.desired_count == 4,
        "the AWS CLI recipe",
        || format!("an untagged revision, 4 tasks: {deployed:?}"),
    )?;
    check_clean(
        &workdir.plan(),
        "after the AWS CLI recipe, which drops the tags",
    )?;
    story::applied(&workdir.apply(), "an apply after the deploys")?;
    let kept = running(&moto, &AUTOSCALED);
    check(
        kept.task_definition_arn == deployed.task_definition_arn && kept.desired_count == 4,
        "an apply after the deploys",
        || format!("the deploy's revision and the autoscaler's count stay: {kept:?}"),
    )?;

    // 4. A saved plan that changes only the service's tags, applied after another deploy: the
    //    service keeps the deploy's revision (the provider sends task_definition only when it
    //    changes), and the task definition's tags wait for the next revision.
    workdir.edit(
        "service = \"ecs-drift-autoscaled\"",
        "service = \"ecs-drift-autoscaled\"\n    tier    = \"web\"",
    );
    let plan = workdir.plan();
    check(
        plan.exit_code == Some(2)
            && plan.changes()
                == vec![(
                    "module.service.aws_ecs_service.this[0]".to_string(),
                    vec!["update".to_string()],
                )],
        "a change of tags",
        || format!("only the service's tags change: {:?}", plan.changes()),
    )?;
    let later = "public.ecr.aws/nginx/nginx:1.27.5";
    deploy(&moto, Deploy::EcsDeploy, &AUTOSCALED, "app", later)?;
    let before = running(&moto, &AUTOSCALED);
    story::applied(&workdir.apply_plan(), "the saved plan of the tags")?;
    let after = running(&moto, &AUTOSCALED);
    check(
        after.task_definition_arn == before.task_definition_arn
            && after.image("app") == later
            && after.desired_count == 4,
        "the saved plan of the tags, applied after a deploy",
        || format!("the deploy must stay: {before:?} -> {after:?}"),
    )?;
    check_clean(&workdir.plan(), "after the tags")?;

    // 5. A saved plan that registers a revision, applied after a deploy: it fails before
    //    registering anything, and says to plan again.
    workdir.edit("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"debug\"");
    let expected = "container app: environment LOG_LEVEL changed";
    check_moves(
        &workdir.plan(),
        &AUTOSCALED,
        "a Terraform change",
        expected,
        true,
    )?;
    let newest = "public.ecr.aws/nginx/nginx:1.27.6";
    deploy(&moto, Deploy::AwsCli, &AUTOSCALED, "app", newest)?;
    let before = running(&moto, &AUTOSCALED);
    check_refused(
        &moto,
        &workdir.apply_plan(),
        &before,
        "the saved plan applied after a deploy",
    )?;

    // 6. Planned again and applied as saved, with no deploy in between: the new revision has
    //    the deploy's image, Terraform's change, the tags as they are now, and the count stays.
    check_moves(
        &workdir.plan(),
        &AUTOSCALED,
        "the plan made again",
        expected,
        true,
    )?;
    story::applied(&workdir.apply_plan(), "the saved plan made again")?;
    let moved = running(&moto, &AUTOSCALED);
    let mut tags = terraform_tags();
    tags["tier"] = json!("web");
    check(
        moved.revision == before.revision + 1
            && moved.image("app") == newest
            && moved.environment["app"]["LOG_LEVEL"] == "debug"
            && moved.tags == tags
            && moved.desired_count == 4,
        "the saved plan made again",
        || {
            format!(
                "revision {}, {newest}, LOG_LEVEL debug, tags {tags}, 4 tasks: {moved:?}",
                before.revision + 1
            )
        },
    )?;
    check_clean(&workdir.plan(), "right after")?;
    Ok(())
}
