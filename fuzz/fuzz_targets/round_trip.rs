//! The differential target: any valid task definition (one of the samples, mutated until it is
//! still valid) compares unchanged with what ECS returns for it after registration, and changed
//! once a single field of it changes, the difference under that field's path.

#![no_main]

use ecs_drift_fuzz::{definition, ecs, mutate, query, run_program};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const ARN: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7";

/// The selector's result for `desired` against the live `described`.
fn select(desired: &Value, described: &Value) -> serde_json::Map<String, Value> {
    let pairs = [
        ("desired_task_definition", desired.to_string()),
        ("live_task_definition", described.to_string()),
        ("live_task_definition_arn", ARN.to_string()),
    ];
    run_program(
        &task_definition_selector::PROGRAM,
        &query(&pairs),
        task_definition_selector::run,
    )
    .unwrap_or_else(|| panic!("a valid definition is refused: {desired}"))
}

fn case(input: &mut Unstructured) -> Result<()> {
    let mut task = definition(input)?;
    // Mutations that keep the definition valid, one at a time.
    for _ in 0..input.int_in_range(0..=8u8)? {
        let mut candidate = task.clone();
        mutate(&mut candidate, input)?;
        if task_definition::parse_task_definition(candidate.clone(), "desired").is_ok() {
            task = candidate;
        }
    }
    let shuffle = input.int_in_range(0..=5usize)?;
    let described = ecs::ecs_describe(&task, shuffle);
    let result = select(&task, &described);
    assert_eq!(
        result["changed"].as_str(),
        Some("false"),
        "an ECS round trip compares changed: {}\n{task}",
        result["differences"]
    );
    let choice = input.int_in_range(0..=ecs::CHANGES - 1)?;
    let target = input.int_in_range(0..=3usize)?;
    let Some((changed, path)) = ecs::mutate(&task, choice, target) else {
        return Ok(());
    };
    if task_definition::parse_task_definition(changed.clone(), "desired").is_err() {
        // The change made it invalid (a port another container already maps, ...).
        return Ok(());
    }
    let result = select(&changed, &described);
    assert_eq!(
        result["changed"].as_str(),
        Some("true"),
        "{path} changed, not found\n{changed}"
    );
    let found: Vec<Value> =
        serde_json::from_str(result["differences_json"].as_str().unwrap_or("[]"))
            .unwrap_or_default();
    if choice != ecs::REMOVES_A_CONTAINER {
        assert!(
            found
                .iter()
                .any(|difference| difference["path"] == path.as_str()),
            "{path} changed, found {found:?}"
        );
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = case(&mut Unstructured::new(data));
});
