//! Unit tests, a file per subject: every validation rule with its exact message, the register
//! form, the comparison's coverage of the schema, and the crate's floors. The helpers they share
//! are here.

use serde_json::{Value, json};

use crate::{
    Error, Map, NetworkMode, parse_container_definitions, parse_live_task_definition,
    parse_task_definition, register_form,
};

const ROOT: &str = "container_definitions";

/// `{"name": "app", "image": "nginx:1.27"}` with `extra` merged in.
fn app(extra: Value) -> Value {
    let mut container = json!({"name": "app", "image": "nginx:1.27"});
    if let (Some(container), Value::Object(extra)) = (container.as_object_mut(), extra) {
        container.extend(extra);
    }
    container
}

fn error_in(containers: Value, network_mode: NetworkMode) -> String {
    match parse_container_definitions(containers.clone(), ROOT, network_mode) {
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
        Err(error) => error.to_string(),
    }
}

fn error(containers: Value) -> String {
    error_in(containers, NetworkMode::Bridge)
}

/// The error for one container `app` with `extra` fields.
fn app_error(extra: Value) -> String {
    error(json!([app(extra)]))
}

fn parsed(containers: Value, network_mode: NetworkMode) -> Vec<Map> {
    match parse_container_definitions(containers.clone(), ROOT, network_mode) {
        Ok(parsed) => parsed,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

fn task_error(task: Value) -> String {
    match parse_task_definition(task.clone(), "desired_task_definition") {
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
        Err(error) => error.to_string(),
    }
}

/// A valid EC2 task with one container `app`, with `extra` task-level fields merged in.
fn task(extra: Value) -> Value {
    let mut task = json!({"family": "web", "containerDefinitions": [app(json!({}))]});
    if let (Some(task), Value::Object(extra)) = (task.as_object_mut(), extra) {
        task.extend(extra);
    }
    task
}

fn object(value: Value) -> Map {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

mod container_fields;
mod every_field;
mod floors;
mod forms;
mod list_classes;
mod live;
mod register_form;
mod registration;
mod shape;
mod task_fields;
