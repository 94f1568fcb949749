//! The module's IAM policies under a real IAM evaluator: `deployer_policy_json` lets every deploy
//! path make every call it makes for this service, and nothing beyond it; `lookup_policy_json` lets
//! the lookup make its calls, and writes nothing; `lookup_policy_json` and `apply_policy_json` let
//! the roles that run Terraform make every call a real plan and apply of `examples/fargate` makes
//! (recorded the same way), the plan role no write, the apply role nothing beyond this service.
//!
//! - The policies are `terraform output -json` after a real apply of `examples/sidecar` (the ECS
//!   controller) and `examples/codedeploy` (CODE_DEPLOY), with `tags` set on the module.
//! - The calls are recorded by `bench/aws_proxy.py --bodies` in front of moto while the real tools
//!   run: `ecs deploy` with its defaults (its wait lists and describes tasks, then it deregisters
//!   the revision it replaced), `tests/deploy/aws-cli.sh` and `aws ecs wait services-stable`,
//!   `aws deploy create-deployment`, and `live_task_lookup`. What cannot run here (the GitHub
//!   Actions, CodeDeploy's authorization of the config and revision, its waits) is listed below
//!   from the tools' source, with the file and function.
//! - Each call becomes the IAM requests AWS authorizes for it, with this service's resource ARNs
//!   and condition-key values (Service Authorization Reference, ECS:
//!   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html,
//!   CodeDeploy: .../list_awscodedeploy.html, IAM: .../list_awsidentityandaccessmanagementiam.html).
//! - The evaluator is `@cloud-copilot/iam-simulate`, pinned in `tests/iam/package-lock.json` and
//!   installed by `make test` (`npm ci`); `tests/iam/evaluate.mjs` runs it. It rejects a request
//!   whose resource is not of a type the action takes, so a wrong mapping fails the test too.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use ecs_drift_tests::story::{
    self, CODEDEPLOY, Example, FARGATE, REGION, SIDECAR, moto_with_cluster,
};
use ecs_drift_tests::terraform::{Toolchain, Workdir};
use ecs_drift_tests::{
    MOTO_ACCOUNT, Moto, Run, path_program, repo_root, run_command, sealed_command, venv_bin,
    workspace_binary,
};
use serde_json::{Map, Value, json};

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// The image the deploys ship.
const SHIPPED: &str = "public.ecr.aws/nginx/nginx:1.27.3";

/// The tags the module is given: every revision it registers carries them, and the deploy tools
/// that copy a revision's tags (ecs-deploy, the render action) register the next one with them.
const TAGS: &str = "module \"service\" {\n  tags = {\n    team = \"payments\"\n  }\n}\n";

/// Outputs the examples do not export.
const IAM_OUTPUTS: &str = "output \"iam_lookup_policy_json\" {\n  value = module.service.lookup_policy_json\n}\n\n\
     output \"iam_deployer_policy_json\" {\n  value = module.service.deployer_policy_json\n}\n";

// ---------------------------------------------------------------------------------------------
// The evaluator.

/// `tests/iam`, where `npm ci` installs the evaluator.
fn evaluator_dir() -> PathBuf {
    repo_root().join("tests").join("iam")
}

/// `node` with the installed evaluator; fails when either is missing. The tests that need it are
/// `#[ignore]`d with what they need, and `make test` (`-- --include-ignored`) runs them.
fn evaluator() -> PathBuf {
    let node =
        path_program("node").unwrap_or_else(|| panic!("no node on PATH (Node.js 20 or later)"));
    let installed = evaluator_dir().join("node_modules/@cloud-copilot/iam-simulate/package.json");
    assert!(
        installed.is_file(),
        "the IAM evaluator is not installed: run `npm ci` in {} (`make test` does)",
        evaluator_dir().display()
    );
    node
}

/// One IAM request: an action on a resource with condition-key values, and where it comes from.
#[derive(Debug, Clone)]
struct Request {
    action: String,
    resource: String,
    context: Map<String, Value>,
    origin: String,
}

impl std::fmt::Display for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} on {} with {} ({})",
            self.action,
            self.resource,
            Value::Object(self.context.clone()),
            self.origin
        )
    }
}

fn request(origin: &str, action: &str, resource: &str, context: Value) -> Request {
    Request {
        action: action.to_string(),
        resource: resource.to_string(),
        context: context.as_object().cloned().unwrap_or_default(),
        origin: origin.to_string(),
    }
}

/// The evaluator's decision on each request: Allowed, ExplicitlyDenied or ImplicitlyDenied.
fn decide(node: &PathBuf, policy: &Value, requests: &[Request]) -> Vec<String> {
    let input = json!({
        "policy": policy,
        "requests": requests.iter().map(|request| json!({
            "action": request.action,
            "resource": request.resource,
            "context": request.context,
        })).collect::<Vec<_>>(),
    });
    let mut command = Command::new(node);
    command
        .arg(evaluator_dir().join("evaluate.mjs"))
        .current_dir(evaluator_dir());
    let run = run_command(command, input.to_string().as_bytes());
    assert_eq!(run.status, Some(0), "the evaluator failed: {run:#?}");
    let decisions: Vec<Value> = serde_json::from_str(&run.stdout).expect("the evaluator's JSON");
    assert_eq!(decisions.len(), requests.len(), "{run:#?}");
    decisions
        .iter()
        .map(|decision| {
            decision["decision"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Every request Allowed; the message lists each one that is not.
#[track_caller]
fn assert_allowed(node: &PathBuf, name: &str, policy: &Value, requests: &[Request]) {
    assert!(!requests.is_empty(), "no requests to check against {name}");
    let refused: Vec<String> = requests
        .iter()
        .zip(decide(node, policy, requests))
        .filter(|(_, decision)| decision != "Allowed")
        .map(|(request, decision)| format!("{decision}: {request}"))
        .collect();
    assert!(
        refused.is_empty(),
        "{name} refuses what a deploy path needs:\n{}\n\nthe policy: {policy:#}",
        refused.join("\n")
    );
}

/// Every request denied; the message lists each one that is Allowed.
#[track_caller]
fn assert_denied(node: &PathBuf, name: &str, policy: &Value, requests: &[Request]) {
    assert!(!requests.is_empty(), "no requests to check against {name}");
    let allowed: Vec<String> = requests
        .iter()
        .zip(decide(node, policy, requests))
        .filter(|(_, decision)| decision == "Allowed")
        .map(|(request, _)| request.to_string())
        .collect();
    assert!(
        allowed.is_empty(),
        "{name} allows what it must not:\n{}\n\nthe policy: {policy:#}",
        allowed.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Recording the calls.

/// `bench/aws_proxy.py --bodies` in front of moto, killed when dropped.
struct Recorder {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Recorder {
    fn start(moto: &Moto) -> Self {
        let log = tempfile::NamedTempFile::new().expect("the proxy's log file");
        let mut child = sealed_command(venv_bin("python"))
            .arg(repo_root().join("bench").join("aws_proxy.py"))
            .arg(moto.endpoint())
            .arg(log.path())
            .arg("--bodies")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start bench/aws_proxy.py");
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("bench/aws_proxy.py printed no port: {line:?}")
        });
        Recorder { child, port, log }
    }

    /// `command` (made by [`Moto::command_in`]) pointed at the proxy instead of moto.
    fn through(&self, mut command: Command) -> Command {
        command.env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", self.port),
        );
        command
    }

    /// Every call so far: {"service", "action", "request", "response", "status", ...}.
    fn calls(&self) -> Vec<Value> {
        std::fs::read_to_string(self.log.path())
            .expect("read the proxy's log")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The actions of `calls`, in order.
fn actions(calls: &[Value]) -> Vec<String> {
    calls
        .iter()
        .map(|call| call["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// From a call to the IAM requests AWS authorizes for it.

fn ecs_arn(resource: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{MOTO_ACCOUNT}:{resource}")
}

fn codedeploy_arn(resource: &str) -> String {
    format!("arn:aws:codedeploy:{REGION}:{MOTO_ACCOUNT}:{resource}")
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{MOTO_ACCOUNT}:role/{name}")
}

/// A cluster given by name or ARN (the API takes both; "default" when absent): its name and ARN.
fn cluster_of(body: &Value) -> (String, String) {
    let given = body["cluster"].as_str().unwrap_or("default");
    let name = given.rsplit('/').next().unwrap_or(given).to_string();
    let arn = if given.starts_with("arn:") {
        given.to_string()
    } else {
        ecs_arn(&format!("cluster/{name}"))
    };
    (name, arn)
}

/// A service, task or task definition given by name or ARN, as an ARN.
fn arn_of(given: &str, prefix: &str) -> String {
    if given.starts_with("arn:") {
        given.to_string()
    } else {
        ecs_arn(&format!("{prefix}{given}"))
    }
}

/// aws:RequestTag/KEY and aws:TagKeys of an ECS `tags` list ([{key, value}]).
fn tag_context(tags: &Value) -> Map<String, Value> {
    let tags = tags.as_array().cloned().unwrap_or_default();
    let mut context = Map::new();
    if tags.is_empty() {
        return context;
    }
    let keys: Vec<Value> = tags.iter().map(|tag| tag["key"].clone()).collect();
    for tag in &tags {
        let key = tag["key"].as_str().unwrap_or_default();
        context.insert(format!("aws:RequestTag/{key}"), tag["value"].clone());
    }
    context.insert("aws:TagKeys".to_string(), Value::Array(keys));
    context
}

/// The IAM requests of one recorded (or source-listed) call: the resource types and condition keys
/// of each action as the Service Authorization Reference gives them. A call this does not know
/// fails the test: a tool that starts making a new call must be looked at.
fn requests_of(origin: &str, call: &Value) -> Vec<Request> {
    let service = call["service"].as_str().unwrap_or_default();
    let action = call["action"].as_str().unwrap_or_default();
    let body = &call["request"];
    let origin = format!("{origin}: {action}");
    let (cluster_name, cluster_arn) = cluster_of(body);
    let in_cluster = json!({ "ecs:cluster": cluster_arn });
    let one = |action: &str, resource: &str, context: Value| {
        vec![request(&origin, action, resource, context)]
    };
    match (service, action) {
        ("ecs", "DescribeServices") => body["services"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|name| {
                let name = name.as_str().unwrap_or_default();
                let arn = arn_of(name, &format!("service/{cluster_name}/"));
                request(&origin, "ecs:DescribeServices", &arn, in_cluster.clone())
            })
            .collect(),
        // The first apply: the service, its tags authorized as TagResource with
        // ecs:CreateAction = CreateService, and a role it names passed to ECS.
        ("ecs", "CreateService") => {
            let name = body["serviceName"].as_str().unwrap_or_default();
            let arn = arn_of(name, &format!("service/{cluster_name}/"));
            let tags = tag_context(&body["tags"]);
            let mut context = tags.clone();
            context.insert("ecs:cluster".into(), json!(cluster_arn));
            let mut requests = vec![request(
                &origin,
                "ecs:CreateService",
                &arn,
                Value::Object(context),
            )];
            if !tags.is_empty() {
                let mut context = tags;
                context.insert("ecs:CreateAction".into(), json!("CreateService"));
                requests.push(request(
                    &origin,
                    "ecs:TagResource",
                    &arn,
                    Value::Object(context),
                ));
            }
            if let Some(role) = body["role"].as_str().filter(|role| !role.is_empty()) {
                requests.push(request(&origin, "iam:PassRole", role, json!({})));
            }
            requests
        }
        ("ecs", "UpdateService") => {
            let name = body["service"].as_str().unwrap_or_default();
            let arn = arn_of(name, &format!("service/{cluster_name}/"));
            one("ecs:UpdateService", &arn, in_cluster)
        }
        // No resource type: IAM evaluates it against "*".
        ("ecs", "DescribeTaskDefinition") => one("ecs:DescribeTaskDefinition", "*", json!({})),
        ("ecs", "DeregisterTaskDefinition") => one("ecs:DeregisterTaskDefinition", "*", json!({})),
        ("ecs", "RegisterTaskDefinition") => {
            // The revision it creates; tags at registration are also authorized as TagResource
            // on it with ecs:CreateAction, and each role it names as iam:PassRole to ECS tasks.
            let arn = call["response"]["taskDefinition"]["taskDefinitionArn"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(!arn.is_empty(), "{origin}: no revision ARN in {call}");
            let tags = tag_context(&body["tags"]);
            let mut requests = vec![request(
                &origin,
                "ecs:RegisterTaskDefinition",
                &arn,
                Value::Object(tags.clone()),
            )];
            if !tags.is_empty() {
                let mut context = tags;
                context.insert("ecs:CreateAction".into(), json!("RegisterTaskDefinition"));
                requests.push(request(
                    &origin,
                    "ecs:TagResource",
                    &arn,
                    Value::Object(context),
                ));
            }
            for field in ["taskRoleArn", "executionRoleArn"] {
                if let Some(role) = body[field].as_str().filter(|role| !role.is_empty()) {
                    requests.push(request(
                        &origin,
                        "iam:PassRole",
                        role,
                        json!({ "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
                    ));
                }
            }
            requests
        }
        // ListTasks takes the container-instance type and the ecs:cluster key; a call names no
        // container instance, so IAM evaluates it against "*" with the cluster's ARN.
        ("ecs", "ListTasks") => one("ecs:ListTasks", "*", in_cluster),
        ("ecs", "DescribeTasks") => body["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|task| {
                let task = task.as_str().unwrap_or_default();
                let arn = arn_of(task, &format!("task/{cluster_name}/"));
                request(&origin, "ecs:DescribeTasks", &arn, in_cluster.clone())
            })
            .collect(),
        ("codedeploy", "CreateDeployment" | "GetDeploymentGroup") => {
            let application = body["applicationName"].as_str().unwrap_or_default();
            let group = body["deploymentGroupName"].as_str().unwrap_or_default();
            let arn = codedeploy_arn(&format!("deploymentgroup:{application}/{group}"));
            one(&format!("codedeploy:{action}"), &arn, json!({}))
        }
        _ => panic!("{origin}: no IAM mapping for {service}:{action} ({call})"),
    }
}

/// The requests of every recorded call of `calls`.
fn requests_of_calls(origin: &str, calls: &[Value]) -> Vec<Request> {
    calls
        .iter()
        .flat_map(|call| requests_of(origin, call))
        .collect()
}

/// A call in the shape the proxy records, for a call taken from a tool's source.
fn call(service: &str, action: &str, request: Value, response: Value) -> Value {
    json!({ "service": service, "action": action, "request": request, "response": response })
}

// ---------------------------------------------------------------------------------------------
// Set-up.

/// The AWS CLI against moto (not recorded): set-up and reads of the test's own. Returns its JSON.
fn aws(moto: &Moto, arguments: &[&str]) -> Value {
    let mut command = moto.command_in(venv_bin("aws"), REGION);
    command.args(arguments).args(["--output", "json"]);
    let run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "aws {arguments:?}: {run:#?}");
    serde_json::from_str(&run.stdout).unwrap_or(Value::Null)
}

/// `example` applied with [`TAGS`] and the policies exported.
fn applied(example: &Example) -> (PathBuf, Moto, Workdir) {
    let node = evaluator();
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(example.cluster);
    let workdir =
        Workdir::example(toolchain, &moto, example.name).unwrap_or_else(|e| panic!("{e}"));
    workdir.override_file("tags", TAGS);
    std::fs::write(workdir.path.join("iam_outputs.tf"), IAM_OUTPUTS).expect("write the outputs");
    let run = workdir.apply();
    assert_eq!(run.status, Some(0), "terraform apply: {run:#?}");
    (node, moto, workdir)
}

/// The two policies, as `terraform output -json` gives them.
fn policies(workdir: &Workdir) -> (Value, Value) {
    let outputs = workdir.outputs();
    let parse = |name: &str| -> Value {
        serde_json::from_str(outputs[name].as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("{name} is not JSON ({error}): {outputs:#?}"))
    };
    (
        parse("iam_deployer_policy_json"),
        parse("iam_lookup_policy_json"),
    )
}

/// The revision the service runs, described with its tags as the render action reads it.
fn live_revision(moto: &Moto, example: &Example) -> (Value, Value) {
    let service = aws(
        moto,
        &[
            "ecs",
            "describe-services",
            "--cluster",
            example.cluster,
            "--services",
            example.service,
        ],
    );
    let arn = service["services"][0]["taskDefinition"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let described = aws(
        moto,
        &[
            "ecs",
            "describe-task-definition",
            "--task-definition",
            &arn,
            "--include",
            "TAGS",
        ],
    );
    (
        described["taskDefinition"].clone(),
        described["tags"].clone(),
    )
}

/// The next revision's ARN after `revision`.
fn next_revision(revision: &Value) -> String {
    ecs_arn(&format!(
        "task-definition/{}:{}",
        revision["family"].as_str().unwrap_or_default(),
        revision["revision"].as_u64().unwrap_or_default() + 1
    ))
}

/// The first two calls of the GitHub Actions pair, from their source: the render action describes
/// the live revision with its tags (index.js, run), and the deploy action registers the rendered
/// revision, those tags copied (index.js, run).
fn render_and_register(live: &Value, live_tags: &Value) -> [Value; 2] {
    let mut rendered = live.clone();
    rendered["tags"] = live_tags.clone();
    [
        call(
            "ecs",
            "DescribeTaskDefinition",
            json!({ "taskDefinition": live["taskDefinitionArn"], "include": ["TAGS"] }),
            Value::Null,
        ),
        call(
            "ecs",
            "RegisterTaskDefinition",
            rendered,
            json!({ "taskDefinition": { "taskDefinitionArn": next_revision(live) } }),
        ),
    ]
}

/// What `live_task_lookup` calls for `example`'s service, recorded.
fn record_lookup(moto: &Moto, example: &Example) -> Vec<Value> {
    let recorder = Recorder::start(moto);
    let command = recorder.through(moto.command_in(workspace_binary("live_task_lookup"), REGION));
    let query = json!({ "cluster": example.cluster, "service": example.service, "region": REGION });
    let run = run_command(command, query.to_string().as_bytes());
    run.assert_success();
    let calls = recorder.calls();
    assert_eq!(
        actions(&calls),
        ["DescribeServices", "DescribeTaskDefinition"],
        "{calls:#?}"
    );
    calls
}

/// The service-deployment calls of `service` in `cluster`, as IAM authorizes them (Service
/// Authorization Reference for ECS: ListServiceDeployments on the service; DescribeServiceDeployments,
/// ContinueServiceDeployment and StopServiceDeployment on the service and on the
/// service-deployment, `service-deployment/CLUSTER/SERVICE/ID`): ecspresso's
/// `--wait-until=deployed` (ecspresso issue 850) and pipelines that drive lifecycle hooks.
fn service_deployment_requests(origin: &str, cluster: &str, service: &str) -> Vec<Request> {
    let here = json!({ "ecs:cluster": ecs_arn(&format!("cluster/{cluster}")) });
    let service_arn = ecs_arn(&format!("service/{cluster}/{service}"));
    let deployment_arn = ecs_arn(&format!(
        "service-deployment/{cluster}/{service}/ecs-svc-1234567890"
    ));
    let mut requests = vec![request(
        origin,
        "ecs:ListServiceDeployments",
        &service_arn,
        here.clone(),
    )];
    for action in [
        "ecs:DescribeServiceDeployments",
        "ecs:ContinueServiceDeployment",
        "ecs:StopServiceDeployment",
    ] {
        requests.push(request(origin, action, &service_arn, here.clone()));
        let mut on_deployment = here.clone();
        on_deployment["ecs:service"] = json!(service_arn);
        requests.push(request(origin, action, &deployment_arn, on_deployment));
    }
    requests
}

/// Requests every policy of `example` must deny (issue point 2, the part shared by both
/// controllers): another service or cluster, creating or deleting services, running tasks,
/// passing other roles or these roles elsewhere, IAM writes, tagging outside a registration or
/// another family, and another family's revisions.
fn beyond_this_service(example: &Example, family: &str, roles: &[String]) -> Vec<Request> {
    let origin = "beyond this service";
    let (cluster, service) = (example.cluster, example.service);
    let cluster_arn = ecs_arn(&format!("cluster/{cluster}"));
    let here = json!({ "ecs:cluster": cluster_arn });
    let elsewhere = json!({ "ecs:cluster": ecs_arn("cluster/another-cluster") });
    let this_service = ecs_arn(&format!("service/{cluster}/{service}"));
    let other_service = ecs_arn(&format!("service/{cluster}/another-service"));
    let same_name_elsewhere = ecs_arn(&format!("service/another-cluster/{service}"));
    let revision = ecs_arn(&format!("task-definition/{family}:1"));
    let other_revision = ecs_arn("task-definition/another-family:1");
    let registration = json!({ "ecs:CreateAction": "RegisterTaskDefinition" });
    let to_tasks = json!({ "iam:PassedToService": "ecs-tasks.amazonaws.com" });
    let mut requests = vec![
        request(origin, "ecs:DescribeServices", &other_service, here.clone()),
        request(origin, "ecs:UpdateService", &other_service, here.clone()),
        request(
            origin,
            "ecs:DescribeServices",
            &same_name_elsewhere,
            elsewhere.clone(),
        ),
        request(
            origin,
            "ecs:UpdateService",
            &same_name_elsewhere,
            elsewhere.clone(),
        ),
        request(origin, "ecs:CreateService", &this_service, here.clone()),
        request(origin, "ecs:DeleteService", &this_service, here.clone()),
        request(origin, "ecs:RunTask", &revision, here.clone()),
        request(
            origin,
            "ecs:RegisterTaskDefinition",
            &other_revision,
            json!({}),
        ),
        request(origin, "ecs:TagResource", &revision, json!({})),
        request(
            origin,
            "ecs:TagResource",
            &revision,
            json!({ "ecs:CreateAction": "CreateService" }),
        ),
        // TagResource on another family's revision with ecs:CreateAction = RegisterTaskDefinition
        // is allowed (`task-definition/*`): it is only evaluated with a registration, and the
        // registration of another family is denied above.
        request(origin, "ecs:TagResource", &this_service, registration),
        request(origin, "ecs:ListTasks", "*", elsewhere.clone()),
        request(
            origin,
            "ecs:DescribeTasks",
            &ecs_arn("task/another-cluster/0123456789abcdef0123456789abcdef"),
            elsewhere,
        ),
        request(origin, "iam:PassRole", &role_arn("another-role"), to_tasks),
        request(
            origin,
            "iam:CreateRole",
            &role_arn("another-role"),
            json!({}),
        ),
        request(
            origin,
            "iam:CreatePolicy",
            &format!("arn:aws:iam::{MOTO_ACCOUNT}:policy/another-policy"),
            json!({}),
        ),
    ];
    for role in roles {
        for principal in [
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "ecs.amazonaws.com",
        ] {
            requests.push(request(
                origin,
                "iam:PassRole",
                role,
                json!({ "iam:PassedToService": principal }),
            ));
        }
        for write in [
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRole",
            "iam:TagRole",
        ] {
            requests.push(request(origin, write, role, json!({})));
        }
    }
    requests
}

/// Requests the lookup policy must deny: every write a deploy makes, and another service.
fn lookup_must_not(example: &Example, family: &str, roles: &[String]) -> Vec<Request> {
    let origin = "the lookup writes nothing";
    let here = json!({ "ecs:cluster": ecs_arn(&format!("cluster/{}", example.cluster)) });
    let this_service = ecs_arn(&format!("service/{}/{}", example.cluster, example.service));
    let revision = ecs_arn(&format!("task-definition/{family}:1"));
    let mut requests = vec![
        request(origin, "ecs:UpdateService", &this_service, here.clone()),
        request(origin, "ecs:RegisterTaskDefinition", &revision, json!({})),
        request(origin, "ecs:DeregisterTaskDefinition", "*", json!({})),
        request(
            origin,
            "ecs:TagResource",
            &revision,
            json!({ "ecs:CreateAction": "RegisterTaskDefinition" }),
        ),
        request(origin, "ecs:ListTasks", "*", here.clone()),
        request(
            origin,
            "ecs:DescribeServices",
            &ecs_arn(&format!("service/{}/another-service", example.cluster)),
            here,
        ),
        request(
            origin,
            "codedeploy:CreateDeployment",
            &codedeploy_arn("deploymentgroup:ecs-drift-codedeploy/ecs-drift-codedeploy"),
            json!({}),
        ),
    ];
    for role in roles {
        requests.push(request(
            origin,
            "iam:PassRole",
            role,
            json!({ "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
        ));
    }
    requests
}

/// The roles a revision names.
fn roles_of(revision: &Value) -> Vec<String> {
    ["taskRoleArn", "executionRoleArn"]
        .iter()
        .filter_map(|field| revision[*field].as_str().map(str::to_string))
        .collect()
}

/// The example applied again with `deployer_policy_add = ADD` (HCL), and its deployer policy.
fn deployer_policy_with(workdir: &Workdir, add: &str) -> Value {
    workdir.override_file(
        "deployer_policy_add",
        &format!("module \"service\" {{\n  deployer_policy_add = {add}\n}}\n"),
    );
    let run = workdir.apply();
    assert_eq!(run.status, Some(0), "terraform apply: {run:#?}");
    policies(workdir).0
}

/// `ecs deploy`, `aws-cli.sh`, the lookup, and the GitHub Actions pair, against the sidecar
/// example (the ECS controller), which adds what `ecs deploy` with its defaults needs: every call
/// Allowed; the point-2 requests and the service-deployment calls denied; with the defaults
/// (`deployer_policy_add` empty), the other paths' calls Allowed, ecs-deploy's task reads and
/// deregistration denied; with `service_deployments`, this service's deployments Allowed.
#[test]
#[ignore = "needs Terraform and the IAM evaluator"]
fn the_deployer_policy_allows_every_ecs_deploy_path_and_nothing_beyond() -> Outcome {
    let example = SIDECAR;
    let (node, moto, workdir) = applied(&example);
    let (deployer, lookup) = policies(&workdir);
    let (revision, tags) = live_revision(&moto, &example);
    assert_eq!(
        tags,
        json!([{ "key": "team", "value": "payments" }]),
        "the module tags its revision"
    );
    let family = revision["family"].as_str().unwrap_or_default().to_string();
    let roles = roles_of(&revision);
    assert!(!roles.is_empty(), "the sidecar names an execution role");

    // moto starts no task of a service. ecs-deploy's wait lists the cluster's tasks and counts
    // the RUNNING ones of the new revision until that count is the desired count
    // (ecs_deploy/ecs.py, EcsAction.is_deployed, get_running_tasks_count), and moto's ListTasks
    // ignores serviceName: with a desired count of 0 and one task of another family RUNNING in
    // the cluster, the wait describes that task and ends, and the deploy goes on to deregister.
    let subnet = aws(&moto, &["ec2", "describe-subnets"])["Subnets"][0]["SubnetId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let group = aws(
        &moto,
        &[
            "ec2",
            "describe-security-groups",
            "--filters",
            "Name=group-name,Values=default",
        ],
    )["SecurityGroups"][0]["GroupId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    aws(
        &moto,
        &[
            "ecs",
            "register-task-definition",
            "--family",
            "iam-test-neighbour",
            "--network-mode",
            "awsvpc",
            "--requires-compatibilities",
            "FARGATE",
            "--cpu",
            "256",
            "--memory",
            "512",
            "--container-definitions",
            r#"[{"name":"app","image":"public.ecr.aws/nginx/nginx:stable","memory":128}]"#,
        ],
    );
    let network = format!("awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}]}}");
    aws(
        &moto,
        &[
            "ecs",
            "run-task",
            "--cluster",
            example.cluster,
            "--task-definition",
            "iam-test-neighbour",
            "--launch-type",
            "FARGATE",
            "--network-configuration",
            &network,
        ],
    );
    aws(
        &moto,
        &[
            "ecs",
            "update-service",
            "--cluster",
            example.cluster,
            "--service",
            example.service,
            "--desired-count",
            "0",
        ],
    );

    // `ecs deploy` with its defaults: the wait (timeout 300 s) and --deregister.
    let recorder = Recorder::start(&moto);
    let mut command = recorder.through(moto.command_in(venv_bin("ecs"), REGION));
    command.args([
        "deploy",
        example.cluster,
        example.service,
        "--image",
        example.follower,
        SHIPPED,
    ]);
    let run: Run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "ecs deploy: {run:#?}");
    let ecs_deploy = recorder.calls();
    drop(recorder);
    let called = actions(&ecs_deploy);
    for expected in [
        "RegisterTaskDefinition",
        "UpdateService",
        "ListTasks",
        "DescribeTasks",
        "DeregisterTaskDefinition",
    ] {
        assert!(
            called.iter().any(|action| action == expected),
            "ecs deploy made no {expected}: {called:?}"
        );
    }
    let registered = ecs_deploy
        .iter()
        .find(|call| call["action"] == "RegisterTaskDefinition")
        .map(|call| call["request"]["tags"].clone());
    assert_eq!(
        registered,
        Some(tags.clone()),
        "ecs deploy copies the revision's tags"
    );

    // The AWS CLI recipe, then `aws ecs wait services-stable` (botocore's ecs waiters-2.json,
    // ServicesStable: DescribeServices until one deployment runs the desired count).
    let recorder = Recorder::start(&moto);
    let mut command =
        recorder.through(moto.command_in(repo_root().join("tests/deploy/aws-cli.sh"), REGION));
    command
        .args([example.cluster, example.service, example.follower, SHIPPED])
        .env("AWS", venv_bin("aws"))
        .env("JQ", story::jq());
    let run = run_command(command, b"");
    assert_eq!(run.status, Some(0), "aws-cli.sh: {run:#?}");
    let mut command = recorder.through(moto.command_in(venv_bin("aws"), REGION));
    command.args([
        "ecs",
        "wait",
        "services-stable",
        "--cluster",
        example.cluster,
        "--services",
        example.service,
    ]);
    let run = run_command(command, b"");
    assert_eq!(
        run.status,
        Some(0),
        "aws ecs wait services-stable: {run:#?}"
    );
    let aws_cli = recorder.calls();
    drop(recorder);
    assert_eq!(
        actions(&aws_cli),
        [
            "DescribeServices",
            "DescribeTaskDefinition",
            "RegisterTaskDefinition",
            "UpdateService",
            "DescribeServices"
        ],
        "{aws_cli:#?}"
    );

    // The GitHub Actions pair, which cannot run here; their calls from the source:
    // - amazon-ecs-render-task-definition (index.js, run): with `task-definition-arn` (or
    //   -family) DescribeTaskDefinition with include TAGS, and the tags merged into the rendered
    //   revision;
    // - amazon-ecs-deploy-task-definition (index.js, run): RegisterTaskDefinition of that
    //   revision, DescribeServices for its deployment controller; updateEcsService: UpdateService,
    //   and with wait-for-service-stability waitUntilServicesStable (DescribeServices) and a
    //   DescribeServices that verifies the deployment.
    let (live, live_tags) = live_revision(&moto, &example);
    let cluster_and_service = json!({ "cluster": example.cluster, "services": [example.service] });
    let update = json!({
        "cluster": example.cluster,
        "service": example.service,
        "taskDefinition": next_revision(&live),
    });
    let actions_pair = [
        render_and_register(&live, &live_tags).as_slice(),
        &[
            call(
                "ecs",
                "DescribeServices",
                cluster_and_service.clone(),
                Value::Null,
            ),
            call("ecs", "UpdateService", update, Value::Null),
            call(
                "ecs",
                "DescribeServices",
                cluster_and_service.clone(),
                Value::Null,
            ),
            call("ecs", "DescribeServices", cluster_and_service, Value::Null),
        ],
    ]
    .concat();

    let lookup_calls = record_lookup(&moto, &example);

    // The sidecar example as shipped: its pipeline is `ecs deploy` with its defaults, so it sets
    // `deployer_policy_add = ["deregister", "task_reads"]` as the README says for that tool.
    let ecs_deploy_requests = requests_of_calls("ecs deploy", &ecs_deploy);
    let other_paths: Vec<Request> = [
        requests_of_calls("aws-cli.sh + aws ecs wait services-stable", &aws_cli),
        requests_of_calls("GitHub Actions (from source)", &actions_pair),
    ]
    .concat();
    let deploy_requests: Vec<Request> = [ecs_deploy_requests.clone(), other_paths.clone()].concat();
    assert!(
        deploy_requests
            .iter()
            .any(|request| request.action == "ecs:TagResource"),
        "a revision with tags is registered"
    );
    assert_allowed(&node, "deployer_policy_json", &deployer, &deploy_requests);
    // This service's deployments, which only `deployer_policy_add = ["service_deployments"]`
    // opens (below), and other services' deployments, which nothing opens.
    let own_deployments = service_deployment_requests(
        "ecspresso --wait-until=deployed, lifecycle hooks",
        example.cluster,
        example.service,
    );
    assert_denied(&node, "deployer_policy_json", &deployer, &own_deployments);
    let mut beyond = beyond_this_service(&example, &family, &roles);
    for (cluster, service) in [
        (example.cluster, "another-service"),
        ("another-cluster", example.service),
    ] {
        beyond.extend(service_deployment_requests(
            "another service's deployments",
            cluster,
            service,
        ));
    }
    beyond.push(request(
        "no CodeDeploy on an ECS service",
        "codedeploy:CreateDeployment",
        &codedeploy_arn(&format!(
            "deploymentgroup:AppECS-{0}-{1}/DgpECS-{0}-{1}",
            example.cluster, example.service
        )),
        json!({}),
    ));
    assert_denied(&node, "deployer_policy_json", &deployer, &beyond);

    let lookup_requests = requests_of_calls("live_task_lookup", &lookup_calls);
    assert_allowed(&node, "lookup_policy_json", &lookup, &lookup_requests);
    assert_denied(
        &node,
        "lookup_policy_json",
        &lookup,
        &lookup_must_not(&example, &family, &roles),
    );

    // The defaults, as the README gives them for the GitHub Actions pair and the AWS CLI recipe:
    // every call of theirs Allowed, and what only ecs-deploy's defaults need (the wait's
    // cluster-wide task reads, the deregistration on `*`) denied. The rest of ecs-deploy's calls
    // are what `ecs deploy --no-deregister --timeout -1` makes, Allowed.
    let defaults = deployer_policy_with(&workdir, "[]");
    let (added, kept): (Vec<Request>, Vec<Request>) =
        ecs_deploy_requests.into_iter().partition(|request| {
            matches!(
                request.action.as_str(),
                "ecs:DeregisterTaskDefinition" | "ecs:ListTasks" | "ecs:DescribeTasks"
            )
        });
    for action in [
        "ecs:DeregisterTaskDefinition",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
    ] {
        assert!(
            added.iter().any(|request| request.action == action),
            "ecs deploy's recorded calls have no {action}"
        );
    }
    let path_requests = [other_paths, kept].concat();
    assert_allowed(
        &node,
        "the default deployer policy",
        &defaults,
        &path_requests,
    );
    assert_denied(&node, "the default deployer policy", &defaults, &added);
    assert_denied(&node, "the default deployer policy", &defaults, &beyond);
    assert_denied(
        &node,
        "the default deployer policy",
        &defaults,
        &own_deployments,
    );

    // `service_deployments` by name: this service's deployments Allowed, with every path's calls
    // as before; another service's still denied.
    let with_deployments = deployer_policy_with(&workdir, "[\"service_deployments\"]");
    let name = "deployer_policy_add = [\"service_deployments\"]";
    assert_allowed(&node, name, &with_deployments, &own_deployments);
    assert_allowed(&node, name, &with_deployments, &path_requests);
    assert_denied(&node, name, &with_deployments, &beyond);
    Ok(())
}

/// A CODE_DEPLOY service (the codedeploy example): `aws deploy create-deployment`, the GitHub
/// deploy action's CodeDeploy path and the lookup: every call Allowed; another application or
/// deployment group, and the point-2 requests, denied.
#[test]
#[ignore = "needs Terraform and the IAM evaluator"]
fn the_deployer_policy_allows_every_code_deploy_path_and_nothing_beyond() -> Outcome {
    let example = CODEDEPLOY;
    let (node, moto, workdir) = applied(&example);
    let (deployer, lookup) = policies(&workdir);
    let (live, live_tags) = live_revision(&moto, &example);
    assert_eq!(live_tags, json!([{ "key": "team", "value": "payments" }]));
    let family = live["family"].as_str().unwrap_or_default().to_string();
    let roles = roles_of(&live);
    let application = "ecs-drift-codedeploy";
    let group = "ecs-drift-codedeploy";
    let config = "CodeDeployDefault.ECSAllAtOnce";
    let group_arn = codedeploy_arn(&format!("deploymentgroup:{application}/{group}"));

    // `aws deploy create-deployment` with the AppSpec the example outputs.
    let appspec = workdir.outputs()["appspec"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let revision =
        json!({ "revisionType": "AppSpecContent", "appSpecContent": { "content": appspec } });
    let recorder = Recorder::start(&moto);
    let mut command = recorder.through(moto.command_in(venv_bin("aws"), REGION));
    command.args([
        "deploy",
        "create-deployment",
        "--application-name",
        application,
        "--deployment-group-name",
        group,
        "--revision",
        &revision.to_string(),
    ]);
    let run = run_command(command, b"");
    assert_eq!(
        run.status,
        Some(0),
        "aws deploy create-deployment: {run:#?}"
    );
    let cli = recorder.calls();
    drop(recorder);
    assert_eq!(actions(&cli), ["CreateDeployment"], "{cli:#?}");

    // From the source, what cannot run here:
    // - amazon-ecs-render-task-definition (index.js, run): DescribeTaskDefinition, include TAGS;
    // - amazon-ecs-deploy-task-definition (index.js, run): RegisterTaskDefinition and
    //   DescribeServices; createCodeDeployDeployment: GetDeploymentGroup, CreateDeployment, and
    //   with wait-for-service-stability waitUntilDeploymentSuccessful (GetDeployment on the
    //   deployment, whose resource is its deployment group);
    // - CreateDeployment also authorizes codedeploy:GetDeploymentConfig on the group's
    //   configuration and codedeploy:RegisterApplicationRevision on the application (the deploy
    //   action's README, "Permissions", CodeDeploy: its minimal policy), for the action and the
    //   CLI alike; `aws deploy wait deployment-successful` is GetDeployment (botocore's
    //   codedeploy waiters-2.json, DeploymentSuccessful).
    let names = json!({ "applicationName": application, "deploymentGroupName": group });
    let action_calls = [
        render_and_register(&live, &live_tags).as_slice(),
        &[
            call(
                "ecs",
                "DescribeServices",
                json!({ "cluster": example.cluster, "services": [example.service] }),
                Value::Null,
            ),
            call(
                "codedeploy",
                "GetDeploymentGroup",
                names.clone(),
                Value::Null,
            ),
            call("codedeploy", "CreateDeployment", names, Value::Null),
        ],
    ]
    .concat();
    let authorized_with_create_deployment = |origin: &str| {
        vec![
            request(
                origin,
                "codedeploy:GetDeploymentConfig",
                &codedeploy_arn(&format!("deploymentconfig:{config}")),
                json!({}),
            ),
            request(
                origin,
                "codedeploy:RegisterApplicationRevision",
                &codedeploy_arn(&format!("application:{application}")),
                json!({}),
            ),
            request(origin, "codedeploy:GetDeployment", &group_arn, json!({})),
        ]
    };
    let deploy_requests: Vec<Request> = [
        requests_of_calls("aws deploy create-deployment", &cli),
        authorized_with_create_deployment("aws deploy create-deployment (from source)"),
        requests_of_calls("GitHub deploy action (from source)", &action_calls),
        authorized_with_create_deployment("GitHub deploy action (from source)"),
    ]
    .concat();
    assert_allowed(&node, "deployer_policy_json", &deployer, &deploy_requests);

    let origin = "another application or deployment group";
    let mut beyond = beyond_this_service(&example, &family, &roles);
    for other in [
        format!("deploymentgroup:{application}/another-group"),
        format!("deploymentgroup:another-application/{group}"),
    ] {
        for action in [
            "codedeploy:CreateDeployment",
            "codedeploy:GetDeploymentGroup",
            "codedeploy:GetDeployment",
        ] {
            beyond.push(request(origin, action, &codedeploy_arn(&other), json!({})));
        }
    }
    beyond.extend([
        request(
            origin,
            "codedeploy:RegisterApplicationRevision",
            &codedeploy_arn("application:another-application"),
            json!({}),
        ),
        request(
            origin,
            "codedeploy:GetDeploymentConfig",
            &codedeploy_arn("deploymentconfig:another-config"),
            json!({}),
        ),
        // CodeDeploy moves a CODE_DEPLOY service, not the pipeline.
        request(
            "a CODE_DEPLOY service is not updated by the pipeline",
            "ecs:UpdateService",
            &ecs_arn(&format!("service/{}/{}", example.cluster, example.service)),
            json!({ "ecs:cluster": ecs_arn(&format!("cluster/{}", example.cluster)) }),
        ),
    ]);
    // Service deployments are the ECS controller's.
    beyond.extend(service_deployment_requests(
        "no service deployments on a CODE_DEPLOY service",
        example.cluster,
        example.service,
    ));
    assert_denied(&node, "deployer_policy_json", &deployer, &beyond);

    let lookup_calls = record_lookup(&moto, &example);
    let lookup_requests = requests_of_calls("live_task_lookup", &lookup_calls);
    assert_allowed(&node, "lookup_policy_json", &lookup, &lookup_requests);
    assert_denied(
        &node,
        "lookup_policy_json",
        &lookup,
        &lookup_must_not(&example, &family, &roles),
    );
    Ok(())
}

/// The evaluator itself decides, rather than allowing everything: a policy that allows one action
/// on one service denies the same action on another, and a request whose resource is of a type
/// the action does not take is an error.
#[test]
#[ignore = "needs the IAM evaluator"]
fn the_evaluator_decides_and_rejects_bad_requests() {
    let node = evaluator();
    let service = ecs_arn("service/c/web");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": "ecs:UpdateService", "Resource": service }],
    });
    let requests = [
        request("test", "ecs:UpdateService", &service, json!({})),
        request(
            "test",
            "ecs:UpdateService",
            &ecs_arn("service/c/other"),
            json!({}),
        ),
        request("test", "ecs:DeleteService", &service, json!({})),
    ];
    assert_eq!(
        decide(&node, &policy, &requests),
        ["Allowed", "ImplicitlyDenied", "ImplicitlyDenied"]
    );

    let mut command = Command::new(&node);
    command
        .arg(evaluator_dir().join("evaluate.mjs"))
        .current_dir(evaluator_dir());
    let wrong_type = json!({
        "policy": policy,
        "requests": [{ "action": "ecs:UpdateService", "resource": ecs_arn("task-definition/web:1") }],
    });
    let run = run_command(command, wrong_type.to_string().as_bytes());
    assert_eq!(run.status, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "", "{run:#?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    assert!(run.stderr.starts_with("evaluate.mjs: "), "{run:#?}");

    let mut command = Command::new(&node);
    command
        .arg(evaluator_dir().join("evaluate.mjs"))
        .current_dir(evaluator_dir());
    let run = run_command(command, b"not json");
    assert_eq!(run.status, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "", "{run:#?}");
    assert!(
        run.stderr.starts_with("evaluate.mjs: stdin is not JSON"),
        "{run:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The roles that run Terraform: lookup_policy_json (the plan role's) and apply_policy_json.

/// Outputs for the roles that run Terraform.
const TERRAFORM_ROLE_OUTPUTS: &str = "output \"iam_plan_policy_json\" {\n  value = module.service.lookup_policy_json\n}\n\n\
     output \"iam_apply_policy_json\" {\n  value = module.service.apply_policy_json\n}\n";

/// `terraform ARGS` in `workdir`, every AWS call (the provider's and the lookup's) through
/// `recorder`; returns the calls this run made.
fn terraform_recorded(
    toolchain: &Toolchain,
    workdir: &Workdir,
    recorder: &Recorder,
    arguments: &[&str],
) -> Vec<Value> {
    let before = recorder.calls().len();
    let mut command = toolchain.command(&workdir.path, arguments);
    command.env(
        "AWS_ENDPOINT_URL",
        format!("http://127.0.0.1:{}", recorder.port),
    );
    let run = run_command(command, b"");
    assert!(
        matches!(run.status, Some(0) | Some(2)),
        "terraform {arguments:?}: {run:#?}"
    );
    recorder.calls().split_off(before)
}

/// The calls of `calls` that concern the module's resources: ECS's (the example's own VPC, role,
/// security group and log group are EC2, IAM and CloudWatch Logs calls of its own), and STS's
/// (GetCallerIdentity, which IAM does not authorize: "No permissions are required to perform this
/// operation", https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
fn module_calls(calls: &[Value]) -> Vec<Value> {
    calls
        .iter()
        .filter(|call| call["service"] == "ecs")
        .cloned()
        .collect()
}

#[test]
#[ignore = "needs Terraform and the IAM evaluator"]
fn the_plan_and_apply_policies_allow_what_terraform_calls_and_the_plan_role_writes_nothing()
-> Outcome {
    let example = FARGATE;
    let node = evaluator();
    let toolchain = Toolchain::require();
    let moto = moto_with_cluster(example.cluster);
    let workdir =
        Workdir::example(toolchain, &moto, example.name).unwrap_or_else(|e| panic!("{e}"));
    workdir.override_file("tags", TAGS);
    std::fs::write(
        workdir.path.join("iam_outputs.tf"),
        format!("{IAM_OUTPUTS}\n{TERRAFORM_ROLE_OUTPUTS}"),
    )?;
    // Every AWS endpoint of the provider, and the lookup's, is the recorder in front of moto.
    let recorder = Recorder::start(&moto);
    let override_file = workdir.path.join("ecs_drift_test_override.tf");
    let text = std::fs::read_to_string(&override_file)?;
    assert!(text.contains(&moto.endpoint()), "{text}");
    std::fs::write(
        &override_file,
        text.replace(
            &moto.endpoint(),
            &format!("http://127.0.0.1:{}", recorder.port),
        ),
    )?;
    let terraform =
        |arguments: &[&str]| terraform_recorded(toolchain, &workdir, &recorder, arguments);

    // The first apply (CreateService, the first revision), a plan after it, a Terraform-side
    // change planned to a file (Atlantis, HCP Terraform) and that plan applied.
    let first_apply = terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let plan = terraform(&["plan", "-input=false", "-no-color"]);
    workdir.edit("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"debug\"");
    let change_plan = terraform(&["plan", "-input=false", "-no-color", "-out=change.tfplan"]);
    let change_apply = terraform(&["apply", "-input=false", "-no-color", "change.tfplan"]);
    drop(recorder);

    let outputs = workdir.outputs();
    let parse = |name: &str| -> Value {
        serde_json::from_str(outputs[name].as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("{name} is not JSON ({error}): {outputs:#?}"))
    };
    let plan_policy = parse("iam_plan_policy_json");
    let apply_policy = parse("iam_apply_policy_json");
    let (revision, _) = live_revision(&moto, &example);
    let family = revision["family"].as_str().unwrap_or_default().to_string();
    let roles = roles_of(&revision);
    assert!(!roles.is_empty(), "the example names an execution role");

    let plan_calls = [module_calls(&plan), module_calls(&change_plan)].concat();
    let apply_calls = [module_calls(&first_apply), module_calls(&change_apply)].concat();
    for expected in ["DescribeServices", "DescribeTaskDefinition"] {
        assert!(
            actions(&plan_calls).iter().any(|action| action == expected),
            "a plan makes {expected}: {:?}",
            actions(&plan_calls)
        );
    }
    for expected in ["CreateService", "RegisterTaskDefinition", "UpdateService"] {
        assert!(
            actions(&apply_calls)
                .iter()
                .any(|action| action == expected),
            "the applies make {expected}: {:?}",
            actions(&apply_calls)
        );
    }
    assert!(
        !actions(&apply_calls)
            .iter()
            .any(|action| action == "DeregisterTaskDefinition"),
        "skip_destroy: no apply deregisters"
    );
    let plan_requests = requests_of_calls("terraform plan", &plan_calls);
    let apply_requests = requests_of_calls("terraform apply", &apply_calls);
    for wanted in ["ecs:TagResource", "iam:PassRole"] {
        assert!(
            apply_requests
                .iter()
                .any(|request| request.action == wanted),
            "the applies are authorized as {wanted} too: {apply_requests:#?}"
        );
    }

    // The plan role: every call of a plan, and no write of an apply.
    assert_allowed(&node, "lookup_policy_json", &plan_policy, &plan_requests);
    let writes: Vec<Request> = apply_requests
        .iter()
        .filter(|request| !request.action.starts_with("ecs:Describe"))
        .cloned()
        .collect();
    assert!(writes.len() >= 5, "{writes:#?}");
    assert_denied(&node, "lookup_policy_json", &plan_policy, &writes);
    assert_denied(
        &node,
        "lookup_policy_json",
        &plan_policy,
        &lookup_must_not(&example, &family, &roles),
    );

    // The apply role: every call of a plan and of an apply, and nothing beyond this service but
    // what it creates and tags (its own service and family).
    assert_allowed(
        &node,
        "apply_policy_json",
        &apply_policy,
        &[plan_requests, apply_requests].concat(),
    );
    let this_service = ecs_arn(&format!("service/{}/{}", example.cluster, example.service));
    let this_family_revision = ecs_arn(&format!("task-definition/{family}:1"));
    let mut beyond: Vec<Request> = beyond_this_service(&example, &family, &roles)
        .into_iter()
        .filter(|request| {
            !(request.action == "ecs:CreateService" && request.resource == this_service
                || request.action == "ecs:TagResource"
                    && (request.resource == this_service
                        || request.resource == this_family_revision))
        })
        .collect();
    beyond.extend([
        request(
            "the apply role deregisters nothing",
            "ecs:DeregisterTaskDefinition",
            "*",
            json!({}),
        ),
        request(
            "the apply role does not tag another service",
            "ecs:TagResource",
            &ecs_arn(&format!("service/{}/another-service", example.cluster)),
            json!({}),
        ),
        request(
            "the apply role does not untag another family",
            "ecs:UntagResource",
            &ecs_arn("task-definition/another-family:1"),
            json!({}),
        ),
    ]);
    assert_denied(&node, "apply_policy_json", &apply_policy, &beyond);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Many services under one role: `modules/deployer_policy`.

/// The services of the many-services test: 50 names of 12 characters, as `payments-api`.
const MANY: usize = 50;

/// How many services each document of `policy_jsons` merges in the many-services test.
const PER_DOCUMENT: usize = 10;

/// The cluster of the many-services test.
const MANY_CLUSTER: &str = "production";

/// 50 instances of the root module (`create_service = false`, each its own task role and the
/// execution role they share) and `modules/deployer_policy` merging their `deployer_policy_json`.
fn many_services_config(bin_dir: &str) -> String {
    format!(
        r#"provider "aws" {{
  region = "{REGION}"
}}

locals {{
  names = [for index in range({MANY}) : format("service-%04d", index)]
}}

module "service" {{
  source   = "../terraform-module"
  for_each = toset(local.names)

  name           = each.key
  cluster        = "{MANY_CLUSTER}"
  create_service = false
  bin_dir        = "{bin_dir}"
  aws = {{
    account_id = "{MOTO_ACCOUNT}"
    partition  = "aws"
    region     = "{REGION}"
  }}
  cpu    = "256"
  memory = "512"
  container_definitions = [{{
    name  = "app"
    image = "public.ecr.aws/nginx/nginx:stable"
  }}]
  task_role_arn      = "arn:aws:iam::{MOTO_ACCOUNT}:role/${{each.key}}-task"
  execution_role_arn = "arn:aws:iam::{MOTO_ACCOUNT}:role/ecs-task-execution"
}}

module "deployer_policy" {{
  source = "../terraform-module/modules/deployer_policy"

  policy_jsons          = [for name in local.names : module.service[name].deployer_policy_json]
  services_per_document = {PER_DOCUMENT}
}}

output "separate" {{
  value = [for name in local.names : module.service[name].deployer_policy_json]
}}

output "merged" {{
  value = module.deployer_policy
}}
"#
    )
}

/// What a deploy path asks for one service (every call of the documented paths, as IAM
/// authorizes it: a registration with tags is both RegisterTaskDefinition and TagResource with
/// ecs:CreateAction), and what nothing allows around it.
fn many_services_requests(name: &str) -> Vec<Request> {
    let here = json!({ "ecs:cluster": ecs_arn(&format!("cluster/{MANY_CLUSTER}")) });
    let service = ecs_arn(&format!("service/{MANY_CLUSTER}/{name}"));
    let revision = ecs_arn(&format!("task-definition/{name}:7"));
    let to_tasks = json!({ "iam:PassedToService": "ecs-tasks.amazonaws.com" });
    let registration = json!({ "ecs:CreateAction": "RegisterTaskDefinition" });
    vec![
        request(name, "ecs:DescribeServices", &service, here.clone()),
        request(name, "ecs:UpdateService", &service, here.clone()),
        request(name, "ecs:DescribeTaskDefinition", "*", json!({})),
        request(name, "ecs:RegisterTaskDefinition", &revision, json!({})),
        request(name, "ecs:TagResource", &revision, registration),
        request(
            name,
            "iam:PassRole",
            &role_arn(&format!("{name}-task")),
            to_tasks.clone(),
        ),
        request(
            name,
            "iam:PassRole",
            &role_arn("ecs-task-execution"),
            to_tasks.clone(),
        ),
        // Beyond the service: tagging outside a registration, another principal, writes it
        // does not make, its name in another cluster.
        request(name, "ecs:TagResource", &revision, json!({})),
        request(name, "ecs:TagResource", &service, json!({})),
        request(
            name,
            "iam:PassRole",
            &role_arn(&format!("{name}-task")),
            json!({ "iam:PassedToService": "lambda.amazonaws.com" }),
        ),
        request(name, "ecs:DeleteService", &service, here.clone()),
        request(name, "ecs:CreateService", &service, here),
        request(
            name,
            "ecs:UpdateService",
            &ecs_arn(&format!("service/another-cluster/{name}")),
            json!({ "ecs:cluster": ecs_arn("cluster/another-cluster") }),
        ),
    ]
}

/// Requests for no service of the fifty: another service, family and role, and what IAM cannot
/// scope to a service (left out by default).
fn outside_the_services() -> Vec<Request> {
    let origin = "outside the services";
    let here = json!({ "ecs:cluster": ecs_arn(&format!("cluster/{MANY_CLUSTER}")) });
    let other = ecs_arn(&format!("service/{MANY_CLUSTER}/another-service"));
    let other_revision = ecs_arn("task-definition/another-family:1");
    vec![
        request(origin, "ecs:DescribeServices", &other, here.clone()),
        request(origin, "ecs:UpdateService", &other, here.clone()),
        request(
            origin,
            "ecs:RegisterTaskDefinition",
            &other_revision,
            json!({}),
        ),
        // Its tagging at registration is allowed (`task-definition/*`, with the separate policies
        // too): the registration itself is denied.
        request(
            origin,
            "iam:PassRole",
            &role_arn("another-role"),
            json!({ "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
        ),
        request(origin, "ecs:DeregisterTaskDefinition", "*", json!({})),
        request(origin, "ecs:ListTasks", "*", here),
    ]
}

/// Whether any of `policies` allows each request: the decision of a role with all of them.
fn allowed_by_any(node: &PathBuf, policies: &[Value], requests: &[Request]) -> Vec<bool> {
    let mut allowed = vec![false; requests.len()];
    for policy in policies {
        for (index, decision) in decide(node, policy, requests).iter().enumerate() {
            allowed[index] |= decision == "Allowed";
        }
    }
    allowed
}

/// Fifty services' `deployer_policy_json` under one role, from a real plan of fifty root module
/// instances: `modules/deployer_policy`'s one document and its documents of 10 services each
/// allow exactly what the fifty separate policies allow, each document of 10 is within IAM's
/// 6,144-character limit for a managed policy, and the sizes are printed.
#[test]
#[ignore = "needs Terraform and the IAM evaluator"]
fn fifty_services_deployer_policies_merge_into_documents_that_allow_the_same() -> Outcome {
    let node = evaluator();
    let toolchain = Toolchain::require();
    let moto = Moto::start();
    let config = tempfile::tempdir()?;
    let bin_dir = workspace_binary("live_task_lookup")
        .parent()
        .map(|dir| dir.display().to_string())
        .unwrap_or_default();
    std::fs::write(
        config.path().join("main.tf"),
        many_services_config(&bin_dir),
    )?;
    let workdir = Workdir::fixture(toolchain, &moto, &[config.path().to_path_buf()])?;
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(2), "terraform plan: {plan:#?}");
    let outputs = &plan.json["planned_values"]["outputs"];
    let parse = |text: &Value| -> Value {
        serde_json::from_str(text.as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
    };
    let separate: Vec<Value> = outputs["separate"]["value"]
        .as_array()
        .map(|documents| documents.iter().map(parse).collect())
        .unwrap_or_default();
    assert_eq!(separate.len(), MANY, "{outputs:#}");
    let merged = &outputs["merged"]["value"];
    let one = parse(&merged["policy_json"]);
    let split: Vec<Value> = merged["policy_jsons"]
        .as_array()
        .map(|documents| documents.iter().map(parse).collect())
        .unwrap_or_default();
    assert_eq!(split.len(), MANY.div_ceil(PER_DOCUMENT), "{merged:#}");

    // IAM's count: characters without whitespace.
    let size = |document: &Value| -> usize {
        document
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
    };
    let characters: Vec<u64> = merged["characters"]
        .as_array()
        .map(|sizes| sizes.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let separate_total: usize = separate.iter().map(size).sum();
    let _ = writeln!(
        std::io::stderr(),
        "{MANY} services of 12-character names in cluster {MANY_CLUSTER}: separate policies \
         {separate_total} characters in all; one merged document {}; {} documents of \
         {PER_DOCUMENT}: {:?} (the `characters` output: {characters:?})",
        size(&one),
        split.len(),
        split.iter().map(size).collect::<Vec<_>>()
    );
    assert_eq!(characters.first().copied(), Some(size(&one) as u64));
    for document in &split {
        assert!(
            size(document) <= 6144,
            "a document passes 6,144 characters: {document}"
        );
    }

    // Exactly the same decisions: each request Allowed by the merged document (or by one of the
    // split documents) when, and only when, one of the fifty separate policies allows it.
    let names: Vec<String> = (0..MANY)
        .map(|index| format!("service-{index:04}"))
        .collect();
    let mut requests: Vec<Request> = names
        .iter()
        .flat_map(|name| many_services_requests(name))
        .collect();
    requests.extend(outside_the_services());
    let expected = allowed_by_any(&node, &separate, &requests);
    for (label, got) in [
        (
            "policy_json",
            allowed_by_any(&node, std::slice::from_ref(&one), &requests),
        ),
        ("policy_jsons", allowed_by_any(&node, &split, &requests)),
    ] {
        let differences: Vec<String> = requests
            .iter()
            .zip(expected.iter().zip(&got))
            .filter(|(_, (expected, got))| expected != got)
            .map(|(request, (expected, _))| {
                format!(
                    "separately allowed: {expected}; merged: {}: {request}",
                    !expected
                )
            })
            .collect();
        assert!(
            differences.is_empty(),
            "{label} decides otherwise than the separate policies:\n{}",
            differences.join("\n")
        );
    }
    // Not vacuous: every service's deploy calls Allowed, what is beyond them denied.
    let (mut own, mut beyond) = (Vec::new(), outside_the_services());
    for name in &names {
        let mut requests = many_services_requests(name);
        beyond.extend(requests.split_off(7));
        own.extend(requests);
    }
    assert_allowed(&node, "the merged deployer policy", &one, &own);
    assert_denied(&node, "the merged deployer policy", &one, &beyond);
    Ok(())
}
