#!/usr/bin/env bash
# Pipes ecs-drift's three programs by hand, the way the Terraform module's data sources do on a plan:
#   live_task_lookup -> container_definition -> task_definition_selector
# Read-only: it asks ECS what the service runs (DescribeServices, DescribeTaskDefinition) and prints
# what Terraform would do. It registers nothing and updates nothing.
#
# Usage: run.sh CLUSTER SERVICE CONTAINERS_JSON [TASK_JSON]
#   CONTAINERS_JSON  JSON array of container definitions in the ECS API's camelCase; each `image` is
#                    the bootstrap image (used on the first apply).
#   TASK_JSON        JSON object of the task-level fields in camelCase (family, cpu, memory,
#                    networkMode, ...). Default: a Fargate task, family SERVICE, 256 CPU, 512 MiB.
# Environment (all optional):
#   BIN_DIR                 where the programs are; default: PATH
#   REGION, PROFILE         region and shared-config profile of the lookup; default: the AWS chain
#   ENDPOINT_URL            ECS endpoint, such as a local emulator
#   LIVE_IMAGE_CONTAINERS   JSON array of the containers that follow deployments; default: all
#   FORCE_BOOTSTRAP_IMAGE   "true" to use the configured images even when others run
#   OUT_DIR                 where the three results and the task definition are written;
#                           default: a new temporary directory
#   JQ                      the jq to run, or a jq-compatible program such as jaq; default: jq
set -euo pipefail

if [[ $# -lt 3 || $# -gt 4 ]]; then
  awk 'NR >= 7 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 7 { exit }' "$0" >&2
  exit 2
fi
jq=${JQ:-jq}
command -v "$jq" >/dev/null || { echo "run.sh: $jq is required (apt-get install jq, or set JQ to a jq-compatible program)" >&2; exit 2; }

cluster=$1
service=$2
containers=$3
task=${4:-"{\"family\":\"$service\",\"cpu\":\"256\",\"memory\":\"512\",\"networkMode\":\"awsvpc\",\"requiresCompatibilities\":[\"FARGATE\"]}"}
bin=${BIN_DIR:+${BIN_DIR%/}/}
out=${OUT_DIR:-$(mktemp -d)}
mkdir -p "$out"

# Fail early, with the line jq gives, on input that is not JSON of the right shape.
"$jq" -e 'type == "array"' <<<"$containers" >/dev/null || { echo "run.sh: CONTAINERS_JSON must be a JSON array" >&2; exit 2; }
"$jq" -e 'type == "object"' <<<"$task" >/dev/null || { echo "run.sh: TASK_JSON must be a JSON object" >&2; exit 2; }

# 1. What does the service run now? Every query value is a string; "" means absent.
"$jq" -n --arg cluster "$cluster" --arg service "$service" \
  --arg region "${REGION:-}" --arg profile "${PROFILE:-}" --arg endpoint_url "${ENDPOINT_URL:-}" \
  '{cluster: $cluster, service: $service, region: $region, profile: $profile, endpoint_url: $endpoint_url}' \
  | "${bin}live_task_lookup" >"$out/lookup.json"

# 2. The containers, each following container keeping the image the service runs.
"$jq" -n --argjson containers "$containers" --argjson task "$task" --slurpfile lookup "$out/lookup.json" \
  --arg live_image_containers "${LIVE_IMAGE_CONTAINERS:-}" --arg force "${FORCE_BOOTSTRAP_IMAGE:-false}" \
  '{
     container_definitions: ($containers | tojson),
     live_images: $lookup[0].images,
     live_image_containers: $live_image_containers,
     force_bootstrap_image: $force,
     network_mode: ($task.networkMode // "bridge")
   }' \
  | "${bin}container_definition" >"$out/containers.json"

# 3. The whole desired task definition against the live one.
"$jq" -n --argjson task "$task" --slurpfile containers "$out/containers.json" \
  '$task + {containerDefinitions: ($containers[0].container_definitions | fromjson)}' >"$out/task-definition.json"
"$jq" -n --slurpfile desired "$out/task-definition.json" --slurpfile lookup "$out/lookup.json" \
  '{
     desired_task_definition: ($desired[0] | tojson),
     live_task_definition: $lookup[0].task_definition,
     live_task_definition_arn: $lookup[0].task_definition_arn
   }' \
  | "${bin}task_definition_selector" >"$out/selection.json"

# What Terraform would do.
"$jq" -r '"live:     " + (if .found == "true" then .task_definition_arn else "no running service (" + .status + ") in " + .region end)' "$out/lookup.json"
"$jq" -r '(.images | fromjson) as $images | .image_sources | fromjson | to_entries[]
       | "image:    \(.key) = \($images[.key]) (\(.value))"' "$out/containers.json"
if [[ $("$jq" -r .changed "$out/selection.json") == "true" ]]; then
  echo "changed:  true (a new revision is registered and the service moves to it)"
  "$jq" -r '.differences | split("\n")[] | "  " + .' "$out/selection.json"
  echo "register: aws ecs register-task-definition --cli-input-json file://$out/task-definition.json"
else
  echo "changed:  false (the service stays on $("$jq" -r .task_definition_arn "$out/selection.json"))"
fi
echo "results:  $out"
