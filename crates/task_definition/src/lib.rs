//! The ECS task definition model: validation, canonical forms, comparison.
//!
//! Task definitions are handled as JSON in the ECS API's own camelCase, exactly what
//! RegisterTaskDefinition takes and DescribeTaskDefinition returns. Every field is declared once,
//! in the schema table (`schema.rs`); validation, defaults, list ordering and comparison all read
//! that table.
//!
//! - [`parse_container_definitions`] validates what a user wrote for `aws_ecs_task_definition`;
//!   [`register_form`] turns it into what DescribeTaskDefinition would return for it, so the AWS
//!   provider sees no difference after registration.
//! - [`parse_task_definition`] validates a desired whole task definition,
//!   [`parse_live_task_definition`] reads a live one leniently, [`comparison_form`] normalises
//!   either so that what ECS adds or reorders on its own compares equal, and [`differences`] lists
//!   every real difference.
//!
//! - Both desired-side readers also check what RegisterTaskDefinition refuses beyond each
//!   field's own rules, in the same call: the quotas, what the network mode and
//!   `requiresCompatibilities` FARGATE forbid, and the containers' sizes against the task's. The
//!   live side is spared them: a live definition was accepted by ECS already.
//!
//! Every function is pure and never panics, whatever JSON it is given.
//!
//! # Registration rules left out
//!
//! Documented constraints whose documentation does not say whether RegisterTaskDefinition refuses
//! them or a task fails only when it starts are not checked, so that no valid definition is
//! refused: the sum of the containers' `memoryReservation` above the task's memory, a
//! container's `memoryReservation` above the task's memory, Fargate `ulimits` other than
//! `nofile`, `ephemeralStorage` outside Fargate, `secrets` and
//! `repositoryCredentials` on Fargate without an execution role, `hostname` in host mode, and a
//! task without memory whose `requiresCompatibilities` is absent or names no EC2.
//!
//! # Decisions on facts no source settles
//!
//! - Environment entries whose value is `""` are left out of the register form and ignored when
//!   comparing: ECS reportedly drops them (terraform-provider-aws #39533, open), so keeping them
//!   would make the provider diff forever, and leaving them out makes what is registered the same
//!   either way.
//! - Host network mode: `hostPort` is sent equal to `containerPort`. Whether ECS fills it is not
//!   known; a value that was sent comes back as sent, so the provider sees no diff either way.
//! - `linuxParameters.capabilities.add: []` is sent when only `drop` is given (reported), but not
//!   `drop: []` when only `add` is given (not reported).
//! - Every list is ordered, keyed by a member or a set, as the schema table says with its
//!   source: keyed or a set where ECS or the AWS provider may change the order (containers,
//!   `environment`, `secrets`, and the task-level lists the provider keeps as sets or maps),
//!   ordered everywhere else, since the provider registers a reordering there.
//! - A field the schema does not know is ignored on the live side (a newer API adding a field or
//!   a default must not register a revision on every apply) and refused on the desired side.
//! - Documented defaults compare equal to absent even where ECS is not known to fill them in:
//!   `false` for the Docker flags and `readOnly`, `versionConsistency: "enabled"`, EFS
//!   `transitEncryption`/`iam` `DISABLED`, docker volume `local`/`task`/no autoprovision.

// The modules lie on floors: each uses only modules of the floors below it, and none uses this
// file, which only names what the crate exports (tests.rs checks it).
//
// 0. arn, error, json, units: a task definition's ARN, the error type, the JSON helpers,
//    task-level sizes.
// 1. checks, network_mode, schema: the checks every rule uses, the network mode, the field table.
// 2. canonical, container, fargate: the canonical forms, a container's rules, and what FARGATE
//    demands and refuses.
// 3. task: the task's rules.
// 4. diff, parse, registration: the comparison, reading JSON into the model, and the rules
//    RegisterTaskDefinition adds for the desired side.
// 5. desired: the desired side's two checks as one step.
mod arn;
mod error;
mod json;
mod units;

mod checks;
mod network_mode;
mod schema;

mod canonical;
mod container;
mod fargate;

mod task;

mod diff;
mod parse;
mod registration;

mod desired;

pub use arn::is_task_definition_arn;
pub use canonical::{comparison_form, register_form};
pub use desired::{parse_container_definitions, parse_task_definition};
pub use diff::{Difference, REDACTED, differences, differences_of_comparison_forms};
pub use error::Error;
pub use json::Map;
pub use network_mode::NetworkMode;
pub use parse::parse_live_task_definition;
pub use schema::READ_ONLY_TASK_FIELDS;

#[cfg(test)]
mod tests;
