//! The lookup where companies run Terraform: behind a TLS-inspecting proxy with a CA of its own
//! (`tests/tls_proxy.py`, on 127.0.0.1, in front of moto), with `HTTPS_PROXY`, `HTTP_PROXY` and
//! `NO_PROXY`, and the CA given as `AWS_CA_BUNDLE`, a profile's `ca_bundle` or `SSL_CERT_FILE`.
//!
//! The proxied endpoint is `https://ecs.proxied.invalid`: a name that never resolves (RFC 6761's
//! `.invalid`), so a request that did not go through the proxy fails instead of leaving the
//! machine.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use ecs_drift_tests::{Moto, Run, run_command, venv_bin};
use serde_json::{Value, json};

const PROGRAM: &str = "live_task_lookup";
const BINARY: &str = env!("CARGO_BIN_EXE_live_task_lookup");
const PROXIED_ECS: &str = "https://ecs.proxied.invalid";

/// `tests/tls_proxy.py` in front of `moto`, killed when dropped.
struct InspectingProxy {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl InspectingProxy {
    fn start(moto: &Moto) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let moto_port = moto
            .endpoint()
            .rsplit(':')
            .next()
            .and_then(|port| port.parse::<u16>().ok())
            .expect("moto's port");
        let script = ecs_drift_tests::repo_root()
            .join("tests")
            .join("tls_proxy.py");
        let mut child = Command::new(venv_bin("python"))
            .arg(&script)
            .arg(dir.path())
            .arg(moto_port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", script.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the proxy's port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("tls_proxy.py printed {line:?}, not its port"));
        InspectingProxy { child, port, dir }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The proxy's CA, which a client must be given to trust what the proxy presents.
    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// What went through the proxy, one request a line.
    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("requests.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for InspectingProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lookup against moto's `prod`/`web`, its ECS calls at `endpoint_url` (when given), with
/// `environment` on top of moto's sealed one.
fn lookup(moto: &Moto, endpoint_url: Option<&str>, environment: &[(&str, &Path)]) -> Run {
    let mut command = moto.command(BINARY);
    for (name, value) in environment {
        command.env(name, value);
    }
    let mut query = json!({"cluster": "prod", "service": "web", "max_attempts": "1"});
    if let Some(url) = endpoint_url {
        query["endpoint_url"] = Value::from(url);
    }
    run_command(command, query.to_string().as_bytes())
}

fn moto_with_service() -> Moto {
    let moto = Moto::start();
    moto.create_service("prod", "web");
    moto
}

#[track_caller]
fn assert_found(run: &Run) {
    let result = run.assert_success();
    assert_eq!(result["found"], "true", "{result:#?}");
    assert_eq!(result["family"], "web", "{result:#?}");
}

#[test]
fn through_an_inspecting_proxy_with_its_ca_in_aws_ca_bundle() {
    let moto = moto_with_service();
    let proxy = InspectingProxy::start(&moto);
    let url = proxy.url();
    let run = lookup(
        &moto,
        Some(PROXIED_ECS),
        &[
            ("HTTPS_PROXY", Path::new(&url)),
            ("AWS_CA_BUNDLE", &proxy.ca()),
        ],
    );
    assert_found(&run);
    let requests = proxy.requests();
    assert!(
        !requests.is_empty()
            && requests
                .iter()
                .all(|request| request == "CONNECT ecs.proxied.invalid:443"),
        "every connection goes through the proxy: {requests:?}"
    );
}

#[test]
fn without_the_proxys_ca_the_lookup_fails_in_one_line_naming_aws_ca_bundle() {
    let moto = moto_with_service();
    let proxy = InspectingProxy::start(&moto);
    let url = proxy.url();
    let run = lookup(
        &moto,
        Some(PROXIED_ECS),
        &[("HTTPS_PROXY", Path::new(&url))],
    );
    let line = run.assert_error(PROGRAM, "AWS_CA_BUNDLE");
    assert!(
        line.contains("the TLS certificate of https://ecs.proxied.invalid is not trusted for ecs:DescribeServices"),
        "{line}"
    );
    assert!(
        proxy
            .requests()
            .iter()
            .all(|request| request == "CONNECT ecs.proxied.invalid:443"),
        "{:?}",
        proxy.requests()
    );
    assert!(!proxy.requests().is_empty());
}

#[test]
fn a_profiles_ca_bundle_is_trusted_and_aws_ca_bundle_wins_over_it() {
    let moto = moto_with_service();
    let proxy = InspectingProxy::start(&moto);
    let url = proxy.url();
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[default]\nca_bundle = {}\n\n[profile elsewhere]\nregion = us-east-1\n",
            proxy.ca().display()
        ),
    )
    .expect("write the config file");
    let proxied = [
        ("HTTPS_PROXY", Path::new(&url)),
        ("AWS_CONFIG_FILE", config.as_path()),
    ];
    assert_found(&lookup(&moto, Some(PROXIED_ECS), &proxied));

    // Another profile has no ca_bundle: the proxy's certificate is not trusted.
    let mut command = moto.command(BINARY);
    command.envs(proxied).env("AWS_PROFILE", "elsewhere");
    let query = json!({"cluster": "prod", "service": "web", "max_attempts": "1", "endpoint_url": PROXIED_ECS});
    run_command(command, query.to_string().as_bytes()).assert_error(PROGRAM, "AWS_CA_BUNDLE");

    // AWS_CA_BUNDLE is read first, as by the AWS CLI: a bad one fails even with a good profile.
    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "not a certificate\n").expect("write");
    let line = lookup(
        &moto,
        Some(PROXIED_ECS),
        &[
            ("HTTPS_PROXY", Path::new(&url)),
            ("AWS_CONFIG_FILE", config.as_path()),
            ("AWS_CA_BUNDLE", not_pem.as_path()),
        ],
    )
    .assert_error(PROGRAM, "AWS_CA_BUNDLE")
    .to_string();
    assert!(line.contains("holds no PEM certificate"), "{line}");
}

#[test]
fn ssl_cert_file_replaces_the_platforms_roots() {
    let moto = moto_with_service();
    let proxy = InspectingProxy::start(&moto);
    let url = proxy.url();
    assert_found(&lookup(
        &moto,
        Some(PROXIED_ECS),
        &[
            ("HTTPS_PROXY", Path::new(&url)),
            ("SSL_CERT_FILE", &proxy.ca()),
        ],
    ));
}

#[test]
fn no_proxy_sends_a_host_around_the_proxy() {
    let moto = moto_with_service();
    let proxy = InspectingProxy::start(&moto);
    let url = proxy.url();
    // moto's plain http:// endpoint (AWS_ENDPOINT_URL): HTTP_PROXY would take it, and the proxy
    // answers 502 to anything but CONNECT.
    let proxied = [
        ("HTTP_PROXY", Path::new(&url)),
        ("HTTPS_PROXY", Path::new(&url)),
    ];
    lookup(&moto, None, &proxied).assert_error(PROGRAM, "ecs:DescribeServices");
    assert_eq!(proxy.requests().len(), 1, "{:?}", proxy.requests());
    assert!(
        proxy.requests()[0].starts_with(&format!("POST {}", moto.endpoint())),
        "{:?}",
        proxy.requests()
    );

    for no_proxy in ["127.0.0.1", "localhost,127.0.0.1"] {
        let mut environment = proxied.to_vec();
        environment.push(("NO_PROXY", Path::new(no_proxy)));
        assert_found(&lookup(&moto, None, &environment));
    }
    assert_eq!(proxy.requests().len(), 1, "{:?}", proxy.requests());
}

#[test]
fn an_unreadable_or_empty_ca_bundle_fails_in_one_line() {
    let moto = moto_with_service();
    let dir = tempfile::tempdir().expect("temporary directory");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").expect("write");
    let broken = dir.path().join("broken.pem");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
    )
    .expect("write");
    let missing = dir.path().join("missing.pem");
    for (bundle, problem) in [
        (&missing, "names cannot be read"),
        (&empty, "names holds no PEM certificate"),
        (&broken, "names holds a certificate that cannot be parsed"),
    ] {
        let line = lookup(&moto, None, &[("AWS_CA_BUNDLE", bundle.as_path())])
            .assert_error(PROGRAM, problem)
            .to_string();
        assert!(line.contains("the file AWS_CA_BUNDLE names"), "{line}");
        assert!(
            !line.contains(&dir.path().display().to_string()),
            "the message shows the variable's value: {line}"
        );
    }
}
