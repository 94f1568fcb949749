//! The rules a user-written task definition must follow, beyond its shape.
//!
//! Runs on the output of the strict walk (`parse.rs`): every value already has its schema type.
//! Ranges and allowed values are the ECS API reference's for the field named in each rule.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use crate::error::{Error, quoted};
use crate::fargate;
use crate::json::{Map, int, objects, string, strings};
use crate::network_mode::NetworkMode;
use crate::units::{Unit, size_in_units};

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

/// `requiresCompatibilities` values. (ECS API reference `RegisterTaskDefinition`; the
/// `Compatibility` enum of the AWS SDKs, which added `MANAGED_INSTANCES` in 2025)
const COMPATIBILITIES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

fn in_range(path: impl fmt::Display, value: Option<i64>, min: i64, max: i64) -> Result<(), Error> {
    match value {
        Some(value) if !(min..=max).contains(&value) => Err(Error::invalid(
            path.to_string(),
            format!("must be {min}..{max}, got {value}"),
        )),
        _ => Ok(()),
    }
}

fn one_of(path: impl fmt::Display, value: Option<&str>, allowed: &[&str]) -> Result<(), Error> {
    match value {
        Some(value) if !allowed.contains(&value) => Err(Error::invalid(
            path.to_string(),
            format!(
                "must be one of {}, got {}",
                allowed.join(", "),
                quoted(value)
            ),
        )),
        _ => Ok(()),
    }
}

fn required<'a>(map: &'a Map, key: &str, path: impl fmt::Display) -> Result<&'a str, Error> {
    match string(map, key) {
        Some("") => Err(Error::invalid(format!("{path}.{key}"), "must not be empty")),
        Some(value) => Ok(value),
        None => Err(Error::invalid(format!("{path}.{key}"), "is required")),
    }
}

/// 1-255 letters, digits, hyphens and underscores: container and volume names, families.
/// (ECS API reference `ContainerDefinition.name`, `Volume.name`, `RegisterTaskDefinition.family`)
fn check_name(path: impl fmt::Display, name: &str) -> Result<(), Error> {
    let valid = (1..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(
            path.to_string(),
            format!(
                "must be 1-255 letters, digits, hyphens or underscores, got {}",
                quoted(name)
            ),
        ))
    }
}

/// Adds `name` to `names`, the keys of the list `list` so far, or fails when it is already one.
fn unique<'a>(
    names: &mut Vec<&'a str>,
    name: &'a str,
    path: impl fmt::Display,
    list: impl fmt::Display,
    what: &str,
) -> Result<(), Error> {
    if let Some(first) = names.iter().position(|known| *known == name) {
        return Err(Error::invalid(
            path.to_string(),
            format!(
                "{} is already the name of {list}[{first}]; {what} must be unique",
                quoted(name)
            ),
        ));
    }
    names.push(name);
    Ok(())
}

/// Names for a message, each as it is when it is a valid name, else quoted: a name not yet
/// checked may hold anything, a newline included.
fn list_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| match check_name("", name) {
            Ok(()) => name.to_string(),
            Err(_) => quoted(name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules for a task's container definitions. `volumes` are the task's volume names, when
/// known (a whole task definition), to check `mountPoints[].sourceVolume`.
pub(crate) fn containers(
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
    let name = string(container, "name").unwrap_or_default();
    required(container, "image", path)?;
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
    one_of(
        format_args!("{path}.versionConsistency"),
        string(container, "versionConsistency"),
        &["enabled", "disabled"],
    )?;
    check_port_mappings(container, path, network_mode)?;
    check_variables(container, path)?;
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
    if let Some(check) = container.get("healthCheck").and_then(Value::as_object) {
        check_health_check(check, &format!("{path}.healthCheck"))?;
    }
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
    check_smaller_objects(container, path)
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

/// `arn:PARTITION:iam::ACCOUNT:role/NAME`.
fn is_role_arn(text: &str) -> bool {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws")
        && account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && resource
            .strip_prefix("role/")
            .is_some_and(|name| !name.is_empty() && !name.ends_with('/'))
}

/// The rules for a whole task definition.
pub(crate) fn task(task: &Map, root: &str) -> Result<(), Error> {
    let family = required(task, "family", root)?;
    check_name(format_args!("{root}.family"), family)?;
    let network_mode = match string(task, "networkMode") {
        Some(text) => NetworkMode::parse(text, &format!("{root}.networkMode"))?,
        None => NetworkMode::default(),
    };
    for key in ["taskRoleArn", "executionRoleArn"] {
        if let Some(arn) = string(task, key).filter(|arn| !arn.is_empty() && !is_role_arn(arn)) {
            return Err(Error::invalid(
                format!("{root}.{key}"),
                format!(
                    "must be an IAM role ARN like arn:aws:iam::123456789012:role/NAME, got {}",
                    quoted(arn)
                ),
            ));
        }
    }
    let compatibilities = strings(task, "requiresCompatibilities");
    for (index, compatibility) in compatibilities.iter().enumerate() {
        one_of(
            format_args!("{root}.requiresCompatibilities[{index}]"),
            Some(compatibility),
            COMPATIBILITIES,
        )?;
    }
    let cpu = size(task, "cpu", Unit::Cpu, root)?;
    let memory = size(task, "memory", Unit::Memory, root)?;
    if compatibilities.contains(&"FARGATE") {
        fargate::check_mode_and_size(root, network_mode, cpu, memory)?;
    }
    one_of(
        format_args!("{root}.pidMode"),
        string(task, "pidMode"),
        &["host", "task"],
    )?;
    one_of(
        format_args!("{root}.ipcMode"),
        string(task, "ipcMode"),
        &["host", "task", "none"],
    )?;
    let mut volume_names: Vec<&str> = Vec::new();
    for (index, volume) in objects(task, "volumes") {
        let volume_path = format!("{root}.volumes[{index}]");
        let name = required(volume, "name", &volume_path)?;
        check_name(format_args!("{volume_path}.name"), name)?;
        unique(
            &mut volume_names,
            name,
            format_args!("{volume_path}.name"),
            format_args!("{root}.volumes"),
            "volume names",
        )?;
        if let Some(docker) = volume
            .get("dockerVolumeConfiguration")
            .and_then(Value::as_object)
        {
            one_of(
                format_args!("{volume_path}.dockerVolumeConfiguration.scope"),
                string(docker, "scope"),
                &["task", "shared"],
            )?;
        }
        if let Some(efs) = volume
            .get("efsVolumeConfiguration")
            .and_then(Value::as_object)
        {
            let efs_path = format!("{volume_path}.efsVolumeConfiguration");
            required(efs, "fileSystemId", &efs_path)?;
            one_of(
                format_args!("{efs_path}.transitEncryption"),
                string(efs, "transitEncryption"),
                &["ENABLED", "DISABLED"],
            )?;
        }
    }
    for (index, constraint) in objects(task, "placementConstraints") {
        let constraint_path = format!("{root}.placementConstraints[{index}]");
        one_of(
            format_args!("{constraint_path}.type"),
            string(constraint, "type"),
            &["memberOf"],
        )?;
    }
    // Keyed by deviceName (schema.rs): a name used twice would make the entries unmatchable.
    let mut device_names: Vec<&str> = Vec::new();
    for (index, accelerator) in objects(task, "inferenceAccelerators") {
        let accelerator_path = format!("{root}.inferenceAccelerators[{index}]");
        let name = required(accelerator, "deviceName", &accelerator_path)?;
        unique(
            &mut device_names,
            name,
            format_args!("{accelerator_path}.deviceName"),
            format_args!("{root}.inferenceAccelerators"),
            "device names",
        )?;
        required(accelerator, "deviceType", &accelerator_path)?;
    }
    if let Some(storage) = task.get("ephemeralStorage").and_then(Value::as_object) {
        // ECS API reference `EphemeralStorage.sizeInGiB`: 21 to 200 GiB.
        let size_path = format!("{root}.ephemeralStorage.sizeInGiB");
        if !storage.contains_key("sizeInGiB") {
            return Err(Error::invalid(size_path, "is required (21..200)"));
        }
        in_range(size_path, int(storage, "sizeInGiB"), 21, 200)?;
    }
    if let Some(platform) = task.get("runtimePlatform").and_then(Value::as_object) {
        one_of(
            format_args!("{root}.runtimePlatform.cpuArchitecture"),
            string(platform, "cpuArchitecture"),
            &["X86_64", "ARM64"],
        )?;
    }
    let container_path = format!("{root}.containerDefinitions");
    let Some(list) = task.get("containerDefinitions").and_then(Value::as_array) else {
        return Err(Error::invalid(container_path, "is required"));
    };
    let container_list: Vec<&Map> = list.iter().filter_map(Value::as_object).collect();
    if let Some(proxy) = task.get("proxyConfiguration").and_then(Value::as_object) {
        let proxy_path = format!("{root}.proxyConfiguration");
        one_of(
            format_args!("{proxy_path}.type"),
            string(proxy, "type"),
            &["APPMESH"],
        )?;
        let target = required(proxy, "containerName", &proxy_path)?;
        // Keyed by name: the AWS provider keeps them as a map (schema.rs).
        let mut property_names: Vec<&str> = Vec::new();
        for (index, property) in objects(proxy, "properties") {
            let property_path = format!("{proxy_path}.properties[{index}]");
            let name = required(property, "name", &property_path)?;
            unique(
                &mut property_names,
                name,
                format_args!("{property_path}.name"),
                format_args!("{proxy_path}.properties"),
                "property names",
            )?;
        }
        let names: Vec<&str> = container_list
            .iter()
            .filter_map(|container| string(container, "name"))
            .collect();
        if !names.contains(&target) {
            return Err(Error::invalid(
                format!("{proxy_path}.containerName"),
                format!(
                    "{} is not a container of this task (the containers are {})",
                    quoted(target),
                    list_names(&names)
                ),
            ));
        }
    }
    containers(
        &container_list,
        &container_path,
        network_mode,
        Some(&volume_names),
    )
}

fn size(task: &Map, key: &str, unit: Unit, root: &str) -> Result<Option<i64>, Error> {
    let Some(text) = string(task, key) else {
        return Ok(None);
    };
    match size_in_units(text, unit) {
        Some(value) => Ok(Some(value)),
        None => {
            let allowed = match unit {
                Unit::Cpu => "CPU units like \"256\" or vCPUs like \"1 vCPU\"",
                Unit::Memory => "MiB like \"512\" or GB like \"1 GB\"",
            };
            Err(Error::invalid(
                format!("{root}.{key}"),
                format!("must be {allowed}, got {}", quoted(text)),
            ))
        }
    }
}
