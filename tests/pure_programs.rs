//! The two pure programs link no AWS SDK crate: they can run anywhere Terraform runs, with nothing
//! to configure, and stay small.

use std::process::Command;

/// The crates `package` links (normal and build dependencies, not test-only ones).
fn linked_crates(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--quiet",
            "--offline",
            "-p",
            package,
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(ecs_drift_tests::repo_root())
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo tree: {error}"));
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_pure_programs_link_no_aws_sdk() {
    for package in ["container_definition", "task_definition_selector"] {
        let crates = linked_crates(package);
        assert!(
            crates.iter().any(|name| name == "task_definition"),
            "{package}: {crates:?}"
        );
        let aws: Vec<&String> = crates
            .iter()
            .filter(|name| name.starts_with("aws-") || name.starts_with("aws_"))
            .collect();
        assert!(aws.is_empty(), "{package} links {aws:?}");
    }
}

#[test]
fn the_lookup_does_link_the_sdk() {
    // The same check can see an SDK crate: it is not vacuous.
    assert!(
        linked_crates("live_task_lookup")
            .iter()
            .any(|name| name == "aws-sdk-ecs")
    );
}
