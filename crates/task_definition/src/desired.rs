//! The desired side, checked in one step: what a user or the module wrote is read strictly and
//! held to each field's rules (`parse.rs`), then to what RegisterTaskDefinition refuses beyond
//! them (`registration.rs`). The two steps are one call here, so that no caller can accept a
//! definition ECS would refuse by forgetting the second.

use serde_json::Value;

use crate::error::Error;
use crate::json::Map;
use crate::network_mode::NetworkMode;
use crate::parse;
use crate::registration;

/// User-written container definitions (a JSON array, as `aws_ecs_task_definition` takes them),
/// validated as far as the containers alone tell: each field's rules, and what
/// RegisterTaskDefinition refuses of containers in `network_mode` (the quotas, links, ports).
/// `environment`/`secrets` objects are turned into lists, nulls dropped, in input order.
///
/// `root` names the array in messages (`container_definitions`).
///
/// It takes the value it reads: its strings are moved into the result, not copied.
pub fn parse_container_definitions(
    value: Value,
    root: &str,
    network_mode: NetworkMode,
) -> Result<Vec<Map>, Error> {
    let containers = parse::read_container_definitions(value, root, network_mode)?;
    registration::check_container_registration(&containers, root, network_mode)?;
    Ok(containers)
}

/// A desired whole task definition (task-level fields in camelCase plus `containerDefinitions`),
/// validated: each field's rules, and everything RegisterTaskDefinition refuses that the crate
/// knows (the quotas, the task size, what `requiresCompatibilities` FARGATE or EC2 demands). Nulls
/// are dropped and `environment`/`secrets` objects turned into lists; nothing else is changed.
///
/// It takes the value it reads: its strings are moved into the result, not copied.
pub fn parse_task_definition(value: Value, root: &str) -> Result<Map, Error> {
    let task = parse::read_task_definition(value, root)?;
    registration::check_task_registration(&task, root)?;
    Ok(task)
}
