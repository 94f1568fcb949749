//! `make demo`: the drift story with real Terraform and the real AWS provider, applied to
//! `examples/sidecar` against a local ECS emulator (moto on 127.0.0.1), step by step, with the
//! exit code of every `terraform plan -detailed-exitcode`.

use std::io::Write;
use std::process::ExitCode;

use ecs_drift_tests::Moto;
use ecs_drift_tests::story::{self, Change, Deploy, REGION, SIDECAR};
use ecs_drift_tests::terraform::{Toolchain, Workdir};

/// The Terraform-side change of step 4.
const CHANGE: Change = Change {
    from: "OTEL_EXPORTER_OTLP_ENDPOINT = \"http://localhost:4317\"",
    to: "OTEL_EXPORTER_OTLP_ENDPOINT = \"http://localhost:4318\"",
    expected: "container app: environment OTEL_EXPORTER_OTLP_ENDPOINT changed",
};

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let failed = |message: String| {
        let _ = writeln!(std::io::stderr(), "demo: {message}");
        ExitCode::FAILURE
    };
    let toolchain = match Toolchain::find() {
        Ok(toolchain) => toolchain,
        Err(missing) => return failed(missing),
    };
    let _ = writeln!(
        stdout,
        "ecs-drift demo: examples/{} with {}\nstarting the ECS emulator (moto_server from .venv) on 127.0.0.1 ...",
        SIDECAR.name,
        toolchain.describe()
    );
    let moto = Moto::start();
    moto.seed(
        "create-cluster",
        serde_json::json!({ "cluster": SIDECAR.cluster, "region": REGION }),
    );
    let workdir = match Workdir::example(toolchain, &moto, SIDECAR.name) {
        Ok(workdir) => workdir,
        Err(error) => return failed(error),
    };
    let _ = writeln!(
        stdout,
        "Terraform and a deploy pipeline share service {} ({} follows deployments, otel is pinned by Terraform)\n",
        SIDECAR.service, SIDECAR.follower
    );
    match story::run(
        &moto,
        &workdir,
        &SIDECAR,
        Deploy::EcsDeploy,
        CHANGE,
        &mut stdout,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => failed(error.to_string()),
    }
}
