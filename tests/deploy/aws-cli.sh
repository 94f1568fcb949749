#!/usr/bin/env bash
# Ships IMAGE to CONTAINER of SERVICE the way most CI jobs script it with the AWS CLI: describe the
# task definition the service runs, swap the image with jq, register the result as a new revision
# and point the service at it. The previous revision stays registered.
#
# Usage: aws-cli.sh CLUSTER SERVICE CONTAINER IMAGE
# Environment: AWS (default: aws) and JQ (default: jq) name the programs; the AWS CLI's own
# variables (AWS_ENDPOINT_URL, AWS_REGION, credentials) say where it calls.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 CLUSTER SERVICE CONTAINER IMAGE" >&2
  exit 2
fi
cluster=$1 service=$2 container=$3 image=$4
aws=${AWS:-aws}
jq=${JQ:-jq}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

running=$("$aws" ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
"$aws" ecs describe-task-definition --task-definition "$running" --query taskDefinition --output json >"$work/running.json"

# What RegisterTaskDefinition does not take back: the read-only fields DescribeTaskDefinition adds.
"$jq" --arg container "$container" --arg image "$image" '
  if any(.containerDefinitions[]; .name == $container) then . else error("no container \($container)") end
  | .containerDefinitions |= map(if .name == $container then .image = $image else . end)
  | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
        .registeredAt, .registeredBy, .deregisteredAt, .deleteRequestedAt)
' "$work/running.json" >"$work/next.json"

next=$("$aws" ecs register-task-definition --cli-input-json "file://$work/next.json" \
  --query taskDefinition.taskDefinitionArn --output text)
"$aws" ecs update-service --cluster "$cluster" --service "$service" --task-definition "$next" \
  --query service.taskDefinition --output text
