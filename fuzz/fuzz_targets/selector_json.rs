//! `task_definition_selector` on structure-aware JSON: a valid task definition and what ECS
//! returns for it, each mutated, with the sources of the values that followed the service. The
//! process contract holds, and the decision agrees with the differences: "unchanged" (the live ARN
//! kept) only when there is none; the keys that kept the live value are named only when the
//! service moves.

#![no_main]

use ecs_drift_fuzz::{definition, ecs, mutate, query, run_program};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

const ARN: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7";

fn case(input: &mut Unstructured) -> Result<()> {
    let task = definition(input)?;
    let shuffle = input.int_in_range(0..=5usize)?;
    let mut live = ecs::ecs_describe(&task, shuffle);
    let mut desired = task;
    if input.arbitrary()? {
        mutate(&mut desired, input)?;
    }
    if input.arbitrary()? {
        mutate(&mut live, input)?;
    }
    let source = *input.choose(&["live", "bootstrap", "forced", "absent"])?;
    let sources = json!({ "app": { "DD_VERSION": source } }).to_string();
    let pairs = [
        ("environment_sources", sources.clone()),
        ("docker_label_sources", sources),
        ("desired_task_definition", desired.to_string()),
        ("live_task_definition", live.to_string()),
        ("live_task_definition_arn", ARN.to_string()),
        (
            "show_environment_values",
            input.choose(&["true", "false", ""])?.to_string(),
        ),
    ];
    let Some(result) = run_program(
        &task_definition_selector::PROGRAM,
        &query(&pairs),
        task_definition_selector::run,
    ) else {
        return Ok(());
    };
    let differences = result["differences"].as_str().unwrap_or_default();
    match result["changed"].as_str() {
        Some("false") => {
            assert_eq!(result["task_definition_arn"].as_str(), Some(ARN));
            assert_eq!(differences, "");
        }
        Some("true") => {
            assert_eq!(result["task_definition_arn"].as_str(), Some(""));
            assert!(!differences.is_empty());
            assert_eq!(
                differences.contains("DD_VERSION keeps the live value"),
                source == "live"
            );
        }
        other => panic!("changed is {other:?}"),
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = case(&mut Unstructured::new(data));
});
