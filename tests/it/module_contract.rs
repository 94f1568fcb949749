//! The module and the programs agree, checked with a real HCL parser (hcl-edit) against the
//! contract the programs print themselves (`--schema`), not against a second hand-kept list:
//! - every `data "external"` block, in the root module and in each of `modules/`, runs one of the
//!   three programs;
//! - each `modules/<program>` wraps exactly that program, with every query key as an input and
//!   every result key read;
//! - it sends only query keys that program accepts, and every key it requires;
//! - every `data.external.X.result.Y` the module reads is a key X's program writes;
//! - the task definition resource registers every task-level field the selector compares.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::visit::{Visit, visit_traversal};
use serde_json::Value;

const PROGRAMS: [&str; 3] = [
    "live_task_lookup",
    "container_definition",
    "task_definition_selector",
];

/// A program's contract, from its `--schema`.
#[derive(Debug)]
struct Contract {
    accepts: BTreeSet<String>,
    requires: BTreeSet<String>,
    writes: BTreeSet<String>,
}

fn contracts() -> BTreeMap<String, Contract> {
    PROGRAMS
        .iter()
        .map(|program| {
            let run = ecs_drift_tests::run(
                ecs_drift_tests::workspace_binary(program),
                &["--schema"],
                "",
            );
            assert_eq!(run.status, Some(0), "{program} --schema: {run:#?}");
            let schema: Value = serde_json::from_str(&run.stdout).expect("--schema prints JSON");
            let names = |list: &str, filter: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
                schema[list]
                    .as_array()
                    .expect("a list of keys")
                    .iter()
                    .filter(|key| filter(key))
                    .filter_map(|key| key["name"].as_str().map(str::to_string))
                    .collect()
            };
            let contract = Contract {
                accepts: names("query", &|_| true),
                requires: names("query", &|key| key["required"] == true),
                writes: names("result", &|_| true),
            };
            ((*program).to_string(), contract)
        })
        .collect()
}

/// One `data "external"` block: its name, the program it runs, the query keys it sends.
#[derive(Debug)]
pub(crate) struct External {
    pub(crate) name: String,
    pub(crate) program: Option<String>,
    pub(crate) query: Vec<String>,
}

fn label(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::Ident(ident) => ident.as_str(),
        BlockLabel::String(text) => text.as_str(),
    }
}

/// The program's name: the literal text after the last `/` or interpolation of `program[0]`
/// (`"${local.bin_prefix}live_task_lookup"` -> `live_task_lookup`).
fn program_name(expression: &Expression) -> Option<String> {
    let Expression::Array(array) = expression else {
        return None;
    };
    match array.iter().next()? {
        Expression::String(text) => text.as_str().rsplit('/').next().map(str::to_string),
        Expression::StringTemplate(template) => match template.iter().last()? {
            hcl_edit::template::Element::Literal(text) => {
                text.as_str().rsplit('/').next().map(str::to_string)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The keys of a query: an object literal, or `merge()` of object literals and locals holding
/// one (`merge(local.lookup_connection, { ... })`), looked up in `body`'s `locals` blocks.
fn query_keys(expression: &Expression, body: &Body) -> Vec<String> {
    match expression {
        Expression::Object(object) => object
            .iter()
            .map(|(key, _)| match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(Expression::String(text)) => text.as_str().to_string(),
                ObjectKey::Expression(other) => format!("<computed key {other}>"),
            })
            .collect(),
        Expression::FuncCall(call) if call.name.name.as_str() == "merge" => call
            .args
            .iter()
            .flat_map(|argument| query_keys(argument, body))
            .collect(),
        Expression::Traversal(traversal) => match (&traversal.expr, &traversal.operators[..]) {
            (Expression::Variable(root), [operator]) if root.as_str() == "local" => {
                let TraversalOperator::GetAttr(name) = operator.value() else {
                    return vec![format!("<query part {expression}>")];
                };
                body.blocks()
                    .filter(|block| block.ident.as_str() == "locals")
                    .find_map(|block| block.body.get_attribute(name.as_str()))
                    .map(|attribute| query_keys(&attribute.value, body))
                    .unwrap_or_else(|| vec![format!("<no local.{}>", name.as_str())])
            }
            _ => vec![format!("<query part {expression}>")],
        },
        _ => vec!["<query is not an object literal, merge() of them, or a local>".into()],
    }
}

pub(crate) fn externals(body: &Body) -> Vec<External> {
    body.blocks()
        .filter(|block| {
            block.ident.as_str() == "data" && block.labels.first().map(label) == Some("external")
        })
        .map(|block| External {
            name: block
                .labels
                .get(1)
                .map(label)
                .unwrap_or_default()
                .to_string(),
            program: block
                .body
                .get_attribute("program")
                .and_then(|attribute| program_name(&attribute.value)),
            query: block
                .body
                .get_attribute("query")
                .map(|attribute| query_keys(&attribute.value, body))
                .unwrap_or_default(),
        })
        .collect()
}

/// Every `data.external.<name>.result.<key>` read anywhere in a body.
#[derive(Default)]
struct ResultReads(Vec<(String, String)>);

impl Visit for ResultReads {
    fn visit_traversal(&mut self, node: &Traversal) {
        let attribute = |operator: &TraversalOperator| match operator {
            TraversalOperator::GetAttr(ident) => Some(ident.as_str().to_string()),
            TraversalOperator::Index(Expression::String(text)) => Some(text.as_str().to_string()),
            _ => None,
        };
        let operators: Vec<Option<String>> = node
            .operators
            .iter()
            .map(|operator| attribute(operator.value()))
            .collect();
        if let (Expression::Variable(root), [Some(kind), Some(name), Some(result), key, ..]) =
            (&node.expr, operators.as_slice())
            && root.as_str() == "data"
            && kind == "external"
            && result == "result"
        {
            let key = key
                .clone()
                .unwrap_or_else(|| "<the whole result or a computed key>".into());
            self.0.push((name.clone(), key));
        }
        visit_traversal(self, node);
    }
}

/// The contract violations of a module made of `files` (name, text).
fn violations(files: &[(String, String)], contracts: &BTreeMap<String, Contract>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut blocks = Vec::new();
    let mut reads = ResultReads::default();
    for (file, text) in files {
        let body: Body = match text.parse() {
            Ok(body) => body,
            Err(error) => {
                problems.push(format!("{file}: not HCL: {error}"));
                continue;
            }
        };
        blocks.extend(externals(&body));
        reads.visit_body(&body);
    }
    let mut runs = BTreeMap::new();
    for block in &blocks {
        let Some(contract) = block
            .program
            .as_deref()
            .and_then(|program| contracts.get(program))
        else {
            problems.push(format!(
                "data.external.{} runs {:?}, not one of {PROGRAMS:?}",
                block.name, block.program
            ));
            continue;
        };
        for key in &block.query {
            if !contract.accepts.contains(key) {
                problems.push(format!(
                    "data.external.{} sends query key `{key}`, which {} does not accept",
                    block.name,
                    block.program.as_deref().unwrap_or_default()
                ));
            }
        }
        for key in &contract.requires {
            if !block.query.contains(key) {
                problems.push(format!(
                    "data.external.{} does not send required query key `{key}`",
                    block.name
                ));
            }
        }
        runs.insert(block.name.clone(), contract);
    }
    for (name, key) in reads.0 {
        match runs.get(&name) {
            None => problems.push(format!(
                "data.external.{name}.result.{key} reads a data source that is not declared"
            )),
            Some(contract) if !contract.writes.contains(&key) => problems.push(format!(
                "data.external.{name}.result.{key} is not a key its program writes"
            )),
            Some(_) => {}
        }
    }
    problems
}

/// `terraform-module/task_definition.tf`, the task-definition chain, which registers the revision.
fn task_definition_tf() -> String {
    std::fs::read_to_string(
        ecs_drift_tests::repo_root().join("terraform-module/task_definition.tf"),
    )
    .expect("terraform-module/task_definition.tf")
}

/// Every module of `terraform-module/`: the root (`.`) and each `modules/<name>`, with its files.
/// Each is checked on its own, as Terraform resolves `data.external.X` within one module.
fn modules() -> Vec<(String, Vec<(String, String)>)> {
    let root = ecs_drift_tests::repo_root().join("terraform-module");
    let mut modules = vec![(".".to_string(), ecs_drift_tests::tf_files(&root))];
    let mut submodules: Vec<_> = std::fs::read_dir(root.join("modules"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    submodules.sort();
    for dir in submodules {
        let name = format!(
            "modules/{}",
            dir.file_name().unwrap_or_default().to_string_lossy()
        );
        modules.push((name, ecs_drift_tests::tf_files(&dir)));
    }
    modules
}

#[test]
fn every_module_speaks_each_programs_contract() {
    let contracts = contracts();
    let mut programs = BTreeSet::new();
    let mut reads = ResultReads::default();
    for (module, files) in modules() {
        let problems = violations(&files, &contracts);
        assert!(
            problems.is_empty(),
            "terraform-module/{module} and the programs disagree:\n{}",
            problems.join("\n")
        );
        for (_, text) in &files {
            let body: Body = text.parse().expect("parsed above");
            programs.extend(
                externals(&body)
                    .into_iter()
                    .filter_map(|block| block.program),
            );
            reads.visit_body(&body);
        }
    }

    // Not vacuous: the modules run all three programs and read their results.
    assert_eq!(
        programs,
        PROGRAMS.iter().map(|program| program.to_string()).collect()
    );
    for key in [
        "changed",
        "task_definition_arn",
        "container_definitions",
        "images",
        "region",
        "environment",
        "docker_labels",
        "environment_sources",
        "docker_label_sources",
    ] {
        assert!(
            reads.0.iter().any(|(_, read)| read == key),
            "no module reads result.{key}"
        );
    }
}

/// The blocks of kind `ident` (`data`, `resource`) in `body`, as `TYPE.NAME`.
fn blocks_of(body: &Body, ident: &str) -> Vec<String> {
    body.blocks()
        .filter(|block| block.ident.as_str() == ident)
        .map(|block| block.labels.iter().map(label).collect::<Vec<_>>().join("."))
        .collect()
}

/// `modules/<program>` is its program and nothing else: one `data "external" "this"` running
/// it and no other data source or resource (the plan cost of one program call), sending every
/// query key the program accepts (each of its options is an input) and reading every result key
/// it writes (all it says is an output).
#[test]
fn each_submodule_wraps_exactly_its_program() {
    let contracts = contracts();
    let modules = modules();
    for program in PROGRAMS {
        let name = format!("modules/{program}");
        let files = &modules
            .iter()
            .find(|(module, _)| *module == name)
            .unwrap_or_else(|| panic!("terraform-module/{name} is missing"))
            .1;
        let names: BTreeSet<&str> = files.iter().map(|(file, _)| file.as_str()).collect();
        assert_eq!(
            names,
            BTreeSet::from(["main.tf", "outputs.tf", "variables.tf", "versions.tf"]),
            "{name}"
        );
        let mut blocks = Vec::new();
        let mut reads = ResultReads::default();
        let mut data_sources = Vec::new();
        let mut resources = Vec::new();
        for (_, text) in files {
            let body: Body = text.parse().expect("HCL");
            blocks.extend(externals(&body));
            reads.visit_body(&body);
            data_sources.extend(blocks_of(&body, "data"));
            resources.extend(blocks_of(&body, "resource"));
        }
        assert_eq!(data_sources, ["external.this"], "{name}");
        assert!(resources.is_empty(), "{name}: {resources:?}");
        let [block] = blocks.as_slice() else {
            panic!("{name}: {blocks:#?}")
        };
        assert_eq!(block.program.as_deref(), Some(program), "{name}");
        let contract = &contracts[program];
        let sent: BTreeSet<String> = block.query.iter().cloned().collect();
        assert_eq!(sent, contract.accepts, "{name} must send every query key");
        let read: BTreeSet<String> = reads.0.into_iter().map(|(_, key)| key).collect();
        assert_eq!(read, contract.writes, "{name} must read every result key");
    }
}

#[test]
fn the_check_catches_a_made_up_query_key_and_result_key() {
    let hcl = r#"
data "external" "lookup" {
  program = ["${local.bin_prefix}live_task_lookup"]
  query = {
    cluster  = var.cluster
    service  = var.name
    regoin   = var.region
  }
}

data "external" "guard" {
  program = ["live_task_lookup"]
  query   = merge(local.connection, { enabled = "true" })
}

data "external" "mystery" {
  program = ["/opt/bin/not_ours"]
  query   = {}
}

locals {
  connection = { cluster = var.cluster, service = var.name, timeout = "20" }
  arn    = data.external.lookup.result.task_definition_arn
  typo   = data.external.lookup.result.imagez
  quoted = data.external.lookup.result["found"]
  other  = "${data.external.selector.result.changed}"
}
"#;
    let problems = violations(&[("snippet.tf".to_string(), hcl.to_string())], &contracts());
    let expected = [
        "data.external.lookup sends query key `regoin`, which live_task_lookup does not accept",
        "data.external.guard sends query key `timeout`, which live_task_lookup does not accept",
        "data.external.mystery runs Some(\"not_ours\"), not one of",
        "data.external.lookup.result.imagez is not a key its program writes",
        "data.external.selector.result.changed reads a data source that is not declared",
    ];
    for needle in expected {
        assert!(
            problems.iter().any(|problem| problem.contains(needle)),
            "{needle:?} not found in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn the_check_catches_a_missing_required_key() {
    let hcl = r#"
data "external" "selector" {
  program = ["task_definition_selector"]
  query   = { live_task_definition = "" }
}
"#;
    let problems = violations(&[("snippet.tf".to_string(), hcl.to_string())], &contracts());
    assert_eq!(
        problems,
        ["data.external.selector does not send required query key `desired_task_definition`"]
    );
}

/// The keys of `local.task_fields` in task_definition.tf: the task-level fields the selector compares.
fn task_fields(main: &Body) -> BTreeSet<String> {
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

/// What the selector compares is what the task definition resource registers: a field compared
/// but not registered would make the selector say "changed" on every plan, and one registered
/// but not compared would never move the service.
#[test]
fn the_task_definition_registers_every_field_the_selector_compares() {
    let text = task_definition_tf();
    let main: Body = text.parse().expect("task_definition.tf is HCL");
    let fields = task_fields(&main);
    assert!(fields.len() >= 10, "task_fields not found: {fields:?}");
    let resource = &text[text
        .find("resource \"aws_ecs_task_definition\" \"this\"")
        .expect("the task definition resource")..];
    let resource = &resource[..resource.find("\n}\n").unwrap_or(resource.len())];
    for field in &fields {
        // The two lists of objects of mixed types are read from the variable task_fields reads.
        let read = match field.as_str() {
            "volumes" => "for_each = var.volumes".to_string(),
            "placementConstraints" => "for_each = var.task_placement_constraints".to_string(),
            other => format!("local.task_fields.{other}"),
        };
        assert!(
            resource.contains(&read),
            "the resource does not register {field} ({read})"
        );
    }
}

/// An expression's source text on one line: the lines trimmed, runs of spaces folded, and a comma
/// between two attributes of an object type or value that stood on lines of their own.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !out.is_empty() {
            let opens = out.ends_with(['{', '(', '[']);
            let closes = line.starts_with(['}', ')', ']']);
            out.push_str(if opens || closes || out.ends_with(',') {
                " "
            } else {
                ", "
            });
        }
        out.push_str(&line);
    }
    out
}

/// A string attribute's literal value, for descriptions.
fn literal(body: &Body, key: &str) -> String {
    match body.get_attribute(key).map(|attribute| &attribute.value) {
        Some(Expression::String(text)) => text.as_str().to_string(),
        Some(other) => other.to_string().trim().to_string(),
        None => String::new(),
    }
}

/// `text` in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Inputs and Outputs tables of a module's README, generated from its `.tf` files: each
/// variable with its description, type, default and whether it is required, each output with its
/// description, in the order the files declare them.
fn readme_tables(files: &[(String, String)]) -> (String, String) {
    use hcl_edit::Span;

    let source = |text: &str, body: &Body, key: &str| -> Option<String> {
        let span = body.get_attribute(key)?.value.span()?;
        Some(one_line(&text[span]))
    };
    let mut inputs = String::from(
        "| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n",
    );
    let mut outputs = String::from("| Name | Description |\n|------|-------------|\n");
    for (_, text) in files {
        let body: Body = text.parse().expect("HCL");
        for block in body.blocks() {
            let name = block.labels.first().map(label).unwrap_or_default();
            match block.ident.as_str() {
                "variable" => {
                    let default = source(text, &block.body, "default");
                    inputs.push_str(&format!(
                        "| `{name}` | {} | `{}` | {} | {} |\n",
                        cell(&literal(&block.body, "description")),
                        cell(&source(text, &block.body, "type").unwrap_or("any".into())),
                        default
                            .as_ref()
                            .map_or("n/a".to_string(), |value| format!("`{}`", cell(value))),
                        if default.is_some() { "no" } else { "yes" },
                    ));
                }
                "output" => outputs.push_str(&format!(
                    "| `{name}` | {} |\n",
                    cell(&literal(&block.body, "description"))
                )),
                _ => {}
            }
        }
    }
    (inputs, outputs)
}

/// `readme` with the first table after the heading `heading` replaced by `table`; `None` when
/// there is no such table.
fn with_table(readme: &str, heading: &str, table: &str) -> Option<String> {
    let at = readme.find(&format!("\n{heading}\n"))? + 1;
    let start = at + readme[at..].find("\n|")? + 1;
    let end = readme[start..]
        .find("\n\n")
        .map_or(readme.len(), |offset| start + offset + 1);
    Some(format!("{}{table}{}", &readme[..start], &readme[end..]))
}

/// Every module's README lists each of its variables and outputs as its `.tf` files declare them:
/// the tables under "## Inputs" and "## Outputs" are generated from the files, so none can miss
/// one or describe it otherwise. `UPDATE_MODULE_READMES=1 cargo test -p ecs_drift_tests --test
/// module_contract` writes them.
#[test]
fn every_module_readme_lists_its_inputs_and_outputs_as_the_tf_files_declare_them() {
    let update = std::env::var_os("UPDATE_MODULE_READMES").is_some_and(|value| value == "1");
    let root = ecs_drift_tests::repo_root().join("terraform-module");
    let mut stale = Vec::new();
    for (name, files) in modules() {
        let path = root.join(&name).join("README.md");
        let readme = std::fs::read_to_string(&path).expect("every module has a README.md");
        let (inputs, outputs) = readme_tables(&files);
        assert!(inputs.lines().count() > 3 && outputs.lines().count() > 3);
        let generated = with_table(&readme, "## Inputs", &inputs)
            .and_then(|readme| with_table(&readme, "## Outputs", &outputs))
            .unwrap_or_else(|| {
                panic!("{name}/README.md needs a table under ## Inputs and ## Outputs")
            });
        if generated != readme {
            if update {
                std::fs::write(&path, &generated).expect("write the README");
            } else {
                stale.push(format!("terraform-module/{name}/README.md"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the Inputs or Outputs table differs from the .tf files in {}: run \
         UPDATE_MODULE_READMES=1 cargo test -p ecs_drift_tests --test it module_contract, and review \
         the change",
        stale.join(", ")
    );
}

/// The table check itself: a table that misses a variable, or describes one otherwise, differs.
#[test]
fn the_readme_check_catches_a_missing_or_changed_row() {
    let files = vec![(
        "variables.tf".to_string(),
        "variable \"a\" {\n  description = \"First.\"\n  type = object({\n    x = string\n    y = optional(number, 1)\n  })\n}\n\nvariable \"b\" {\n  description = \"Second.\"\n  type        = bool\n  default     = false\n}\n\noutput \"c\" {\n  description = \"Third.\"\n  value       = var.b\n}\n".to_string(),
    )];
    let (inputs, outputs) = readme_tables(&files);
    assert_eq!(
        inputs,
        "| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n\
         | `a` | First. | `object({ x = string, y = optional(number, 1) })` | n/a | yes |\n\
         | `b` | Second. | `bool` | `false` | no |\n"
    );
    assert_eq!(
        outputs,
        "| Name | Description |\n|------|-------------|\n| `c` | Third. |\n"
    );
    let readme =
        format!("# m\n\n## Inputs\n\nText.\n\n{inputs}\nAfter.\n\n## Outputs\n\n{outputs}");
    let missing = inputs.replace("| `b` | Second. | `bool` | `false` | no |\n", "");
    let changed = inputs.replace("Second.", "Other.");
    for table in [missing, changed] {
        let stale = with_table(&readme, "## Inputs", &table).expect("the table");
        assert_ne!(stale, readme);
        assert_eq!(
            with_table(&stale, "## Inputs", &inputs).as_deref(),
            Some(readme.as_str())
        );
    }
}
