//! Each Terraform example, planned and applied against moto the way the module would, with the real
//! programs: the example's `module "service"` arguments are read from its `main.tf` (hcl-edit), the
//! module's defaults from `terraform-module/variables.tf`, and the three queries are built the way
//! `terraform-module/main.tf` builds them (every key sent, unset ones as "", nested values through
//! `jsonencode`). The key sets are checked against main.tf's own `query` blocks, so the copy here
//! cannot drift from the module without failing.
//!
//! The AWS provider cannot run here, so its two resources are played by `tests/moto_seed.py apply`
//! (register when the selector says "changed", then create or point the service), and the examples'
//! provider region is replaced by moto's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use ecs_drift_tests::{
    MOTO_ACCOUNT, MOTO_REGION, Moto, path_program, run_command, venv_bin, workspace_binary,
};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// The module's inputs: an example's arguments over the module's defaults.

/// Values of the references the examples make to resources of their own, as the provider would
/// know them at plan time. Only references the queries read need one.
const REFERENCES: [(&str, &str); 2] = [
    (
        "aws_iam_role.execution.arn",
        "arn:aws:iam::123456789012:role/ecs-drift-example-execution",
    ),
    (
        "aws_iam_role.task.arn",
        "arn:aws:iam::123456789012:role/ecs-drift-example-task",
    ),
];

fn label(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::Ident(ident) => ident.as_str(),
        BlockLabel::String(text) => text.as_str(),
    }
}

fn parse(path: &std::path::Path) -> Body {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.parse()
        .unwrap_or_else(|error| panic!("{} is not HCL: {error}", path.display()))
}

/// `a.b.c` for a traversal of attribute names from a variable.
fn traversal_text(expression: &Expression) -> Option<String> {
    let Expression::Traversal(traversal) = expression else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let mut text = root.as_str().to_string();
    for operator in &traversal.operators {
        let TraversalOperator::GetAttr(ident) = operator.value() else {
            return None;
        };
        text.push('.');
        text.push_str(ident.as_str());
    }
    Some(text)
}

/// The value of a literal HCL expression (what module arguments and variable defaults are here),
/// with the references of [`REFERENCES`]. Anything else fails the test with its text.
fn evaluate(expression: &Expression) -> Value {
    evaluate_with(expression, false)
}

/// [`evaluate`]; with `placeholders`, a reference the queries never read (subnets, security
/// groups, target groups) becomes a placeholder of its shape (`.ids` a list, else a string), and a
/// conditional its true branch (the examples' conditionals only order resources).
fn evaluate_with(expression: &Expression, placeholders: bool) -> Value {
    let recurse = |expression: &Expression| evaluate_with(expression, placeholders);
    match expression {
        Expression::Null(_) => Value::Null,
        Expression::Bool(value) => Value::Bool(*value.value()),
        Expression::Number(number) => serde_json::from_str(&number.to_string())
            .unwrap_or_else(|error| panic!("number {number}: {error}")),
        Expression::String(text) => Value::String(text.as_str().to_string()),
        Expression::Array(array) => Value::Array(array.iter().map(recurse).collect()),
        Expression::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(text)) => {
                            text.as_str().to_string()
                        }
                        ObjectKey::Expression(other) => panic!("computed object key {other}"),
                    };
                    (key, recurse(value.expr()))
                })
                .collect(),
        ),
        Expression::Parenthesis(inner) => recurse(inner.inner()),
        Expression::Conditional(conditional) if placeholders => recurse(&conditional.true_expr),
        other => {
            let text = traversal_text(other).unwrap_or_else(|| other.to_string());
            let text = text.trim();
            if let Some((_, value)) = REFERENCES.iter().find(|(reference, _)| *reference == text) {
                return Value::String((*value).to_string());
            }
            match (placeholders, traversal_text(other)) {
                (true, Some(path)) if path.ends_with(".ids") => json!([format!("<{path}>")]),
                (true, Some(path)) => json!(format!("<{path}>")),
                _ => panic!("the test has no value for `{text}`: add it to REFERENCES"),
            }
        }
    }
}

/// The module's inputs for one example: `var.X`.
struct Inputs {
    example: &'static str,
    /// Every variable's default, from variables.tf.
    defaults: Map<String, Value>,
    /// The example's `module "service"` arguments (evaluated on demand: some, such as subnets,
    /// are never sent to a program), overridden by the test's edits.
    arguments: Body,
    edits: Map<String, Value>,
}

impl Inputs {
    fn example(example: &'static str) -> Self {
        let root = ecs_drift_tests::repo_root();
        let variables = parse(&root.join("terraform-module").join("variables.tf"));
        let defaults = variables
            .get_blocks("variable")
            .map(|block| {
                let name = block.labels.first().map(label).unwrap_or_default();
                let default = block
                    .body
                    .get_attribute("default")
                    .map_or(Value::Null, |attribute| evaluate(&attribute.value));
                (name.to_string(), default)
            })
            .collect();
        let main = parse(&root.join("examples").join(example).join("main.tf"));
        let arguments = main
            .get_blocks("module")
            .find(|block| block.labels.first().map(label) == Some("service"))
            .unwrap_or_else(|| panic!("examples/{example}/main.tf has no module \"service\""))
            .body
            .clone();
        let source = arguments
            .get_attribute("source")
            .map(|attribute| evaluate(&attribute.value));
        assert_eq!(source, Some(json!("../../terraform-module")), "{example}");
        Self {
            example,
            defaults,
            arguments,
            edits: Map::new(),
        }
    }

    /// `var.name`: the test's edit, else the example's argument, else the module's default.
    fn var(&self, name: &str) -> Value {
        if let Some(value) = self.edits.get(name) {
            return value.clone();
        }
        if let Some(attribute) = self.arguments.get_attribute(name) {
            return evaluate(&attribute.value);
        }
        self.defaults
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("the module has no variable {name}"))
    }

    fn set(&mut self, name: &str, value: Value) -> &mut Self {
        assert!(
            self.defaults.contains_key(name),
            "the module has no variable {name}"
        );
        self.edits.insert(name.to_string(), value);
        self
    }

    fn text(&self, name: &str) -> String {
        match self.var(name) {
            Value::String(text) => text,
            other => panic!("var.{name} is not a string in {}: {other}", self.example),
        }
    }

    fn containers(&self) -> Vec<Value> {
        match self.var("container_definitions") {
            Value::Array(containers) => containers,
            other => panic!("container_definitions is not a list: {other}"),
        }
    }

    /// Changes a field of one container, as an edit of the example's main.tf would.
    fn edit_container(&mut self, name: &str, field: &str, value: Value) -> &mut Self {
        let mut containers = self.containers();
        let container = containers
            .iter_mut()
            .find(|container| container["name"] == name)
            .unwrap_or_else(|| panic!("no container {name} in {}", self.example));
        container[field] = value;
        self.set("container_definitions", Value::Array(containers))
    }

    fn bootstrap_image(&self, container: &str) -> String {
        let main = self.main_container_name();
        let bootstrap = self.var("bootstrap_container_image");
        if container == main && !bootstrap.is_null() {
            return bootstrap.as_str().unwrap_or_default().to_string();
        }
        self.containers()
            .iter()
            .find(|definition| definition["name"] == container)
            .and_then(|definition| definition["image"].as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// `local.main_container_name = coalesce(var.main_container_name, var.container_definitions[0].name)`
    fn main_container_name(&self) -> String {
        match self.var("main_container_name") {
            Value::String(name) if !name.is_empty() => name,
            _ => self.containers()[0]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The module's locals and queries (terraform-module/main.tf), in the same order.

/// Terraform's `tostring` of a number or bool.
fn tostring(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// An optional string input: Terraform sends `var.X` as given; the module's defaults are "".
fn optional(inputs: &Inputs, name: &str) -> String {
    match inputs.var(name) {
        Value::Null => panic!("var.{name} is null: the module must send a string"),
        value => tostring(&value),
    }
}

fn lookup_query(inputs: &Inputs, provider_region: &str) -> Value {
    let region = match inputs.var("region") {
        Value::String(region) if !region.is_empty() => region,
        _ => provider_region.to_string(),
    };
    json!({
        "cluster": inputs.text("cluster"),
        "service": inputs.text("name"),
        "region": region,
        "profile": optional(inputs, "profile"),
        "assume_role_arn": optional(inputs, "assume_role_arn"),
        "assume_role_external_id": optional(inputs, "assume_role_external_id"),
        "assume_role_session_name": optional(inputs, "assume_role_session_name"),
        "endpoint_url": optional(inputs, "endpoint_url"),
        "timeout_seconds": tostring(&inputs.var("lookup_timeout_seconds")),
        "max_attempts": tostring(&inputs.var("lookup_max_attempts")),
    })
}

fn containers_query(inputs: &Inputs, lookup: &Map<String, Value>) -> Value {
    // local.configured_containers: the main container's image is bootstrap_container_image.
    let main = inputs.main_container_name();
    let bootstrap = inputs.var("bootstrap_container_image");
    let configured: Vec<Value> = inputs
        .containers()
        .into_iter()
        .map(|mut container| {
            if !bootstrap.is_null() && container["name"] == main.as_str() {
                container["image"] = bootstrap.clone();
            }
            container
        })
        .collect();
    let live_image_containers = match inputs.var("live_image_containers") {
        Value::Null => String::new(),
        names => names.to_string(),
    };
    json!({
        "container_definitions": Value::Array(configured).to_string(),
        "live_images": lookup["images"],
        "live_image_containers": live_image_containers,
        "force_bootstrap_image": tostring(&inputs.var("force_bootstrap_container_image")),
        "network_mode": inputs.text("network_mode"),
    })
}

/// `local.task_fields`: the task-level fields the resource registers, null when unset.
fn all_task_fields(inputs: &Inputs) -> Map<String, Value> {
    let non_empty = |name: &str| match inputs.var(name) {
        Value::Array(items) if items.is_empty() => Value::Null,
        value => value,
    };
    let without_nulls = |value: Value| match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .collect(),
        ),
        other => other,
    };
    let family = match inputs.var("family") {
        Value::String(family) if !family.is_empty() => family,
        _ => inputs.text("name"),
    };
    let runtime_platform = match inputs.var("runtime_platform") {
        Value::Null => Value::Null,
        platform => without_nulls(json!({
            "operatingSystemFamily": platform["operating_system_family"],
            "cpuArchitecture": platform["cpu_architecture"],
        })),
    };
    let ephemeral_storage = match inputs.var("ephemeral_storage_size_in_gib") {
        Value::Null => Value::Null,
        size => json!({ "sizeInGiB": size }),
    };
    let placement_constraints = match non_empty("task_placement_constraints") {
        Value::Array(constraints) => Value::Array(
            constraints
                .into_iter()
                .map(|constraint| {
                    without_nulls(json!({
                        "type": constraint["type"],
                        "expression": constraint["expression"],
                    }))
                })
                .collect(),
        ),
        other => other,
    };
    let proxy_configuration = match inputs.var("proxy_configuration") {
        Value::Null => Value::Null,
        proxy => {
            let properties = proxy["properties"].as_object().cloned().unwrap_or_default();
            let mut names: Vec<_> = properties.keys().cloned().collect();
            names.sort();
            json!({
                "type": proxy.get("type").cloned().unwrap_or(json!("APPMESH")),
                "containerName": proxy["container_name"],
                "properties": names
                    .iter()
                    .map(|name| json!({ "name": name, "value": properties[name] }))
                    .collect::<Vec<_>>(),
            })
        }
    };
    let fields = json!({
        "family": family,
        "cpu": inputs.var("cpu"),
        "memory": inputs.var("memory"),
        "networkMode": inputs.var("network_mode"),
        "taskRoleArn": inputs.var("task_role_arn"),
        "executionRoleArn": inputs.var("execution_role_arn"),
        "requiresCompatibilities": non_empty("requires_compatibilities"),
        "volumes": non_empty("volumes"),
        "runtimePlatform": runtime_platform,
        "ephemeralStorage": ephemeral_storage,
        "placementConstraints": placement_constraints,
        "pidMode": inputs.var("pid_mode"),
        "ipcMode": inputs.var("ipc_mode"),
        "proxyConfiguration": proxy_configuration,
    });
    match fields {
        Value::Object(fields) => fields,
        _ => unreachable!("an object stays an object"),
    }
}

/// `local.desired_task_fields`: [`all_task_fields`] without the null ones.
fn task_fields(inputs: &Inputs) -> Map<String, Value> {
    all_task_fields(inputs)
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .collect()
}

fn selector_query(
    desired: &Map<String, Value>,
    inputs: &Inputs,
    lookup: &Map<String, Value>,
) -> Value {
    json!({
        "desired_task_definition": Value::Object(desired.clone()).to_string(),
        "live_task_definition": lookup["task_definition"],
        "live_task_definition_arn": lookup["task_definition_arn"],
        "show_environment_values": tostring(&inputs.var("show_environment_values")),
    })
}

/// The query keys each `data "external"` block of terraform-module/main.tf sends.
fn module_query_keys() -> BTreeMap<String, BTreeSet<String>> {
    let main = parse(
        &ecs_drift_tests::repo_root()
            .join("terraform-module")
            .join("main.tf"),
    );
    main.get_blocks("data")
        .filter(|block| block.labels.first().map(label) == Some("external"))
        .map(|block| {
            let name = block.labels.get(1).map(label).unwrap_or_default();
            let keys = block
                .body
                .get_attribute("query")
                .and_then(|attribute| attribute.value.as_object())
                .map(|object| {
                    object
                        .iter()
                        .map(|(key, _)| match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_string(),
                            ObjectKey::Expression(expression) => expression.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            (name.to_string(), keys)
        })
        .collect()
}

/// The keys of `local.task_fields` in terraform-module/main.tf.
fn module_task_fields() -> BTreeSet<String> {
    let main = parse(
        &ecs_drift_tests::repo_root()
            .join("terraform-module")
            .join("main.tf"),
    );
    main.get_blocks("locals")
        .filter_map(|block| block.body.get_attribute("task_fields"))
        .filter_map(|attribute| attribute.value.as_object())
        .flat_map(|object| {
            object.iter().map(|(key, _)| match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(expression) => expression.to_string(),
            })
        })
        .collect()
}

#[test]
fn the_desired_task_definition_has_the_modules_task_fields() {
    let fields = all_task_fields(&Inputs::example("fargate"));
    let ours: BTreeSet<String> = fields.keys().cloned().collect();
    assert_eq!(ours, module_task_fields());

    // And the task definition resource registers each of them: through local.task_fields, or for
    // the two lists of objects of mixed types, from the same variable the local reads.
    let main = std::fs::read_to_string(
        ecs_drift_tests::repo_root()
            .join("terraform-module")
            .join("main.tf"),
    )
    .expect("main.tf");
    let resource = &main[main
        .find("resource \"aws_ecs_task_definition\" \"this\"")
        .expect("the task definition resource")..];
    let resource = &resource[..resource.find("\n}\n").unwrap_or(resource.len())];
    for field in &ours {
        let read = match field.as_str() {
            "volumes" => "for_each = var.volumes".to_string(),
            "placementConstraints" => "for_each = var.task_placement_constraints".to_string(),
            other => format!("local.task_fields.{other}"),
        };
        assert!(
            resource.contains(&read),
            "the resource does not read {field} ({read})"
        );
    }
}

fn keys(query: &Value) -> BTreeSet<String> {
    query
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Plan and apply.

/// What one `terraform plan` computed.
#[derive(Debug)]
struct Plan {
    lookup: Map<String, Value>,
    containers: Map<String, Value>,
    selection: Map<String, Value>,
    desired: Map<String, Value>,
    /// The module's guard (region, account): false means the preconditions stop the plan.
    guard_passes: bool,
}

impl Plan {
    fn changed(&self) -> bool {
        match self.selection["changed"].as_str() {
            Some("true") => true,
            Some("false") => false,
            other => panic!("changed is {other:?}"),
        }
    }

    fn decoded(&self, key: &str) -> Map<String, Value> {
        serde_json::from_str(self.containers[key].as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("{key}: {error}"))
    }

    fn image(&self, container: &str) -> String {
        self.decoded("images")[container]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn source(&self, container: &str) -> String {
        self.decoded("image_sources")[container]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn live_arn(&self) -> &str {
        self.lookup["task_definition_arn"]
            .as_str()
            .unwrap_or_default()
    }

    fn differences(&self) -> &str {
        self.selection["differences"].as_str().unwrap_or_default()
    }
}

fn external(moto: &Moto, program: &str, query: &Value) -> Map<String, Value> {
    let run = run_command(
        moto.command(workspace_binary(program)),
        query.to_string().as_bytes(),
    );
    assert_eq!(
        run.status,
        Some(0),
        "{program} failed on {query}:\n{}",
        run.stderr
    );
    run.assert_success()
}

fn plan(moto: &Moto, inputs: &Inputs) -> Plan {
    let module_keys = module_query_keys();
    let lookup_query = lookup_query(inputs, MOTO_REGION);
    assert_eq!(keys(&lookup_query), module_keys["lookup"]);
    let lookup = external(moto, "live_task_lookup", &lookup_query);

    let containers_query = containers_query(inputs, &lookup);
    assert_eq!(
        keys(&containers_query),
        module_keys["container_definitions"]
    );
    let containers = external(moto, "container_definition", &containers_query);

    let mut desired = task_fields(inputs);
    let definitions: Value =
        serde_json::from_str(containers["container_definitions"].as_str().unwrap_or(""))
            .unwrap_or_else(|error| panic!("container_definitions is not JSON: {error}"));
    desired.insert("containerDefinitions".into(), definitions);
    let selector_query = selector_query(&desired, inputs, &lookup);
    assert_eq!(keys(&selector_query), module_keys["selector"]);
    let selection = external(moto, "task_definition_selector", &selector_query);

    // local.lookup_region_matches and local.lookup_account_matches, with moto as the provider.
    let account = lookup["account_id"].as_str().unwrap_or_default();
    let guard_passes =
        lookup["region"] == MOTO_REGION && (account.is_empty() || account == MOTO_ACCOUNT);
    Plan {
        lookup,
        containers,
        selection,
        desired,
        guard_passes,
    }
}

/// `terraform apply`: plan, then aws_ecs_task_definition (registered when changed) and
/// aws_ecs_service. Returns the plan and the ARN the module outputs as `task_definition_arn`.
fn apply(moto: &Moto, inputs: &Inputs) -> (Plan, String) {
    let plan = plan(moto, inputs);
    assert!(plan.guard_passes, "the guard stops the plan: {plan:#?}");
    let applied = moto.seed(
        "apply",
        json!({
            "cluster": inputs.text("cluster"),
            "service": inputs.text("name"),
            "task_definition": plan.changed().then(|| Value::Object(plan.desired.clone())),
            "task_definition_arn": plan.selection["task_definition_arn"],
            "controller": inputs.text("deployment_controller"),
        }),
    );
    let arn = applied["task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        arn.starts_with(&format!(
            "arn:aws:ecs:{MOTO_REGION}:{MOTO_ACCOUNT}:task-definition/"
        )),
        "task_definition is always a full ARN: {applied}"
    );
    (plan, arn)
}

fn registered_images(moto: &Moto, arn: &str) -> Map<String, Value> {
    moto.seed(
        "describe-task-definition",
        json!({ "task_definition": arn }),
    )["images"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

/// The life of an ECS-controlled example: first apply, a clean plan, a CI deploy of `app`, a clean
/// plan that keeps the deploy's revision, a Terraform change deployed with the live image, and
/// `force_bootstrap_container_image`.
fn ecs_controlled(example: &'static str, terraform_change: impl Fn(&mut Inputs)) {
    let moto = Moto::start();
    let inputs = Inputs::example(example);
    let cluster = inputs.text("cluster");
    let service = inputs.text("name");
    let names: Vec<String> = inputs
        .containers()
        .iter()
        .map(|container| container["name"].as_str().unwrap_or_default().to_string())
        .collect();
    let follows = |name: &str| match inputs.var("live_image_containers") {
        Value::Array(list) => list.iter().any(|item| item == name),
        _ => true,
    };

    // First apply: no service, so every container gets its bootstrap image and a revision is made.
    let (first, first_arn) = apply(&moto, &inputs);
    assert_eq!(first.lookup["found"], "false", "{first:#?}");
    assert!(first.changed(), "{first:#?}");
    for name in &names {
        assert_eq!(first.image(name), inputs.bootstrap_image(name), "{name}");
        let source = if follows(name) { "bootstrap" } else { "pinned" };
        assert_eq!(first.source(name), source, "{name}");
    }

    // The next plan: our own revision, read back from ECS, equals what we would register.
    let clean = plan(&moto, &inputs);
    assert!(!clean.changed(), "{}: {}", example, clean.differences());
    assert_eq!(clean.selection["task_definition_arn"], first_arn.as_str());

    // A CI deploy of a new app image with the real deploy tool.
    let shipped = "public.ecr.aws/nginx/nginx:1.27-ci";
    moto.ecs_deploy(&cluster, &service, "app", shipped);
    let after_deploy = plan(&moto, &inputs);
    assert_ne!(
        after_deploy.live_arn(),
        first_arn,
        "the deploy made a revision"
    );
    assert!(
        !after_deploy.changed(),
        "{example}: a CI deploy must not make the plan move the service: {}",
        after_deploy.differences()
    );
    assert_eq!(
        after_deploy.selection["task_definition_arn"],
        after_deploy.live_arn(),
        "the service stays on the deploy's revision"
    );
    assert_eq!(after_deploy.image("app"), shipped);
    assert_eq!(after_deploy.source("app"), "live");
    for name in names.iter().filter(|name| !follows(name)) {
        assert_eq!(after_deploy.image(name), inputs.bootstrap_image(name));
        assert_eq!(after_deploy.source(name), "pinned", "{name}");
    }

    // A change on Terraform's side: deployed, named, and carrying the live image along.
    let mut changed_inputs = Inputs::example(example);
    terraform_change(&mut changed_inputs);
    let (change, change_arn) = apply(&moto, &changed_inputs);
    assert!(
        change.changed(),
        "{example}: the Terraform change was not seen"
    );
    assert!(!change.differences().is_empty());
    assert_eq!(
        change.image("app"),
        shipped,
        "no roll back to the bootstrap image"
    );
    assert_ne!(change_arn, after_deploy.live_arn());
    assert_eq!(registered_images(&moto, &change_arn)["app"], shipped);
    let settled = plan(&moto, &changed_inputs);
    assert!(!settled.changed(), "{example}: {}", settled.differences());
    assert_eq!(
        settled.selection["task_definition_arn"],
        change_arn.as_str()
    );

    // force_bootstrap_container_image: the configured image on purpose.
    changed_inputs.set("force_bootstrap_container_image", json!(true));
    let forced = plan(&moto, &changed_inputs);
    assert!(forced.changed());
    assert_eq!(forced.image("app"), changed_inputs.bootstrap_image("app"));
    assert_eq!(forced.source("app"), "forced");
}

// ---------------------------------------------------------------------------------------------
// The examples.

#[test]
fn fargate() {
    ecs_controlled("fargate", |inputs| {
        inputs.edit_container("app", "environment", json!({ "LOG_LEVEL": "debug" }));
    });
}

#[test]
fn sidecar_follows_the_app_and_pins_the_collector() {
    ecs_controlled("sidecar", |inputs| {
        inputs.set("memory", json!("2048"));
    });

    // A new collector image in Terraform deploys it, with the app's live image.
    let moto = Moto::start();
    let mut inputs = Inputs::example("sidecar");
    apply(&moto, &inputs);
    let shipped = "public.ecr.aws/nginx/nginx:2.0-ci";
    moto.ecs_deploy(
        &inputs.text("cluster"),
        &inputs.text("name"),
        "app",
        shipped,
    );
    let pinned = "public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0";
    inputs.edit_container("otel", "image", json!(pinned));
    let bumped = plan(&moto, &inputs);
    assert!(bumped.changed());
    assert!(
        bumped.differences().contains("otel"),
        "{}",
        bumped.differences()
    );
    assert_eq!(bumped.image("otel"), pinned);
    assert_eq!(bumped.source("otel"), "pinned");
    assert_eq!(bumped.image("app"), shipped);
}

#[test]
fn ec2_bridge() {
    ecs_controlled("ec2-bridge", |inputs| {
        // A task-level field: the whole task definition is compared, not only the containers.
        inputs.set("memory", json!("1024"));
    });
}

#[test]
fn codedeploy_keeps_what_codedeploy_deployed() {
    let moto = Moto::start();
    let mut inputs = Inputs::example("codedeploy");
    assert_eq!(inputs.text("deployment_controller"), "CODE_DEPLOY");
    let (first, first_arn) = apply(&moto, &inputs);
    assert!(first.changed());
    assert_eq!(first.source("app"), "bootstrap");
    let clean = plan(&moto, &inputs);
    assert!(!clean.changed(), "{}", clean.differences());
    assert_eq!(clean.lookup["deployment_controller"], "CODE_DEPLOY");

    // CodeDeploy rolls out a new image: a new revision, run by the service's PRIMARY task set.
    let shipped = "public.ecr.aws/nginx/nginx:1.27-cd";
    let mut copy: Map<String, Value> =
        serde_json::from_str(clean.lookup["task_definition"].as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("task_definition: {error}"));
    copy["containerDefinitions"][0]["image"] = json!(shipped);
    let deployed = moto.seed(
        "apply",
        json!({
            "cluster": inputs.text("cluster"),
            "service": inputs.text("name"),
            "task_definition": copy,
            "task_definition_arn": "",
            "controller": "CODE_DEPLOY",
        }),
    )["task_definition_arn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    moto.seed(
        "primary-task-set",
        json!({
            "cluster": inputs.text("cluster"),
            "service": inputs.text("name"),
            "task_definition": deployed,
        }),
    );
    let after_deploy = plan(&moto, &inputs);
    assert_eq!(after_deploy.live_arn(), deployed, "{after_deploy:#?}");
    assert_ne!(after_deploy.live_arn(), first_arn);
    assert!(!after_deploy.changed(), "{}", after_deploy.differences());
    assert_eq!(
        after_deploy.selection["task_definition_arn"],
        deployed.as_str()
    );
    assert_eq!(after_deploy.image("app"), shipped);

    // A Terraform change: a revision with the live image, whose ARN goes to the AppSpec; the
    // service itself is left to CodeDeploy.
    inputs.edit_container("app", "environment", json!({ "FEATURE": "on" }));
    let (change, change_arn) = apply(&moto, &inputs);
    assert!(change.changed());
    assert_eq!(registered_images(&moto, &change_arn)["app"], shipped);
    let still = plan(&moto, &inputs);
    assert_eq!(
        still.live_arn(),
        deployed,
        "the module never moves a CODE_DEPLOY service"
    );
}

#[test]
fn the_guard_stops_a_lookup_in_another_region() {
    let moto = Moto::start();
    let mut inputs = Inputs::example("fargate");
    apply(&moto, &inputs);
    moto.ecs_deploy(
        &inputs.text("cluster"),
        &inputs.text("name"),
        "app",
        "public.ecr.aws/nginx/nginx:1.27-ci",
    );

    // The lookup told to look in another region than the provider's finds nothing there...
    inputs.set("region", json!("eu-west-1"));
    let wrong = plan(&moto, &inputs);
    assert_eq!(wrong.lookup["found"], "false");
    assert_eq!(wrong.lookup["region"], "eu-west-1");
    // ...which, unguarded, would ship the bootstrap image over the deployed one.
    assert_eq!(wrong.source("app"), "bootstrap");
    assert!(wrong.changed());
    assert!(
        !wrong.guard_passes,
        "the module's precondition must stop this plan"
    );
}

/// `examples/shell/run.sh`, as its README runs it: the same outputs, on moto.
#[test]
fn the_shell_example_pipes_the_programs() {
    let moto = Moto::start();
    moto.seed(
        "service",
        json!({
            "cluster": "c",
            "service": "web",
            "family": "web",
            "containers": [{ "name": "app", "image": "nginx:1" }],
        }),
    );
    let script = ecs_drift_tests::repo_root()
        .join("examples")
        .join("shell")
        .join("run.sh");
    let bin_dir = workspace_binary("live_task_lookup")
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    // The user's jq where there is one; else jaq, the jq-compatible program the test tools pin.
    let jq = path_program("jq").unwrap_or_else(|| venv_bin("jaq"));
    let run_sh = |service: &str, containers: &str| {
        let out = tempfile::tempdir().expect("temporary directory");
        let mut command = moto.command("bash");
        command
            .arg(&script)
            .args(["c", service, containers])
            .env("JQ", &jq)
            .env("BIN_DIR", &bin_dir)
            .env("ENDPOINT_URL", moto.endpoint())
            .env("REGION", MOTO_REGION)
            .env("OUT_DIR", out.path());
        let run = run_command(command, b"");
        assert_eq!(run.status, Some(0), "{run:#?}");
        run.stdout
    };
    let app = r#"[{"name":"app","image":"nginx:stable","portMappings":[{"containerPort":8080}],
                   "environment":[{"name":"ROLE","value":"app"}]}]"#;
    let revision =
        |n: u32| format!("arn:aws:ecs:{MOTO_REGION}:{MOTO_ACCOUNT}:task-definition/web:{n}");

    let unchanged = run_sh("web", app);
    assert!(
        unchanged.contains("image:    app = nginx:1 (live)"),
        "{unchanged}"
    );
    assert!(
        unchanged.contains(&format!(
            "changed:  false (the service stays on {})",
            revision(1)
        )),
        "{unchanged}"
    );

    let edited = run_sh("web", &app.replace(r#""value":"app""#, r#""value":"web""#));
    assert!(
        edited.contains("image:    app = nginx:1 (live)"),
        "{edited}"
    );
    assert!(edited.contains("changed:  true"), "{edited}");
    assert!(
        edited.contains("container app: environment ROLE changed"),
        "{edited}"
    );
    assert!(
        edited.contains("register: aws ecs register-task-definition"),
        "{edited}"
    );

    moto.ecs_deploy("c", "web", "app", "nginx:2");
    let deployed = run_sh("web", app);
    assert!(
        deployed.contains("image:    app = nginx:2 (live)"),
        "{deployed}"
    );
    assert!(
        deployed.contains(&format!(
            "changed:  false (the service stays on {})",
            revision(2)
        )),
        "{deployed}"
    );

    let missing = run_sh("api", app);
    assert!(
        missing.contains("no running service (MISSING)"),
        "{missing}"
    );
    assert!(
        missing.contains("image:    app = nginx:stable (bootstrap)"),
        "{missing}"
    );
    assert!(missing.contains("changed:  true"), "{missing}");
}

// ---------------------------------------------------------------------------------------------
// The module's variable types and validations, run by a real Terraform on variables.tf alone (a
// configuration with no resources needs no provider, so `init` and `plan` work offline).

/// A terraform of 1.5 or later on PATH: variables.tf uses `nullable` and `optional()` defaults,
/// which the .venv's Terraform 1.0.3 (enough for fmt) does not know.
fn modern_terraform() -> Option<std::path::PathBuf> {
    let terraform = path_program("terraform")?;
    let run = ecs_drift_tests::run(&terraform, &["version", "-json"], "");
    let version: Value = serde_json::from_str(&run.stdout).ok()?;
    let numbers: Vec<u64> = version["terraform_version"]
        .as_str()?
        .split('.')
        .take(2)
        .filter_map(|part| part.parse().ok())
        .collect();
    (numbers.as_slice() >= [1, 5].as_slice()).then_some(terraform)
}

/// `terraform plan` of variables.tf with `values` as the module's arguments.
fn plan_variables(
    terraform: &std::path::Path,
    values: &Map<String, Value>,
) -> ecs_drift_tests::Run {
    let dir = tempfile::tempdir().expect("temporary directory");
    let module = ecs_drift_tests::repo_root().join("terraform-module");
    std::fs::copy(module.join("variables.tf"), dir.path().join("variables.tf")).expect("copy");
    std::fs::write(
        dir.path().join("inputs.tfvars.json"),
        Value::Object(values.clone()).to_string(),
    )
    .expect("write");
    let command = |arguments: &[&str]| {
        let mut command = ecs_drift_tests::sealed_command(terraform);
        command
            .current_dir(dir.path())
            .args(arguments)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_CLI_CONFIG_FILE", "/dev/null");
        run_command(command, b"")
    };
    let init = command(&["init", "-backend=false", "-input=false", "-no-color"]);
    assert_eq!(init.status, Some(0), "{init:#?}");
    command(&[
        "plan",
        "-input=false",
        "-no-color",
        "-var-file=inputs.tfvars.json",
    ])
}

/// An example's module arguments, `source` left out, references as placeholders of their shape.
fn example_arguments(example: &'static str) -> Map<String, Value> {
    Inputs::example(example)
        .arguments
        .attributes()
        .filter(|attribute| attribute.key.as_str() != "source")
        .map(|attribute| {
            (
                attribute.key.as_str().to_string(),
                evaluate_with(&attribute.value, true),
            )
        })
        .collect()
}

const EXAMPLES: [&str; 4] = ["fargate", "sidecar", "ec2-bridge", "codedeploy"];

#[test]
fn every_example_passes_the_modules_variable_checks() {
    let Some(terraform) = modern_terraform() else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: no terraform 1.5 or later on PATH"
        );
        return;
    };
    for example in EXAMPLES {
        let run = plan_variables(&terraform, &example_arguments(example));
        assert_eq!(run.status, Some(0), "{example}: {run:#?}");
    }
}

#[test]
fn the_variable_checks_name_the_allowed_values() {
    let Some(terraform) = modern_terraform() else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: no terraform 1.5 or later on PATH"
        );
        return;
    };
    let cases = [
        (
            "network_mode",
            json!("nat"),
            "network_mode must be one of: awsvpc, bridge, host, none.",
        ),
        (
            "deployment_controller",
            json!("EXTERNAL"),
            "deployment_controller must be one of: ECS, CODE_DEPLOY.",
        ),
        (
            "launch_type",
            json!("SPOT"),
            "launch_type must be null or one of: EC2, FARGATE, EXTERNAL.",
        ),
        (
            "requires_compatibilities",
            json!(["FARGATE", "LAMBDA"]),
            "requires_compatibilities may contain only: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.",
        ),
        (
            "pid_mode",
            json!("container"),
            "pid_mode must be null or one of: host, task.",
        ),
        (
            "ipc_mode",
            json!("shareable"),
            "ipc_mode must be null or one of: host, task, none.",
        ),
        (
            "ephemeral_storage_size_in_gib",
            json!(500),
            "ephemeral_storage_size_in_gib must be null or 21 to 200.",
        ),
        (
            "volumes",
            json!([{ "name": "data", "hostPath": "/data" }]),
            "may only have the keys: name, host, dockerVolumeConfiguration, efsVolumeConfiguration, configuredAtLaunch.",
        ),
        (
            "container_definitions",
            json!([]),
            "container_definitions must be a non-empty list of objects, each with a `name`.",
        ),
    ];
    let base = example_arguments("fargate");
    for (name, value, message) in cases {
        let mut values = base.clone();
        values.insert(name.to_string(), value);
        let run = plan_variables(&terraform, &values);
        assert_ne!(run.status, Some(0), "{name} accepted: {run:#?}");
        // Terraform wraps long messages; compare with the line breaks taken out.
        let stderr = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            stderr.contains(message),
            "{name}: {message:?} not in {stderr}"
        );
    }
}
