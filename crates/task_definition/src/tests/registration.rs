//! Registration rules: each refused, and its valid neighbour at the edge accepted.

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
            .map(|index| json!({"name": format!("c{index}"), "image": "nginx:1.27", "memory": 32}))
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
