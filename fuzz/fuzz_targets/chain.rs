//! The module's chain in one process: `container_definition` writes the container definitions
//! (live images kept), the task definition with them is registered (what ECS describes for it),
//! and `task_definition_selector` compares the two. A definition the first program writes and the
//! task's rules accept is never refused by the second, and compares unchanged: the plan after an
//! apply is clean. The two programs' libraries link together here, which they can since each
//! program declares its allocator in its own `main.rs`.

#![no_main]

use ecs_drift_fuzz::{definition, ecs, mutate, query, run_program};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const ARN: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7";

fn case(input: &mut Unstructured) -> Result<()> {
    let mut task = definition(input)?;
    let mut containers = task["containerDefinitions"].clone();
    mutate(&mut containers, input)?;
    let mut live_images = serde_json::Map::new();
    for name in containers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|container| container["name"].as_str())
    {
        if input.arbitrary()? {
            live_images.insert(name.to_string(), json!(format!("{name}:shipped")));
        }
    }
    let network_mode = task["networkMode"].as_str().unwrap_or_default().to_string();
    let pairs = [
        ("container_definitions", containers.to_string()),
        ("live_images", Value::Object(live_images).to_string()),
        ("network_mode", network_mode),
    ];
    let Some(written) = run_program(
        &container_definition::PROGRAM,
        &query(&pairs),
        container_definition::run,
    ) else {
        return Ok(());
    };
    task["containerDefinitions"] = serde_json::from_str(
        written["container_definitions"]
            .as_str()
            .unwrap_or_default(),
    )
    .expect("container_definitions is JSON");
    // The task's own rules (its size, FARGATE's), which container_definition cannot know.
    if task_definition::parse_task_definition(task.clone(), "desired").is_err() {
        return Ok(());
    }
    let described = ecs::ecs_describe(&task, input.int_in_range(0..=5usize)?);
    let pairs = [
        ("desired_task_definition", task.to_string()),
        ("live_task_definition", described.to_string()),
        ("live_task_definition_arn", ARN.to_string()),
    ];
    let selected = run_program(
        &task_definition_selector::PROGRAM,
        &query(&pairs),
        task_definition_selector::run,
    )
    .unwrap_or_else(|| panic!("the selector refuses what container_definition wrote: {task}"));
    assert_eq!(
        selected["changed"].as_str(),
        Some("false"),
        "registered as written, it compares changed: {}\n{task}",
        selected["differences"]
    );
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = case(&mut Unstructured::new(data));
});
