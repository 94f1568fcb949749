//! The GitHub Actions example (examples/github-actions/) lints clean with actionlint, the
//! project's pinned one (.venv, tests/requirements.txt), and the linter does catch a mistake in
//! it. Shell and Python checks inside `run:` are left off, so that the result does not depend on
//! whether shellcheck or pyflakes happen to be installed.

use std::path::{Path, PathBuf};

use ecs_drift_tests::{repo_root, run_command, sealed_command, venv_bin};

const WORKFLOWS: [&str; 2] = ["plan.yml", "deploy.yml"];

fn actionlint(files: &[PathBuf]) -> ecs_drift_tests::Run {
    let actionlint = venv_bin("actionlint");
    assert!(
        actionlint.is_file(),
        "{} is missing: run `make venv` (tests/requirements.txt pins actionlint)",
        actionlint.display()
    );
    let mut command = sealed_command(actionlint);
    command
        .args(["-no-color", "-shellcheck=", "-pyflakes="])
        .args(files);
    run_command(command, b"")
}

fn example(name: &str) -> PathBuf {
    repo_root().join("examples/github-actions").join(name)
}

#[test]
fn the_workflows_lint_clean() {
    let files: Vec<PathBuf> = WORKFLOWS.iter().map(|name| example(name)).collect();
    let run = actionlint(&files);
    assert_eq!(
        run.status,
        Some(0),
        "actionlint: {}{}",
        run.stdout,
        run.stderr
    );
}

/// A misspelt input and a step that does not exist: actionlint must fail on each, naming
/// the line, or the clean run above proves nothing.
#[test]
fn the_linter_catches_a_broken_workflow() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, from, to, needle) in [
        (
            "plan.yml",
            "role-to-assume:",
            "role-to-asume:",
            "input \"role-to-asume\" is not defined",
        ),
        (
            "deploy.yml",
            "${{ steps.render.outputs.task-definition }}",
            "${{ steps.rendr.outputs.task-definition }}",
            "property \"rendr\" is not defined",
        ),
    ] {
        let text = std::fs::read_to_string(example(name)).expect("read the workflow");
        assert!(text.contains(from), "{name} has no {from:?}");
        let broken = dir.path().join(name);
        std::fs::write(&broken, text.replacen(from, to, 1)).expect("write");
        let run = actionlint(std::slice::from_ref(&broken));
        assert_eq!(run.status, Some(1), "{name}: {run:#?}");
        assert!(run.stdout.contains(needle), "{name}: {run:#?}");
        assert!(Path::new(&broken).is_file());
    }
}
