//! The rules a user-written task definition must follow at the task level, beyond its shape:
//! each field's range and allowed values, the task size, what FARGATE demands (`fargate.rs`),
//! and its containers' rules (`container.rs`) with the task's volumes.
//!
//! Runs on the output of the strict read (`parse.rs`): every value already has its schema type.

use serde_json::Value;

use crate::checks::{check_name, in_range, list_names, one_of, required, unique};
use crate::container;
use crate::error::{Error, quoted};
use crate::fargate;
use crate::json::{Map, int, objects, string, strings};
use crate::network_mode::NetworkMode;
use crate::units::{Unit, size_in_units};

/// `requiresCompatibilities` values. (ECS API reference `RegisterTaskDefinition`; the
/// `Compatibility` enum of the AWS SDKs, which added `MANAGED_INSTANCES` in 2025)
const COMPATIBILITIES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

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
pub(crate) fn check_task(task: &Map, root: &str) -> Result<(), Error> {
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
    let volume_names = check_volumes(task, root)?;
    check_placement_devices_storage_and_platform(task, root)?;
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
    container::check_containers(
        &container_list,
        &container_path,
        network_mode,
        Some(&volume_names),
    )
}

/// `volumes`: named as ECS names, unique, and their Docker and EFS configurations complete. Returns
/// their names, which the containers' mount points refer to.
fn check_volumes<'a>(task: &'a Map, root: &str) -> Result<Vec<&'a str>, Error> {
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
    Ok(volume_names)
}

/// Placement constraints, inference accelerators (keyed by device name), ephemeral storage and
/// the runtime platform.
fn check_placement_devices_storage_and_platform(task: &Map, root: &str) -> Result<(), Error> {
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
    Ok(())
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
