//! The vendoring bundle `scripts/dist` writes: its layout, the launcher that picks the platform's
//! programs (and names a missing platform in one line), and the drift story run by real Terraform
//! from a copy of the bundle, with a relative `source`.

use std::path::{Path, PathBuf};

use ecs_drift_tests::story::{self, Change, Deploy, FARGATE, Failure, REGION};
use ecs_drift_tests::terraform::{Toolchain, Workdir};
use ecs_drift_tests::{Moto, repo_root, run_command, sealed_command, workspace_binary};
use serde_json::json;

const PROGRAMS: [&str; 3] = [
    "live_task_lookup",
    "container_definition",
    "task_definition_selector",
];

/// A bundle written by `scripts/dist` from this build's programs, in a temporary folder.
fn bundle() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("ecs-drift");
    let programs = workspace_binary("live_task_lookup")
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut dist = sealed_command(repo_root().join("scripts/dist"));
    dist.arg("--programs").arg(&programs).arg(&out);
    let run = run_command(dist, b"");
    assert_eq!(run.status, Some(0), "scripts/dist failed: {run:#?}");
    (dir, out)
}

/// This machine's platform as the launcher names it.
fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}-{arch}", std::env::consts::OS)
}

#[test]
fn the_bundle_holds_the_module_the_launchers_and_this_platforms_programs() {
    let (_dir, bundle) = bundle();
    for file in [
        "main.tf",
        "variables.tf",
        "outputs.tf",
        "versions.tf",
        "README.md",
    ] {
        assert!(
            bundle.join("terraform-module").join(file).is_file(),
            "{file}"
        );
    }
    // The submodules, each beside the module as in the repository.
    for submodule in PROGRAMS {
        for file in [
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "versions.tf",
            "README.md",
        ] {
            let path = bundle
                .join("terraform-module/modules")
                .join(submodule)
                .join(file);
            assert!(path.is_file(), "{}", path.display());
        }
    }
    assert!(bundle.join("README.md").is_file());
    for program in PROGRAMS {
        let launcher = bundle.join("bin").join(program);
        let build = bundle.join("bin").join(platform()).join(program);
        assert!(launcher.is_file() && build.is_file(), "{program}");
        // Through the launcher, the platform's build answers.
        let run = ecs_drift_tests::run(&launcher, &["--version"], "");
        assert_eq!(run.status, Some(0), "{run:#?}");
        assert!(run.stdout.starts_with(program), "{run:#?}");
    }

    // A second platform's programs are added beside the first's, which stay.
    let programs = bundle.join("bin").join(platform());
    let mut dist = sealed_command(repo_root().join("scripts/dist"));
    dist.arg("--programs")
        .arg(&programs)
        .args(["--platform", "darwin-arm64"])
        .arg(&bundle);
    let run = run_command(dist, b"");
    assert_eq!(run.status, Some(0), "{run:#?}");
    for platform in [platform(), "darwin-arm64".to_string()] {
        for program in PROGRAMS {
            assert!(
                bundle.join("bin").join(&platform).join(program).is_file(),
                "{platform}/{program}"
            );
        }
    }
}

/// A `uname` that reports another machine, first on PATH.
fn fake_uname(os: &str, arch: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let uname = dir.path().join("uname");
    std::fs::write(
        &uname,
        format!("#!/bin/sh\ncase \"$1\" in\n  -s) echo {os} ;;\n  -m) echo {arch} ;;\nesac\n"),
    )
    .expect("write uname");
    std::fs::set_permissions(&uname, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod uname");
    dir
}

#[test]
fn the_launcher_picks_the_platform_and_names_a_missing_one() {
    let (_dir, bundle) = bundle();
    let launcher = bundle.join("bin").join("task_definition_selector");
    let run_as = |os: &str, arch: &str| {
        let uname = fake_uname(os, arch);
        let mut command = sealed_command(&launcher);
        command
            .arg("--version")
            .env("PATH", format!("{}:/usr/bin:/bin", uname.path().display()));
        run_command(command, b"")
    };
    for (os, arch, platform) in [
        ("Darwin", "arm64", "darwin-arm64"),
        ("Darwin", "x86_64", "darwin-x86_64"),
        ("Linux", "aarch64", "linux-arm64"),
    ] {
        let run = run_as(os, arch);
        assert_eq!(run.status, Some(1), "{run:#?}");
        assert_eq!(run.stdout, "", "{run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(
            run.stderr.starts_with(&format!(
                "task_definition_selector: this bundle has no {platform} build of task_definition_selector"
            )),
            "{run:#?}"
        );
    }

    // Once a platform's folder is there, its build runs.
    let darwin = bundle.join("bin").join("darwin-arm64");
    std::fs::create_dir_all(&darwin).expect("create the folder");
    std::fs::copy(
        bundle
            .join("bin")
            .join(platform())
            .join("task_definition_selector"),
        darwin.join("task_definition_selector"),
    )
    .expect("copy");
    let run = run_as("Darwin", "arm64");
    assert_eq!(run.status, Some(0), "{run:#?}");
    assert!(
        run.stdout.starts_with("task_definition_selector"),
        "{run:#?}"
    );
}

#[test]
fn scripts_dist_refuses_bad_arguments() {
    let dist = repo_root().join("scripts/dist");
    for (arguments, needle) in [
        (vec!["--bogus"], "dist: unknown option --bogus"),
        (vec!["--programs"], "dist: --programs needs a directory"),
        (vec!["a", "b"], "dist: one output folder only"),
        (
            vec!["--platform", "linux-arm64", "/tmp/ecs-drift-never-written"],
            "dist: --platform goes with --programs",
        ),
        (
            vec!["--programs", "/tmp", "--platform", "plan9-mips"],
            "dist: --platform plan9-mips: expected linux-x86_64, linux-arm64, darwin-x86_64 or darwin-arm64",
        ),
        (
            vec!["--programs", "/nonexistent", "/tmp/ecs-drift-never-written"],
            "dist: /nonexistent/live_task_lookup is not an executable program",
        ),
    ] {
        let run = ecs_drift_tests::run(&dist, &arguments, "");
        assert_ne!(run.status, Some(0), "{arguments:?}: {run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stderr.starts_with(needle), "{arguments:?}: {run:#?}");
    }
    assert!(!Path::new("/tmp/ecs-drift-never-written").exists());
}

/// The drift story, from a repository that vendors a copy of the bundle.
#[test]
fn the_story_runs_from_a_copy_of_the_bundle() -> Result<(), Box<dyn std::error::Error>> {
    let Some(toolchain) = Toolchain::get() else {
        return Ok(());
    };
    let (_dir, bundle) = bundle();
    let moto = Moto::start();
    moto.seed(
        "create-cluster",
        json!({ "cluster": FARGATE.cluster, "region": REGION }),
    );
    let workdir = Workdir::vendored(toolchain, &moto, FARGATE.name, &bundle).map_err(Failure)?;
    let main = std::fs::read_to_string(workdir.path.join("main.tf"))?;
    assert!(main.contains("source = \"./vendor/ecs-drift/terraform-module\""));
    let change = Change {
        from: "LOG_LEVEL = \"info\"",
        to: "LOG_LEVEL = \"debug\"",
        expected: "container app: environment LOG_LEVEL changed",
    };
    story::check_story(&moto, &workdir, &FARGATE, Deploy::AwsCli, change)?;
    Ok(())
}
