#!/usr/bin/env python3
"""Writes the benchmark inputs: a large task definition (10 containers, 80 environment variables
and 20 secrets each, about as large as ECS's 64 KiB task definition quota allows) as the queries of
container_definition and task_definition_selector.

Every container names 8 environment variables and 2 Docker labels as the pipeline's
(live_environment, live_docker_labels), each with a live value to keep.

The selector's live copy has every container's environment reversed and ECS's defaults filled in,
the worst ordinary case for the comparison."""

import json
import pathlib
import sys

CONTAINERS = 10
ENVIRONMENT = 80
SECRETS = 20
FOLLOWED = 8
LABELS = ["com.datadoghq.tags.version", "org.opencontainers.image.revision"]
ACCOUNT = "123456789012"


def container(index):
    name = f"app{index}"
    return {
        "name": name,
        "image": f"registry.example.com/team/{name}:1.0.{index}",
        "cpu": 256,
        "memory": 512,
        "essential": index == 0,
        "portMappings": [{"containerPort": 8000 + index}],
        "environment": [
            {"name": f"VARIABLE_{n:03d}", "value": f"value-{index}-{n}"} for n in range(ENVIRONMENT)
        ],
        "secrets": [
            {
                "name": f"SECRET_{n:02d}",
                "valueFrom": f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/{name}/secret-{n}",
            }
            for n in range(SECRETS)
        ],
        "dockerLabels": {key: "bootstrap" for key in LABELS},
        "command": ["serve", "--port", str(8000 + index)],
        "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]},
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": f"/ecs/{name}", "awslogs-region": "eu-west-1"},
        },
    }


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    containers = [container(i) for i in range(CONTAINERS)]
    followed = [f"VARIABLE_{n:03d}" for n in range(FOLLOWED)]
    (out / "container_definition.json").write_text(
        json.dumps(
            {
                "container_definitions": json.dumps(containers),
                "live_images": json.dumps({c["name"]: c["image"] + "-live" for c in containers}),
                "network_mode": "awsvpc",
                "live_environment": json.dumps({c["name"]: followed for c in containers}),
                "live_docker_labels": json.dumps({c["name"]: LABELS for c in containers}),
                "live_environment_values": json.dumps(
                    {c["name"]: {n: "live" for n in followed} for c in containers}
                ),
                "live_docker_label_values": json.dumps(
                    {c["name"]: {k: "live" for k in LABELS} for c in containers}
                ),
            }
        )
    )
    desired = {
        "family": "bench",
        "cpu": "4096",
        "memory": "8192",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/bench-execution",
        "containerDefinitions": containers,
    }
    live = json.loads(json.dumps(desired))
    live.update({"cpu": "4 vCPU", "memory": "8 GB", "revision": 7, "status": "ACTIVE",
                 "taskDefinitionArn": f"arn:aws:ecs:eu-west-1:{ACCOUNT}:task-definition/bench:7"})
    for c in live["containerDefinitions"]:
        c["environment"].reverse()
        c["secrets"].reverse()
        c.update({"mountPoints": [], "volumesFrom": [], "systemControls": []})
        for p in c["portMappings"]:
            p.update({"hostPort": p["containerPort"], "protocol": "tcp"})
        c["healthCheck"].update({"interval": 30, "timeout": 5, "retries": 3})
    live["containerDefinitions"].reverse()
    (out / "task_definition_selector.json").write_text(
        json.dumps(
            {
                "desired_task_definition": json.dumps(desired),
                "live_task_definition": json.dumps(live),
                "live_task_definition_arn": live["taskDefinitionArn"],
                "environment_sources": json.dumps(
                    {c["name"]: {n: "live" for n in followed} for c in containers}
                ),
                "docker_label_sources": json.dumps(
                    {c["name"]: {k: "live" for k in LABELS} for c in containers}
                ),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
