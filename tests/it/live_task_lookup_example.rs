//! `examples/live-task-lookup`: `terraform-module/modules/live_task_lookup` called alone, by a
//! root module that only wants to know what a service runs. Applied as shipped by real Terraform
//! against moto, on a service created through moto's API and deployed by the real `ecs deploy`:
//! its outputs are the decoded values of what ECS runs, two plans with no deploy between them
//! exit 0, and the plan after another deploy exits 2 with the new image.

use ecs_drift_tests::story::{Failure, REGION, SHIPPED, check, check_clean};
use ecs_drift_tests::terraform::{Toolchain, Workdir};
use ecs_drift_tests::{MOTO_ACCOUNT, Moto, SIDECAR_IMAGE, Service, run_command};
use serde_json::{Value, json};

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// The names `examples/live-task-lookup/main.tf` looks up.
const CLUSTER: &str = "ecs-drift-example";
const SERVICE: &str = "ecs-drift-lookup";

/// Ships `image` to the `app` container with `ecs deploy`, in the example's region.
fn ecs_deploy(moto: &Moto, image: &str) -> Result<(), Failure> {
    let run = run_command(
        moto.ecs_deploy_command(REGION, CLUSTER, SERVICE, "app", image),
        b"",
    );
    check(run.status == Some(0), "ecs deploy", || format!("{run:#?}"))
}

#[test]
#[ignore = "needs Terraform"]
fn the_lookup_alone_reads_what_a_service_runs() -> Outcome {
    let toolchain = Toolchain::require();
    let moto = Moto::start();
    // The service as another tool made it: revision 1 of family SERVICE, two containers.
    let containers: Vec<Value> = Service::CONTAINERS
        .iter()
        .map(|(name, image)| json!({ "name": name, "image": image }))
        .collect();
    moto.seed(
        "service",
        json!({ "cluster": CLUSTER, "service": SERVICE, "family": SERVICE,
                "containers": containers, "region": REGION }),
    );
    ecs_deploy(&moto, SHIPPED)?;

    let workdir = Workdir::example(toolchain, &moto, "live-task-lookup").map_err(Failure)?;
    let apply = workdir.apply();
    check(apply.status == Some(0), "terraform apply", || {
        format!("{apply:#?}")
    })?;
    let outputs = workdir.outputs();
    let arn = format!("arn:aws:ecs:{REGION}:{MOTO_ACCOUNT}:task-definition/{SERVICE}:2");
    assert_eq!(outputs["found"], json!(true), "{outputs:#?}");
    assert_eq!(outputs["task_definition_arn"], json!(arn), "{outputs:#?}");
    assert_eq!(outputs["revision"], json!(2), "{outputs:#?}");
    assert_eq!(
        outputs["images"],
        json!({ "app": SHIPPED, "sidecar": SIDECAR_IMAGE }),
        "{outputs:#?}"
    );
    assert_eq!(outputs["cpu"], json!("256"), "{outputs:#?}");

    // Nothing deploys: the outputs stay as they are, plan after plan.
    check_clean(&workdir.plan(), "the first plan after the apply")?;
    check_clean(&workdir.plan(), "the second plan")?;

    // A deploy: the next plan shows the new values.
    let next = "public.ecr.aws/nginx/nginx:1.27.4";
    ecs_deploy(&moto, next)?;
    let plan = workdir.plan();
    check(plan.exit_code == Some(2), "the plan after a deploy", || {
        format!("exit {:?}\n{}\n{}", plan.exit_code, plan.text, plan.stderr)
    })?;
    assert!(plan.changes().is_empty(), "{:?}", plan.changes());
    let mut changed = plan.output_changes();
    changed.sort();
    assert_eq!(changed, ["images", "revision", "task_definition_arn"]);
    assert_eq!(
        plan.json["output_changes"]["images"]["after"]["app"],
        json!(next),
        "{}",
        plan.text
    );
    Ok(())
}
