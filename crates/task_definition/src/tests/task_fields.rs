//! The task-level fields' rules.

use super::*;

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
    match parse_task_definition(value.clone(), "desired_task_definition") {
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
        if let Err(error) = parse_task_definition(task(json!({"taskRoleArn": arn})).clone(), "t") {
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
            parse_task_definition(fargate(json!({"cpu": cpu, "memory": memory})).clone(), "t")
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
