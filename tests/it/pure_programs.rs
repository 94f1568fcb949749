//! The two pure programs link no AWS SDK crate: they can run anywhere Terraform runs, with nothing
//! to configure, and stay small. cargo-deny decides, with `pure-programs.deny.toml` (the check
//! `make lint` runs); this test runs the same check, and sees it catch the lookup, which does link
//! the SDK, so the check is not vacuous.

use std::process::Command;

use ecs_drift_tests::{Run, repo_root, run_command, venv_bin};

/// The venv's `cargo-deny`, the one `make lint` runs (tests/requirements.txt pins it; the venv is
/// created first when missing). The tests that need it are `#[ignore = "needs cargo-deny"]`, and
/// `make test` runs them.
fn cargo_deny() -> Command {
    Command::new(venv_bin("cargo-deny"))
}

/// The bans check of `pure-programs.deny.toml` with `package` as the graph's only root.
fn bans_check(mut cargo: Command, package: &str) -> Run {
    cargo
        .args(["--color", "never", "--manifest-path"])
        .arg(repo_root().join("crates").join(package).join("Cargo.toml"))
        .arg("--config")
        .arg(repo_root().join("pure-programs.deny.toml"))
        .args(["check", "bans"])
        .current_dir(repo_root());
    run_command(cargo, b"")
}

#[test]
#[ignore = "needs cargo-deny"]
fn the_pure_programs_link_no_aws_sdk() {
    for package in ["container_definition", "task_definition_selector"] {
        let cargo = cargo_deny();
        let run = bans_check(cargo, package);
        assert_eq!(run.status, Some(0), "{package}: {run:#?}");
        assert!(
            format!("{}{}", run.stdout, run.stderr).contains("bans ok"),
            "{package}: {run:#?}"
        );
    }
}

#[test]
#[ignore = "needs cargo-deny"]
fn the_check_catches_the_lookup_which_does_link_the_sdk() {
    let cargo = cargo_deny();
    let run = bans_check(cargo, "live_task_lookup");
    assert_ne!(run.status, Some(0), "{run:#?}");
    assert!(
        run.stderr.contains("error[banned]: crate 'aws-sdk-ecs = "),
        "{run:#?}"
    );
}
