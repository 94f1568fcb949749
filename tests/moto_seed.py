#!/usr/bin/env python3
"""Seeds moto's ECS (and the EC2 network an awsvpc service needs) for the tests.

Run with the project's venv Python by the test harness (tests/harness/lib.rs, `Moto::seed`):

    moto_seed.py ENDPOINT ACTION '<JSON parameters>'

and prints one JSON object with what it created. Client retries are off: against moto a retried
call can leave orphans behind (see shared ECS_FACTS.md, "moto 5.2.5").

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
                  "environment": {container: {NAME: value}}}.
  apply           {"cluster", "service", "task_definition": {...} | null, "task_definition_arn",
                   "controller": "ECS" | "CODE_DEPLOY" | ...}:
                  what the Terraform module's two resources do. With a task definition (the
                  selector said "changed") it is registered, as aws_ecs_task_definition does; else
                  task_definition_arn (the live one) is used. Then the service is created (cluster
                  and network first) or, when it runs another ARN, updated, as aws_ecs_service does.
                  Prints {"task_definition_arn", "registered", "service_created", "service_updated"}.
"""

import json
import sys

import boto3
from botocore.config import Config

REGION = "us-east-1"


def clients(endpoint):
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, region_name=REGION)
    session = boto3.session.Session(region_name=REGION)
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
    definition = ecs.describe_task_definition(taskDefinition=parameters["task_definition"])["taskDefinition"]
    containers = definition["containerDefinitions"]
    return {
        "status": definition["status"],
        "revision": definition["revision"],
        "images": {c["name"]: c["image"] for c in containers},
        "environment": {c["name"]: {e["name"]: e["value"] for e in c.get("environment", [])} for c in containers},
    }


def apply(ecs, ec2, parameters):
    cluster, name = parameters["cluster"], parameters["service"]
    definition = parameters.get("task_definition")
    arn = parameters.get("task_definition_arn") or ""
    if definition:
        arn = ecs.register_task_definition(**definition)["taskDefinition"]["taskDefinitionArn"]
    try:
        described = ecs.describe_services(cluster=cluster, services=[name])["services"]
    except ecs.exceptions.ClusterNotFoundException:
        described = []
    running = [service for service in described if service["status"] == "ACTIVE"]
    created = updated = False
    if not running:
        ecs.create_cluster(clusterName=cluster)
        arguments = dict(
            cluster=cluster,
            serviceName=name,
            taskDefinition=arn,
            desiredCount=1,
            deploymentController={"type": parameters.get("controller") or "ECS"},
        )
        if (definition or {}).get("networkMode") == "awsvpc":
            subnet, group = network(ec2)
            arguments.update(
                launchType="FARGATE",
                networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}},
            )
        else:
            arguments.update(launchType="EC2")
        ecs.create_service(**arguments)
        created = True
    elif running[0]["taskDefinition"] != arn and running[0].get("deploymentController", {}).get("type") != "CODE_DEPLOY":
        # With CODE_DEPLOY the module's service ignores task_definition: CodeDeploy deploys it.
        ecs.update_service(cluster=cluster, service=name, taskDefinition=arn)
        updated = True
    return {
        "task_definition_arn": arn,
        "registered": bool(definition),
        "service_created": created,
        "service_updated": updated,
    }


def main():
    endpoint, action, parameters = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    ecs, ec2 = clients(endpoint)
    if action == "service":
        result = service(ecs, ec2, parameters)
    elif action == "register":
        result = {"task_definition_arn": register(ecs, parameters["family"], parameters["containers"])}
    elif action == "primary-task-set":
        result = primary_task_set(ecs, ec2, parameters)
    elif action == "describe-task-definition":
        result = describe_task_definition(ecs, parameters)
    elif action == "apply":
        result = apply(ecs, ec2, parameters)
    elif action == "delete-service":
        ecs.delete_service(cluster=parameters["cluster"], service=parameters["service"], force=True)
        result = {}
    else:
        sys.exit(f"moto_seed.py: unknown action {action!r}")
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
