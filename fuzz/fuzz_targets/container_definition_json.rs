//! `container_definition` on structure-aware JSON: the containers of a valid task definition,
//! mutated, with live images, followers, and environment variables and Docker labels that follow
//! the service (`live_environment`, `live_docker_labels`, their live values). The process contract
//! holds; a key reported "live" carries the live value; what it writes is valid input again that
//! it writes back unchanged.

#![no_main]

use ecs_drift_fuzz::{definition, mutate, query, run_program, small_value};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const MODES: &[&str] = &["bridge", "awsvpc", "host", "none", "", "vpc"];

/// Names and keys to follow: valid ones, one that may be a secret, and malformed ones.
const KEYS: &[&str] = &[
    "DD_VERSION",
    "GIT_SHA",
    "com.datadoghq.tags.version",
    "SECRET",
    "1ST",
    "A B",
    "",
    ".x",
];

/// `{container: [key, ...]}` and `{container: {key: value}}` for `names` and a stray container.
fn followed(names: &[String], input: &mut Unstructured) -> Result<(Value, Value)> {
    let mut named = serde_json::Map::new();
    let mut values = serde_json::Map::new();
    for name in names.iter().map(String::as_str).chain(["ghost"]) {
        if !input.arbitrary()? {
            continue;
        }
        let mut keys = Vec::new();
        let mut live = serde_json::Map::new();
        for _ in 0..input.int_in_range(0..=3)? {
            let key = *input.choose(KEYS)?;
            keys.push(key);
            if input.arbitrary()? {
                live.insert(key.to_string(), json!(format!("{key}-live")));
            }
        }
        named.insert(name.to_string(), json!(keys));
        values.insert(name.to_string(), Value::Object(live));
    }
    Ok((Value::Object(named), Value::Object(values)))
}

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
    let (environment, environment_values) = followed(&names, input)?;
    let (labels, label_values) = followed(&names, input)?;
    pairs.extend([
        ("live_environment", environment.to_string()),
        ("live_environment_values", environment_values.to_string()),
        ("live_docker_labels", labels.to_string()),
        ("live_docker_label_values", label_values.to_string()),
    ]);
    let Some(result) = run_program(
        &container_definition::PROGRAM,
        &query(&pairs),
        container_definition::run,
    ) else {
        return Ok(());
    };
    // A key that followed the service carries the live value.
    let written: Value =
        serde_json::from_str(result["container_definitions"].as_str().unwrap_or_default())
            .expect("JSON");
    for (sources_key, values, field) in [
        ("environment_sources", &environment_values, "environment"),
        ("docker_label_sources", &label_values, "dockerLabels"),
    ] {
        let sources: Value =
            serde_json::from_str(result[sources_key].as_str().unwrap_or_default()).expect("JSON");
        for (container, keys) in sources.as_object().into_iter().flatten() {
            let definition = written
                .as_array()
                .into_iter()
                .flatten()
                .find(|definition| definition["name"] == *container)
                .expect("a reported container is written");
            for (key, source) in keys.as_object().into_iter().flatten() {
                if source != "live" {
                    continue;
                }
                let value = match field {
                    "environment" => definition[field]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|entry| entry["name"] == *key)
                        .map(|entry| entry["value"].clone()),
                    _ => definition[field].get(key).cloned(),
                };
                assert_eq!(value.as_ref(), Some(&values[container][key]), "{key}");
            }
        }
    }
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
