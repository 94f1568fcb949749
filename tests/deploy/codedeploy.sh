#!/usr/bin/env bash
# Deploys the task definition an AppSpec names to a CODE_DEPLOY service, the way a pipeline
# starts a blue/green deployment: `aws deploy create-deployment` with the AppSpec. moto's
# CodeDeploy records the deployment but does not act on ECS, so this script then makes the ECS
# calls CodeDeploy makes when it shifts traffic: a task set (the green one) running the AppSpec's
# task definition behind the green target group, made the service's PRIMARY task set. What it
# cannot show: traffic shifting, health checks, the deployment's lifecycle and rollbacks.
#
# Usage: codedeploy.sh CLUSTER SERVICE APPLICATION DEPLOYMENT_GROUP TARGET_GROUP_ARN APPSPEC_JSON
# Environment: AWS (default: aws) and JQ (default: jq) name the programs.
set -euo pipefail

if [[ $# -ne 6 ]]; then
  echo "usage: $0 CLUSTER SERVICE APPLICATION DEPLOYMENT_GROUP TARGET_GROUP_ARN APPSPEC_JSON" >&2
  exit 2
fi
cluster=$1 service=$2 application=$3 group=$4 target_group=$5 appspec=$6
aws=${AWS:-aws}
jq=${JQ:-jq}

revision=$("$jq" -n --arg content "$appspec" '{revisionType: "AppSpecContent", appSpecContent: {content: $content}}')
"$aws" deploy create-deployment --application-name "$application" --deployment-group-name "$group" \
  --revision "$revision" --query deploymentId --output text >/dev/null

task_definition=$(printf '%s' "$appspec" | "$jq" -r '.Resources[0].TargetService.Properties.TaskDefinition')
container=$(printf '%s' "$appspec" | "$jq" -r '.Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerName')
port=$(printf '%s' "$appspec" | "$jq" -r '.Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort')
network=$("$aws" ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].networkConfiguration' --output json)
task_set=$("$aws" ecs create-task-set --cluster "$cluster" --service "$service" \
  --task-definition "$task_definition" --launch-type FARGATE --network-configuration "$network" \
  --load-balancers "targetGroupArn=$target_group,containerName=$container,containerPort=$port" \
  --query taskSet.taskSetArn --output text)
"$aws" ecs update-service-primary-task-set --cluster "$cluster" --service "$service" \
  --primary-task-set "$task_set" --query taskSet.taskDefinition --output text
