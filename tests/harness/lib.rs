//! The test harness shared by every crate's process tests and the end-to-end tests.
//!
//! Every program a test starts runs with the caller's `AWS_*` variables removed, instance metadata
//! disabled, dummy credentials and a loopback endpoint, so nothing a test does can reach beyond
//! 127.0.0.1 or read the developer's own AWS configuration.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// An endpoint on loopback where nothing listens: a program that tries to call AWS without being
/// pointed at the test's emulator fails fast instead of leaving the machine.
pub const UNUSED_LOOPBACK_ENDPOINT: &str = "http://127.0.0.1:9";

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A binary of the workspace, built by the same `cargo test` run (cargo builds every member's
/// binaries before it runs any test).
pub fn workspace_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test> -> target/<profile>/<name>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    profile_dir.join(name)
}

/// A command for `program` with a sealed AWS environment (see the crate documentation).
pub fn sealed_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    command
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", UNUSED_LOOPBACK_ENDPOINT)
        .env("AWS_CONFIG_FILE", "/nonexistent/ecs-drift-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/ecs-drift-test/credentials",
        );
    command
}

/// What a finished program did.
#[derive(Debug)]
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with `stdin` and waits for it.
pub fn run_command(mut command: Command, stdin: &[u8]) -> Run {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {command:?}: {error}"));
    if let Some(mut pipe) = child.stdin.take() {
        // A program that exits before reading all of stdin closes the pipe; that is its right.
        let _ = pipe.write_all(stdin);
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("cannot wait for {command:?}: {error}"));
    Run {
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `binary` sealed, with `arguments` and `stdin`.
pub fn run(binary: impl AsRef<std::ffi::OsStr>, arguments: &[&str], stdin: &str) -> Run {
    let mut command = sealed_command(binary);
    command.args(arguments);
    run_command(command, stdin.as_bytes())
}

impl Run {
    /// The protocol's error contract: exit 1, nothing on stdout, exactly one line on stderr that
    /// starts with `<program>: ` and contains `needle`. Returns the line.
    #[track_caller]
    pub fn assert_error(&self, program: &str, needle: &str) -> &str {
        assert_eq!(self.status, Some(1), "expected exit 1: {self:#?}");
        assert_eq!(self.stdout, "", "stdout must be empty on error: {self:#?}");
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "expected one stderr line: {self:#?}"
        );
        assert!(
            self.stderr.starts_with(&format!("{program}: ")),
            "{self:#?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}: {self:#?}"
        );
        self.stderr.trim_end()
    }

    /// Success: exit 0, empty stderr, stdout one JSON object of strings. Returns the object.
    #[track_caller]
    pub fn assert_success(&self) -> serde_json::Map<String, serde_json::Value> {
        assert_eq!(self.status, Some(0), "expected exit 0: {self:#?}");
        assert_eq!(self.stderr, "", "{self:#?}");
        let value: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:#?}"));
        let serde_json::Value::Object(object) = value else {
            panic!("stdout is not an object: {self:#?}")
        };
        assert!(
            object.values().all(serde_json::Value::is_string),
            "values must be strings: {self:#?}"
        );
        object
    }
}
