//! The test harness shared by every crate's process tests and the end-to-end tests.
//!
//! Every program a test starts runs with the caller's `AWS_*` and proxy variables removed,
//! instance metadata disabled, dummy credentials and a loopback endpoint, so nothing a test does
//! can reach beyond 127.0.0.1 or read the developer's own AWS configuration.
//!
//! - Programs: [`sealed_command`], [`run`], [`run_command`], [`Run::assert_success`],
//!   [`Run::assert_error`], [`workspace_binary`].
//! - ECS on loopback: [`Moto::start`] runs moto's server on a free port (installing the project's
//!   `.venv` with `scripts/bootstrap-venv` first when needed) and stops it on drop;
//!   [`Moto::command`] points a sealed command at it; [`Moto::create_service`] seeds a cluster and
//!   an awsvpc service with two containers; [`Moto::seed`] runs the other actions of
//!   `tests/moto_seed.py`; [`Moto::ecs_deploy`] ships an image with the real `ecs deploy`.
//! - The venv's tools: [`venv_bin`] (`moto_server`, `ecs`, `aws`, `python`, `terraform`).
//! - Endpoints that misbehave: [`Stub`] answers from a script ([`Reply::aws_error`] to throttle or
//!   deny, [`Reply::Forward`] to pass on to moto); [`BlackHole`] accepts and never answers.
//!
//! ```no_run
//! use ecs_drift_tests::{Moto, run_command, workspace_binary};
//! let moto = Moto::start();
//! moto.create_service("prod", "web");
//! moto.ecs_deploy("prod", "web", "app", "example/app:2");
//! let run = run_command(
//!     moto.command(workspace_binary("live_task_lookup")),
//!     br#"{"cluster": "prod", "service": "web", "max_attempts": "1"}"#,
//! );
//! assert_eq!(run.assert_success()["revision"], "2");
//! ```

pub mod ecs;
pub mod story;
pub mod terraform;

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

/// The `.tf` files of one module directory (not of its subdirectories): name and text.
pub fn tf_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "tf"))
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                text,
            )
        })
        .collect();
    files.sort();
    files
}

/// A binary of the workspace, built by the same `cargo test` run (cargo builds every member's
/// binaries before it runs any test).
pub fn workspace_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // A test runs as target/<profile>/deps/<test>, a binary (the demo) as target/<profile>/<bin>.
    let mut dir = exe.parent().unwrap_or(Path::new("."));
    if dir.ends_with("deps") {
        dir = dir.parent().unwrap_or(dir);
    }
    dir.join(name)
}

/// A bundle written by `scripts/dist` from this build's programs (`DIR/ecs-drift`, in a temporary
/// folder that lives as long as the returned guard).
pub fn bundle_of_this_build() -> (tempfile::TempDir, PathBuf) {
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

/// A command for `program` with a sealed AWS environment (see the crate documentation).
pub fn sealed_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    // The caller's proxy settings too (the SDKs, the AWS CLI and ecs-deploy all read them): a test
    // that wants a proxy sets its own, on 127.0.0.1.
    for proxy in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command
            .env_remove(proxy)
            .env_remove(proxy.to_ascii_lowercase());
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

    /// A refused run as one entry of a snapshot: what was sent, the exit code, stdout and the
    /// stderr line, after the checks of [`Run::assert_error`]. A table of bad inputs snapshotted
    /// whole (`insta::assert_snapshot!`) shows every message as it is, and a changed one as a diff
    /// to review.
    #[track_caller]
    pub fn refusal(&self, program: &str, input: &str) -> String {
        let line = self.assert_error(program, "");
        format!(
            "{input}\n  exit {}, stdout {:?}\n  {line}\n",
            self.status
                .map_or("none".to_string(), |code| code.to_string()),
            self.stdout
        )
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

// ---------------------------------------------------------------------------------------------
// moto: the ECS API on loopback.

/// The account moto reports in every ARN.
pub const MOTO_ACCOUNT: &str = "123456789012";

/// The region the sealed environment and the seeding use.
pub const MOTO_REGION: &str = "us-east-1";

/// `name` as the shell would find it on the caller's PATH.
pub fn path_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A file of the project's virtual environment (`.venv/bin/<name>`), brought to
/// tests/requirements.txt first, once per test process, by `scripts/bootstrap-venv` (a hash
/// comparison when the venv is up to date).
///
/// Panics with the bootstrap's own message when it cannot install (no Python, no PyPI).
pub fn venv_bin(name: &str) -> PathBuf {
    static BOOTSTRAP: std::sync::Once = std::sync::Once::new();
    let bin = repo_root().join(".venv").join("bin");
    BOOTSTRAP.call_once(|| {
        let script = repo_root().join("scripts").join("bootstrap-venv");
        let output = Command::new(&script)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", script.display()));
        assert!(
            output.status.success(),
            "{} failed:\n{}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    });
    bin.join(name)
}

/// moto's standalone server on 127.0.0.1 and a free port, killed when dropped.
///
/// Every test gets its own server, so tests share no state and run in parallel.
///
#[derive(Debug)]
pub struct Moto {
    child: std::process::Child,
    port: u16,
    /// moto's own output, shown when it does not start.
    _log: tempfile::NamedTempFile,
}

/// A service [`Moto::create_service`] made: an awsvpc service with two containers, `app`
/// (`APP_IMAGE`) and `sidecar` (`SIDECAR_IMAGE`), on revision 1 of family `<service>`.
#[derive(Debug, Clone)]
pub struct Service {
    pub cluster: String,
    pub cluster_arn: String,
    pub service: String,
    pub service_arn: String,
    pub family: String,
    pub task_definition_arn: String,
}

impl Service {
    /// The containers of revision 1, name and image.
    pub const CONTAINERS: [(&str, &str); 2] = [("app", APP_IMAGE), ("sidecar", SIDECAR_IMAGE)];
}

/// The image [`Moto::create_service`] gives the `app` container.
pub const APP_IMAGE: &str = "public.ecr.aws/nginx/nginx:1.27";
/// The image [`Moto::create_service`] gives the `sidecar` container.
pub const SIDECAR_IMAGE: &str = "public.ecr.aws/envoyproxy/envoy:v1.31";

impl Moto {
    /// Starts a server (installing the venv first if needed) and waits until it answers. The
    /// server is `tests/moto_server.py`: moto's own, with the ECS behaviours the AWS provider meets
    /// corrected (see that file, each with its source) and AWS managed policies loaded.
    ///
    /// Panics with moto's own output when it does not answer within 60 seconds.
    pub fn start() -> Self {
        let python = venv_bin("python");
        let launcher = repo_root().join("tests").join("moto_server.py");
        let mut last_error = String::new();
        // A free port can be taken between asking and binding; try a few.
        for _ in 0..3 {
            let port = free_port();
            let log = tempfile::NamedTempFile::new()
                .unwrap_or_else(|error| panic!("cannot create moto's log file: {error}"));
            let log_file = log
                .reopen()
                .unwrap_or_else(|error| panic!("cannot open moto's log file: {error}"));
            let child = sealed_command(&python)
                .arg(&launcher)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(
                    log_file
                        .try_clone()
                        .unwrap_or_else(|error| panic!("cannot share the log: {error}")),
                )
                .stderr(log_file)
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {}: {error}", launcher.display()));
            let log_path = log.path().to_path_buf();
            let mut moto = Moto {
                child,
                port,
                _log: log,
            };
            match moto.wait_until_ready(std::time::Duration::from_secs(60)) {
                Ok(()) => return moto,
                Err(error) => {
                    last_error = format!(
                        "{error}; its output:\n{}",
                        std::fs::read_to_string(&log_path).unwrap_or_default()
                    );
                    drop(moto);
                }
            }
        }
        panic!("moto_server did not start: {last_error}")
    }

    fn wait_until_ready(&mut self, within: std::time::Duration) -> Result<(), String> {
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("moto_server exited with {status}"));
            }
            if http_get_status(self.port, "/moto-api/").is_some() {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("no answer on port {} within {within:?}", self.port));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// [`sealed_command`] pointed at this server: `AWS_ENDPOINT_URL`, region `us-east-1` (for the
    /// AWS SDKs, boto3 and the AWS CLI alike) and one attempt per call (retries against moto can
    /// leave orphans behind).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        self.command_in(program, MOTO_REGION)
    }

    /// [`Moto::command`] in another region (moto keeps each region's resources apart, as AWS
    /// does).
    pub fn command_in(&self, program: impl AsRef<std::ffi::OsStr>, region: &str) -> Command {
        let mut command = sealed_command(program);
        command
            .env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_REGION", region)
            .env("AWS_DEFAULT_REGION", region)
            .env("AWS_MAX_ATTEMPTS", "1");
        command
    }

    /// Runs one action of `tests/moto_seed.py` (see that file for the actions and their
    /// parameters) and returns the JSON object it prints. Panics when it fails.
    pub fn seed(&self, action: &str, parameters: serde_json::Value) -> serde_json::Value {
        let script = repo_root().join("tests").join("moto_seed.py");
        let mut command = self.command(venv_bin("python"));
        command
            .arg(script)
            .arg(self.endpoint())
            .arg(action)
            .arg(parameters.to_string());
        let run = run_command(command, b"");
        assert_eq!(run.status, Some(0), "seeding {action} failed: {run:#?}");
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|error| panic!("moto_seed.py printed no JSON ({error}): {run:#?}"))
    }

    /// Creates cluster `cluster` (if missing) and an awsvpc Fargate service `service` running
    /// revision 1 of family `service`, with the containers of [`Service::CONTAINERS`].
    pub fn create_service(&self, cluster: &str, service: &str) -> Service {
        self.create_service_with_controller(cluster, service, "ECS")
    }

    /// [`Moto::create_service`] with another deployment controller (`ECS`, `EXTERNAL` or
    /// `CODE_DEPLOY`). An EXTERNAL service has no task definition of its own until a task set is
    /// made PRIMARY (`seed("primary-task-set", ...)`); revision 1 is registered all the same.
    pub fn create_service_with_controller(
        &self,
        cluster: &str,
        service: &str,
        controller: &str,
    ) -> Service {
        let containers: Vec<_> = Service::CONTAINERS
            .iter()
            .map(|(name, image)| serde_json::json!({ "name": name, "image": image }))
            .collect();
        let created = self.seed(
            "service",
            serde_json::json!({
                "cluster": cluster,
                "service": service,
                "family": service,
                "containers": containers,
                "controller": controller,
            }),
        );
        let field = |key: &str| created[key].as_str().unwrap_or_default().to_string();
        Service {
            cluster: cluster.to_string(),
            cluster_arn: field("cluster_arn"),
            service: service.to_string(),
            service_arn: field("service_arn"),
            family: service.to_string(),
            task_definition_arn: field("task_definition_arn"),
        }
    }

    /// Ships `image` to `container` the way a CI pipeline does, with the real deploy tool:
    /// `ecs deploy CLUSTER SERVICE --image CONTAINER IMAGE --timeout -1` (PyPI `ecs-deploy`). It
    /// registers the next revision, points the service at it and deregisters the previous one.
    /// Panics when the tool fails.
    pub fn ecs_deploy(&self, cluster: &str, service: &str, container: &str, image: &str) -> Run {
        let command = self.ecs_deploy_command(MOTO_REGION, cluster, service, container, image);
        let run = run_command(command, b"");
        assert_eq!(run.status, Some(0), "ecs deploy failed: {run:#?}");
        run
    }

    /// The command [`Moto::ecs_deploy`] runs, in `region`.
    pub fn ecs_deploy_command(
        &self,
        region: &str,
        cluster: &str,
        service: &str,
        container: &str,
        image: &str,
    ) -> Command {
        let mut command = self.command_in(venv_bin("ecs"), region);
        command.args([
            "deploy",
            cluster,
            service,
            "--image",
            container,
            image,
            "--timeout",
            "-1",
        ]);
        command
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("cannot find a free port: {error}"))
}

/// The status code of `GET path` on 127.0.0.1:`port`, or `None` when nothing answers.
fn http_get_status(port: u16, path: &str) -> Option<u16> {
    use std::io::Read;
    let timeout = std::time::Duration::from_secs(2);
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = std::net::TcpStream::connect_timeout(&address, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moto_starts_seeds_deploys_and_stops() {
        let moto = Moto::start();
        let service = moto.create_service("prod", "web");
        assert_eq!(
            service.service_arn,
            format!("arn:aws:ecs:{MOTO_REGION}:{MOTO_ACCOUNT}:service/prod/web")
        );
        assert!(
            service
                .task_definition_arn
                .ends_with(":task-definition/web:1")
        );
        moto.ecs_deploy("prod", "web", "app", "example/app:2");

        let mut describe = moto.command(venv_bin("aws"));
        describe.args([
            "ecs",
            "describe-services",
            "--cluster",
            "prod",
            "--services",
            "web",
            "--query",
            "services[0].taskDefinition",
            "--output",
            "text",
        ]);
        let run = run_command(describe, b"");
        assert_eq!(run.status, Some(0), "{run:#?}");
        assert!(
            run.stdout.trim().ends_with(":task-definition/web:2"),
            "{run:#?}"
        );

        let port = moto.port;
        drop(moto);
        assert_eq!(
            http_get_status(port, "/moto-api/"),
            None,
            "moto still answers"
        );
    }

    /// The corrections of tests/moto_server.py, each what ECS documents: a service without a
    /// network configuration is described without one, CreateService keeps the zone rebalancing
    /// (ENABLED when not given) and the grace period it is given, and AWS managed policies exist.
    #[test]
    fn moto_describes_services_as_ecs_does() {
        let moto = Moto::start();
        let aws = |arguments: &[&str]| -> serde_json::Value {
            let mut command = moto.command(venv_bin("aws"));
            command.args(arguments).args(["--output", "json"]);
            let run = run_command(command, b"");
            assert_eq!(run.status, Some(0), "aws {arguments:?}: {run:#?}");
            serde_json::from_str(&run.stdout).unwrap_or(serde_json::Value::Null)
        };
        aws(&["ecs", "create-cluster", "--cluster-name", "c"]);
        aws(&[
            "ecs",
            "register-task-definition",
            "--family",
            "web",
            "--network-mode",
            "bridge",
            "--container-definitions",
            r#"[{"name":"app","image":"nginx","memory":128}]"#,
        ]);
        for (service, extra) in [
            (
                "given",
                &["--availability-zone-rebalancing", "DISABLED"][..],
            ),
            ("defaulted", &[][..]),
        ] {
            let mut arguments = vec![
                "ecs",
                "create-service",
                "--cluster",
                "c",
                "--service-name",
                service,
                "--task-definition",
                "web",
                "--desired-count",
                "1",
                "--launch-type",
                "EC2",
                "--health-check-grace-period-seconds",
                "30",
            ];
            arguments.extend_from_slice(extra);
            aws(&arguments);
        }
        let described = aws(&[
            "ecs",
            "describe-services",
            "--cluster",
            "c",
            "--services",
            "given",
            "defaulted",
        ]);
        let services = described["services"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(services.len(), 2, "{described}");
        for service in &services {
            assert!(
                service.get("networkConfiguration").is_none(),
                "a bridge service has no network configuration: {service}"
            );
            assert_eq!(service["healthCheckGracePeriodSeconds"], 30, "{service}");
        }
        assert_eq!(services[0]["availabilityZoneRebalancing"], "DISABLED");
        assert_eq!(services[1]["availabilityZoneRebalancing"], "ENABLED");

        let policy = aws(&[
            "iam",
            "get-policy",
            "--policy-arn",
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        ]);
        assert_eq!(
            policy["Policy"]["PolicyName"],
            "AmazonECSTaskExecutionRolePolicy"
        );
    }

    /// Application Auto Scaling keeps a scalable target's tags (tests/moto_server.py, 3): given
    /// at registration, read, added and removed by the target's ARN.
    #[test]
    fn moto_keeps_the_tags_of_a_scalable_target() {
        let moto = Moto::start();
        moto.create_service("c", "web");
        let aws = |arguments: &[&str]| -> serde_json::Value {
            let mut command = moto.command(venv_bin("aws"));
            command
                .arg("application-autoscaling")
                .args(arguments)
                .args(["--output", "json"]);
            let run = run_command(command, b"");
            assert_eq!(run.status, Some(0), "aws {arguments:?}: {run:#?}");
            serde_json::from_str(&run.stdout).unwrap_or(serde_json::Value::Null)
        };
        let registered = aws(&[
            "register-scalable-target",
            "--service-namespace",
            "ecs",
            "--resource-id",
            "service/c/web",
            "--scalable-dimension",
            "ecs:service:DesiredCount",
            "--min-capacity",
            "1",
            "--max-capacity",
            "4",
            "--tags",
            "team=platform",
        ]);
        let arn = registered["ScalableTargetARN"].as_str().unwrap_or_default();
        assert!(
            arn.starts_with("arn:aws:application-autoscaling:"),
            "{registered}"
        );
        let tags = |expected: serde_json::Value| {
            let listed = aws(&["list-tags-for-resource", "--resource-arn", arn]);
            assert_eq!(listed["Tags"], expected);
        };
        tags(serde_json::json!({ "team": "platform" }));
        aws(&["tag-resource", "--resource-arn", arn, "--tags", "env=prod"]);
        tags(serde_json::json!({ "team": "platform", "env": "prod" }));
        aws(&[
            "untag-resource",
            "--resource-arn",
            arn,
            "--tag-keys",
            "team",
        ]);
        tags(serde_json::json!({ "env": "prod" }));
    }
}

// ---------------------------------------------------------------------------------------------
// Misbehaving endpoints on loopback.

/// What a [`Stub`] does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Pass the request on to this endpoint (`http://127.0.0.1:PORT`) and its answer back.
    Forward(String),
    /// Answer with this status and JSON body, as an AWS JSON-protocol service does.
    Json { status: u16, body: String },
}

impl Reply {
    /// An AWS JSON-protocol error: status 400 and `{"__type": code, "message": message}`.
    pub fn aws_error(code: &str, message: &str) -> Self {
        Reply::Json {
            status: 400,
            body: serde_json::json!({ "__type": code, "message": message }).to_string(),
        }
    }
}

/// An HTTP endpoint on 127.0.0.1 that answers each request as a script says: throttling, access
/// denied, or forwarding to moto. One request per connection.
#[derive(Debug)]
pub struct Stub {
    port: u16,
    targets: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Stub {
    /// Starts the stub. `script` gets each request's number (from 0) and its `X-Amz-Target`
    /// header (such as `AmazonEC2ContainerServiceV20141113.DescribeServices`).
    pub fn start(script: impl Fn(usize, &str) -> Reply + Send + Sync + 'static) -> Self {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|error| panic!("cannot bind a stub: {error}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let targets = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let script = std::sync::Arc::new(script);
        let (seen, stopped) = (targets.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, script) = (seen.clone(), script.clone());
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &seen, script.as_ref());
                });
            }
        });
        Stub {
            port,
            targets,
            stop,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The `X-Amz-Target` of every request so far, in order of arrival, without the service
    /// prefix (`DescribeServices`, `DescribeTaskDefinition`, ...).
    pub fn targets(&self) -> Vec<String> {
        self.targets
            .lock()
            .map(|targets| targets.clone())
            .unwrap_or_default()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_one(
    mut stream: std::net::TcpStream,
    seen: &std::sync::Mutex<Vec<String>>,
    script: &(dyn Fn(usize, &str) -> Reply + Send + Sync),
) -> std::io::Result<()> {
    use std::io::Read;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let (head, body) = read_request(&mut stream)?;
    let target = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("x-amz-target")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let short = target.rsplit('.').next().unwrap_or_default().to_string();
    let number = {
        let mut seen = seen.lock().map_err(|_| std::io::Error::other("poisoned"))?;
        seen.push(short);
        seen.len() - 1
    };
    match script(number, &target) {
        Reply::Json { status, body } => {
            let response = format!(
                "HTTP/1.1 {status} Stub\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(response.as_bytes())?;
        }
        Reply::Forward(endpoint) => {
            let address = endpoint.trim_start_matches("http://").to_string();
            let mut upstream = std::net::TcpStream::connect(address)?;
            let mut request = String::new();
            for line in head.lines() {
                if !line.to_ascii_lowercase().starts_with("connection:") && !line.is_empty() {
                    request.push_str(line);
                    request.push_str("\r\n");
                }
            }
            request.push_str("Connection: close\r\n\r\n");
            upstream.write_all(request.as_bytes())?;
            upstream.write_all(&body)?;
            let mut response = Vec::new();
            upstream.read_to_end(&mut response)?;
            stream.write_all(&response)?;
        }
    }
    stream.flush()
}

/// Reads one HTTP/1.1 request: the head as text and the body its Content-Length announces.
fn read_request(stream: &mut std::net::TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    use std::io::Read;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Err(std::io::Error::other(
                "connection closed before the request",
            ));
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok((head, body))
}

/// A listener on 127.0.0.1 that accepts connections (the kernel completes them) and never
/// answers: a black-holed endpoint, for timeout tests.
#[derive(Debug)]
pub struct BlackHole {
    listener: std::net::TcpListener,
}

impl BlackHole {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|error| panic!("cannot bind a black hole: {error}"));
        BlackHole { listener }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        let port = self
            .listener
            .local_addr()
            .map(|address| address.port())
            .unwrap_or_default();
        format!("http://127.0.0.1:{port}")
    }
}
