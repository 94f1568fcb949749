//! `container_definition` on structure-aware JSON: the containers of a valid task definition,
//! mutated, with live images and followers. The process contract holds, and what it writes is
//! valid input again that it writes back unchanged.

#![no_main]

use ecs_drift_fuzz::{definition, mutate, query, run_program, small_value};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const MODES: &[&str] = &["bridge", "awsvpc", "host", "none", "", "vpc"];

fn case(input: &mut Unstructured) -> Result<()> {
    let task = definition(input)?;
    let mut containers = task
        .get("containerDefinitions")
        .cloned()
        .unwrap_or(Value::Null);
    mutate(&mut containers, input)?;
    let names: Vec<String> = containers
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|c| c.get("name")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut live_images = serde_json::Map::new();
    for name in &names {
        if input.arbitrary()? {
            live_images.insert(name.clone(), json!(format!("{name}:live")));
        }
    }
    if input.arbitrary()? {
        live_images.insert("ghost".into(), small_value(input)?);
    }
    let mode = input.choose(MODES)?.to_string();
    let mut pairs = vec![
        ("container_definitions", containers.to_string()),
        ("live_images", Value::Object(live_images).to_string()),
        ("network_mode", mode.clone()),
        (
            "force_bootstrap_image",
            input.choose(&["true", "false", "", "yes"])?.to_string(),
        ),
    ];
    if input.arbitrary()? {
        let followers: Vec<&String> = names
            .iter()
            .filter(|_| input.arbitrary().unwrap_or(false))
            .collect();
        pairs.push(("live_image_containers", json!(followers).to_string()));
    }
    let Some(result) = run_program(
        &container_definition::PROGRAM,
        &query(&pairs),
        container_definition::run,
    ) else {
        return Ok(());
    };
    // The register form is input again, and written back as it is.
    let written = result["container_definitions"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let again = query(&[
        ("container_definitions", written.clone()),
        ("network_mode", mode),
    ]);
    let result = run_program(
        &container_definition::PROGRAM,
        &again,
        container_definition::run,
    )
    .expect("the register form is valid input");
    assert_eq!(
        result["container_definitions"].as_str(),
        Some(written.as_str())
    );
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = case(&mut Unstructured::new(data));
});
