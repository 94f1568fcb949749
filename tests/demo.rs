//! `make demo`: the drift story on a local ECS emulator (moto on 127.0.0.1), step by step.

use std::io::Write;
use std::process::ExitCode;

use ecs_drift_tests::{Moto, story};

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "starting the ECS emulator (moto_server from .venv) on 127.0.0.1 ..."
    );
    let moto = Moto::start();
    let outcome = story::run(&moto, &mut stdout);
    drop(moto);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "demo: {error}");
            ExitCode::FAILURE
        }
    }
}
