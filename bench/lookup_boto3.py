#!/usr/bin/env python3
"""The lookup's two calls with boto3, for bench/lookup: DescribeServices, then DescribeTaskDefinition
of the task definition the service runs; prints the images as JSON. Endpoint, region and
credentials come from the environment (AWS_ENDPOINT_URL and friends), as for the other commands."""

import json
import sys

import boto3
from botocore.config import Config


def main(cluster, service):
    ecs = boto3.client("ecs", config=Config(retries={"total_max_attempts": 1}))
    described = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=described["taskDefinition"])["taskDefinition"]
    images = {container["name"]: container["image"] for container in definition["containerDefinitions"]}
    json.dump({"task_definition_arn": definition["taskDefinitionArn"], "images": json.dumps(images)}, sys.stdout)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:3])
