//! Unit tests: every validation rule with its exact message, and the register form.

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
    match parse_container_definitions(&containers, ROOT, network_mode) {
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
    match parse_container_definitions(&containers, ROOT, network_mode) {
        Ok(parsed) => parsed,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

fn task_error(task: Value) -> String {
    match parse_task_definition(&task, "desired_task_definition") {
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

// ---- network mode ----

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

// ---- shape: the list itself ----

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

// ---- unknown keys ----

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

// ---- wrong JSON types ----

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

// ---- name and image ----

#[test]
fn container_name_is_required_valid_and_unique() {
    assert_eq!(
        error(json!([{"image": "nginx"}])),
        "container_definitions[0].name is required"
    );
    assert_eq!(
        error(json!([{"name": "", "image": "nginx"}])),
        "container_definitions[0].name must not be empty"
    );
    assert_eq!(
        error(json!([{"name": "my app", "image": "nginx"}])),
        "container_definitions[0].name must be 1-255 letters, digits, hyphens or underscores, got \"my app\""
    );
    let long = "a".repeat(256);
    assert_eq!(
        error(json!([{"name": long, "image": "nginx"}])),
        format!(
            "container_definitions[0].name must be 1-255 letters, digits, hyphens or underscores, got \"{long}\""
        )
    );
    assert_eq!(
        error(json!([app(json!({})), app(json!({}))])),
        "container_definitions[1].name \"app\" is already the name of container_definitions[0]; container names must be unique"
    );
}

#[test]
fn image_is_required_and_not_empty() {
    assert_eq!(
        error(json!([{"name": "app"}])),
        "container_definitions[0].image is required"
    );
    assert_eq!(
        app_error(json!({"image": ""})),
        "container_definitions[0].image must not be empty"
    );
}

// ---- cpu and memory ----

#[test]
fn cpu_and_memory_limits() {
    assert_eq!(
        app_error(json!({"cpu": -1})),
        "container_definitions[0].cpu must be 0 or more, got -1"
    );
    assert_eq!(
        app_error(json!({"memory": 0})),
        "container_definitions[0].memory must be a positive number of MiB, got 0"
    );
    assert_eq!(
        app_error(json!({"memoryReservation": -5})),
        "container_definitions[0].memoryReservation must be a positive number of MiB, got -5"
    );
    assert_eq!(
        app_error(json!({"memory": 256, "memoryReservation": 512})),
        "container_definitions[0].memoryReservation must be at most memory (256), got 512"
    );
    parsed(
        json!([app(
            json!({"cpu": 0, "memory": 512, "memoryReservation": 512})
        )]),
        NetworkMode::Bridge,
    );
}

// ---- port mappings ----

#[test]
fn ports_must_be_in_range() {
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 80}, {"containerPort": 0}]})),
        "container_definitions[0].portMappings[1].containerPort must be 1..65535, got 0"
    );
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 65536}]})),
        "container_definitions[0].portMappings[0].containerPort must be 1..65535, got 65536"
    );
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 80, "hostPort": 70000}]})),
        "container_definitions[0].portMappings[0].hostPort must be 0..65535, got 70000"
    );
    assert_eq!(
        app_error(json!({"portMappings": [{"protocol": "tcp"}]})),
        "container_definitions[0].portMappings[0].containerPort is required (or containerPortRange)"
    );
    parsed(
        json!([app(
            json!({"portMappings": [{"containerPortRange": "8000-8010"}]})
        )]),
        NetworkMode::Bridge,
    );
}

#[test]
fn host_port_rules_follow_the_network_mode() {
    let mapping = json!([app(
        json!({"portMappings": [{"containerPort": 80, "hostPort": 8080}]})
    )]);
    assert_eq!(
        error_in(mapping.clone(), NetworkMode::Awsvpc),
        "container_definitions[0].portMappings[0].hostPort must be absent or equal to containerPort (80) in awsvpc network mode, got 8080"
    );
    assert_eq!(
        error_in(mapping.clone(), NetworkMode::Host),
        "container_definitions[0].portMappings[0].hostPort must be absent or equal to containerPort (80) in host network mode, got 8080"
    );
    parsed(mapping, NetworkMode::Bridge);
    parsed(
        json!([app(
            json!({"portMappings": [{"containerPort": 80, "hostPort": 80}]})
        )]),
        NetworkMode::Awsvpc,
    );
    assert_eq!(
        error_in(
            json!([app(json!({"portMappings": [{"containerPort": 80}]}))]),
            NetworkMode::None
        ),
        "container_definitions[0].portMappings must be empty in none network mode"
    );
}

#[test]
fn protocol_and_app_protocol_values() {
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 80, "protocol": "http"}]})),
        "container_definitions[0].portMappings[0].protocol must be one of tcp, udp, got \"http\""
    );
    assert_eq!(
        app_error(json!({"portMappings": [{"containerPort": 80, "appProtocol": "tcp"}]})),
        "container_definitions[0].portMappings[0].appProtocol must be one of http, http2, grpc, got \"tcp\""
    );
}

// ---- environment and secrets ----

#[test]
fn environment_and_secrets_objects_become_lists() {
    let containers = parsed(
        json!([app(json!({
            "environment": {"LOG_LEVEL": "info", "A": "1"},
            "secrets": {"DB_PASSWORD": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}
        }))]),
        NetworkMode::Bridge,
    );
    assert_eq!(
        containers[0].get("environment"),
        Some(&json!([{"name": "A", "value": "1"}, {"name": "LOG_LEVEL", "value": "info"}]))
    );
    assert_eq!(
        containers[0].get("secrets"),
        Some(
            &json!([{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}])
        )
    );
}

#[test]
fn environment_values_must_be_strings() {
    assert_eq!(
        app_error(json!({"environment": {"PORT": 8080}})),
        "container_definitions[0].environment.PORT must be a string (environment values are strings: quote numbers and booleans), got a number"
    );
    assert_eq!(
        app_error(json!({"environment": [{"name": "PORT", "value": 8080}]})),
        "container_definitions[0].environment[0].value must be a string, got a number"
    );
    assert_eq!(
        app_error(json!({"secrets": {"DB": 1}})),
        "container_definitions[0].secrets.DB must be a string (the ARN of the secret), got a number 1"
    );
}

#[test]
fn variable_names_are_required_and_unique() {
    assert_eq!(
        app_error(json!({"environment": [{"name": "", "value": "x"}]})),
        "container_definitions[0].environment[0].name must not be empty"
    );
    assert_eq!(
        app_error(json!({"environment": [{"value": "x"}]})),
        "container_definitions[0].environment[0].name is required"
    );
    assert_eq!(
        app_error(
            json!({"environment": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]})
        ),
        "container_definitions[0].environment[1].name \"A\" is already set by environment[0]; a variable must be set once, in environment or in secrets"
    );
    assert_eq!(
        app_error(json!({"secrets": [
            {"name": "S", "valueFrom": "arn:1"}, {"name": "S", "valueFrom": "arn:2"}
        ]})),
        "container_definitions[0].secrets[1].name \"S\" is already set by secrets[0]; a variable must be set once, in environment or in secrets"
    );
    assert_eq!(
        app_error(json!({"environment": {"DB": "x"}, "secrets": {"DB": "arn:1"}})),
        "container_definitions[0].secrets[0].name \"DB\" is already set by environment[0]; a variable must be set once, in environment or in secrets"
    );
}

#[test]
fn secrets_need_value_from() {
    assert_eq!(
        app_error(json!({"secrets": [{"name": "S"}]})),
        "container_definitions[0].secrets[0].valueFrom is required (the ARN of a Secrets Manager secret or a Systems Manager parameter)"
    );
    assert_eq!(
        app_error(json!({"secrets": {"S": ""}})),
        "container_definitions[0].secrets[0].valueFrom is required (the ARN of a Secrets Manager secret or a Systems Manager parameter)"
    );
}

#[test]
fn environment_files_are_s3() {
    assert_eq!(
        app_error(json!({"environmentFiles": [{"value": "arn:aws:s3:::b/k.env", "type": "http"}]})),
        "container_definitions[0].environmentFiles[0].type must be one of s3, got \"http\""
    );
    assert_eq!(
        app_error(json!({"environmentFiles": [{"value": "arn:aws:s3:::b/k.env"}]})),
        "container_definitions[0].environmentFiles[0].type is required"
    );
}

// ---- dependencies between containers ----

#[test]
fn depends_on_names_another_container_with_a_known_condition() {
    let db = json!({"name": "db", "image": "postgres", "essential": false});
    assert_eq!(
        error(json!([
            app(json!({"dependsOn": [{"containerName": "cache", "condition": "START"}]})),
            db
        ])),
        "container_definitions[0].dependsOn[0].containerName \"cache\" is not a container of this task (the containers are app, db)"
    );
    assert_eq!(
        app_error(json!({"dependsOn": [{"containerName": "app", "condition": "START"}]})),
        "container_definitions[0].dependsOn[0].containerName \"app\" is this container itself; name another container"
    );
    assert_eq!(
        error(json!([
            app(json!({"dependsOn": [{"containerName": "db", "condition": "RUNNING"}]})),
            db
        ])),
        "container_definitions[0].dependsOn[0].condition must be one of START, COMPLETE, SUCCESS, HEALTHY, got \"RUNNING\""
    );
    assert_eq!(
        error(json!([
            app(json!({"dependsOn": [{"containerName": "db"}]})),
            db
        ])),
        "container_definitions[0].dependsOn[0].condition is required (START, COMPLETE, SUCCESS or HEALTHY)"
    );
    assert_eq!(
        error(json!([
            app(json!({"dependsOn": [{"containerName": "db", "condition": "HEALTHY"}]})),
            db
        ])),
        "container_definitions[0].dependsOn[0].condition HEALTHY needs container db to have a healthCheck"
    );
    let healthy_db = json!({"name": "db", "image": "postgres",
        "healthCheck": {"command": ["CMD", "pg_isready"]}});
    parsed(
        json!([
            app(json!({"dependsOn": [{"containerName": "db", "condition": "HEALTHY"}]})),
            healthy_db
        ]),
        NetworkMode::Bridge,
    );
}

#[test]
fn volumes_from_names_another_container() {
    assert_eq!(
        app_error(json!({"volumesFrom": [{"sourceContainer": "data"}]})),
        "container_definitions[0].volumesFrom[0].sourceContainer \"data\" is not a container of this task (the containers are app)"
    );
}

#[test]
fn at_least_one_container_is_essential() {
    assert_eq!(
        error(json!([app(json!({"essential": false}))])),
        "container_definitions has no essential container; at least one container must have essential true (the default)"
    );
}

// ---- logging, health check, ulimits, restart policy ----

#[test]
fn log_driver_is_required_and_known() {
    assert_eq!(
        app_error(json!({"logConfiguration": {"logDriver": "cloudwatch"}})),
        "container_definitions[0].logConfiguration.logDriver must be one of awslogs, fluentd, gelf, json-file, journald, logentries, splunk, syslog, awsfirelens, got \"cloudwatch\""
    );
    assert_eq!(
        app_error(json!({"logConfiguration": {"options": {"awslogs-group": "g"}}})),
        "container_definitions[0].logConfiguration.logDriver is required (awslogs, fluentd, gelf, json-file, journald, logentries, splunk, syslog, awsfirelens)"
    );
    assert_eq!(
        app_error(
            json!({"logConfiguration": {"logDriver": "splunk", "secretOptions": [{"name": "splunk-token"}]}})
        ),
        "container_definitions[0].logConfiguration.secretOptions[0].valueFrom is required"
    );
}

#[test]
fn health_check_command_and_ranges() {
    let check = |extra: Value| {
        let mut check = json!({"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]});
        if let (Some(check), Value::Object(extra)) = (check.as_object_mut(), extra) {
            check.extend(extra);
        }
        app_error(json!({"healthCheck": check}))
    };
    assert_eq!(
        app_error(json!({"healthCheck": {"command": []}})),
        "container_definitions[0].healthCheck.command is required and must not be empty, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"
    );
    assert_eq!(
        app_error(json!({"healthCheck": {"interval": 10}})),
        "container_definitions[0].healthCheck.command is required and must not be empty, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"
    );
    assert_eq!(
        app_error(json!({"healthCheck": {"command": ["curl", "localhost"]}})),
        "container_definitions[0].healthCheck.command[0] must be one of CMD, CMD-SHELL, NONE, got \"curl\""
    );
    assert_eq!(
        check(json!({"interval": 4})),
        "container_definitions[0].healthCheck.interval must be 5..300, got 4"
    );
    assert_eq!(
        check(json!({"timeout": 61})),
        "container_definitions[0].healthCheck.timeout must be 2..60, got 61"
    );
    assert_eq!(
        check(json!({"retries": 0})),
        "container_definitions[0].healthCheck.retries must be 1..10, got 0"
    );
    assert_eq!(
        check(json!({"startPeriod": 301})),
        "container_definitions[0].healthCheck.startPeriod must be 0..300, got 301"
    );
}

#[test]
fn ulimits_names_and_limits() {
    assert_eq!(
        app_error(json!({"ulimits": [{"name": "files", "softLimit": 1, "hardLimit": 2}]})),
        "container_definitions[0].ulimits[0].name must be one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, got \"files\""
    );
    assert_eq!(
        app_error(json!({"ulimits": [{"name": "nofile", "softLimit": 4096, "hardLimit": 1024}]})),
        "container_definitions[0].ulimits[0].softLimit must be at most hardLimit (1024), got 4096"
    );
    assert_eq!(
        app_error(json!({"ulimits": [{"name": "nofile", "softLimit": 4096}]})),
        "container_definitions[0].ulimits[0].hardLimit is required"
    );
    assert_eq!(
        app_error(json!({"ulimits": [{"name": "nofile", "softLimit": 1, "hardlimit": 1}]})),
        "container_definitions[0].ulimits[0].hardlimit is not a ulimit field; did you mean hardLimit?"
    );
    assert_eq!(
        app_error(json!({"extraHosts": [{"hostname": "db", "ip": "10.0.0.1"}]})),
        "container_definitions[0].extraHosts[0].ip is not an extraHosts entry field; the fields are hostname, ipAddress"
    );
    assert_eq!(
        app_error(json!({"ulimits": [{"softLimit": 1, "hardLimit": 1}]})),
        "container_definitions[0].ulimits[0].name is required"
    );
}

#[test]
fn smaller_objects_need_their_required_members() {
    assert_eq!(
        app_error(json!({"repositoryCredentials": {}})),
        "container_definitions[0].repositoryCredentials.credentialsParameter is required"
    );
    assert_eq!(
        app_error(json!({"linuxParameters": {"devices": [{"containerPath": "/dev/x"}]}})),
        "container_definitions[0].linuxParameters.devices[0].hostPath is required"
    );
    assert_eq!(
        app_error(
            json!({"linuxParameters": {"devices": [{"hostPath": "/dev/x", "permissions": ["read", "execute"]}]}})
        ),
        "container_definitions[0].linuxParameters.devices[0].permissions[1] must be one of read, write, mknod, got \"execute\""
    );
    assert_eq!(
        app_error(json!({"linuxParameters": {"tmpfs": [{"containerPath": "/tmp"}]}})),
        "container_definitions[0].linuxParameters.tmpfs[0].size is required (MiB)"
    );
    assert_eq!(
        app_error(json!({"linuxParameters": {"tmpfs": [{"containerPath": "/tmp", "size": 0}]}})),
        "container_definitions[0].linuxParameters.tmpfs[0].size must be a positive number of MiB, got 0"
    );
    assert_eq!(
        app_error(json!({"extraHosts": [{"hostname": "db"}]})),
        "container_definitions[0].extraHosts[0].ipAddress is required"
    );
    assert_eq!(
        app_error(json!({"resourceRequirements": [{"value": "1", "type": "CPU"}]})),
        "container_definitions[0].resourceRequirements[0].type must be one of GPU, InferenceAccelerator, got \"CPU\""
    );
    assert_eq!(
        app_error(json!({"resourceRequirements": [{"value": "1"}]})),
        "container_definitions[0].resourceRequirements[0].type is required (GPU or InferenceAccelerator)"
    );
    assert_eq!(
        app_error(json!({"firelensConfiguration": {"type": "vector"}})),
        "container_definitions[0].firelensConfiguration.type must be one of fluentd, fluentbit, got \"vector\""
    );
    assert_eq!(
        app_error(json!({"firelensConfiguration": {"options": {}}})),
        "container_definitions[0].firelensConfiguration.type is required (fluentd or fluentbit)"
    );
    assert_eq!(
        task_error(task(
            json!({"inferenceAccelerators": [{"deviceName": "device_1"}]})
        )),
        "desired_task_definition.inferenceAccelerators[0].deviceType is required"
    );
}

#[test]
fn version_consistency_values() {
    assert_eq!(
        app_error(json!({"versionConsistency": "ENABLED"})),
        "container_definitions[0].versionConsistency must be one of enabled, disabled, got \"ENABLED\""
    );
}

#[test]
fn restart_policy_needs_enabled() {
    assert_eq!(
        app_error(json!({"restartPolicy": {"ignoredExitCodes": [0]}})),
        "container_definitions[0].restartPolicy.enabled is required (true or false)"
    );
}

// ---- task level ----

#[test]
fn a_valid_task_parses_with_env_objects_as_lists() {
    let value = task(json!({
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "1 vCPU",
        "memory": "2 GB",
        "taskRoleArn": "",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecs-execution",
        "containerDefinitions": [app(json!({"environment": {"A": "1"}}))]
    }));
    match parse_task_definition(&value, "desired_task_definition") {
        Ok(parsed) => assert_eq!(
            parsed["containerDefinitions"][0]["environment"],
            json!([{"name": "A", "value": "1"}])
        ),
        Err(error) => panic!("unexpected error: {error}"),
    }
}

#[test]
fn task_shape_errors() {
    assert_eq!(
        task_error(json!([])),
        "desired_task_definition must be an object, got an array"
    );
    assert_eq!(
        task_error(json!({"family": "web"})),
        "desired_task_definition.containerDefinitions is required"
    );
    assert_eq!(
        task_error(task(
            json!({"taskRole": "arn:aws:iam::123456789012:role/x"})
        )),
        "desired_task_definition.taskRole is not a task definition field; did you mean taskRoleArn?"
    );
    assert_eq!(
        task_error(task(json!({"revision": 3}))),
        "desired_task_definition.revision is read-only (DescribeTaskDefinition returns it, RegisterTaskDefinition does not take it); leave it out"
    );
    assert_eq!(
        task_error(task(json!({"tags": []}))),
        "desired_task_definition.tags are not part of a task definition revision; set them on the aws_ecs_task_definition resource"
    );
    assert_eq!(
        task_error(task(
            json!({"volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemID": "fs-1"}}]})
        )),
        "desired_task_definition.volumes[0].efsVolumeConfiguration.fileSystemID is not an efsVolumeConfiguration field; did you mean fileSystemId?"
    );
    assert_eq!(
        task_error(task(
            json!({"containerDefinitions": [app(json!({"cpu": "256"}))]})
        )),
        "desired_task_definition.containerDefinitions[0].cpu must be an integer, got a string \"256\""
    );
}

#[test]
fn family_network_mode_and_roles() {
    assert_eq!(
        task_error(json!({"containerDefinitions": [app(json!({}))]})),
        "desired_task_definition.family is required"
    );
    assert_eq!(
        task_error(task(json!({"family": "web app"}))),
        "desired_task_definition.family must be 1-255 letters, digits, hyphens or underscores, got \"web app\""
    );
    assert_eq!(
        task_error(task(json!({"networkMode": "vpc"}))),
        "desired_task_definition.networkMode must be one of bridge, host, awsvpc, none, got \"vpc\""
    );
    assert_eq!(
        task_error(task(json!({"taskRoleArn": "ecs-task-role"}))),
        "desired_task_definition.taskRoleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/NAME, got \"ecs-task-role\""
    );
    assert_eq!(
        task_error(task(json!({"executionRoleArn": "arn:aws:iam::123:role/x"}))),
        "desired_task_definition.executionRoleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/NAME, got \"arn:aws:iam::123:role/x\""
    );
    for arn in [
        "arn:aws:iam::123456789012:role/app",
        "arn:aws-cn:iam::123456789012:role/path/app",
        "arn:aws-us-gov:iam::123456789012:role/app",
        "",
    ] {
        if let Err(error) = parse_task_definition(&task(json!({"taskRoleArn": arn})), "t") {
            panic!("{arn}: {error}");
        }
    }
}

#[test]
fn compatibilities_cpu_and_memory() {
    assert_eq!(
        task_error(task(json!({"requiresCompatibilities": ["LAMBDA"]}))),
        "desired_task_definition.requiresCompatibilities[0] must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES, got \"LAMBDA\""
    );
    assert_eq!(
        task_error(task(json!({"cpu": "fast"}))),
        "desired_task_definition.cpu must be CPU units like \"256\" or vCPUs like \"1 vCPU\", got \"fast\""
    );
    assert_eq!(
        task_error(task(json!({"memory": "1 TB"}))),
        "desired_task_definition.memory must be MiB like \"512\" or GB like \"1 GB\", got \"1 TB\""
    );
    assert_eq!(
        task_error(task(json!({"memory": 0}))),
        "desired_task_definition.memory must be MiB like \"512\" or GB like \"1 GB\", got \"0\""
    );
    assert_eq!(
        task_error(task(json!({"cpu": true}))),
        "desired_task_definition.cpu must be a string or a number (CPU units like \"256\", or \"1 vCPU\"), got a boolean true"
    );
}

#[test]
fn fargate_rules() {
    let fargate = |extra: Value| {
        let mut fields = json!({"requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": "256", "memory": "512"});
        if let (Some(fields), Value::Object(extra)) = (fields.as_object_mut(), extra) {
            fields.extend(extra);
        }
        task(fields)
    };
    assert_eq!(
        task_error(fargate(json!({"networkMode": "bridge"}))),
        "desired_task_definition.networkMode must be awsvpc when requiresCompatibilities has FARGATE, got bridge"
    );
    assert_eq!(
        task_error(fargate(json!({"cpu": null}))),
        "desired_task_definition.cpu is required when requiresCompatibilities has FARGATE"
    );
    assert_eq!(
        task_error(fargate(json!({"memory": null}))),
        "desired_task_definition.memory is required when requiresCompatibilities has FARGATE"
    );
    assert_eq!(
        task_error(fargate(json!({"cpu": "300"}))),
        "desired_task_definition.cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 for FARGATE, got 300"
    );
    assert_eq!(
        task_error(fargate(json!({"memory": "4096"}))),
        "desired_task_definition.memory must be one of 512, 1024, 2048 for FARGATE with cpu 256, got 4096"
    );
    assert_eq!(
        task_error(fargate(json!({"cpu": "0.5 vCPU", "memory": "1.5 GB"}))),
        "desired_task_definition.memory must be 1024..4096 in steps of 1024 for FARGATE with cpu 512, got 1536"
    );
    for (cpu, memory) in [
        ("1 vCPU", "2GB"),
        ("512", "4 GB"),
        ("16 vCPU", "120 GB"),
        ("0.25 vcpu", "512"),
    ] {
        if let Err(error) =
            parse_task_definition(&fargate(json!({"cpu": cpu, "memory": memory})), "t")
        {
            panic!("{cpu}/{memory}: {error}");
        }
    }
}

#[test]
fn pid_ipc_volumes_and_more() {
    assert_eq!(
        task_error(task(json!({"pidMode": "container"}))),
        "desired_task_definition.pidMode must be one of host, task, got \"container\""
    );
    assert_eq!(
        task_error(task(json!({"ipcMode": "shareable"}))),
        "desired_task_definition.ipcMode must be one of host, task, none, got \"shareable\""
    );
    assert_eq!(
        task_error(task(
            json!({"volumes": [{"name": "data"}, {"name": "data"}]})
        )),
        "desired_task_definition.volumes[1].name \"data\" is already the name of desired_task_definition.volumes[0]; volume names must be unique"
    );
    assert_eq!(
        task_error(task(json!({"volumes": [{"host": {"sourcePath": "/x"}}]}))),
        "desired_task_definition.volumes[0].name is required"
    );
    assert_eq!(
        task_error(task(
            json!({"volumes": [{"name": "d", "dockerVolumeConfiguration": {"scope": "global"}}]})
        )),
        "desired_task_definition.volumes[0].dockerVolumeConfiguration.scope must be one of task, shared, got \"global\""
    );
    assert_eq!(
        task_error(task(
            json!({"volumes": [{"name": "d", "efsVolumeConfiguration": {"rootDirectory": "/"}}]})
        )),
        "desired_task_definition.volumes[0].efsVolumeConfiguration.fileSystemId is required"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": [app(json!({
            "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]
        }))]}))),
        "desired_task_definition.containerDefinitions[0].mountPoints[0].sourceVolume \"data\" is not a volume of this task (the task has no volumes)"
    );
    assert_eq!(
        task_error(task(
            json!({"volumes": [{"name": "logs"}], "containerDefinitions": [app(json!({
                "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]
            }))]})
        )),
        "desired_task_definition.containerDefinitions[0].mountPoints[0].sourceVolume \"data\" is not a volume of this task (the volumes are logs)"
    );
    assert_eq!(
        task_error(task(
            json!({"placementConstraints": [{"type": "distinctInstance"}]})
        )),
        "desired_task_definition.placementConstraints[0].type must be one of memberOf, got \"distinctInstance\""
    );
    assert_eq!(
        task_error(task(json!({"ephemeralStorage": {"sizeInGiB": 20}}))),
        "desired_task_definition.ephemeralStorage.sizeInGiB must be 21..200, got 20"
    );
    assert_eq!(
        task_error(task(
            json!({"runtimePlatform": {"cpuArchitecture": "arm64"}})
        )),
        "desired_task_definition.runtimePlatform.cpuArchitecture must be one of X86_64, ARM64, got \"arm64\""
    );
    assert_eq!(
        task_error(task(
            json!({"proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"}})
        )),
        "desired_task_definition.proxyConfiguration.containerName \"envoy\" is not a container of this task (the containers are app)"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": [
            app(json!({"portMappings": [{"containerPort": 80, "hostPort": 81}]}))
        ], "networkMode": "awsvpc"}))),
        "desired_task_definition.containerDefinitions[0].portMappings[0].hostPort must be absent or equal to containerPort (80) in awsvpc network mode, got 81"
    );
}

// ---- live task definitions ----

/// Found by the selector_json fuzz target: a volume name with control characters was listed as
/// it was in the message of a mount point that named another volume, breaking the line.
#[test]
fn names_in_messages_stay_on_one_line() {
    assert_eq!(
        task_error(task(json!({"volumes": [{"name": "da\nta"}]}))),
        "desired_task_definition.volumes[0].name must be 1-255 letters, digits, hyphens or underscores, got \"da\\nta\""
    );
    // The proxy's container is checked before the containers' names are.
    let odd = json!({"family": "web", "containerDefinitions": [app(json!({})), {"name": "si\nde", "image": "x"}],
        "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"}});
    assert_eq!(
        task_error(odd),
        "desired_task_definition.proxyConfiguration.containerName \"envoy\" is not a container of this task (the containers are app, \"si\\nde\")"
    );
}

#[test]
fn keyed_task_lists_need_their_key_once() {
    let proxy = |properties: Value| {
        task(
            json!({"proxyConfiguration": {"type": "APPMESH", "containerName": "app", "properties": properties}}),
        )
    };
    assert_eq!(
        task_error(proxy(
            json!([{"name": "AppPorts", "value": "80"}, {"value": "1337"}])
        )),
        "desired_task_definition.proxyConfiguration.properties[1].name is required"
    );
    assert_eq!(
        task_error(proxy(
            json!([{"name": "AppPorts", "value": "80"}, {"name": "AppPorts", "value": "81"}])
        )),
        "desired_task_definition.proxyConfiguration.properties[1].name \"AppPorts\" is already the name of desired_task_definition.proxyConfiguration.properties[0]; property names must be unique"
    );
    assert_eq!(
        task_error(task(json!({"inferenceAccelerators": [
            {"deviceName": "device_1", "deviceType": "eia2.medium"},
            {"deviceName": "device_1", "deviceType": "eia2.large"}
        ]}))),
        "desired_task_definition.inferenceAccelerators[1].deviceName \"device_1\" is already the name of desired_task_definition.inferenceAccelerators[0]; device names must be unique"
    );
    assert!(
        parse_task_definition(
            &proxy(json!([{"name": "AppPorts", "value": "80"}, {"name": "IgnoredUID", "value": "1337"}])),
            "desired_task_definition"
        )
        .is_ok()
    );
}

#[test]
fn live_parse_drops_read_only_and_unknown_fields_at_any_depth() {
    let live = json!({"taskDefinition": {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
        "revision": 3, "status": "ACTIVE", "compatibilities": ["EC2"],
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
        "registeredAt": 1700000000.0, "registeredBy": "arn:aws:iam::123456789012:user/ci",
        "family": "web",
        "someFutureField": {"x": 1},
        "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 0,
            "futureContainerField": true,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp", "hostPortRange": "x"}]}]
    }});
    match parse_live_task_definition(&live, "live_task_definition") {
        Ok(parsed) => assert_eq!(
            Value::Object(parsed),
            json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 0,
                "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}]})
        ),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn live_parse_keeps_values_of_unexpected_types() {
    let live = json!({"family": "web", "containerDefinitions": [{"name": "app", "cpu": "0"}]});
    match parse_live_task_definition(&live, "live") {
        Ok(parsed) => assert_eq!(parsed["containerDefinitions"][0]["cpu"], json!("0")),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn live_parse_needs_named_containers() {
    let check = |live: Value, expected: &str| match parse_live_task_definition(&live, "live") {
        Ok(parsed) => panic!("expected an error, got {parsed:?}"),
        Err(error) => assert_eq!(error.to_string(), expected),
    };
    check(json!("web"), "live must be an object, got a string \"web\"");
    check(
        json!({"family": "web"}),
        "live.containerDefinitions is required",
    );
    check(
        json!({"containerDefinitions": {"app": {}}}),
        "live.containerDefinitions must be an array, got an object",
    );
    check(
        json!({"containerDefinitions": [{"image": "x"}]}),
        "live.containerDefinitions[0].name is required",
    );
    check(
        json!({"containerDefinitions": [{"name": "a"}, {"name": "a"}]}),
        "live.containerDefinitions[1].name \"a\" is used by two containers; names must be unique",
    );
}

#[test]
fn errors_report_their_path() {
    let error = Error::invalid("a.b", "must be x");
    assert_eq!(error.path(), "a.b");
    assert_eq!(error.to_string(), "a.b must be x");
}

// ---- owned inputs and key order ----

/// A task written with its keys in the opposite of the schema's order, an unknown live field,
/// and environment entries out of name order.
fn shuffled_task() -> Value {
    json!({
        "containerDefinitions": [{
            "secrets": [{"valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/b", "name": "B"}],
            "environment": [{"value": "2", "name": "Z"}, {"name": "A", "value": "1"}, {"name": "M", "value": ""}],
            "portMappings": [{"protocol": "tcp", "containerPort": 80}],
            "essential": true,
            "image": "nginx:1.27",
            "name": "app"
        }],
        "networkMode": "awsvpc",
        "family": "web"
    })
}

fn text(value: impl serde::Serialize) -> String {
    match serde_json::to_string(&value) {
        Ok(text) => text,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn owned_and_borrowed_inputs_give_the_same_forms_in_the_same_key_order() {
    let task = shuffled_task();
    let (borrowed, owned) = match (
        parse_task_definition(&task, "desired"),
        crate::parse_task_definition_owned(task.clone(), "desired"),
    ) {
        (Ok(borrowed), Ok(owned)) => (borrowed, owned),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&borrowed), text(&owned));
    // Keys come out in the schema's order, not the input's.
    assert!(
        text(&owned).starts_with(r#"{"family":"web","#),
        "{}",
        text(&owned)
    );
    let form = crate::comparison_form(&borrowed);
    assert_eq!(
        text(&form),
        text(crate::into_comparison_form(owned.clone()))
    );
    assert_eq!(
        text(crate::comparison_form(&form)),
        text(&form),
        "comparison form of a comparison form (changed in place) is itself"
    );
    let live = match (
        parse_live_task_definition(&task, "live"),
        crate::parse_live_task_definition_owned(json!({ "taskDefinition": task.clone() }), "live"),
    ) {
        (Ok(borrowed), Ok(owned)) => {
            assert_eq!(text(&borrowed), text(&owned));
            owned
        }
        other => panic!("{other:?}"),
    };
    let containers = match (
        crate::parse_container_definitions(
            &task["containerDefinitions"],
            ROOT,
            NetworkMode::Awsvpc,
        ),
        crate::parse_container_definitions_owned(
            task["containerDefinitions"].clone(),
            ROOT,
            NetworkMode::Awsvpc,
        ),
    ) {
        (Ok(borrowed), Ok(owned)) => {
            assert_eq!(text(&borrowed), text(&owned));
            owned
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text(register_form(&containers, NetworkMode::Awsvpc)),
        text(crate::into_register_form(containers, NetworkMode::Awsvpc))
    );
    let mut changed = live.clone();
    changed.insert("cpu".into(), json!("256"));
    for (desired, live) in [(&owned, &live), (&owned, &changed)] {
        assert_eq!(
            crate::differences(desired, live, true),
            crate::differences_of_comparison_forms(
                &crate::comparison_form(desired),
                &crate::comparison_form(live),
                true
            )
        );
    }
    assert_eq!(crate::differences(&owned, &changed, false).len(), 1);
}

#[test]
fn keyed_lists_sort_the_same_from_any_order() {
    let sorted = object(
        json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "x",
        "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "C", "value": "3"}]}]}),
    );
    let mut reversed = Value::Object(sorted.clone());
    if let Some(Value::Array(environment)) =
        reversed.pointer_mut("/containerDefinitions/0/environment")
    {
        environment.reverse();
    }
    let reversed = object(reversed);
    assert_ne!(text(&sorted), text(&reversed));
    assert_eq!(
        text(crate::comparison_form(&sorted)),
        text(crate::comparison_form(&reversed))
    );
}

// ---- register form ----

fn register(containers: Value, network_mode: NetworkMode) -> Value {
    let containers = parsed(containers, network_mode);
    Value::Array(
        register_form(&containers, network_mode)
            .into_iter()
            .map(Value::Object)
            .collect(),
    )
}

#[test]
fn register_form_fills_ecs_defaults_in_bridge_mode() {
    assert_eq!(
        register(
            json!([app(json!({
                "portMappings": [{"containerPort": 80}, {"containerPortRange": "9000-9010"}],
                "environment": {"B": "2", "A": "1", "EMPTY": ""},
                "secrets": [{"name": "Z", "valueFrom": "arn:z"}, {"name": "Y", "valueFrom": "arn:y"}],
                "healthCheck": {"command": ["CMD", "true"]},
                "linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}}
            }))]),
            NetworkMode::Bridge
        ),
        json!([{
            "name": "app",
            "image": "nginx:1.27",
            "cpu": 0,
            "essential": true,
            "portMappings": [
                {"containerPort": 80, "hostPort": 0, "protocol": "tcp"},
                {"containerPortRange": "9000-9010", "protocol": "tcp"}
            ],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "secrets": [{"name": "Y", "valueFrom": "arn:y"}, {"name": "Z", "valueFrom": "arn:z"}],
            "mountPoints": [],
            "volumesFrom": [],
            "systemControls": [],
            "healthCheck": {"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 3},
            "linuxParameters": {"capabilities": {"add": [], "drop": ["NET_RAW"]}}
        }])
    );
}

#[test]
fn register_form_host_port_follows_the_network_mode() {
    let containers = json!([app(json!({"portMappings": [{"containerPort": 8080}]}))]);
    for (mode, host_port) in [
        (NetworkMode::Awsvpc, json!(8080)),
        (NetworkMode::Host, json!(8080)),
        (NetworkMode::Bridge, json!(0)),
    ] {
        let registered = register(containers.clone(), mode);
        assert_eq!(
            registered[0]["portMappings"][0]["hostPort"], host_port,
            "{mode}"
        );
    }
}

#[test]
fn register_form_keeps_what_was_given() {
    let registered = register(
        json!([
            app(json!({"essential": false, "cpu": 128,
            "portMappings": [{"containerPort": 80, "hostPort": 8080, "protocol": "udp"}],
            "command": ["b", "a"],
            "healthCheck": {"command": ["CMD", "true"], "interval": 10, "retries": 5, "timeout": 3, "startPeriod": 20}})),
            json!({"name": "sidecar", "image": "envoy"})
        ]),
        NetworkMode::Bridge,
    );
    assert_eq!(registered[0]["essential"], json!(false));
    assert_eq!(registered[0]["cpu"], json!(128));
    assert_eq!(
        registered[0]["portMappings"],
        json!([{"containerPort": 80, "hostPort": 8080, "protocol": "udp"}])
    );
    assert_eq!(registered[0]["command"], json!(["b", "a"]));
    assert_eq!(
        registered[0]["healthCheck"],
        json!({"command": ["CMD", "true"], "interval": 10, "retries": 5, "timeout": 3, "startPeriod": 20})
    );
    assert_eq!(
        registered[1]["name"],
        json!("sidecar"),
        "container order is kept"
    );
}

#[test]
fn register_form_adds_only_the_empty_lists_ecs_adds() {
    let registered = register(
        json!([app(
            json!({"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}, "initProcessEnabled": true}})
        )]),
        NetworkMode::Bridge,
    );
    assert_eq!(
        registered[0]["linuxParameters"],
        json!({"capabilities": {"add": ["SYS_PTRACE"]}, "initProcessEnabled": true})
    );
    for absent in [
        "links",
        "secrets",
        "environmentFiles",
        "dependsOn",
        "ulimits",
        "dockerLabels",
    ] {
        assert!(registered[0].get(absent).is_none(), "{absent}");
    }
}

#[test]
fn register_form_is_idempotent() {
    let once = parsed(
        json!([app(
            json!({"portMappings": [{"containerPort": 80}], "environment": {"B": "", "A": "1"},
            "healthCheck": {"command": ["CMD", "true"]}})
        )]),
        NetworkMode::Awsvpc,
    );
    let once = register_form(&once, NetworkMode::Awsvpc);
    let twice = register_form(&once, NetworkMode::Awsvpc);
    assert_eq!(once, twice);
}

#[test]
fn mount_points_need_a_volume_and_a_path() {
    assert_eq!(
        app_error(json!({"mountPoints": [{"containerPath": "/data"}]})),
        "container_definitions[0].mountPoints[0].sourceVolume is required"
    );
    assert_eq!(
        app_error(json!({"mountPoints": [{"sourceVolume": "data"}]})),
        "container_definitions[0].mountPoints[0].containerPath is required"
    );
    // Without the task's volumes (container definitions alone), any volume name is accepted.
    parsed(
        json!([app(
            json!({"mountPoints": [{"sourceVolume": "data", "containerPath": "/d"}]})
        )]),
        NetworkMode::Bridge,
    );
}

#[test]
fn nulls_inside_lists_are_refused() {
    assert_eq!(
        error(json!([app(json!({})), null])),
        "container_definitions[1] must be an object, got null"
    );
    assert_eq!(
        app_error(json!({"environment": [null]})),
        "container_definitions[0].environment[0] must be an object, got null"
    );
    assert_eq!(
        app_error(json!({"environment": {"A": null}})),
        "container_definitions[0].environment.A must be a string (environment values are strings: quote numbers and booleans), got null"
    );
}

#[test]
fn task_level_value_lists() {
    assert_eq!(
        task_error(task(
            json!({"proxyConfiguration": {"type": "ENVOY", "containerName": "app"}})
        )),
        "desired_task_definition.proxyConfiguration.type must be one of APPMESH, got \"ENVOY\""
    );
    assert_eq!(
        task_error(task(json!({"volumes": [{"name": "d",
            "efsVolumeConfiguration": {"fileSystemId": "fs-1", "transitEncryption": "ON"}}]}))),
        "desired_task_definition.volumes[0].efsVolumeConfiguration.transitEncryption must be one of ENABLED, DISABLED, got \"ON\""
    );
    assert_eq!(
        task_error(task(json!({"ephemeralStorage": {}}))),
        "desired_task_definition.ephemeralStorage.sizeInGiB is required (21..200)"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": {"app": {}}}))),
        "desired_task_definition.containerDefinitions must be an array, got an object"
    );
    assert_eq!(
        task_error(task(json!({"containerDefinitions": []}))),
        "desired_task_definition.containerDefinitions must have at least one container definition"
    );
}

#[test]
fn register_form_output_parses_again() {
    let once = register(
        json!([app(
            json!({"portMappings": [{"containerPort": 80}], "environment": {"A": "1"}})
        )]),
        NetworkMode::Bridge,
    );
    let again = register(once.clone(), NetworkMode::Bridge);
    assert_eq!(once, again);
    let _ = object(json!({}));
}

// ---- every field of the schema takes part in the comparison ----

mod every_field {
    use serde_json::{Value, json};

    use crate::schema::{self, Field, Kind, Lit, Order, Table};
    use crate::{Map, differences};

    /// A sample value of `kind`, never the field's default; `variant` 1 and 2 differ.
    fn sample(kind: Kind, field: &Field, variant: i64) -> Value {
        match kind {
            Kind::String => json!(format!("x{variant}")),
            Kind::Integer => json!(6 + variant),
            Kind::Size(_) => json!(format!("{}", 6 + variant)),
            Kind::Boolean => {
                let base = field.default != Some(Lit::Bool(true));
                json!(if variant == 1 { base } else { !base })
            }
            Kind::StringMap => json!({"k": format!("v{variant}")}),
            Kind::List(Kind::Object(table)) => json!([full(table, variant)]),
            Kind::List(item) => json!([sample(*item, field, 1), sample(*item, field, variant + 1)]),
            Kind::Object(table) => full(table, variant),
        }
    }

    /// An object of `table` with every field set.
    fn full(table: &'static Table, variant: i64) -> Value {
        let mut object = Map::new();
        for field in table.fields {
            let value = match field.kind {
                // Keys stay the same in both samples; only a mutation changes them.
                Kind::String if field.name == "name" => json!("x1"),
                kind => sample(kind, field, variant.min(1)),
            };
            object.insert(field.name.to_string(), value);
        }
        Value::Object(object)
    }

    #[derive(Debug, Clone)]
    enum Step {
        Field(&'static Field),
        First,
    }

    /// Every path to a value that is not itself an object or a list of objects.
    fn leaves(table: &'static Table, prefix: &[Step], found: &mut Vec<Vec<Step>>) {
        for field in table.fields {
            let mut path = prefix.to_vec();
            path.push(Step::Field(field));
            match field.kind {
                Kind::Object(inner) => leaves(inner, &path, found),
                Kind::List(Kind::Object(inner)) => {
                    path.push(Step::First);
                    leaves(inner, &path, found);
                }
                _ => found.push(path),
            }
        }
    }

    fn slot<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
        let mut at = value;
        for step in path {
            at = match step {
                Step::Field(field) => at.get_mut(field.name)?,
                Step::First => at.get_mut(0)?,
            };
        }
        Some(at)
    }

    fn name(path: &[Step]) -> String {
        path.iter()
            .map(|step| match step {
                Step::Field(field) => field.name.to_string(),
                Step::First => "[0]".to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    #[test]
    fn a_change_to_any_field_at_any_depth_is_one_difference_under_its_path() {
        let base = full(&schema::TASK, 1);
        let mut paths = Vec::new();
        leaves(&schema::TASK, &[], &mut paths);
        assert!(paths.len() > 100, "only {} leaves", paths.len());
        let live = match &base {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        for path in paths {
            let Some(Step::Field(last)) = path.last().cloned() else {
                panic!("a path ends with a field")
            };
            let mut changed = base.clone();
            match slot(&mut changed, &path) {
                Some(value) => *value = sample(last.kind, last, 2),
                None => panic!("no slot at {}", name(&path)),
            }
            let desired = match &changed {
                Value::Object(map) => map.clone(),
                _ => Map::new(),
            };
            let found = differences(&desired, &live, true);
            let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
            // Changing the key of a keyed entry removes one entry and adds another.
            let in_keyed_list = path.len() >= 3
                && matches!(&path[path.len() - 3], Step::Field(list) if matches!(list.order, Order::ByKey(key) if key == last.name));
            let expected = if in_keyed_list { 2 } else { 1 };
            assert_eq!(found.len(), expected, "{}: {lines:#?}", name(&path));
            let Some(Step::Field(top)) = path.first() else {
                panic!("a path starts with a field")
            };
            let prefix = match (top.name, path.get(2)) {
                ("containerDefinitions", Some(Step::Field(field))) => {
                    format!("containerDefinitions[x1].{}", field.name)
                }
                _ => top.name.to_string(),
            };
            for difference in &found {
                assert!(
                    difference.path.starts_with(&prefix)
                        || (in_keyed_list && difference.path.starts_with(top.name)),
                    "{}: path {} is not under {prefix}",
                    name(&path),
                    difference.path
                );
            }
        }
    }

    #[test]
    fn the_full_samples_compare_equal_to_themselves_and_survive_comparison_form() {
        let base = match full(&schema::TASK, 1) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        assert!(differences(&base, &base, false).is_empty());
        let form = crate::comparison_form(&base);
        assert_eq!(crate::comparison_form(&form), form);
        // Nothing of the sample is lost: every field is non-default and non-empty.
        assert_eq!(form.len(), schema::TASK.fields.len());
    }
}

// ---- the modules lie on floors ----

/// The floors of the comment in lib.rs, lowest first, with each module's source.
const FLOORS: &[floors::Floor] = &[
    &[
        ("error", include_str!("error.rs")),
        ("json", include_str!("json.rs")),
        ("units", include_str!("units.rs")),
    ],
    &[
        ("network_mode", include_str!("network_mode.rs")),
        ("schema", include_str!("schema.rs")),
    ],
    &[
        ("canonical", include_str!("canonical.rs")),
        ("validate", include_str!("validate.rs")),
    ],
    &[
        ("diff", include_str!("diff.rs")),
        ("parse", include_str!("parse.rs")),
        ("registration", include_str!("registration.rs")),
    ],
    &[("desired", include_str!("desired.rs"))],
];

#[test]
fn each_module_uses_only_modules_on_the_floors_below_it() {
    let found = floors::violations(include_str!("lib.rs"), FLOORS);
    assert!(found.is_empty(), "{found:#?}");
}

// ---- every list is ordered, keyed or a set, with its source ----

mod list_classes {
    use crate::schema::{self, Kind, Order, Table};

    /// `path  class  source`, one line per list of `table`, at any depth.
    fn lines(table: &'static Table, prefix: &str, found: &mut Vec<String>) {
        for field in table.fields {
            let path = if prefix.is_empty() {
                field.name.to_string()
            } else {
                format!("{prefix}.{}", field.name)
            };
            match field.kind {
                Kind::Object(inner) => lines(inner, &path, found),
                Kind::List(item) => {
                    let class = match field.order {
                        Order::Kept => "ordered".to_string(),
                        Order::ByKey(key) => format!("keyed by {key}"),
                        Order::Sorted => "set".to_string(),
                    };
                    found.push(format!("{path}\n    {class}: {}", field.order_source));
                    if let Kind::Object(inner) = item {
                        lines(inner, &format!("{path}[]"), found);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn every_list_of_the_schema_says_how_it_compares_and_why() {
        let mut found = Vec::new();
        lines(&schema::TASK, "", &mut found);
        assert!(found.len() > 30, "only {} lists", found.len());
        insta::assert_snapshot!(found.join("\n"));
    }

    #[test]
    fn keyed_lists_name_a_string_member_of_their_entries() {
        fn check(table: &'static Table) {
            for field in table.fields {
                match (field.kind, field.order) {
                    (Kind::List(Kind::Object(inner)), Order::ByKey(key)) => {
                        let member = inner.field(key).map(|member| member.kind);
                        assert_eq!(member, Some(Kind::String), "{}: key {key}", field.name);
                        check(inner);
                    }
                    (Kind::List(Kind::Object(inner)), _) => check(inner),
                    (Kind::Object(inner), _) => check(inner),
                    (_, Order::ByKey(key)) => {
                        panic!("{} is keyed by {key} but not of objects", field.name)
                    }
                    _ => {}
                }
            }
        }
        check(&schema::TASK);
    }
}

// ---- registration rules: each refused, and its valid neighbour at the edge accepted ----

mod registration {
    use serde_json::{Value, json};

    use super::{app, object};
    // The two steps apart, to tell the registration rules from the field rules.
    use crate::NetworkMode;
    use crate::parse::{read_container_definitions, read_task_definition};
    use crate::registration::{check_container_registration, check_task_registration};

    const ROOT: &str = "desired_task_definition";

    fn with(mut base: Value, extra: Value) -> Value {
        if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
            for (key, value) in extra {
                if value.is_null() {
                    base.remove(&key);
                } else {
                    base.insert(key, value);
                }
            }
        }
        base
    }

    /// An EC2 bridge task whose container fits the task.
    fn ec2(extra: Value) -> Value {
        with(
            json!({"family": "web", "requiresCompatibilities": ["EC2"], "cpu": "256",
                "memory": "512", "containerDefinitions": [app(json!({}))]}),
            extra,
        )
    }

    /// A Fargate task with an execution role and one container logging with awslogs.
    fn fargate(extra: Value) -> Value {
        with(
            json!({"family": "web", "requiresCompatibilities": ["FARGATE"],
                "networkMode": "awsvpc", "cpu": "256", "memory": "512",
                "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
                "containerDefinitions": [app(json!({"logConfiguration": {"logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/web"}}}))]}),
            extra,
        )
    }

    fn check(task: &Value) -> Result<(), String> {
        let parsed = read_task_definition(task.clone(), ROOT)
            .unwrap_or_else(|error| panic!("the field rules refuse {task}: {error}"));
        check_task_registration(&parsed, ROOT).map_err(|error| error.to_string())
    }

    #[track_caller]
    fn refused(task: Value) -> String {
        match check(&task) {
            Ok(()) => panic!("expected a registration error for {task}"),
            Err(error) => {
                assert_eq!(error.lines().count(), 1, "{error}");
                error
            }
        }
    }

    #[track_caller]
    fn accepted(task: Value) {
        if let Err(error) = check(&task) {
            panic!("refused {task}: {error}");
        }
    }

    /// `task` with its first container's fields `extra` merged in.
    fn container(task: Value, extra: Value) -> Value {
        let mut task = task;
        let first = task["containerDefinitions"][0].take();
        task["containerDefinitions"][0] = with(first, extra);
        task
    }

    fn containers(count: usize) -> Value {
        Value::Array(
            (0..count)
                .map(|index| {
                    json!({"name": format!("c{index}"), "image": "nginx:1.27", "memory": 32})
                })
                .collect(),
        )
    }

    // -- quotas --

    #[test]
    fn ten_containers_are_allowed_and_eleven_are_not() {
        accepted(ec2(json!({"containerDefinitions": containers(10)})));
        assert_eq!(
            refused(ec2(json!({"containerDefinitions": containers(11)}))),
            "desired_task_definition.containerDefinitions has 11 container definitions; ECS allows at most 10 per task definition (service quota \"Containers per task definition\", not adjustable)"
        );
        let check_containers = |count| {
            let parsed = read_container_definitions(
                containers(count),
                "container_definitions",
                NetworkMode::Bridge,
            )
            .expect("valid containers");
            check_container_registration(&parsed, "container_definitions", NetworkMode::Bridge)
                .map_err(|error| error.to_string())
        };
        assert_eq!(check_containers(10), Ok(()));
        assert_eq!(
            check_containers(11),
            Err("container_definitions has 11 container definitions; ECS allows at most 10 per task definition (service quota \"Containers per task definition\", not adjustable)".to_string())
        );
    }

    /// An EC2 task whose compact JSON, as parsed, is exactly `bytes` long.
    fn task_of_size(bytes: usize) -> Value {
        let sized = |padding: usize| {
            ec2(json!({"containerDefinitions": [app(json!({"memory": 256,
                "environment": [{"name": "PAD", "value": "x".repeat(padding)}]}))]}))
        };
        let base = serde_json::to_vec(&read_task_definition(sized(0), ROOT).expect("valid"))
            .expect("serialises")
            .len();
        let task = sized(bytes - base);
        let parsed = read_task_definition(task.clone(), ROOT).expect("valid");
        assert_eq!(
            serde_json::to_vec(&parsed).expect("serialises").len(),
            bytes
        );
        task
    }

    #[test]
    fn a_task_definition_of_64_kib_is_allowed_and_one_byte_more_is_not() {
        accepted(task_of_size(65536));
        assert_eq!(
            refused(task_of_size(65537)),
            "desired_task_definition is 65537 bytes as JSON; ECS allows at most 65536 (64 KiB, service quota \"Task definition size\", not adjustable): move large values to environmentFiles or secrets"
        );
    }

    // -- network mode --

    #[test]
    fn hostname_is_refused_in_awsvpc_mode_only() {
        let awsvpc = ec2(json!({"networkMode": "awsvpc"}));
        assert_eq!(
            refused(container(awsvpc.clone(), json!({"hostname": "web"}))),
            "desired_task_definition.containerDefinitions[0].hostname \"web\" is not supported in awsvpc network mode (the task's network interface names the host); leave it out"
        );
        accepted(awsvpc);
        accepted(container(ec2(json!({})), json!({"hostname": "web"})));
    }

    #[test]
    fn links_are_refused_outside_bridge_mode() {
        let two = |mode: &str| {
            ec2(json!({"networkMode": mode, "containerDefinitions": [
                app(json!({"memory": 128, "links": ["db"]})),
                {"name": "db", "image": "postgres:17", "memory": 128}
            ]}))
        };
        accepted(two("bridge"));
        for mode in ["awsvpc", "host"] {
            assert_eq!(
                refused(two(mode)),
                format!(
                    "desired_task_definition.containerDefinitions[0].links are only supported in bridge network mode, not {mode}; containers of one task reach each other on localhost in awsvpc and host mode"
                )
            );
        }
        accepted(container(
            ec2(json!({"networkMode": "awsvpc"})),
            json!({"links": []}),
        ));
    }

    #[test]
    fn extra_hosts_are_refused_in_awsvpc_mode_only() {
        let hosts = json!({"extraHosts": [{"hostname": "db", "ipAddress": "10.0.0.5"}]});
        assert_eq!(
            refused(container(
                ec2(json!({"networkMode": "awsvpc"})),
                hosts.clone()
            )),
            "desired_task_definition.containerDefinitions[0].extraHosts are not supported in awsvpc network mode; leave them out"
        );
        accepted(container(
            ec2(json!({"networkMode": "bridge"})),
            hosts.clone(),
        ));
        accepted(container(ec2(json!({"networkMode": "host"})), hosts));
    }

    #[test]
    fn one_container_port_is_exposed_for_one_protocol() {
        assert_eq!(
            refused(container(
                ec2(json!({})),
                json!({"portMappings": [{"containerPort": 53}, {"containerPort": 53, "protocol": "udp"}]})
            )),
            "desired_task_definition.containerDefinitions[0].portMappings[1].protocol udp is not allowed: containerPort 53 is already exposed for tcp by portMappings[0], and ECS exposes a container port for one protocol only"
        );
        accepted(container(
            ec2(json!({})),
            json!({"portMappings": [{"containerPort": 53, "protocol": "udp"}, {"containerPort": 54}]}),
        ));
    }

    #[test]
    fn host_ports_at_the_edge_of_each_network_mode() {
        for mode in ["awsvpc", "host"] {
            accepted(container(
                ec2(json!({"networkMode": mode})),
                json!({"portMappings": [{"containerPort": 8080, "hostPort": 8080}]}),
            ));
        }
        accepted(container(
            ec2(json!({"networkMode": "bridge"})),
            json!({"portMappings": [{"containerPort": 8080, "hostPort": 0}]}),
        ));
        accepted(ec2(json!({"networkMode": "none"})));
    }

    // -- task size --

    #[test]
    fn a_container_memory_fits_in_the_task_memory() {
        accepted(container(ec2(json!({})), json!({"memory": 512})));
        accepted(container(
            ec2(json!({"memory": "1 GB"})),
            json!({"memory": 1024}),
        ));
        assert_eq!(
            refused(container(ec2(json!({})), json!({"memory": 513}))),
            "desired_task_definition.containerDefinitions[0].memory 513 is more than the task's memory (512 MiB); a container's memory must fit in the task's"
        );
    }

    #[test]
    fn the_containers_cpu_together_fits_in_the_task_cpu() {
        let two = |a: i64, b: i64| {
            ec2(json!({"containerDefinitions": [
                app(json!({"cpu": a, "memory": 128})),
                {"name": "log", "image": "fluent-bit:3", "cpu": b, "memory": 128}
            ]}))
        };
        accepted(two(128, 128));
        accepted(two(256, 0));
        assert_eq!(
            refused(two(128, 129)),
            "desired_task_definition.cpu 256 is less than the containers' cpu together (257); the containers' cpu must add up to at most the task's"
        );
        accepted(with(
            two(512, 512),
            json!({"cpu": "1 vCPU", "memory": null}),
        ));
    }

    #[test]
    fn an_ec2_task_without_memory_needs_it_in_every_container() {
        assert_eq!(
            refused(ec2(json!({"memory": null}))),
            "desired_task_definition.containerDefinitions[0] needs memory or memoryReservation when the task has no memory and requiresCompatibilities has EC2 (ECS must know how much memory to reserve on the instance)"
        );
        accepted(container(
            ec2(json!({"memory": null})),
            json!({"memory": 128}),
        ));
        accepted(container(
            ec2(json!({"memory": null})),
            json!({"memoryReservation": 64}),
        ));
        accepted(ec2(json!({})));
        // Without requiresCompatibilities the rule is left out (lib.rs says why).
        accepted(ec2(
            json!({"memory": null, "requiresCompatibilities": null}),
        ));
    }

    // -- Fargate --

    #[test]
    fn fargate_log_drivers() {
        accepted(fargate(json!({})));
        for driver in ["splunk", "awsfirelens"] {
            accepted(container(
                fargate(json!({})),
                json!({"logConfiguration": {"logDriver": driver}}),
            ));
        }
        assert_eq!(
            refused(container(
                fargate(json!({})),
                json!({"logConfiguration": {"logDriver": "json-file"}})
            )),
            "desired_task_definition.containerDefinitions[0].logConfiguration.logDriver \"json-file\" is not supported with requiresCompatibilities FARGATE (Fargate supports awslogs, splunk, awsfirelens)"
        );
        accepted(container(
            ec2(json!({})),
            json!({"logConfiguration": {"logDriver": "json-file"}}),
        ));
    }

    #[test]
    fn fargate_needs_an_execution_role_for_awslogs_and_private_ecr_images() {
        assert_eq!(
            refused(fargate(json!({"executionRoleArn": null}))),
            "desired_task_definition.executionRoleArn is required with requiresCompatibilities FARGATE when a container logs with awslogs (desired_task_definition.containerDefinitions[0].logConfiguration.logDriver): Fargate sends the logs with the execution role"
        );
        assert_eq!(
            refused(fargate(json!({"executionRoleArn": ""}))),
            refused(fargate(json!({"executionRoleArn": null})))
        );
        let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4";
        let no_logs = |image: &str| {
            container(
                fargate(json!({"executionRoleArn": null})),
                json!({"logConfiguration": null, "image": image}),
            )
        };
        assert_eq!(
            refused(no_logs(ecr)),
            "desired_task_definition.executionRoleArn is required with requiresCompatibilities FARGATE when a container's image is in a private ECR repository (desired_task_definition.containerDefinitions[0].image \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4\"): Fargate pulls it with the execution role"
        );
        accepted(container(fargate(json!({})), json!({"image": ecr})));
        accepted(no_logs("public.ecr.aws/nginx/nginx:1.27"));
        accepted(no_logs("nginx:1.27"));
        accepted(no_logs("registry.example.com/123456789012.dkr.ecr/web:1"));
        accepted(container(
            ec2(json!({})),
            json!({"image": ecr, "logConfiguration": {"logDriver": "awslogs"}}),
        ));
    }

    #[test]
    fn fargate_refuses_docker_volumes_host_paths_placement_and_ipc_and_host_pid() {
        let cases = [
            (
                json!({"volumes": [{"name": "d", "dockerVolumeConfiguration": {"scope": "task"}}]}),
                "desired_task_definition.volumes[0].dockerVolumeConfiguration dockerVolumeConfiguration (use a bind mount or efsVolumeConfiguration) is not supported with requiresCompatibilities FARGATE",
            ),
            (
                json!({"volumes": [{"name": "h", "host": {"sourcePath": "/var/data"}}]}),
                "desired_task_definition.volumes[0].host.sourcePath host.sourcePath (a Fargate bind mount is task storage: leave sourcePath out) is not supported with requiresCompatibilities FARGATE",
            ),
            (
                json!({"ipcMode": "task"}),
                "desired_task_definition.ipcMode ipcMode \"task\" is not supported with requiresCompatibilities FARGATE",
            ),
            (
                json!({"pidMode": "host"}),
                "desired_task_definition.pidMode pidMode \"host\" (only \"task\" is) is not supported with requiresCompatibilities FARGATE",
            ),
            (
                json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]}),
                "desired_task_definition.placementConstraints placementConstraints (Fargate places tasks itself) is not supported with requiresCompatibilities FARGATE",
            ),
        ];
        for (extra, message) in cases {
            assert_eq!(refused(fargate(extra.clone())), message);
            // The same fields are valid on EC2.
            accepted(ec2(extra));
        }
        accepted(fargate(json!({"pidMode": "task"})));
        accepted(fargate(json!({"volumes": [{"name": "scratch"},
            {"name": "efs", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]})));
        // The valid neighbour of a host volume with a sourcePath: one without it.
        accepted(fargate(json!({"volumes": [{"name": "h", "host": {}}]})));
    }

    #[test]
    fn fargate_refuses_privileged_containers_and_most_linux_parameters() {
        let cases = [
            (json!({"privileged": true}), "privileged", "privileged true"),
            (
                json!({"disableNetworking": true}),
                "disableNetworking",
                "disableNetworking true",
            ),
            (
                json!({"dnsServers": ["10.0.0.2"]}),
                "dnsServers",
                "dnsServers",
            ),
            (
                json!({"dnsSearchDomains": ["example.com"]}),
                "dnsSearchDomains",
                "dnsSearchDomains",
            ),
            (
                json!({"dockerSecurityOptions": ["no-new-privileges"]}),
                "dockerSecurityOptions",
                "dockerSecurityOptions",
            ),
            (
                json!({"resourceRequirements": [{"type": "GPU", "value": "1"}]}),
                "resourceRequirements[0].type",
                "a GPU",
            ),
            (
                json!({"linuxParameters": {"devices": [{"hostPath": "/dev/fuse"}]}}),
                "linuxParameters.devices",
                "linuxParameters.devices",
            ),
            (
                json!({"linuxParameters": {"tmpfs": [{"containerPath": "/tmp", "size": 64}]}}),
                "linuxParameters.tmpfs",
                "linuxParameters.tmpfs",
            ),
            (
                json!({"linuxParameters": {"sharedMemorySize": 64}}),
                "linuxParameters.sharedMemorySize",
                "linuxParameters.sharedMemorySize",
            ),
            (
                json!({"linuxParameters": {"maxSwap": 0}}),
                "linuxParameters.maxSwap",
                "linuxParameters.maxSwap",
            ),
            (
                json!({"linuxParameters": {"swappiness": 60}}),
                "linuxParameters.swappiness",
                "linuxParameters.swappiness",
            ),
        ];
        for (extra, field, what) in cases {
            assert_eq!(
                refused(container(fargate(json!({})), extra.clone())),
                format!(
                    "desired_task_definition.containerDefinitions[0].{field} {what} is not supported with requiresCompatibilities FARGATE"
                )
            );
            accepted(container(ec2(json!({})), extra));
        }
        assert_eq!(
            refused(container(
                fargate(json!({})),
                json!({"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE", "NET_ADMIN"]}}})
            )),
            "desired_task_definition.containerDefinitions[0].linuxParameters.capabilities.add[1] \"NET_ADMIN\" is not supported with requiresCompatibilities FARGATE (the only capability Fargate adds is SYS_PTRACE)"
        );
        // The valid neighbours: false, empty lists, SYS_PTRACE, drops, initProcessEnabled.
        accepted(container(
            fargate(json!({})),
            json!({"privileged": false, "disableNetworking": false, "dnsServers": [],
                "linuxParameters": {"initProcessEnabled": true, "devices": [], "tmpfs": [],
                    "capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW", "MKNOD"]}}}),
        ));
        accepted(container(
            fargate(json!({})),
            json!({"linuxParameters": {"capabilities": {"add": ["CAP_SYS_PTRACE"]}}}),
        ));
    }

    #[test]
    fn every_message_names_the_field_under_the_root() {
        let error = refused(container(fargate(json!({})), json!({"privileged": true})));
        assert!(error.starts_with("desired_task_definition.containerDefinitions[0].privileged "));
        let parsed = object(fargate(json!({})));
        assert!(check_task_registration(&parsed, "t").is_ok());
    }

    // -- ranges and names: the existing field rules, at their edges --

    #[test]
    fn ranges_and_names_accept_their_edges() {
        for (interval, timeout, retries, start) in [(5, 2, 1, 0), (300, 60, 10, 300)] {
            accepted(container(
                ec2(json!({})),
                json!({"healthCheck": {"command": ["CMD", "true"], "interval": interval,
                    "timeout": timeout, "retries": retries, "startPeriod": start}}),
            ));
        }
        let long = "a".repeat(255);
        accepted(container(
            ec2(json!({"family": long})),
            json!({"name": long}),
        ));
        let too_long = "a".repeat(256);
        assert!(
            read_task_definition(ec2(json!({"family": too_long})), ROOT)
                .expect_err("256 characters")
                .to_string()
                .starts_with("desired_task_definition.family must be 1-255 letters")
        );
        for size in [21, 200] {
            accepted(fargate(json!({"ephemeralStorage": {"sizeInGiB": size}})));
        }
        assert_eq!(
            read_task_definition(
                fargate(json!({"ephemeralStorage": {"sizeInGiB": 201}})),
                ROOT
            )
            .expect_err("201 GiB")
            .to_string(),
            "desired_task_definition.ephemeralStorage.sizeInGiB must be 21..200, got 201"
        );
        for architecture in ["X86_64", "ARM64"] {
            accepted(fargate(
                json!({"runtimePlatform": {"cpuArchitecture": architecture,
                "operatingSystemFamily": "LINUX"}}),
            ));
        }
        accepted(container(
            fargate(json!({})),
            json!({"ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]}),
        ));
    }
}
