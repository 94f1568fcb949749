//! One version, set in one place (Cargo.toml's `[workspace.package] version`): the module, the
//! GitHub Actions example and the bundle carry the same, `scripts/release` writes them all, and a
//! module of another minor version than its programs fails the plan in one line under real
//! Terraform. Also the LICENSE and the CHANGELOG's form.

use std::path::{Path, PathBuf};
use std::process::Command;

use ecs_drift_tests::story::{FARGATE, Failure, moto_with_cluster};
use ecs_drift_tests::terraform::{Toolchain, Workdir, unwrapped};
use ecs_drift_tests::{bundle_of_this_build, repo_root, run_command, sealed_command};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The value of the first line `<prefix>"<value>"` of `text`.
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix))
        .and_then(|rest| rest.strip_prefix('"')?.split('"').next())
}

/// The modules of `terraform-module/`, each carrying `local.module_version`: the root module (which
/// holds the task-definition chain) and each of `modules/`; those that run a program send it.
fn program_modules(root: &Path) -> Vec<PathBuf> {
    let mut modules: Vec<PathBuf> = std::fs::read_dir(root.join("terraform-module/modules"))
        .expect("terraform-module/modules")
        .map(|entry| entry.expect("entry").path())
        .collect();
    modules.sort();
    modules.insert(0, root.join("terraform-module"));
    modules
}

/// `required_version` and the hashicorp/external bounds a module's versions.tf states, as written.
fn stated_bounds(module: &Path) -> (Option<String>, Option<String>) {
    let text = std::fs::read_to_string(module.join("versions.tf")).expect("versions.tf");
    let body: hcl_edit::structure::Body = text.parse().expect("versions.tf parses");
    let Some(terraform) = body
        .blocks()
        .find(|block| block.ident.as_str() == "terraform")
    else {
        return (None, None);
    };
    let string = |expression: &hcl_edit::expr::Expression| expression.as_str().map(str::to_string);
    let required_version = terraform
        .body
        .get_attribute("required_version")
        .and_then(|attribute| string(&attribute.value));
    let external = terraform
        .body
        .blocks()
        .find(|block| block.ident.as_str() == "required_providers")
        .and_then(|block| block.body.get_attribute("external"))
        .and_then(|attribute| attribute.value.as_object())
        .and_then(|object| {
            object.iter().find_map(|(key, value)| {
                (key.as_ident().map(|ident| ident.as_str()) == Some("version"))
                    .then(|| string(value.expr()))
                    .flatten()
            })
        });
    (required_version, external)
}

/// The root module's versions.tf gives each bound its reason; the program modules state the same
/// bounds without repeating the reasons, so this binds them.
#[test]
fn every_program_module_states_the_root_modules_bounds() {
    let root = repo_root();
    let (root_terraform, root_external) = stated_bounds(&root.join("terraform-module"));
    assert!(
        root_terraform.is_some() && root_external.is_some(),
        "{root_terraform:?} {root_external:?}"
    );
    // The submodules that run a program (modules/deployer_policy runs none, and needs a newer
    // Terraform for its own reasons).
    let running: Vec<PathBuf> = program_modules(&root)
        .into_iter()
        .skip(1)
        .filter(|module| !externals_of(module).is_empty())
        .collect();
    assert!(running.len() >= 3, "{running:?}");
    for module in &running {
        let (terraform, external) = stated_bounds(module);
        assert_eq!(
            terraform,
            root_terraform,
            "{}: required_version",
            module.display()
        );
        assert_eq!(
            external,
            root_external,
            "{}: the hashicorp/external bounds",
            module.display()
        );
    }
}

/// The module's data "external" blocks, as the contract test reads them.
fn externals_of(module: &Path) -> Vec<crate::module_contract::External> {
    ecs_drift_tests::tf_files(module)
        .into_iter()
        .flat_map(|(name, text)| {
            let body: hcl_edit::structure::Body = text
                .parse()
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            crate::module_contract::externals(&body)
        })
        .collect()
}

#[test]
fn every_module_and_the_ci_example_carry_the_workspace_version() {
    let modules = program_modules(&repo_root());
    assert!(modules.len() >= 4, "{modules:?}");
    let mut running = 0;
    for module in &modules {
        let versions = std::fs::read_to_string(module.join("versions.tf")).expect("versions.tf");
        assert_eq!(
            quoted_after(&versions, "  module_version = "),
            Some(VERSION),
            "{}/versions.tf: local.module_version must be Cargo.toml's version (scripts/release writes it)",
            module.display()
        );
        // Every data "external" block sends it (as written, or through a local its query
        // merges: the contract test's reading of a query).
        let externals = externals_of(module);
        let blocks = externals.len();
        let sent = externals
            .iter()
            .filter(|external| external.query.iter().any(|key| key == "module_version"))
            .count();
        // modules/deployer_policy runs no program: it carries the version, and sends it nowhere.
        running += usize::from(blocks >= 1);
        assert_eq!(
            blocks,
            sent,
            "every data \"external\" block of {} sends module_version",
            module.display()
        );
    }
    // Not vacuous: the root module and the three program submodules send it.
    assert!(running >= 4, "{running} modules run a program: {modules:?}");
    assert_eq!(
        quoted_after(
            &read("examples/github-actions/plan.yml"),
            "  ECS_DRIFT_VERSION: "
        ),
        Some(VERSION),
        "examples/github-actions/plan.yml: ECS_DRIFT_VERSION must be Cargo.toml's version"
    );
}

#[test]
fn the_licence_is_the_apache_license_2_0_as_cargo_toml_says() {
    let license = read("LICENSE");
    assert!(license.contains("Apache License"));
    assert!(license.contains("Version 2.0, January 2004"));
    assert!(license.contains("END OF TERMS AND CONDITIONS"));
    assert!(read("Cargo.toml").contains("license = \"Apache-2.0\""));
}

/// Keep a Changelog 1.1.0: "# Changelog", an Unreleased section, then versions newest first,
/// each `## [X.Y.Z] - YYYY-MM-DD`, each with its link reference.
#[test]
fn the_changelog_keeps_a_changelog() {
    let changelog = read("CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n"));
    let headings: Vec<&str> = changelog
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .collect();
    assert_eq!(headings.first(), Some(&"[Unreleased]"), "{headings:?}");
    let mut previous: Option<Vec<u64>> = None;
    for heading in &headings[1..] {
        let (version, date) = heading
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] - "))
            .unwrap_or_else(|| panic!("`## {heading}` is not `## [X.Y.Z] - YYYY-MM-DD`"));
        let numbers: Vec<u64> = version.split('.').filter_map(|n| n.parse().ok()).collect();
        assert_eq!(numbers.len(), 3, "{heading}");
        let date: Vec<&str> = date.split('-').collect();
        assert!(
            date.len() == 3 && date[0].len() == 4 && date[1].len() == 2 && date[2].len() == 2,
            "{heading}"
        );
        if let Some(previous) = &previous {
            assert!(&numbers < previous, "versions newest first: {headings:?}");
        }
        previous = Some(numbers);
    }
    for heading in &headings {
        let name = heading.split(']').next().unwrap_or_default();
        assert!(
            changelog.contains(&format!("\n{name}]: https://")),
            "no link reference for {name}]"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A module of another version than its programs, under real Terraform.

/// `VERSION` with its minor (or patch) number one higher.
fn bumped(minor: bool) -> String {
    let numbers: Vec<u64> = VERSION.split('.').filter_map(|n| n.parse().ok()).collect();
    if minor {
        format!("{}.{}.0", numbers[0], numbers[1] + 1)
    } else {
        format!("{}.{}.{}", numbers[0], numbers[1], numbers[2] + 1)
    }
}

/// A bundle of this build's programs whose module says it is `version`.
fn bundle_with_module_version(version: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, out) = bundle_of_this_build();
    let from = format!("module_version = \"{VERSION}\"");
    for module in program_modules(&out) {
        let versions = module.join("versions.tf");
        let text = std::fs::read_to_string(&versions).expect("versions.tf");
        assert!(text.contains(&from), "{text}");
        std::fs::write(
            &versions,
            text.replace(&from, &format!("module_version = \"{version}\"")),
        )
        .expect("write versions.tf");
    }
    (dir, out)
}

#[test]
#[ignore = "needs Terraform"]
fn a_module_of_another_minor_version_fails_the_plan_in_one_line() -> Result<(), Failure> {
    let toolchain = Toolchain::require();
    let skewed = bumped(true);
    let (_dir, bundle) = bundle_with_module_version(&skewed);
    let moto = moto_with_cluster(FARGATE.cluster);
    let workdir = Workdir::vendored(toolchain, &moto, FARGATE.name, &bundle).map_err(Failure)?;
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "{plan:#?}");
    // Terraform wraps the program's stderr in its own box; the program's line is in it whole.
    let line = format!(
        "live_task_lookup: the ecs-drift module is version {skewed} and this program {VERSION}, another minor version whose query differs: install the programs of release v{skewed} (that release's bundle, bin/), or pin the module's source to ?ref=v{VERSION}"
    );
    let stderr = unwrapped(&plan.stderr);
    assert!(
        stderr.contains(&line),
        "the plan should fail with {line:?}:\n{}",
        plan.stderr
    );
    Ok(())
}

#[test]
#[ignore = "needs Terraform"]
fn a_module_of_another_patch_version_plans() -> Result<(), Failure> {
    let toolchain = Toolchain::require();
    let (_dir, bundle) = bundle_with_module_version(&bumped(false));
    let moto = moto_with_cluster(FARGATE.cluster);
    let workdir = Workdir::vendored(toolchain, &moto, FARGATE.name, &bundle).map_err(Failure)?;
    let plan = workdir.plan();
    // The first plan: every program answered, and the service is to be created.
    assert_eq!(plan.exit_code, Some(2), "{}\n{}", plan.text, plan.stderr);
    assert_eq!(
        plan.actions("module.service.aws_ecs_service.this[0]"),
        ["create"]
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// scripts/release, in a copy of the repository.

/// A git repository holding the files of this checkout that git tracks or would track.
fn repository_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = repo_root();
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    for name in listed
        .stdout
        .split(|byte| *byte == 0)
        .filter(|name| !name.is_empty())
    {
        let name = String::from_utf8_lossy(name).into_owned();
        let (from, to) = (root.join(&name), dir.path().join(&name));
        if !from.is_file() {
            continue; // listed but deleted in the work tree
        }
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("create a folder");
        std::fs::copy(&from, &to).expect("copy a file");
    }
    let git = |arguments: &[&str]| {
        let run = run_command(git_in(dir.path(), arguments), b"");
        assert_eq!(run.status, Some(0), "git {arguments:?}: {run:#?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "The project"]);
    dir
}

/// A commit identity and no user or system git configuration: commits in the copy need one.
fn git_identity(command: &mut Command) -> &mut Command {
    command
        .env("GIT_AUTHOR_NAME", "Release Test")
        .env("GIT_AUTHOR_EMAIL", "release@example.invalid")
        .env("GIT_COMMITTER_NAME", "Release Test")
        .env("GIT_COMMITTER_EMAIL", "release@example.invalid")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
}

fn git_in(dir: &Path, arguments: &[&str]) -> Command {
    let mut command = sealed_command("git");
    git_identity(&mut command).args(arguments).current_dir(dir);
    command
}

fn release(dir: &Path, arguments: &[&str]) -> ecs_drift_tests::Run {
    let mut release = sealed_command(dir.join("scripts/release"));
    git_identity(&mut release)
        .args(arguments)
        .env_remove("ECS_DRIFT_SIGNING_KEY")
        .current_dir(dir);
    run_command(release, b"")
}

#[test]
fn scripts_release_refuses_bad_arguments_and_states() {
    let copy = repository_copy();
    let dir = copy.path();
    for (arguments, needle) in [
        (vec![], "release: which version?"),
        (vec!["1.2"], "release: 1.2 is not MAJOR.MINOR.PATCH"),
        (vec!["v1.2.3"], "release: v1.2.3 is not MAJOR.MINOR.PATCH"),
        (
            vec!["1.2.3-rc.1"],
            "release: 1.2.3-rc.1 is not MAJOR.MINOR.PATCH",
        ),
        (vec!["--bogus", "1.2.3"], "release: unknown option --bogus"),
        (vec!["1.2.3", "1.2.4"], "release: one VERSION only"),
        (vec!["0.0.1"], "release: 0.0.1 is below the current version"),
    ] {
        let run = release(dir, &arguments);
        assert_eq!(run.status, Some(1), "{arguments:?}: {run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stderr.starts_with(needle), "{arguments:?}: {run:#?}");
    }
    // A bundle is never built unsigned, nor signed by a key allowed_signers does not list
    // (tests/it/signing.rs signs and verifies one).
    let keys = tempfile::tempdir().expect("temporary directory");
    let key = keys.path().join("key");
    let mut keygen = sealed_command("ssh-keygen");
    keygen
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key);
    assert_eq!(run_command(keygen, b"").status, Some(0));
    let key = key.to_string_lossy().into_owned();
    for (arguments, needle) in [
        (
            vec!["9.0.0"],
            "release: no signing key: give --signing-key KEY".to_string(),
        ),
        (
            vec!["--signing-key"],
            "release: --signing-key needs a key file".to_string(),
        ),
        (
            vec!["--signing-key", "/nonexistent/key", "9.0.0"],
            "release: the signing key does not sign: no key at /nonexistent/key".to_string(),
        ),
        (
            vec!["--signing-key", &key, "9.0.0"],
            format!(
                "release: the signing key does not sign: {}/allowed_signers lists no signer ecs-drift",
                dir.display()
            ),
        ),
    ] {
        let run = release(dir, &arguments);
        assert_eq!(run.status, Some(1), "{arguments:?}: {run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stderr.starts_with(&needle), "{arguments:?}: {run:#?}");
        assert_eq!(
            run_command(git_in(dir, &["status", "--porcelain"]), b"").stdout,
            "",
            "{arguments:?}: nothing written"
        );
    }
    // A work tree with changes.
    std::fs::write(dir.join("CHANGELOG.md"), read("CHANGELOG.md") + "\nmore\n").expect("edit");
    let run = release(dir, &["--no-dist", "9.0.0"]);
    assert!(
        run.stderr.starts_with("release: the work tree has changes"),
        "{run:#?}"
    );
    // An empty Unreleased section.
    let empty = read("CHANGELOG.md");
    let start = empty.find("## [Unreleased]").expect("Unreleased") + "## [Unreleased]".len();
    let end = empty.find("\n[Unreleased]:").expect("its link");
    std::fs::write(
        dir.join("CHANGELOG.md"),
        format!("{}\n\n{}", &empty[..start], &empty[end..]),
    )
    .expect("edit");
    run_command(git_in(dir, &["commit", "-qam", "Nothing to release"]), b"");
    let run = release(dir, &["--no-dist", "9.0.0"]);
    assert!(
        run.stderr
            .starts_with("release: CHANGELOG.md's Unreleased section is empty"),
        "{run:#?}"
    );
    // Nothing was written.
    assert_eq!(
        run_command(git_in(dir, &["status", "--porcelain"]), b"").stdout,
        ""
    );
}

#[test]
fn scripts_release_writes_the_version_everywhere_dates_the_changelog_and_tags() {
    let copy = repository_copy();
    let dir = copy.path();
    let next = bumped(true);
    let run = release(dir, &["--no-dist", &next]);
    assert_eq!(run.status, Some(0), "{run:#?}");
    let text = |path: &str| std::fs::read_to_string(dir.join(path)).expect("read");
    assert!(text("Cargo.toml").contains(&format!("[workspace.package]\nversion = \"{next}\"")));
    assert!(text("Cargo.lock").contains(&format!(
        "name = \"live_task_lookup\"\nversion = \"{next}\""
    )));
    for module in program_modules(dir) {
        let versions = std::fs::read_to_string(module.join("versions.tf")).expect("versions.tf");
        assert_eq!(
            quoted_after(&versions, "  module_version = "),
            Some(next.as_str()),
            "{}",
            module.display()
        );
    }
    assert_eq!(
        quoted_after(
            &text("examples/github-actions/plan.yml"),
            "  ECS_DRIFT_VERSION: "
        ),
        Some(next.as_str())
    );
    let changelog = text("CHANGELOG.md");
    let section = changelog
        .lines()
        .find(|line| line.starts_with(&format!("## [{next}] - ")))
        .unwrap_or_else(|| panic!("no section for {next}:\n{changelog}"));
    assert_eq!(section.len(), format!("## [{next}] - 2026-01-01").len());
    assert!(changelog.contains(&format!("## [Unreleased]\n\n## [{next}] - ")));
    assert!(changelog.contains(&format!(
        "[Unreleased]: https://github.com/ecs-drift/ecs-drift/compare/v{next}...HEAD\n[{next}]: https://github.com/ecs-drift/ecs-drift/releases/tag/v{next}"
    )));
    // Committed and tagged, the tag's message the release notes.
    assert_eq!(
        run_command(git_in(dir, &["status", "--porcelain"]), b"").stdout,
        ""
    );
    let tag = run_command(
        git_in(
            dir,
            &["tag", "-l", "--format=%(contents)", &format!("v{next}")],
        ),
        b"",
    );
    assert!(tag.stdout.starts_with("### Added"), "{tag:#?}");
    let notes = std::fs::read_to_string(dir.join(format!("dist/RELEASE_NOTES-v{next}.md")))
        .expect("release notes");
    assert!(notes.contains("`scripts/release`"), "{notes}");
    // The same version again is refused: the tag exists.
    let again = release(dir, &["--no-dist", &next]);
    assert!(
        again
            .stderr
            .starts_with(&format!("release: tag v{next} exists already")),
        "{again:#?}"
    );
}
