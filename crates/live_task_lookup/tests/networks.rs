//! The lookup where companies run Terraform:
//!
//! - behind a TLS-inspecting proxy with a CA of its own (`tests/tls_proxy.py`, on 127.0.0.1, in
//!   front of moto), with `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, and the CA given as
//!   `AWS_CA_BUNDLE`, a profile's `ca_bundle` or `SSL_CERT_FILE`;
//! - with the credentials of CI runners and engineers: web identity, container credentials, an
//!   SSO profile with a cached token, `credential_process`, and `assume_role_arn` with an external
//!   ID, against moto's STS or a credentials endpoint of the test's own, counting their calls.
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

// ---------------------------------------------------------------------------------------------
// CI runners' and engineers' credentials, each against a local endpoint: moto's STS (through a
// recorder that counts the calls) or a credentials server of the test's own.

/// An HTTP endpoint on 127.0.0.1 that records every request (head and body) and either passes it
/// on to `upstream` (moto) or answers `reply` (JSON, status 200). One request per connection.
struct Recorder {
    port: u16,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

enum Answer {
    Forward(u16),
    Json(String),
}

impl Recorder {
    fn start(answer: Answer) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a recorder");
        let port = listener.local_addr().expect("address").port();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        let answer = std::sync::Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (seen, answer) = (seen.clone(), answer.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &seen, &answer);
                });
            }
        });
        Recorder { port, requests }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .map(|requests| requests.clone())
            .unwrap_or_default()
    }

    /// The requests whose body or head contains `needle`.
    fn count(&self, needle: &str) -> usize {
        self.requests()
            .iter()
            .filter(|request| request.contains(needle))
            .count()
    }
}

fn serve(
    mut client: std::net::TcpStream,
    seen: &std::sync::Mutex<Vec<String>>,
    answer: &Answer,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let read = client.read(&mut chunk)?;
        if read == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let read = client.read(&mut chunk)?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = &buffer[head_end..];
    if let Ok(mut seen) = seen.lock() {
        seen.push(format!("{head}{}", String::from_utf8_lossy(body)));
    }
    match answer {
        Answer::Json(json) => write!(
            client,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        ),
        Answer::Forward(port) => {
            let mut upstream = std::net::TcpStream::connect(("127.0.0.1", *port))?;
            let head: String = head
                .trim_end()
                .lines()
                .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
                .map(|line| format!("{line}\r\n"))
                .collect();
            upstream.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes())?;
            upstream.write_all(body)?;
            let mut response = Vec::new();
            upstream.read_to_end(&mut response)?;
            client.write_all(&response)
        }
    }
}

fn moto_port(moto: &Moto) -> u16 {
    moto.endpoint()
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("moto's port")
}

/// The lookup with no static credentials: only `environment` can provide them. STS calls go to
/// `sts`, ECS calls to `ecs` (both recorders in front of moto).
fn lookup_with_credentials(
    moto: &Moto,
    sts: &Recorder,
    ecs: &Recorder,
    environment: &[(&str, String)],
    query: Value,
) -> Run {
    let mut command = moto.command(BINARY);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_ENDPOINT_URL_STS", sts.endpoint())
        .env("AWS_ENDPOINT_URL_ECS", ecs.endpoint());
    for (name, value) in environment {
        command.env(name, value);
    }
    let mut full = json!({"cluster": "prod", "service": "web", "max_attempts": "1"});
    if let (Value::Object(full), Value::Object(extra)) = (&mut full, query) {
        full.extend(extra);
    }
    run_command(command, full.to_string().as_bytes())
}

/// Every ECS request was signed with `access_key_id`, and there were the lookup's two.
#[track_caller]
fn assert_ecs_signed_with(ecs: &Recorder, access_key_id: &str) {
    let requests = ecs.requests();
    assert_eq!(
        requests.len(),
        2,
        "DescribeServices, DescribeTaskDefinition: {requests:#?}"
    );
    for request in &requests {
        assert!(
            request.contains(&format!("Credential={access_key_id}/")),
            "not signed with {access_key_id}: {request}"
        );
    }
}

#[test]
fn web_identity_as_on_eks_with_irsa() {
    let moto = moto_with_service();
    let sts = Recorder::start(Answer::Forward(moto_port(&moto)));
    let ecs = Recorder::start(Answer::Forward(moto_port(&moto)));
    let dir = tempfile::tempdir().expect("temporary directory");
    let token = dir.path().join("token");
    std::fs::write(
        &token,
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdGxhbnRpcyJ9.c2lnbmF0dXJl",
    )
    .expect("write the token");
    let run = lookup_with_credentials(
        &moto,
        &sts,
        &ecs,
        &[
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/atlantis".to_string(),
            ),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
            ("AWS_ROLE_SESSION_NAME", "atlantis".to_string()),
        ],
        json!({}),
    );
    assert_found(&run);
    assert_eq!(sts.requests().len(), 1, "{:#?}", sts.requests());
    assert_eq!(sts.count("Action=AssumeRoleWithWebIdentity"), 1);
    assert_eq!(sts.count("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9"), 1);
    assert_eq!(ecs.count("Credential=ASIA"), 2, "{:#?}", ecs.requests());
}

/// Credentials as a container credentials endpoint, an SSO portal or a credential process gives
/// them, easy to find in a signature.
const GIVEN_KEY: &str = "ASIAGIVENTOTHELOOKUP";

fn container_credentials() -> String {
    json!({
        "AccessKeyId": GIVEN_KEY,
        "SecretAccessKey": "given-secret",
        "Token": "given-token",
        "Expiration": "2099-01-01T00:00:00Z",
    })
    .to_string()
}

#[test]
fn container_credentials_as_on_codebuild_and_eks_pod_identity() {
    let moto = moto_with_service();
    let sts = Recorder::start(Answer::Forward(moto_port(&moto)));
    let ecs = Recorder::start(Answer::Forward(moto_port(&moto)));
    let credentials = Recorder::start(Answer::Json(container_credentials()));
    let run = lookup_with_credentials(
        &moto,
        &sts,
        &ecs,
        &[
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                format!("{}/v1/credentials", credentials.endpoint()),
            ),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                "pod-identity-token".to_string(),
            ),
        ],
        json!({}),
    );
    assert_found(&run);
    let requests = credentials.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert!(
        requests[0].starts_with("GET /v1/credentials "),
        "{requests:#?}"
    );
    assert!(
        requests[0]
            .lines()
            .any(|line| line.eq_ignore_ascii_case("authorization: pod-identity-token")),
        "{requests:#?}"
    );
    assert_eq!(sts.requests().len(), 0, "{:#?}", sts.requests());
    assert_ecs_signed_with(&ecs, GIVEN_KEY);
}

#[test]
fn an_sso_profile_with_its_token_cached_on_disk() {
    let moto = moto_with_service();
    let sts = Recorder::start(Answer::Forward(moto_port(&moto)));
    let ecs = Recorder::start(Answer::Forward(moto_port(&moto)));
    let portal = Recorder::start(Answer::Json(
        json!({"roleCredentials": {
            "accessKeyId": GIVEN_KEY,
            "secretAccessKey": "given-secret",
            "sessionToken": "given-token",
            "expiration": 4_070_908_800_000u64,
        }})
        .to_string(),
    ));
    let home = tempfile::tempdir().expect("temporary directory");
    let config = home.path().join("config");
    std::fs::write(
        &config,
        "[profile engineer]\nsso_session = corp\nsso_account_id = 123456789012\n\
         sso_role_name = Deployer\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .expect("write the config");
    // What `aws sso login` leaves: ~/.aws/sso/cache/<SHA-1 of the session's name>.json (AWS SDKs
    // and Tools reference guide, "SSO token provider"). SHA-1("corp"):
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).expect("create the cache");
    std::fs::write(
        cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        json!({
            "accessToken": "cached-sso-access-token",
            "expiresAt": "2099-01-01T00:00:00Z",
            "region": "us-east-1",
            "startUrl": "https://corp.awsapps.com/start",
        })
        .to_string(),
    )
    .expect("write the cached token");
    let run = lookup_with_credentials(
        &moto,
        &sts,
        &ecs,
        &[
            ("HOME", home.path().display().to_string()),
            ("AWS_CONFIG_FILE", config.display().to_string()),
            ("AWS_ENDPOINT_URL_SSO", portal.endpoint()),
        ],
        json!({"profile": "engineer"}),
    );
    assert_found(&run);
    let requests = portal.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert!(
        requests[0].starts_with("GET /federation/credentials?")
            && requests[0].contains("account_id=123456789012")
            && requests[0].contains("role_name=Deployer"),
        "{requests:#?}"
    );
    assert!(
        requests[0].lines().any(
            |line| line.eq_ignore_ascii_case("x-amz-sso_bearer_token: cached-sso-access-token")
        ),
        "{requests:#?}"
    );
    assert_eq!(sts.requests().len(), 0, "{:#?}", sts.requests());
    assert_ecs_signed_with(&ecs, GIVEN_KEY);
}

#[test]
fn credential_process_runs_once_per_lookup() {
    let moto = moto_with_service();
    let sts = Recorder::start(Answer::Forward(moto_port(&moto)));
    let ecs = Recorder::start(Answer::Forward(moto_port(&moto)));
    let dir = tempfile::tempdir().expect("temporary directory");
    let runs = dir.path().join("runs");
    let process = dir.path().join("credentials.sh");
    std::fs::write(
        &process,
        format!(
            "#!/bin/sh\necho run >> '{}'\nprintf '%s' '{}'\n",
            runs.display(),
            json!({"Version": 1, "AccessKeyId": GIVEN_KEY, "SecretAccessKey": "given-secret", "SessionToken": "given-token"})
        ),
    )
    .expect("write the process");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&process, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
    }
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!("[default]\ncredential_process = {}\n", process.display()),
    )
    .expect("write the config");
    let run = lookup_with_credentials(
        &moto,
        &sts,
        &ecs,
        &[("AWS_CONFIG_FILE", config.display().to_string())],
        json!({}),
    );
    assert_found(&run);
    assert_eq!(
        std::fs::read_to_string(&runs).unwrap_or_default(),
        "run\n",
        "the process runs once"
    );
    assert_eq!(sts.requests().len(), 0, "{:#?}", sts.requests());
    assert_ecs_signed_with(&ecs, GIVEN_KEY);
}

/// With `assume_role_arn`, each lookup process assumes the role itself: one sts:AssumeRole per
/// lookup, with the external ID, and the ECS calls signed with what it returned. (The SDK keeps
/// assumed credentials in the process only; see README.md, "IAM", for what a plan costs.)
#[test]
fn assume_role_arn_with_an_external_id_is_one_sts_call_per_lookup() {
    let moto = moto_with_service();
    let sts = Recorder::start(Answer::Forward(moto_port(&moto)));
    let ecs = Recorder::start(Answer::Forward(moto_port(&moto)));
    let query = json!({
        "assume_role_arn": "arn:aws:iam::123456789012:role/ecs-drift-lookup",
        "assume_role_external_id": "ext-7f3a",
    });
    let source = [
        ("AWS_ACCESS_KEY_ID", "AKIASOURCECREDENTIAL".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "source-secret".to_string()),
    ];
    for lookups in 1..=2 {
        assert_found(&lookup_with_credentials(
            &moto,
            &sts,
            &ecs,
            &source,
            query.clone(),
        ));
        assert_eq!(sts.requests().len(), lookups, "{:#?}", sts.requests());
    }
    assert_eq!(sts.count("Action=AssumeRole&"), 2, "{:#?}", sts.requests());
    assert_eq!(sts.count("ExternalId=ext-7f3a"), 2, "{:#?}", sts.requests());
    assert_eq!(
        sts.count("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fecs-drift-lookup"),
        2,
        "{:#?}",
        sts.requests()
    );
    assert_eq!(sts.count("Credential=AKIASOURCECREDENTIAL/"), 2);
    // moto issues temporary keys (ASIA...): the ECS calls use them, never the source's.
    assert_eq!(ecs.requests().len(), 4, "{:#?}", ecs.requests());
    assert_eq!(ecs.count("Credential=ASIA"), 4, "{:#?}", ecs.requests());
    assert_eq!(ecs.count("AKIASOURCECREDENTIAL"), 0);
}
