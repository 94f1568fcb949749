//! The end-to-end tests, one module per subject, in one test binary. Those that need Terraform,
//! the IAM evaluator or cargo-deny are `#[ignore]`d with what they need; `make test` runs them
//! (`cargo test --workspace -- --include-ignored`). One subject alone:
//! `cargo test -p ecs_drift_tests --test it -- --include-ignored deployments::`.

mod bundle;
mod deployments;
mod github_actions;
mod iam_policies;
mod live_task_lookup_example;
mod live_values;
mod migration;
mod module_contract;
mod module_variables;
mod policy_as_code;
mod production;
mod pure_programs;
mod shell_example;
mod signing;
mod terraform_examples;
mod terraform_fmt;
mod terraform_validation;
mod versions;
