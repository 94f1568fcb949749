//! The rules RegisterTaskDefinition enforces beyond each field's own shape and range: the quotas,
//! what the network mode refuses, and how the containers' sizes must fit the task's; what
//! `requiresCompatibilities` FARGATE refuses is `fargate.rs`'s, called from here.
//!
//! They run on what the user wrote (the desired side) only, after the strict walk and the field
//! rules (`parse.rs`, `container.rs`, `task.rs`): a definition DescribeTaskDefinition returns was accepted by
//! ECS already, and refusing it would block every plan. Each rule names its source beside it. A
//! constraint the documentation states without saying whether ECS refuses it at registration or
//! only when a task starts is left out, so that no valid definition is refused; those are listed
//! in the crate's documentation (lib.rs).

use std::io;

use crate::error::{Error, quoted};
use crate::fargate;
use crate::json::{Map, int, non_empty_list, objects, string, strings};
use crate::network_mode::NetworkMode;
use crate::units::{Unit, size_in_units};

/// Service quota "Containers per task definition": 10, not adjustable.
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html; RegisterTaskDefinition
/// answers "ClientException: Too many containers.", aws/amazon-ecs-cli #184)
pub(crate) const MAX_CONTAINERS: usize = 10;

/// Service quota "Task definition size": 64 KiB, not adjustable
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html). Measured as
/// the compact JSON of the desired definition, which is what RegisterTaskDefinition is sent.
pub(crate) const MAX_TASK_DEFINITION_BYTES: usize = 64 * 1024;

/// The registration rules for the containers alone, which `container_definition` can check: it
/// knows the network mode, not the task's launch types or sizes.
pub(crate) fn check_container_registration(
    containers: &[Map],
    root: &str,
    network_mode: NetworkMode,
) -> Result<(), Error> {
    let refs: Vec<&Map> = containers.iter().collect();
    containers_rules(&refs, root, network_mode)
}

/// The registration rules for a desired whole task definition, already read by
/// `parse::read_task_definition`: the containers' rules, the size quota, the task size, and what
/// `requiresCompatibilities` FARGATE or EC2 demands.
pub(crate) fn check_task_registration(task: &Map, root: &str) -> Result<(), Error> {
    let network_mode = string(task, "networkMode")
        .and_then(|text| text.parse::<NetworkMode>().ok())
        .unwrap_or_default();
    let containers: Vec<&Map> = objects(task, "containerDefinitions")
        .map(|(_, container)| container)
        .collect();
    let container_root = format!("{root}.containerDefinitions");
    containers_rules(&containers, &container_root, network_mode)?;
    check_size(task, root)?;
    let compatibilities = strings(task, "requiresCompatibilities");
    check_task_size(task, root, &containers, &container_root, &compatibilities)?;
    if compatibilities.contains(&"FARGATE") {
        fargate::check_registration(task, root, &containers, &container_root)?;
    }
    Ok(())
}

fn containers_rules(
    containers: &[&Map],
    root: &str,
    network_mode: NetworkMode,
) -> Result<(), Error> {
    if containers.len() > MAX_CONTAINERS {
        return Err(Error::invalid(
            root,
            format!(
                "has {} container definitions; ECS allows at most {MAX_CONTAINERS} per task definition (service quota \"Containers per task definition\", not adjustable)",
                containers.len()
            ),
        ));
    }
    for (index, container) in containers.iter().enumerate() {
        check_network_mode(container, &format!("{root}[{index}]"), network_mode)?;
    }
    Ok(())
}

/// What a network mode forbids in a container.
fn check_network_mode(container: &Map, path: &str, network_mode: NetworkMode) -> Result<(), Error> {
    // ECS API reference `ContainerDefinition.hostname`: "The hostname parameter is not supported
    // if you're using the awsvpc network mode." RegisterTaskDefinition answers "hostname is not
    // supported on container when networkMode=awsvpc" (labd/ecs-deplojo #26).
    if network_mode == NetworkMode::Awsvpc
        && let Some(hostname) = string(container, "hostname")
    {
        return Err(Error::invalid(
            format!("{path}.hostname"),
            format!(
                "{} is not supported in awsvpc network mode (the task's network interface names the host); leave it out",
                quoted(hostname)
            ),
        ));
    }
    // ECS API reference `ContainerDefinition.links`: "This parameter is only supported if the
    // network mode of a task definition is bridge." RegisterTaskDefinition answers "Links are not
    // supported when networkMode=awsvpc" (aws-observability/aws-otel-collector #1359).
    if network_mode != NetworkMode::Bridge && non_empty_list(container, "links") {
        return Err(Error::invalid(
            format!("{path}.links"),
            format!(
                "are only supported in bridge network mode, not {network_mode}; containers of one task reach each other on localhost in awsvpc and host mode"
            ),
        ));
    }
    // ECS API reference `ContainerDefinition.extraHosts`: "This parameter isn't supported for
    // Windows containers or tasks that use the awsvpc network mode."
    if network_mode == NetworkMode::Awsvpc && non_empty_list(container, "extraHosts") {
        return Err(Error::invalid(
            format!("{path}.extraHosts"),
            "are not supported in awsvpc network mode; leave them out",
        ));
    }
    // ECS API reference `PortMapping`: "You can't expose the same container port for multiple
    // protocols. If you attempt this, an error is returned." (`protocol` absent means tcp)
    let mut exposed: Vec<(i64, &str, usize)> = Vec::new();
    for (index, mapping) in objects(container, "portMappings") {
        let Some(port) = int(mapping, "containerPort") else {
            continue;
        };
        let protocol = string(mapping, "protocol").unwrap_or("tcp");
        if let Some((_, first_protocol, first)) = exposed
            .iter()
            .find(|(known, known_protocol, _)| *known == port && *known_protocol != protocol)
        {
            return Err(Error::invalid(
                format!("{path}.portMappings[{index}].protocol"),
                format!(
                    "{protocol} is not allowed: containerPort {port} is already exposed for {first_protocol} by portMappings[{first}], and ECS exposes a container port for one protocol only"
                ),
            ));
        }
        exposed.push((port, protocol, index));
    }
    Ok(())
}

/// Counts the bytes written to it.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn check_size(task: &Map, root: &str) -> Result<(), Error> {
    let mut counter = Counter(0);
    // Writing to a counter cannot fail, and a Map always serialises.
    let _ = serde_json::to_writer(&mut counter, task);
    if counter.0 > MAX_TASK_DEFINITION_BYTES {
        return Err(Error::invalid(
            root,
            format!(
                "is {} bytes as JSON; ECS allows at most {MAX_TASK_DEFINITION_BYTES} (64 KiB, service quota \"Task definition size\", not adjustable): move large values to environmentFiles or secrets",
                counter.0
            ),
        ));
    }
    Ok(())
}

fn task_size(task: &Map, key: &str, unit: Unit) -> Option<i64> {
    string(task, key).and_then(|text| size_in_units(text, unit))
}

/// The containers' sizes against the task's.
fn check_task_size(
    task: &Map,
    root: &str,
    containers: &[&Map],
    container_root: &str,
    compatibilities: &[&str],
) -> Result<(), Error> {
    let task_memory = task_size(task, "memory", Unit::Memory);
    if let Some(task_memory) = task_memory {
        // RegisterTaskDefinition answers "The 'memory' setting for container 'NAME' is greater
        // than for the task." (pulumi/pulumi-awsx #188). ECS API reference
        // `ContainerDefinition.memory`: the container's hard limit, within the task's memory.
        for (index, container) in containers.iter().enumerate() {
            if let Some(memory) = int(container, "memory").filter(|memory| *memory > task_memory) {
                return Err(Error::invalid(
                    format!("{container_root}[{index}].memory"),
                    format!(
                        "{memory} is more than the task's memory ({task_memory} MiB); a container's memory must fit in the task's"
                    ),
                ));
            }
        }
    } else if compatibilities.contains(&"EC2") {
        // ECS API reference `ContainerDefinition.memory`: "If using the EC2 launch type, you must
        // specify either a task-level memory value or a container-level memory value."
        // RegisterTaskDefinition answers "Invalid setting for container 'NAME'. At least one of
        // 'memory' or 'memoryReservation' must be specified." (sil-org/ecs-deploy #59).
        for (index, container) in containers.iter().enumerate() {
            if !container.contains_key("memory") && !container.contains_key("memoryReservation") {
                return Err(Error::invalid(
                    format!("{container_root}[{index}]"),
                    "needs memory or memoryReservation when the task has no memory and requiresCompatibilities has EC2 (ECS must know how much memory to reserve on the instance)",
                ));
            }
        }
    }
    if let Some(task_cpu) = task_size(task, "cpu", Unit::Cpu) {
        // ECS API reference `ContainerDefinition.cpu`: the CPU reserved for all containers of a
        // task must fit in the task-level cpu. RegisterTaskDefinition answers "The sum of all
        // container 'cpu' values cannot be greater than the value of the task 'cpu'."
        // (aws/aws-cdk #24629, #1553)
        let total: i64 = containers
            .iter()
            .filter_map(|container| int(container, "cpu"))
            .sum();
        if total > task_cpu {
            return Err(Error::invalid(
                format!("{root}.cpu"),
                format!(
                    "{task_cpu} is less than the containers' cpu together ({total}); the containers' cpu must add up to at most the task's"
                ),
            ));
        }
    }
    Ok(())
}
