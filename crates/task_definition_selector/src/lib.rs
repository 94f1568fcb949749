//! `task_definition_selector`: does the service have to move to a new task definition revision?

use external_protocol::{Kind, Output, Program, Query, QueryKey, ResultKey};
use task_definition::Difference;

pub static PROGRAM: Program = Program {
    name: "task_definition_selector",
    version: env!("CARGO_PKG_VERSION"),
    summary: "Decides whether an ECS service must move to a new task definition revision, and says \
              exactly why.",
    description: "Compares the WHOLE desired task definition (task-level fields and every container \
                  field at any depth) with the one the service runs, after removing what ECS adds or \
                  reorders on its own: defaults it fills in, environment and secrets order, container \
                  order, task cpu and memory units, awsvpc host ports, empty lists, read-only fields, an \
                  empty role ARN written by a deploy tool. When nothing differs the service keeps the \
                  live revision, so Terraform registers nothing and the plan stays clean; when anything \
                  differs the service moves, and every difference is listed.\n\n\
                  A field in the live definition that this version does not know (a newer ECS API \
                  adding a default) is ignored rather than forcing a new revision on every apply. \
                  Environment values are redacted in the differences unless show_environment_values \
                  is \"true\"; secret valueFrom ARNs are references, not secrets, and are shown.",
    query: &[
        QueryKey {
            name: "desired_task_definition",
            kind: Kind::Json,
            required: true,
            default: None,
            help: "JSON object: the task-level fields in the ECS API's camelCase (family, cpu, memory, \
                   networkMode, taskRoleArn, executionRoleArn, volumes, ...) plus \
                   `containerDefinitions` (usually container_definition's result).",
        },
        QueryKey {
            name: "live_task_definition",
            kind: Kind::Json,
            required: false,
            default: None,
            help: "JSON object: the task definition the service runs (live_task_lookup's \
                   `task_definition`); absent or \"\" on the first apply.",
        },
        QueryKey {
            name: "live_task_definition_arn",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The full ARN of the live task definition (live_task_lookup's \
                   `task_definition_arn`); required with live_task_definition.",
        },
        QueryKey {
            name: "show_environment_values",
            kind: Kind::Boolean,
            required: false,
            default: Some("false"),
            help: "\"true\" shows environment values in the differences; by default only their \
                   names are shown.",
        },
        QueryKey {
            name: "environment_sources",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> {NAME: source} (container_definition's \
                   `environment_sources`). When the service moves, each variable whose source is \
                   \"live\" gets a line in the differences saying it kept the live value (its \
                   name only, never the value).",
        },
        QueryKey {
            name: "docker_label_sources",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "JSON object container name -> {key: source} (container_definition's \
                   `docker_label_sources`), explained as environment_sources.",
        },
    ],
    result: &[
        ResultKey {
            name: "changed",
            help: "\"true\" when the service must move to a new revision.",
        },
        ResultKey {
            name: "task_definition_arn",
            help: "The live ARN when unchanged (keep the service on it); \"\" when changed.",
        },
        ResultKey {
            name: "differences",
            help: "One readable line per difference, e.g. `task: cpu 256 -> 512`; on the first apply \
                   one line saying there is no live task definition; \"\" when unchanged. When the \
                   service moves, one more line per environment variable or Docker label that kept \
                   the live value (environment_sources, docker_label_sources), e.g. `container app: \
                   environment DD_VERSION keeps the live value (live_environment)`.",
        },
        ResultKey {
            name: "differences_json",
            help: "The same as a JSON array of {\"path\", \"live\", \"desired\"}.",
        },
    ],
    example: "echo '{\"desired_task_definition\": \"{\\\"family\\\":\\\"web\\\",\\\"containerDefinitions\\\":[{\\\"name\\\":\\\"app\\\",\\\"image\\\":\\\"nginx:1.27\\\"}]}\",\n       \
              \"live_task_definition\": \"{\\\"family\\\":\\\"web\\\",\\\"containerDefinitions\\\":[{\\\"name\\\":\\\"app\\\",\\\"image\\\":\\\"nginx:1.26\\\"}]}\",\n       \
              \"live_task_definition_arn\": \"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7\"}' \\\n  | task_definition_selector",
};

/// The line written when the service runs nothing yet.
pub const FIRST_APPLY: &str = "no live task definition: the service does not exist yet or is inactive, so a new revision is registered";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Query(#[from] external_protocol::Error),
    #[error(transparent)]
    Invalid(#[from] task_definition::Error),
    #[error(
        "live_task_definition_arn {arn:?} is not a task definition ARN (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION)"
    )]
    BadArn { arn: String },
    #[error(
        "live_task_definition is given without live_task_definition_arn; pass both (live_task_lookup's task_definition and task_definition_arn) or neither"
    )]
    MissingArn,
    #[error(
        "live_task_definition_arn is given without live_task_definition; pass both (live_task_lookup's task_definition and task_definition_arn) or neither"
    )]
    MissingLive,
}

/// Whether `arn` is a full task definition ARN (the task definition model's check, which the
/// lookup's `expect_task_definition_arn` uses too).
pub use task_definition::is_task_definition_arn;

/// The decision.
#[derive(Debug)]
pub struct Decision {
    /// `None` on the first apply.
    pub live_arn: Option<String>,
    pub differences: Vec<Difference>,
    /// The environment variables and Docker labels that kept the live value, as lines.
    pub kept_live: Vec<String>,
}

/// Container name -> key -> where its value came from.
type Sources = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// One line per key of `environment_sources` and `docker_label_sources` whose value is the live
/// one: `container app: environment DD_VERSION keeps the live value (live_environment)`.
fn kept_live(query: &Query) -> Result<Vec<String>, Error> {
    let mut lines = Vec::new();
    for (key, what, input) in [
        ("environment_sources", "environment", "live_environment"),
        ("docker_label_sources", "docker label", "live_docker_labels"),
    ] {
        let sources: Sources = query.json(key)?.unwrap_or_default();
        for (container, keys) in sources {
            for (name, source) in keys {
                if source == "live" {
                    lines.push(format!(
                        "container {container}: {what} {name} keeps the live value ({input})"
                    ));
                }
            }
        }
    }
    Ok(lines)
}

impl Decision {
    pub fn changed(&self) -> bool {
        self.live_arn.is_none() || !self.differences.is_empty()
    }
}

/// Compares the desired task definition with the live one. The parsed definitions are given up
/// with `external_protocol::discard`, which leaves them to the end of the process under `main`.
pub fn decide(query: &Query) -> Result<Decision, Error> {
    let desired: serde_json::Value =
        query
            .json("desired_task_definition")?
            .ok_or(external_protocol::Error::MissingKey {
                key: "desired_task_definition",
            })?;
    // Also what RegisterTaskDefinition would refuse fails the plan here, on the desired side
    // only: the live definition was accepted by ECS already.
    let desired = task_definition::parse_task_definition(desired, "desired_task_definition")?;
    let show_environment_values = query.boolean("show_environment_values")?;
    let kept_live = kept_live(query)?;
    let live: Option<serde_json::Value> = query.json("live_task_definition")?;
    let arn = query.optional_string("live_task_definition_arn");
    let (live, arn) = match (live, arn) {
        (None, None) => {
            return Ok(Decision {
                live_arn: None,
                differences: Vec::new(),
                kept_live,
            });
        }
        (Some(_), None) => return Err(Error::MissingArn),
        (None, Some(_)) => return Err(Error::MissingLive),
        (Some(live), Some(arn)) => (live, arn),
    };
    if !is_task_definition_arn(arn) {
        return Err(Error::BadArn {
            arn: arn.to_string(),
        });
    }
    let live = task_definition::parse_live_task_definition(live, "live_task_definition")?;
    // Each side is put in comparison form once, here, and compared as it is.
    let desired = task_definition::comparison_form(desired);
    let live = task_definition::comparison_form(live);
    let differences =
        task_definition::differences_of_comparison_forms(&desired, &live, show_environment_values);
    // The two forms are thousands of small allocations: see `discard`.
    external_protocol::discard((desired, live));
    Ok(Decision {
        live_arn: Some(arn.to_string()),
        differences,
        kept_live,
    })
}

/// The program: the decision, written as the result.
pub fn run(query: &Query) -> Result<Output, Error> {
    let decision = decide(query)?;
    let mut output = Output::new();
    output.insert("changed", decision.changed().to_string());
    match (&decision.live_arn, decision.changed()) {
        (None, _) => {
            let first = serde_json::json!([{ "path": "", "live": null, "desired": "(new task definition)" }]);
            output
                .insert("task_definition_arn", "")
                .insert("differences", FIRST_APPLY)
                .insert_json("differences_json", &first);
        }
        (Some(arn), changed) => {
            let mut lines: Vec<String> = decision
                .differences
                .iter()
                .map(ToString::to_string)
                .collect();
            // What moves carries the pipeline's values: said only when something moves.
            if changed {
                lines.extend(decision.kept_live.iter().cloned());
            }
            let json: Vec<serde_json::Value> = decision
                .differences
                .iter()
                .map(|difference| serde_json::json!({ "path": difference.path, "live": difference.live, "desired": difference.desired }))
                .collect();
            output
                .insert(
                    "task_definition_arn",
                    if changed { "" } else { arn.as_str() },
                )
                .insert("differences", lines.join("\n"))
                .insert_json("differences_json", &json);
        }
    }
    Ok(output)
}
