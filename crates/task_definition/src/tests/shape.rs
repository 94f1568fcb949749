//! The container definitions' shape: the network mode, the list, unknown keys, wrong JSON types.

use super::*;

// -- network mode --

#[test]
fn network_mode_parses_displays_and_defaults_to_bridge() {
    for mode in NetworkMode::ALL {
        assert_eq!(mode.to_string().parse::<NetworkMode>(), Ok(mode));
    }
    assert_eq!(NetworkMode::default(), NetworkMode::Bridge);
    assert_eq!(
        "vpc"
            .parse::<NetworkMode>()
            .map_err(|error| error.to_string()),
        Err("network_mode must be one of bridge, host, awsvpc, none, got \"vpc\"".to_string())
    );
}

// -- shape: the list itself --

#[test]
fn container_definitions_must_be_a_non_empty_array_of_objects() {
    assert_eq!(
        error(json!({"name": "app"})),
        "container_definitions must be an array of container definitions, got an object"
    );
    assert_eq!(
        error(json!([])),
        "container_definitions must have at least one container definition"
    );
    assert_eq!(
        error(json!(["app"])),
        "container_definitions[0] must be an object, got a string \"app\""
    );
}

// -- unknown keys --

#[test]
fn unknown_container_key_suggests_the_nearest_field() {
    assert_eq!(
        app_error(json!({"enviroment": []})),
        "container_definitions[0].enviroment is not a container definition field; did you mean environment?"
    );
    assert_eq!(
        app_error(json!({"Essential": false})),
        "container_definitions[0].Essential is not a container definition field; did you mean essential?"
    );
}

#[test]
fn unknown_keys_are_found_at_any_depth() {
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 80}, {"containerport": 81}]})),
        "container_definitions[0].portMappings[1].containerport is not a port mapping field; did you mean containerPort?"
    );
    assert_eq!(
        app_error(json!({"linuxParameters": {"capabilities": {"ad": ["SYS_PTRACE"]}}})),
        "container_definitions[0].linuxParameters.capabilities.ad is not a capabilities field; did you mean add?"
    );
    assert_eq!(
        app_error(json!({"healthCheck": {"command": ["CMD", "true"], "intervall": 10}})),
        "container_definitions[0].healthCheck.intervall is not a healthCheck field; did you mean interval?"
    );
    assert_eq!(
        app_error(json!({"logConfiguration": {"logDriver": "awslogs", "option": {}}})),
        "container_definitions[0].logConfiguration.option is not a logConfiguration field; did you mean options?"
    );
}

#[test]
fn odd_keys_are_quoted_in_paths() {
    assert_eq!(
        app_error(json!({"bad\nkey": 1})),
        "container_definitions[0][\"bad\\nkey\"] is not a container definition field; the fields are name, image, repositoryCredentials, cpu, memory, memoryReservation, links, portMappings, essential, restartPolicy, entryPoint, command, environment, environmentFiles, mountPoints, volumesFrom, linuxParameters, secrets, dependsOn, startTimeout, stopTimeout, versionConsistency, hostname, user, workingDirectory, disableNetworking, privileged, readonlyRootFilesystem, dnsServers, dnsSearchDomains, extraHosts, dockerSecurityOptions, interactive, pseudoTerminal, dockerLabels, ulimits, logConfiguration, healthCheck, systemControls, resourceRequirements, firelensConfiguration, credentialSpecs"
    );
    assert_eq!(
        app_error(json!({"dockerLabels": {"com.example.team": 1}})),
        "container_definitions[0].dockerLabels[\"com.example.team\"] must be a string, got a number 1"
    );
}

#[test]
fn unknown_key_without_a_near_match_lists_the_fields() {
    assert_eq!(
        app_error(json!({"restartPolicy": {"enabled": true, "zzz": 1}})),
        "container_definitions[0].restartPolicy.zzz is not a restart policy field; the fields are enabled, ignoredExitCodes, restartAttemptPeriod"
    );
}

// -- wrong JSON types --

#[test]
fn wrong_types_name_the_path_and_the_expected_type() {
    assert_eq!(
        app_error(json!({"cpu": "256"})),
        "container_definitions[0].cpu must be an integer, got a string \"256\""
    );
    assert_eq!(
        app_error(json!({"essential": "true"})),
        "container_definitions[0].essential must be a boolean (true or false), got a string \"true\""
    );
    assert_eq!(
        app_error(json!({"command": "nginx -g daemon off;"})),
        "container_definitions[0].command must be an array, got a string \"nginx -g daemon off;\""
    );
    assert_eq!(
        app_error(json!({"command": ["sleep", 5]})),
        "container_definitions[0].command[1] must be a string, got a number 5"
    );
    assert_eq!(
        app_error(json!({"dockerLabels": {"team": 7}})),
        "container_definitions[0].dockerLabels.team must be a string, got a number 7"
    );
    assert_eq!(
        app_error(json!({"memory": 1.5})),
        "container_definitions[0].memory must be an integer, got a number 1.5"
    );
    assert_eq!(
        app_error(json!({"healthCheck": ["CMD", "true"]})),
        "container_definitions[0].healthCheck must be an object, got an array"
    );
}

#[test]
fn json_text_where_json_is_expected_says_to_decode_it() {
    assert_eq!(
        error(json!("[{\"name\": \"app\", \"image\": \"nginx\"}]")),
        "container_definitions must be an array of container definitions, got a string of JSON text (decode it with jsondecode() first)"
    );
    assert_eq!(
        task_error(task(
            json!({"containerDefinitions": "[{\"name\": \"app\"}]"})
        )),
        "desired_task_definition.containerDefinitions must be an array, got a string of JSON text (decode it with jsondecode() first)"
    );
    assert_eq!(
        app_error(json!({"healthCheck": "{\"command\": [\"CMD\", \"true\"]}"})),
        "container_definitions[0].healthCheck must be an object, got a string of JSON text (decode it with jsondecode() first)"
    );
    assert_eq!(
        app_error(json!({"command": "[unbalanced"})),
        "container_definitions[0].command must be an array, got a string \"[unbalanced\""
    );
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = "x".repeat(100);
    assert_eq!(
        app_error(json!({"cpu": long})),
        format!(
            "container_definitions[0].cpu must be an integer, got a string \"{}…",
            "x".repeat(79)
        )
    );
}

#[test]
fn nulls_mean_absent() {
    let containers = parsed(
        json!([app(
            json!({"cpu": null, "environment": null, "healthCheck": null})
        )]),
        NetworkMode::Bridge,
    );
    assert_eq!(
        Value::Object(containers[0].clone()),
        json!({"name": "app", "image": "nginx:1.27"})
    );
}

#[test]
fn whole_number_floats_are_integers() {
    let containers = parsed(json!([app(json!({"memory": 512.0}))]), NetworkMode::Bridge);
    assert_eq!(containers[0].get("memory"), Some(&json!(512)));
}
