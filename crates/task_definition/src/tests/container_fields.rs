//! Each container field's rules, with their exact messages.

use super::*;

// -- name and image --

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

// -- cpu and memory --

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

// -- port mappings --

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

// -- environment and secrets --

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

// -- dependencies between containers --

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

// -- logging, health check, ulimits, restart policy --

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
