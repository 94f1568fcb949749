//! What `requiresCompatibilities` FARGATE demands and refuses, in one place: the network mode and
//! the task sizes of the Fargate table (each field's rules, `task.rs`), and what
//! RegisterTaskDefinition refuses of a Fargate task and its containers (`registration.rs`).

use serde_json::Value;

use crate::error::{Error, quoted};
use crate::json::{Map, non_empty_list, objects, string};
use crate::network_mode::NetworkMode;

/// Fargate task sizes: CPU units and the memory (MiB) each allows. (AWS documentation, "Task CPU
/// and memory" table of the Fargate task definition parameters)
enum FargateMemory {
    OneOf(&'static [i64]),
    Range { min: i64, max: i64, step: i64 },
}

const FARGATE_SIZES: &[(i64, FargateMemory)] = &[
    (256, FargateMemory::OneOf(&[512, 1024, 2048])),
    (
        512,
        FargateMemory::Range {
            min: 1024,
            max: 4096,
            step: 1024,
        },
    ),
    (
        1024,
        FargateMemory::Range {
            min: 2048,
            max: 8192,
            step: 1024,
        },
    ),
    (
        2048,
        FargateMemory::Range {
            min: 4096,
            max: 16384,
            step: 1024,
        },
    ),
    (
        4096,
        FargateMemory::Range {
            min: 8192,
            max: 30720,
            step: 1024,
        },
    ),
    (
        8192,
        FargateMemory::Range {
            min: 16384,
            max: 61440,
            step: 4096,
        },
    ),
    (
        16384,
        FargateMemory::Range {
            min: 32768,
            max: 122880,
            step: 8192,
        },
    ),
];

/// The log drivers a Fargate task may use. (ECS API reference `LogConfiguration.logDriver`: "For
/// tasks on AWS Fargate, the supported log drivers are awslogs, splunk, and awsfirelens.")
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];

/// The one capability a Fargate container may add. (Fargate task definition considerations,
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html:
/// "for capabilities the only capability you can add is CAP_SYS_PTRACE"; the API's
/// `KernelCapabilities.add` names it without the prefix, so both spellings are accepted)
const FARGATE_CAPABILITIES: &[&str] = &["SYS_PTRACE", "CAP_SYS_PTRACE"];

/// The network mode and the task size FARGATE demands: awsvpc, and a CPU and memory of the
/// Fargate table.
pub(crate) fn check_mode_and_size(
    root: &str,
    network_mode: NetworkMode,
    cpu: Option<i64>,
    memory: Option<i64>,
) -> Result<(), Error> {
    if network_mode != NetworkMode::Awsvpc {
        return Err(Error::invalid(
            format!("{root}.networkMode"),
            format!("must be awsvpc when requiresCompatibilities has FARGATE, got {network_mode}"),
        ));
    }
    let Some(cpu) = cpu else {
        return Err(Error::invalid(
            format!("{root}.cpu"),
            "is required when requiresCompatibilities has FARGATE",
        ));
    };
    let Some(memory) = memory else {
        return Err(Error::invalid(
            format!("{root}.memory"),
            "is required when requiresCompatibilities has FARGATE",
        ));
    };
    let Some((_, allowed)) = FARGATE_SIZES.iter().find(|(units, _)| *units == cpu) else {
        let sizes: Vec<String> = FARGATE_SIZES
            .iter()
            .map(|(units, _)| units.to_string())
            .collect();
        return Err(Error::invalid(
            format!("{root}.cpu"),
            format!("must be one of {} for FARGATE, got {cpu}", sizes.join(", ")),
        ));
    };
    let (fits, allowed) = match allowed {
        FargateMemory::OneOf(values) => (
            values.contains(&memory),
            format!(
                "one of {}",
                values
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        FargateMemory::Range { min, max, step } => (
            (*min..=*max).contains(&memory) && (memory - min) % step == 0,
            format!("{min}..{max} in steps of {step}"),
        ),
    };
    if fits {
        Ok(())
    } else {
        Err(Error::invalid(
            format!("{root}.memory"),
            format!("must be {allowed} for FARGATE with cpu {cpu}, got {memory}"),
        ))
    }
}

fn not_on_fargate(path: String, what: impl std::fmt::Display) -> Error {
    Error::invalid(
        path,
        format!("{what} is not supported with requiresCompatibilities FARGATE"),
    )
}

/// What `requiresCompatibilities` FARGATE refuses. RegisterTaskDefinition validates the
/// definition against each listed compatibility: "If the task definition doesn't validate against
/// the compatibilities specified, a client exception is returned." (Amazon ECS task definition
/// parameters for Fargate, "Capacity", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
/// The parameters are those of "Amazon ECS task definition differences for Fargate"
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html),
/// whose first list is "not valid in Fargate tasks".
pub(crate) fn check_registration(
    task: &Map,
    root: &str,
    containers: &[&Map],
    container_root: &str,
) -> Result<(), Error> {
    // "ClientException: Tasks using the Fargate launch type do not support ipcMode."
    // (cn-terraform/terraform-aws-ecs-fargate #2)
    if let Some(mode) = string(task, "ipcMode") {
        return Err(not_on_fargate(
            format!("{root}.ipcMode"),
            format_args!("ipcMode {}", quoted(mode)),
        ));
    }
    // ECS API reference `RegisterTaskDefinition.pidMode`: on Fargate only `task` (platform
    // 1.4.0 or later); CloudFormation's Create TaskDefinition refuses `host` (aws/aws-cdk #30019).
    if string(task, "pidMode") == Some("host") {
        return Err(not_on_fargate(
            format!("{root}.pidMode"),
            "pidMode \"host\" (only \"task\" is)",
        ));
    }
    if non_empty_list(task, "placementConstraints") {
        return Err(not_on_fargate(
            format!("{root}.placementConstraints"),
            "placementConstraints (Fargate places tasks itself)",
        ));
    }
    // "Fargate tasks only support bind mount host volumes, so the dockerVolumeConfiguration
    // parameter is not supported."
    for (index, volume) in objects(task, "volumes") {
        if volume.contains_key("dockerVolumeConfiguration") {
            return Err(not_on_fargate(
                format!("{root}.volumes[{index}].dockerVolumeConfiguration"),
                "dockerVolumeConfiguration (use a bind mount or efsVolumeConfiguration)",
            ));
        }
        // A Fargate bind mount is task storage, never a path on a host: RegisterTaskDefinition
        // answers "ClientException: host.sourcePath should not be set for volumes in Fargate"
        // (aws/amazon-ecs-cli issues 417 and 501), and `terraform apply` shows "Fargate
        // compatible task definitions do not support sourcePath"
        // (cloudposse/terraform-aws-ecs-alb-service-task issue 174). A host volume without it
        // (`"host": {}`, or no `host`) is the bind mount Fargate supports.
        if volume
            .get("host")
            .and_then(Value::as_object)
            .is_some_and(|host| host.get("sourcePath").is_some_and(|path| !path.is_null()))
        {
            return Err(not_on_fargate(
                format!("{root}.volumes[{index}].host.sourcePath"),
                "host.sourcePath (a Fargate bind mount is task storage: leave sourcePath out)",
            ));
        }
    }
    let has_execution_role = string(task, "executionRoleArn").is_some_and(|arn| !arn.is_empty());
    for (index, container) in containers.iter().enumerate() {
        let path = format!("{container_root}[{index}]");
        check_fargate_container(container, &path)?;
        if has_execution_role {
            continue;
        }
        // RegisterTaskDefinition answers "Fargate requires task definition to have execution
        // role ARN to support log driver awslogs." (virtual-kubelet #193, aws/aws-cdk #1279);
        // the task execution IAM role page names awslogs among what needs the role.
        let driver = container
            .get("logConfiguration")
            .and_then(Value::as_object)
            .and_then(|log| string(log, "logDriver"));
        if driver == Some("awslogs") {
            return Err(Error::invalid(
                format!("{root}.executionRoleArn"),
                format!(
                    "is required with requiresCompatibilities FARGATE when a container logs with awslogs ({path}.logConfiguration.logDriver): Fargate sends the logs with the execution role"
                ),
            ));
        }
        // RegisterTaskDefinition answers "Fargate requires task definition to have execution
        // role ARN to support ECR images." (hashicorp/terraform-provider-aws #3051,
        // jenkinsci/amazon-ecs-plugin #53). Private ECR images only: their registry is
        // ACCOUNT.dkr.ecr.REGION.amazonaws.com (public.ecr.aws needs no role).
        if let Some(image) = string(container, "image").filter(|image| is_private_ecr(image)) {
            return Err(Error::invalid(
                format!("{root}.executionRoleArn"),
                format!(
                    "is required with requiresCompatibilities FARGATE when a container's image is in a private ECR repository ({path}.image {}): Fargate pulls it with the execution role",
                    quoted(image)
                ),
            ));
        }
    }
    Ok(())
}

/// `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/...`.
fn is_private_ecr(image: &str) -> bool {
    let Some((registry, _)) = image.split_once('/') else {
        return false;
    };
    let mut parts = registry.split('.');
    let (Some(account), Some("dkr"), Some(ecr)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    account.len() == 12
        && account.bytes().all(|byte| byte.is_ascii_digit())
        && (ecr == "ecr" || ecr == "ecr-fips")
        && (registry.ends_with(".amazonaws.com") || registry.ends_with(".amazonaws.com.cn"))
}

/// What a Fargate container may not have. Booleans are refused only when true and lists only
/// when not empty: false and [] are what leaving them out means.
fn check_fargate_container(container: &Map, path: &str) -> Result<(), Error> {
    if let Some(Value::String(driver)) = container
        .get("logConfiguration")
        .and_then(|log| log.get("logDriver"))
        && !FARGATE_LOG_DRIVERS.contains(&driver.as_str())
    {
        return Err(Error::invalid(
            format!("{path}.logConfiguration.logDriver"),
            format!(
                "{} is not supported with requiresCompatibilities FARGATE (Fargate supports {})",
                quoted(driver),
                FARGATE_LOG_DRIVERS.join(", ")
            ),
        ));
    }
    for key in ["privileged", "disableNetworking"] {
        if container.get(key) == Some(&Value::Bool(true)) {
            return Err(not_on_fargate(
                format!("{path}.{key}"),
                format_args!("{key} true"),
            ));
        }
    }
    for key in [
        "links",
        "extraHosts",
        "dnsServers",
        "dnsSearchDomains",
        "dockerSecurityOptions",
    ] {
        if non_empty_list(container, key) {
            return Err(not_on_fargate(format!("{path}.{key}"), key));
        }
    }
    for (index, requirement) in objects(container, "resourceRequirements") {
        if string(requirement, "type") == Some("GPU") {
            return Err(not_on_fargate(
                format!("{path}.resourceRequirements[{index}].type"),
                "a GPU",
            ));
        }
    }
    let Some(linux) = container.get("linuxParameters").and_then(Value::as_object) else {
        return Ok(());
    };
    // "The devices, sharedMemorySize, and tmpfs parameters are not supported"; maxSwap and
    // swappiness are "not valid in Fargate tasks".
    for key in ["devices", "tmpfs"] {
        if non_empty_list(linux, key) {
            return Err(not_on_fargate(
                format!("{path}.linuxParameters.{key}"),
                format_args!("linuxParameters.{key}"),
            ));
        }
    }
    for key in ["sharedMemorySize", "maxSwap", "swappiness"] {
        if linux.contains_key(key) {
            return Err(not_on_fargate(
                format!("{path}.linuxParameters.{key}"),
                format_args!("linuxParameters.{key}"),
            ));
        }
    }
    let added = linux
        .get("capabilities")
        .and_then(|capabilities| capabilities.get("add"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (index, capability) in added.iter().enumerate() {
        if let Some(capability) = capability.as_str()
            && !FARGATE_CAPABILITIES.contains(&capability)
        {
            return Err(Error::invalid(
                format!("{path}.linuxParameters.capabilities.add[{index}]"),
                format!(
                    "{} is not supported with requiresCompatibilities FARGATE (the only capability Fargate adds is SYS_PTRACE)",
                    quoted(capability)
                ),
            ));
        }
    }
    Ok(())
}
