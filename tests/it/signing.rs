//! Signed bundles: `scripts/sign` (which `scripts/release` runs) signs a bundle's `SHA256SUMS` with
//! an SSH key, and the README's two verification commands accept that bundle and refuse a tampered
//! one. The key is a throwaway one made here, listed in an `allowed_signers` of the test's own.

use std::path::{Path, PathBuf};
use std::process::Command;

use ecs_drift_tests::{Run, bundle_of_this_build, repo_root, run_command, sealed_command};

/// The README's two verification commands ("Releases"), run in the unpacked bundle.
fn readme_commands() -> [String; 2] {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let line = |start: &str| {
        readme
            .lines()
            .find(|line| line.starts_with(start))
            .unwrap_or_else(|| panic!("README.md shows no line starting {start:?}"))
            .to_string()
    };
    [
        line("ssh-keygen -Y verify "),
        line("sha256sum -c SHA256SUMS"),
    ]
}

/// A throwaway ed25519 key without a passphrase: (its folder, the private key, the public line).
fn throwaway_key(comment: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let key = dir.path().join("key");
    let mut keygen = sealed_command("ssh-keygen");
    keygen
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&key);
    let run = run_command(keygen, b"");
    assert_eq!(run.status, Some(0), "ssh-keygen: {run:#?}");
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("the public key");
    (dir, key, public.trim().to_string())
}

/// An allowed_signers file listing `public` as the release signer.
fn allowed_signers(dir: &Path, public: &str) -> PathBuf {
    let path = dir.join("allowed_signers");
    std::fs::write(
        &path,
        format!("ecs-drift namespaces=\"ecs-drift-release\" {public}\n"),
    )
    .expect("write allowed_signers");
    path
}

fn sign(arguments: &[&std::ffi::OsStr]) -> Run {
    let mut command = sealed_command(repo_root().join("scripts/sign"));
    command.args(arguments);
    run_command(command, b"")
}

/// Each README command in `bundle` with `allowed` as the repository's allowed_signers: the exit
/// status of each.
fn verify(bundle: &Path, allowed: &Path) -> Vec<Run> {
    std::fs::copy(allowed, bundle.join("allowed_signers")).expect("copy allowed_signers");
    let runs = readme_commands()
        .iter()
        .map(|line| {
            let mut command = Command::new("bash");
            command.args(["-c", line]).current_dir(bundle);
            run_command(command, b"")
        })
        .collect();
    std::fs::remove_file(bundle.join("allowed_signers")).expect("remove allowed_signers");
    runs
}

fn statuses(runs: &[Run]) -> Vec<Option<i32>> {
    runs.iter().map(|run| run.status).collect()
}

/// (The bundle's folder, the bundle, the key's folder, the key, the allowed_signers.)
fn signed_bundle() -> (
    tempfile::TempDir,
    PathBuf,
    tempfile::TempDir,
    PathBuf,
    PathBuf,
) {
    let (dir, bundle) = bundle_of_this_build();
    let (keys, key, public) = throwaway_key("release@example.invalid");
    let allowed = allowed_signers(keys.path(), &public);
    let run = sign(&[
        "--allowed-signers".as_ref(),
        allowed.as_os_str(),
        key.as_os_str(),
        bundle.as_os_str(),
    ]);
    assert_eq!(run.status, Some(0), "scripts/sign: {run:#?}");
    assert!(run.stdout.starts_with("sign: wrote "), "{run:#?}");
    assert!(bundle.join("SHA256SUMS.sig").is_file());
    (dir, bundle, keys, key, allowed)
}

#[test]
fn a_signed_bundle_verifies_with_the_readme_commands() {
    let (_dir, bundle, _keys, _key, allowed) = signed_bundle();
    let runs = verify(&bundle, &allowed);
    assert_eq!(statuses(&runs), [Some(0), Some(0)], "{runs:#?}");
    assert!(
        runs[0]
            .stdout
            .contains("Good \"ecs-drift-release\" signature for ecs-drift"),
        "{runs:#?}"
    );
    // SHA256SUMS covers the programs, and not its own signature.
    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).expect("SHA256SUMS");
    assert!(sums.contains("/live_task_lookup\n"), "{sums}");
    assert!(!sums.contains("SHA256SUMS"), "{sums}");
}

#[test]
fn a_tampered_bundle_is_refused() {
    let (_dir, bundle, _keys, _key, allowed) = signed_bundle();
    let sums_path = bundle.join("SHA256SUMS");
    let sums = std::fs::read_to_string(&sums_path).expect("SHA256SUMS");
    let program = sums
        .lines()
        .filter_map(|line| line.split_once("  ").map(|(_, path)| path.to_string()))
        .find(|path| path.starts_with("bin/"))
        .expect("a program in SHA256SUMS");
    let mut bytes = std::fs::read(bundle.join(&program)).expect("read the program");
    bytes.extend_from_slice(b"tampered");
    std::fs::write(bundle.join(&program), &bytes).expect("tamper with the program");

    // A changed file under the signed checksums: the signature holds, the checksum does not.
    let runs = verify(&bundle, &allowed);
    assert_eq!(statuses(&runs), [Some(0), Some(1)], "{runs:#?}");

    // The checksums written again for the changed file: the signature no longer holds.
    let mut command = Command::new("bash");
    command
        .args(["-c", "sha256sum \"$1\" > SHA256SUMS.new", "-", &program])
        .current_dir(&bundle);
    assert_eq!(run_command(command, b"").status, Some(0));
    let new_line = std::fs::read_to_string(bundle.join("SHA256SUMS.new")).expect("new line");
    std::fs::remove_file(bundle.join("SHA256SUMS.new")).expect("remove");
    let rewritten: String = sums
        .lines()
        .map(|line| {
            if line.ends_with(&format!("  {program}")) {
                new_line.clone()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(&sums_path, rewritten).expect("rewrite SHA256SUMS");
    let runs = verify(&bundle, &allowed);
    assert_eq!(statuses(&runs)[0], Some(255), "{runs:#?}");
    assert_eq!(statuses(&runs)[1], Some(0), "{runs:#?}");

    // Signed again by another key, which allowed_signers does not list: refused.
    let (_other_keys, other, _) = throwaway_key("someone-else@example.invalid");
    let mut keygen = sealed_command("ssh-keygen");
    keygen
        .args(["-q", "-Y", "sign", "-n", "ecs-drift-release", "-f"])
        .arg(&other)
        .arg(&sums_path);
    std::fs::remove_file(bundle.join("SHA256SUMS.sig")).expect("remove the signature");
    assert_eq!(run_command(keygen, b"").status, Some(0));
    let runs = verify(&bundle, &allowed);
    assert_eq!(statuses(&runs)[0], Some(255), "{runs:#?}");
}

#[test]
fn scripts_sign_refuses_bad_arguments_and_unlisted_keys() {
    let (_dir, bundle) = bundle_of_this_build();
    let (keys, key, public) = throwaway_key("release@example.invalid");
    let allowed = allowed_signers(keys.path(), &public);
    let (_other_keys, other, other_public) = throwaway_key("someone-else@example.invalid");
    let empty = keys.path().join("empty_signers");
    std::fs::write(&empty, "# no key yet\n").expect("write");
    let no_bundle = keys.path().join("no-bundle");
    std::fs::create_dir(&no_bundle).expect("mkdir");
    let os = |path: &Path| path.as_os_str().to_owned();
    let text = |text: &str| std::ffi::OsString::from(text);
    for (arguments, needle) in [
        (vec![], "expected KEY and BUNDLE, got 0"),
        (vec![os(&key)], "expected KEY and BUNDLE, got 1"),
        (vec![text("--bogus")], "unknown option --bogus"),
        (
            vec![text("--allowed-signers")],
            "--allowed-signers needs a file",
        ),
        (
            vec![text("/nonexistent/key"), os(&bundle)],
            "no key at /nonexistent/key",
        ),
        (vec![os(&key), os(&no_bundle)], "has no SHA256SUMS"),
        (
            vec![
                text("--allowed-signers"),
                text("/nonexistent/signers"),
                os(&key),
                os(&bundle),
            ],
            "no allowed signers file at /nonexistent/signers",
        ),
        (
            vec![text("--allowed-signers"), os(&empty), os(&key), os(&bundle)],
            "lists no signer ecs-drift",
        ),
        (
            vec![
                text("--allowed-signers"),
                os(&allowed),
                os(&other),
                os(&bundle),
            ],
            "the signature does not verify against",
        ),
        (
            vec![
                text("--allowed-signers"),
                os(&allowed),
                os(&allowed),
                os(&bundle),
            ],
            "ssh-keygen could not sign with",
        ),
    ] {
        let arguments: Vec<&std::ffi::OsStr> = arguments.iter().map(|a| a.as_os_str()).collect();
        let run = sign(&arguments);
        run.assert_error("sign", needle);
        assert!(
            !bundle.join("SHA256SUMS.sig").exists(),
            "no signature is left behind: {arguments:?}"
        );
    }
    assert!(!other_public.is_empty());
}

/// The repository's allowed_signers is in ssh-keygen's format: every line that is not a comment
/// names the signer ecs-drift for the release namespace.
#[test]
fn the_repositorys_allowed_signers_names_the_release_signer_only() {
    let text =
        std::fs::read_to_string(repo_root().join("allowed_signers")).expect("allowed_signers");
    for line in text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
    {
        assert!(
            line.starts_with("ecs-drift namespaces=\"ecs-drift-release\" "),
            "{line}"
        );
    }
}
