# A no-destroy gate for Terraform plans that use ecs-drift: every deletion in a plan is denied,
# except the one every Terraform-side change of an ecs-drift service plans, which deletes nothing
# in AWS:
#
# - the task definition's replacement: `aws_ecs_task_definition.this` is created before the old
#   one leaves the state, with `skip_destroy = true`, so the old revision stays registered (the AWS
#   provider deregisters nothing: "skip_destroy - (Optional) Whether to retain the old revision
#   when the resource is destroyed or replacement is necessary",
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition);
# - `terraform_data.revision`, the module's record of the revision, replaced with it in the same
#   module instance (a terraform_data resource is Terraform's own and exists nowhere else).
#
# A service, a role, a task definition without skip_destroy, a revision record replaced without its
# task definition, or the module's task definition deleted outright (`terraform plan -destroy`)
# is denied, with its address.
#
# Input: `terraform show -json PLANFILE` (Terraform's JSON output format, "resource_changes",
# https://developer.hashicorp.com/terraform/internals/json-format), at the input's root (OPA,
# conftest) or under `terraform` (a Spacelift plan policy's input,
# https://docs.spacelift.io/concepts/policy/terraform-plan-policy). Layout: conftest's (package
# main, `deny` rules, the file under policy/); policy/README.md has OPA, Spacelift and Sentinel:
#
#   terraform show -json plan.tfplan > plan.json
#   conftest test plan.json                          # from the folder holding policy/
#   opa eval -d policy -i plan.json 'data.main.deny'
#
# Written in Rego v1 with `import rego.v1`, which OPA 0.59 and later (1.x included) and conftest
# 0.47 and later read. tests/it/policy_as_code.rs judges it with a Rego engine (regorus) on plans of
# real Terraform runs.
package main

import rego.v1

# The plan: Terraform's JSON itself, or Spacelift's input, which holds it under `terraform`.
plan := object.get(input, "terraform", input)

# Terraform creates and deletes the same address: a replacement, in either order.
replaced(change) if {
	"create" in change.change.actions
	"delete" in change.change.actions
}

# The module instance an address is in ("" for the root module).
module_of(change) := object.get(change, "module_address", "")

# The task definition ecs-drift replaces: skip_destroy in the state, so the old revision stays.
kept_task_definition(change) if {
	change.mode == "managed"
	change.type == "aws_ecs_task_definition"
	change.name == "this"
	replaced(change)
	change.change.before.skip_destroy == true
}

# The revision record of the module instance whose task definition that is.
revision_record(change) if {
	change.mode == "managed"
	change.type == "terraform_data"
	change.name == "revision"
	replaced(change)
}

# Both, in the same module instance: the module's replacement, and nothing else.
ecs_drift_replacement(change) if {
	kept_task_definition(change)
	some other in plan.resource_changes
	revision_record(other)
	module_of(other) == module_of(change)
}

ecs_drift_replacement(change) if {
	revision_record(change)
	some other in plan.resource_changes
	kept_task_definition(other)
	module_of(other) == module_of(change)
}

deny contains message if {
	some change in plan.resource_changes
	"delete" in change.change.actions
	not ecs_drift_replacement(change)
	message := sprintf(
		"%s: the plan deletes it (%s); only ecs-drift's replacement of a skip_destroy task definition and its revision record passes this gate",
		[change.address, concat(", ", change.change.actions)],
	)
}
