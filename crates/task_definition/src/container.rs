//! The rules a user-written container definition must follow, beyond its shape: each field's
//! range and allowed values (the ECS API reference's for the field named in each rule), and what
//! one container may say of another (links, dependencies, `volumesFrom`).
//!
//! Runs on the output of the strict read (`parse.rs`): every value already has its schema type.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use crate::checks::{check_name, in_range, list_names, one_of, required, unique};
use crate::error::{Error, quoted};
use crate::json::{Map, int, objects, string};
use crate::network_mode::NetworkMode;

/// Log drivers a container may use. (ECS API reference `LogConfiguration.logDriver`)
const LOG_DRIVERS: &[&str] = &[
    "awslogs",
    "fluentd",
    "gelf",
    "json-file",
    "journald",
    "logentries",
    "splunk",
    "syslog",
    "awsfirelens",
];

/// Ulimit names. (ECS API reference `Ulimit.name`)
const ULIMIT_NAMES: &[&str] = &[
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

const DEPENDENCY_CONDITIONS: &[&str] = &["START", "COMPLETE", "SUCCESS", "HEALTHY"];

/// The rules for a task's container definitions. `volumes` are the task's volume names, when
/// known (a whole task definition), to check `mountPoints[].sourceVolume`.
pub(crate) fn check_containers(
    containers: &[&Map],
    root: &str,
    network_mode: NetworkMode,
    volumes: Option<&[&str]>,
) -> Result<(), Error> {
    if containers.is_empty() {
        return Err(Error::invalid(
            root,
            "must have at least one container definition",
        ));
    }
    let mut names: Vec<&str> = Vec::with_capacity(containers.len());
    for (index, container) in containers.iter().enumerate() {
        let path = format!("{root}[{index}]");
        let name = required(container, "name", &path)?;
        check_name(format_args!("{path}.name"), name)?;
        unique(
            &mut names,
            name,
            format_args!("{path}.name"),
            root,
            "container names",
        )?;
    }
    for (index, container) in containers.iter().enumerate() {
        let path = format!("{root}[{index}]");
        check_container(container, &path, network_mode, containers, &names, volumes)?;
    }
    let any_essential = containers
        .iter()
        .any(|container| container.get("essential") != Some(&Value::Bool(false)));
    if !any_essential {
        return Err(Error::invalid(
            root,
            "has no essential container; at least one container must have essential true (the default)",
        ));
    }
    Ok(())
}

fn check_container(
    container: &Map,
    path: &str,
    network_mode: NetworkMode,
    containers: &[&Map],
    names: &[&str],
    volumes: Option<&[&str]>,
) -> Result<(), Error> {
    required(container, "image", path)?;
    check_sizes(container, path)?;
    one_of(
        format_args!("{path}.versionConsistency"),
        string(container, "versionConsistency"),
        &["enabled", "disabled"],
    )?;
    check_port_mappings(container, path, network_mode)?;
    check_variables(container, path)?;
    check_environment_files(container, path)?;
    check_references(container, path, containers, names)?;
    check_mount_points(container, path, volumes)?;
    check_logging(container, path)?;
    if let Some(check) = container.get("healthCheck").and_then(Value::as_object) {
        check_health_check(check, &format!("{path}.healthCheck"))?;
    }
    check_limits_and_restarts(container, path)?;
    check_smaller_objects(container, path)
}

/// `cpu`, `memory` and `memoryReservation`: in range, and the reservation within the memory.
fn check_sizes(container: &Map, path: &str) -> Result<(), Error> {
    if let Some(cpu) = int(container, "cpu").filter(|cpu| *cpu < 0) {
        return Err(Error::invalid(
            format!("{path}.cpu"),
            format!("must be 0 or more, got {cpu}"),
        ));
    }
    for key in ["memory", "memoryReservation"] {
        if let Some(memory) = int(container, key).filter(|memory| *memory <= 0) {
            return Err(Error::invalid(
                format!("{path}.{key}"),
                format!("must be a positive number of MiB, got {memory}"),
            ));
        }
    }
    if let (Some(memory), Some(reservation)) = (
        int(container, "memory"),
        int(container, "memoryReservation"),
    ) && reservation > memory
    {
        return Err(Error::invalid(
            format!("{path}.memoryReservation"),
            format!("must be at most memory ({memory}), got {reservation}"),
        ));
    }
    Ok(())
}

/// `environmentFiles`: each an S3 object.
fn check_environment_files(container: &Map, path: &str) -> Result<(), Error> {
    for (index, file) in objects(container, "environmentFiles") {
        let file_path = format!("{path}.environmentFiles[{index}]");
        required(file, "value", &file_path)?;
        one_of(
            format_args!("{file_path}.type"),
            string(file, "type"),
            &["s3"],
        )?;
        required(file, "type", &file_path)?;
    }
    Ok(())
}

/// What a container says of the others: `dependsOn` (a HEALTHY condition needs the target's
/// health check) and `volumesFrom`, each naming another container of the task.
fn check_references(
    container: &Map,
    path: &str,
    containers: &[&Map],
    names: &[&str],
) -> Result<(), Error> {
    let name = string(container, "name").unwrap_or_default();
    for (index, dependency) in objects(container, "dependsOn") {
        let dependency_path = format!("{path}.dependsOn[{index}]");
        let target = required(dependency, "containerName", &dependency_path)?;
        check_other_container(
            format_args!("{dependency_path}.containerName"),
            target,
            name,
            names,
        )?;
        let condition = string(dependency, "condition");
        if condition.is_none() {
            return Err(Error::invalid(
                format!("{dependency_path}.condition"),
                "is required (START, COMPLETE, SUCCESS or HEALTHY)",
            ));
        }
        one_of(
            format_args!("{dependency_path}.condition"),
            condition,
            DEPENDENCY_CONDITIONS,
        )?;
        let target_has_health_check = containers.iter().any(|other| {
            string(other, "name") == Some(target) && other.contains_key("healthCheck")
        });
        if condition == Some("HEALTHY") && !target_has_health_check {
            return Err(Error::invalid(
                format!("{dependency_path}.condition"),
                format!("HEALTHY needs container {target} to have a healthCheck"),
            ));
        }
    }
    for (index, source) in objects(container, "volumesFrom") {
        let source_path = format!("{path}.volumesFrom[{index}]");
        let source_name = required(source, "sourceContainer", &source_path)?;
        check_other_container(
            format_args!("{source_path}.sourceContainer"),
            source_name,
            name,
            names,
        )?;
    }
    Ok(())
}

/// `mountPoints`: each of a volume of the task, when the task's volumes are known.
fn check_mount_points(container: &Map, path: &str, volumes: Option<&[&str]>) -> Result<(), Error> {
    for (index, mount) in objects(container, "mountPoints") {
        let mount_path = format!("{path}.mountPoints[{index}]");
        let volume = required(mount, "sourceVolume", &mount_path)?;
        required(mount, "containerPath", &mount_path)?;
        if let Some(volumes) = volumes
            && !volumes.contains(&volume)
        {
            let known = if volumes.is_empty() {
                "the task has no volumes".to_string()
            } else {
                format!("the volumes are {}", list_names(volumes))
            };
            return Err(Error::invalid(
                format!("{mount_path}.sourceVolume"),
                format!("{} is not a volume of this task ({known})", quoted(volume)),
            ));
        }
    }
    Ok(())
}

/// `logConfiguration`: a known driver, and complete secret options.
fn check_logging(container: &Map, path: &str) -> Result<(), Error> {
    if let Some(log) = container.get("logConfiguration").and_then(Value::as_object) {
        let log_path = format!("{path}.logConfiguration");
        if string(log, "logDriver").is_none() {
            return Err(Error::invalid(
                format!("{log_path}.logDriver"),
                format!("is required ({})", LOG_DRIVERS.join(", ")),
            ));
        }
        one_of(
            format_args!("{log_path}.logDriver"),
            string(log, "logDriver"),
            LOG_DRIVERS,
        )?;
        for (index, option) in objects(log, "secretOptions") {
            let option_path = format!("{log_path}.secretOptions[{index}]");
            required(option, "name", &option_path)?;
            required(option, "valueFrom", &option_path)?;
        }
    }
    Ok(())
}

/// `ulimits` (known names, the soft limit within the hard one) and `restartPolicy`.
fn check_limits_and_restarts(container: &Map, path: &str) -> Result<(), Error> {
    for (index, limit) in objects(container, "ulimits") {
        let limit_path = format!("{path}.ulimits[{index}]");
        if string(limit, "name").is_none() {
            return Err(Error::invalid(format!("{limit_path}.name"), "is required"));
        }
        one_of(
            format_args!("{limit_path}.name"),
            string(limit, "name"),
            ULIMIT_NAMES,
        )?;
        let (Some(soft), Some(hard)) = (int(limit, "softLimit"), int(limit, "hardLimit")) else {
            let missing = if limit.contains_key("softLimit") {
                "hardLimit"
            } else {
                "softLimit"
            };
            return Err(Error::invalid(
                format!("{limit_path}.{missing}"),
                "is required",
            ));
        };
        if soft > hard {
            return Err(Error::invalid(
                format!("{limit_path}.softLimit"),
                format!("must be at most hardLimit ({hard}), got {soft}"),
            ));
        }
    }
    if let Some(policy) = container.get("restartPolicy").and_then(Value::as_object)
        && !policy.contains_key("enabled")
    {
        return Err(Error::invalid(
            format!("{path}.restartPolicy.enabled"),
            "is required (true or false)",
        ));
    }
    Ok(())
}

/// Required members and allowed values of the smaller objects of a container. (AWS SDK model:
/// the members marked required, and the enums `DeviceCgroupPermission`, `ResourceType`,
/// `FirelensConfigurationType`)
fn check_smaller_objects(container: &Map, path: &str) -> Result<(), Error> {
    if let Some(credentials) = container
        .get("repositoryCredentials")
        .and_then(Value::as_object)
    {
        required(
            credentials,
            "credentialsParameter",
            format!("{path}.repositoryCredentials"),
        )?;
    }
    if let Some(linux) = container.get("linuxParameters").and_then(Value::as_object) {
        for (index, device) in objects(linux, "devices") {
            let device_path = format!("{path}.linuxParameters.devices[{index}]");
            required(device, "hostPath", &device_path)?;
            let permissions = device
                .get("permissions")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (position, permission) in permissions.iter().enumerate() {
                one_of(
                    format_args!("{device_path}.permissions[{position}]"),
                    permission.as_str(),
                    &["read", "write", "mknod"],
                )?;
            }
        }
        for (index, tmpfs) in objects(linux, "tmpfs") {
            let tmpfs_path = format!("{path}.linuxParameters.tmpfs[{index}]");
            required(tmpfs, "containerPath", &tmpfs_path)?;
            match int(tmpfs, "size") {
                None => {
                    return Err(Error::invalid(
                        format!("{tmpfs_path}.size"),
                        "is required (MiB)",
                    ));
                }
                Some(size) if size <= 0 => {
                    return Err(Error::invalid(
                        format!("{tmpfs_path}.size"),
                        format!("must be a positive number of MiB, got {size}"),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    for (index, host) in objects(container, "extraHosts") {
        let host_path = format!("{path}.extraHosts[{index}]");
        required(host, "hostname", &host_path)?;
        required(host, "ipAddress", &host_path)?;
    }
    for (index, requirement) in objects(container, "resourceRequirements") {
        let requirement_path = format!("{path}.resourceRequirements[{index}]");
        required(requirement, "value", &requirement_path)?;
        if string(requirement, "type").is_none() {
            return Err(Error::invalid(
                format!("{requirement_path}.type"),
                "is required (GPU or InferenceAccelerator)",
            ));
        }
        one_of(
            format_args!("{requirement_path}.type"),
            string(requirement, "type"),
            &["GPU", "InferenceAccelerator"],
        )?;
    }
    if let Some(firelens) = container
        .get("firelensConfiguration")
        .and_then(Value::as_object)
    {
        let type_path = format!("{path}.firelensConfiguration.type");
        if string(firelens, "type").is_none() {
            return Err(Error::invalid(
                type_path,
                "is required (fluentd or fluentbit)",
            ));
        }
        one_of(
            type_path,
            string(firelens, "type"),
            &["fluentd", "fluentbit"],
        )?;
    }
    Ok(())
}

fn check_other_container(
    path: impl fmt::Display,
    target: &str,
    this: &str,
    names: &[&str],
) -> Result<(), Error> {
    if target == this {
        return Err(Error::invalid(
            path.to_string(),
            format!(
                "{} is this container itself; name another container",
                quoted(target)
            ),
        ));
    }
    if !names.contains(&target) {
        return Err(Error::invalid(
            path.to_string(),
            format!(
                "{} is not a container of this task (the containers are {})",
                quoted(target),
                list_names(names)
            ),
        ));
    }
    Ok(())
}

fn check_port_mappings(
    container: &Map,
    path: &str,
    network_mode: NetworkMode,
) -> Result<(), Error> {
    let has_mappings = container
        .get("portMappings")
        .and_then(Value::as_array)
        .is_some_and(|mappings| !mappings.is_empty());
    if network_mode == NetworkMode::None && has_mappings {
        // ECS API reference `PortMapping`: "If the network mode of a task definition is set to
        // none, then you can't specify port mappings."
        return Err(Error::invalid(
            format!("{path}.portMappings"),
            "must be empty in none network mode",
        ));
    }
    for (index, mapping) in objects(container, "portMappings") {
        let mapping_path = format!("{path}.portMappings[{index}]");
        let container_port = int(mapping, "containerPort");
        in_range(
            format_args!("{mapping_path}.containerPort"),
            container_port,
            1,
            65535,
        )?;
        if container_port.is_none() && !mapping.contains_key("containerPortRange") {
            return Err(Error::invalid(
                format!("{mapping_path}.containerPort"),
                "is required (or containerPortRange)",
            ));
        }
        let host_port = int(mapping, "hostPort");
        in_range(format_args!("{mapping_path}.hostPort"), host_port, 0, 65535)?;
        if network_mode.host_port_is_container_port()
            && let (Some(host_port), Some(container_port)) = (host_port, container_port)
            && host_port != container_port
        {
            return Err(Error::invalid(
                format!("{mapping_path}.hostPort"),
                format!(
                    "must be absent or equal to containerPort ({container_port}) in {network_mode} network mode, got {host_port}"
                ),
            ));
        }
        one_of(
            format_args!("{mapping_path}.protocol"),
            string(mapping, "protocol"),
            &["tcp", "udp"],
        )?;
        one_of(
            format_args!("{mapping_path}.appProtocol"),
            string(mapping, "appProtocol"),
            &["http", "http2", "grpc"],
        )?;
    }
    Ok(())
}

/// `environment` and `secrets`: names non-empty and unique, across both lists.
fn check_variables(container: &Map, path: &str) -> Result<(), Error> {
    // Where each name is first set: the list and the index.
    let count = ["environment", "secrets"]
        .iter()
        .map(|key| objects(container, key).count())
        .sum();
    let mut seen: HashMap<&str, (&str, usize)> = HashMap::with_capacity(count);
    for key in ["environment", "secrets"] {
        for (index, entry) in objects(container, key) {
            let name = required(entry, "name", format_args!("{path}.{key}[{index}]"))?;
            if key == "secrets" {
                match string(entry, "valueFrom") {
                    Some("") | None => {
                        return Err(Error::invalid(
                            format!("{path}.{key}[{index}].valueFrom"),
                            "is required (the ARN of a Secrets Manager secret or a Systems Manager parameter)",
                        ));
                    }
                    Some(_) => {}
                }
            }
            if let Some((first_key, first_index)) = seen.insert(name, (key, index)) {
                return Err(Error::invalid(
                    format!("{path}.{key}[{index}].name"),
                    format!(
                        "{} is already set by {first_key}[{first_index}]; a variable must be set once, in environment or in secrets",
                        quoted(name)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Health check rules. (ECS API reference `HealthCheck`)
fn check_health_check(check: &Map, path: &str) -> Result<(), Error> {
    let command = check
        .get("command")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(first) = command.first() else {
        return Err(Error::invalid(
            format!("{path}.command"),
            "is required and must not be empty, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]",
        ));
    };
    one_of(
        format_args!("{path}.command[0]"),
        first.as_str(),
        &["CMD", "CMD-SHELL", "NONE"],
    )?;
    in_range(
        format_args!("{path}.interval"),
        int(check, "interval"),
        5,
        300,
    )?;
    in_range(format_args!("{path}.timeout"), int(check, "timeout"), 2, 60)?;
    in_range(format_args!("{path}.retries"), int(check, "retries"), 1, 10)?;
    in_range(
        format_args!("{path}.startPeriod"),
        int(check, "startPeriod"),
        0,
        300,
    )?;
    Ok(())
}
