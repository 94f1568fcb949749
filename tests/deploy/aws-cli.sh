#!/usr/bin/env bash
# Ships IMAGE to CONTAINER of SERVICE the way most CI jobs script it with the AWS CLI: describe the
# task definition the service runs, swap the image with jq, register the result as a new revision
# and point the service at it. The previous revision stays registered.
#
# Usage: aws-cli.sh CLUSTER SERVICE CONTAINER IMAGE [env NAME VALUE | label KEY VALUE]...
# Each `env` or `label` triple also sets an environment variable or a Docker label of CONTAINER,
# as pipelines that stamp the release into the task definition do (DD_VERSION and
# com.datadoghq.tags.version for Datadog's unified service tagging).
# Environment: AWS (default: aws) and JQ (default: jq) name the programs; the AWS CLI's own
# variables (AWS_ENDPOINT_URL, AWS_REGION, credentials) say where it calls.
set -euo pipefail

usage="usage: $0 CLUSTER SERVICE CONTAINER IMAGE [env NAME VALUE | label KEY VALUE]..."
if [[ $# -lt 4 ]]; then
  echo "$usage" >&2
  exit 2
fi
cluster=$1 service=$2 container=$3 image=$4
shift 4
aws=${AWS:-aws}
jq=${JQ:-jq}

# What to set besides the image: {"env": {NAME: VALUE}, "labels": {KEY: VALUE}}.
sets='{"env": {}, "labels": {}}'
while [[ $# -gt 0 ]]; do
  if [[ $# -lt 3 || ( $1 != env && $1 != label ) ]]; then
    echo "$usage" >&2
    exit 2
  fi
  sets=$("$jq" -c --arg kind "$1" --arg key "$2" --arg value "$3" \
    'if $kind == "env" then .env[$key] = $value else .labels[$key] = $value end' <<<"$sets")
  shift 3
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

running=$("$aws" ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
"$aws" ecs describe-task-definition --task-definition "$running" --query taskDefinition --output json >"$work/running.json"

# What RegisterTaskDefinition does not take back: the read-only fields DescribeTaskDefinition adds.
"$jq" --arg container "$container" --arg image "$image" --argjson sets "$sets" '
  if any(.containerDefinitions[]; .name == $container) then . else error("no container \($container)") end
  | .containerDefinitions |= map(if .name == $container then
      .image = $image
      | if $sets.env == {} then . else
          .environment = ([(.environment // [])[] | select(.name as $name | $sets.env | has($name) | not)]
            + [$sets.env | to_entries[] | {name: .key, value: .value}])
        end
      | if $sets.labels == {} then . else .dockerLabels = ((.dockerLabels // {}) + $sets.labels) end
    else . end)
  | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
        .registeredAt, .registeredBy, .deregisteredAt, .deleteRequestedAt)
' "$work/running.json" >"$work/next.json"

next=$("$aws" ecs register-task-definition --cli-input-json "file://$work/next.json" \
  --query taskDefinition.taskDefinitionArn --output text)
"$aws" ecs update-service --cluster "$cluster" --service "$service" --task-definition "$next" \
  --query service.taskDefinition --output text
