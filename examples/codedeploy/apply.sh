#!/usr/bin/env bash
# Applies a saved plan of this example, then deploys with CodeDeploy the revision that apply
# registered, and nothing else. After a pipeline's CodeDeploy deployment the apply registers no
# revision (registered_task_definition_arn stays as it was), so the pipeline's image stays; after
# a Terraform change it registers one, carrying the image the service ran, and that is deployed.
#
# Usage: ./apply.sh PLANFILE     (made by `terraform plan -out=PLANFILE`)
set -euo pipefail

plan=${1:?usage: ./apply.sh PLANFILE}
before=$(terraform output -raw registered_task_definition_arn 2>/dev/null || true)
terraform apply -input=false "$plan"
after=$(terraform output -raw registered_task_definition_arn)

if [[ "$after" == "$before" ]]; then
  echo "No revision registered: nothing to deploy; the service keeps the revision it runs."
  exit 0
fi
echo "Deploying $after with CodeDeploy."
aws deploy create-deployment \
  --application-name ecs-drift-codedeploy \
  --deployment-group-name ecs-drift-codedeploy \
  --revision "{\"revisionType\": \"AppSpecContent\", \"appSpecContent\": {\"content\": $(terraform output -json appspec)}}"
