#!/usr/bin/env python3
"""Seeds moto's ECS (and the EC2 network an awsvpc service needs) for the tests.

Run with the project's venv Python by the test harness (tests/harness/lib.rs, `Moto::seed`):

    moto_seed.py ENDPOINT ACTION '<JSON parameters>'

and prints one JSON object with what it created. Every action takes an optional "region" (default
us-east-1). Client retries are off: against moto a retried call can leave orphans behind.

Actions
  service         {"cluster", "service", "family", "containers": [{"name", "image"}, ...],
                   "controller": "ECS" | "EXTERNAL" | "CODE_DEPLOY"}
                  creates the cluster (if missing), a VPC, subnet and security group, registers the
                  family's task definition (awsvpc, Fargate) and creates the service; the EXTERNAL
                  controller gets no task definition on the service itself.
  register        {"family", "containers": [...]}: registers one more revision of the family.
  primary-task-set {"cluster", "service", "task_definition"}: creates a task set running
                  task_definition and makes it the service's PRIMARY one.
  delete-service  {"cluster", "service"}: deletes the service, which moto then describes as INACTIVE.
  describe-task-definition {"task_definition"}: prints {"status", "revision", "images": {name: image},
                  "environment": {container: {NAME: value}}, "tags": {key: value}}.
  describe-service {"cluster", "service"}: what ECS runs: prints {"status", "desired_count",
                  "task_definition_arn", "revision", "images", "environment", "tags"} of the service
                  and the task definition it runs (the PRIMARY task set's, when it has task sets, as
                  CODE_DEPLOY services do).
  scale           {"cluster", "service", "desired_count"}: sets the service's desired count with
                  UpdateService, as Application Auto Scaling does.
  create-cluster  {"cluster"}: creates the cluster.
  register-copy   {"task_definition", "container", "image"}: registers a copy of task_definition with
                  container's image swapped, as a pipeline does before it starts a CodeDeploy
                  deployment; prints {"task_definition_arn"}.
  deployments     {"transition"}: how the ECS deployments started from now on complete, with moto's
                  state manager (tests/moto_server.py, correction 4): {"progression": "immediate"}
                  (the default), {"progression": "manual", "times": N} (held for N describes) or
                  {"progression": "time", "seconds": N}.
  strategy        {"cluster", "service", "strategy", "bake_time_minutes", "lifecycle_hooks"?}:
                  sets the service's deploymentConfiguration.strategy (ROLLING, BLUE_GREEN, LINEAR,
                  CANARY), bake time and lifecycle hooks (the API's DeploymentLifecycleHook
                  objects; none when left out) with UpdateService (the rest of its
                  deploymentConfiguration kept), which the AWS provider 5.100 cannot.
  replacement-task-set {"cluster", "service", "task_definition"}: what a CodeDeploy deployment
                  starts with: a task set running task_definition ACTIVE beside the PRIMARY one;
                  prints {"task_set_arn"}.
  finish-task-set {"cluster", "service", "task_set_arn"}: what it ends with: that task set made
                  PRIMARY and the original one deleted.
"""

import json
import sys
import urllib.request

import boto3
from botocore.config import Config

REGION = "us-east-1"


def clients(endpoint, region):
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, region_name=region)
    session = boto3.session.Session(region_name=region)
    return (
        session.client("ecs", endpoint_url=endpoint, config=config),
        session.client("ec2", endpoint_url=endpoint, config=config),
    )


def register(ecs, family, containers):
    definitions = [
        {
            "name": container["name"],
            "image": container["image"],
            "essential": index == 0,
            "portMappings": [{"containerPort": 8080 + index, "protocol": "tcp"}],
            "environment": [{"name": "ROLE", "value": container["name"]}],
        }
        for index, container in enumerate(containers)
    ]
    answer = ecs.register_task_definition(
        family=family,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=definitions,
    )
    return answer["taskDefinition"]["taskDefinitionArn"]


def network(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(
        GroupName=f"ecs-drift-test-{vpc}", Description="ecs-drift test", VpcId=vpc
    )["GroupId"]
    return subnet, group


def service(ecs, ec2, parameters):
    cluster_arn = ecs.create_cluster(clusterName=parameters["cluster"])["cluster"]["clusterArn"]
    subnet, group = network(ec2)
    task_definition = register(ecs, parameters["family"], parameters["containers"])
    controller = parameters.get("controller", "ECS")
    arguments = dict(
        cluster=parameters["cluster"],
        serviceName=parameters["service"],
        desiredCount=1,
        deploymentController={"type": controller},
    )
    if controller == "EXTERNAL":
        pass
    else:
        arguments.update(
            taskDefinition=task_definition,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}
            },
        )
    created = ecs.create_service(**arguments)["service"]
    return {
        "cluster_arn": cluster_arn,
        "service_arn": created["serviceArn"],
        "task_definition_arn": task_definition,
        "subnet": subnet,
        "security_group": group,
    }


def primary_task_set(ecs, ec2, parameters):
    subnet, group = network(ec2)
    task_set = ecs.create_task_set(
        cluster=parameters["cluster"],
        service=parameters["service"],
        taskDefinition=parameters["task_definition"],
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}},
    )["taskSet"]
    ecs.update_service_primary_task_set(
        cluster=parameters["cluster"], service=parameters["service"], primaryTaskSet=task_set["taskSetArn"]
    )
    return {"task_set_arn": task_set["taskSetArn"]}


def describe_task_definition(ecs, parameters):
    described = ecs.describe_task_definition(taskDefinition=parameters["task_definition"], include=["TAGS"])
    definition = described["taskDefinition"]
    containers = definition["containerDefinitions"]
    return {
        "tags": {tag["key"]: tag["value"] for tag in described.get("tags", [])},
        "status": definition["status"],
        "revision": definition["revision"],
        "images": {c["name"]: c["image"] for c in containers},
        "environment": {c["name"]: {e["name"]: e["value"] for e in c.get("environment", [])} for c in containers},
    }


# What DescribeTaskDefinition returns that RegisterTaskDefinition does not take.
READ_ONLY = ("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
             "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt")


def register_copy(ecs, parameters):
    definition = ecs.describe_task_definition(taskDefinition=parameters["task_definition"])["taskDefinition"]
    for key in READ_ONLY:
        definition.pop(key, None)
    for container in definition["containerDefinitions"]:
        if container["name"] == parameters["container"]:
            container["image"] = parameters["image"]
    arn = ecs.register_task_definition(**definition)["taskDefinition"]["taskDefinitionArn"]
    return {"task_definition_arn": arn}


def describe_service(ecs, parameters):
    service = ecs.describe_services(cluster=parameters["cluster"], services=[parameters["service"]])["services"][0]
    primary = [task_set for task_set in service.get("taskSets", []) if task_set.get("status") == "PRIMARY"]
    arn = primary[0]["taskDefinition"] if primary else service["taskDefinition"]
    definition = describe_task_definition(ecs, {"task_definition": arn})
    return {
        "status": service["status"],
        "desired_count": service["desiredCount"],
        "task_definition_arn": arn,
        "revision": definition["revision"],
        "images": definition["images"],
        "environment": definition["environment"],
        "tags": definition["tags"],
    }


def deployments(endpoint, parameters):
    request = urllib.request.Request(
        f"{endpoint}/moto-api/state-manager/set-transition",
        data=json.dumps({"model_name": "ecs::deployment", "transition": parameters["transition"]}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        answer.read()
    return {}


def replacement_task_set(ecs, parameters):
    service = ecs.describe_services(cluster=parameters["cluster"], services=[parameters["service"]])["services"][0]
    arguments = dict(
        cluster=parameters["cluster"],
        service=parameters["service"],
        taskDefinition=parameters["task_definition"],
        launchType="FARGATE",
        loadBalancers=service.get("loadBalancers", []),
    )
    if service.get("networkConfiguration"):
        arguments["networkConfiguration"] = service["networkConfiguration"]
    return {"task_set_arn": ecs.create_task_set(**arguments)["taskSet"]["taskSetArn"]}


def finish_task_set(ecs, parameters):
    cluster, name, arn = parameters["cluster"], parameters["service"], parameters["task_set_arn"]
    ecs.update_service_primary_task_set(cluster=cluster, service=name, primaryTaskSet=arn)
    for task_set in ecs.describe_services(cluster=cluster, services=[name])["services"][0].get("taskSets", []):
        if task_set["taskSetArn"] != arn:
            ecs.delete_task_set(cluster=cluster, service=name, taskSet=task_set["taskSetArn"])
    return {}


def main():
    endpoint, action, parameters = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    ecs, ec2 = clients(endpoint, parameters.get("region", REGION))
    if action == "service":
        result = service(ecs, ec2, parameters)
    elif action == "register":
        result = {"task_definition_arn": register(ecs, parameters["family"], parameters["containers"])}
    elif action == "primary-task-set":
        result = primary_task_set(ecs, ec2, parameters)
    elif action == "describe-task-definition":
        result = describe_task_definition(ecs, parameters)
    elif action == "describe-service":
        result = describe_service(ecs, parameters)
    elif action == "register-copy":
        result = register_copy(ecs, parameters)
    elif action == "deployments":
        result = deployments(endpoint, parameters)
    elif action == "strategy":
        described = ecs.describe_services(cluster=parameters["cluster"], services=[parameters["service"]])
        configuration = described["services"][0].get("deploymentConfiguration") or {}
        configuration.update(
            strategy=parameters["strategy"],
            bakeTimeInMinutes=parameters["bake_time_minutes"],
            lifecycleHooks=parameters.get("lifecycle_hooks", []),
        )
        ecs.update_service(
            cluster=parameters["cluster"], service=parameters["service"], deploymentConfiguration=configuration
        )
        result = {}
    elif action == "replacement-task-set":
        result = replacement_task_set(ecs, parameters)
    elif action == "finish-task-set":
        result = finish_task_set(ecs, parameters)
    elif action == "create-cluster":
        result = {"cluster_arn": ecs.create_cluster(clusterName=parameters["cluster"])["cluster"]["clusterArn"]}
    elif action == "scale":
        ecs.update_service(
            cluster=parameters["cluster"], service=parameters["service"], desiredCount=parameters["desired_count"]
        )
        result = {}
    elif action == "delete-service":
        ecs.delete_service(cluster=parameters["cluster"], service=parameters["service"], force=True)
        result = {}
    else:
        sys.exit(f"moto_seed.py: unknown action {action!r}")
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
