terraform {
  # 1.4: terraform_data (the registered revision, task_definition.tf) is the newest language
  # feature the module uses; optional object attributes with defaults need 1.3, preconditions and
  # replace_triggered_by 1.2, nullable variables 1.1.
  required_version = ">= 1.4"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.51.1: aws_ecs_task_definition's volume.configure_at_launch, which the task definition
      # sets (as null without such a volume), came with pull request 37019, released in 5.51.1
      # (the provider's CHANGELOG.md); an older provider rejects the argument on every plan.
      # Every other argument and attribute the module uses is older: track_latest 5.37.0,
      # skip_destroy 3.72.0, data.aws_region's id (the region's name on 5.x and 6.x alike).
      version = ">= 5.51.1"
    }
    external = {
      source = "hashicorp/external"
      # 2.3.x: the query is sent as given; unset values are passed as "" (never null), which every
      # program reads as absent, so 2.3.0 (drops ""), 2.3.1 (null as "") and 2.3.2+ (drops null)
      # all send the same query. Below 3.0: a major version may change what a program is sent
      # (the provider's issue 209 proposes passing null query values on as JSON null, which the
      # programs refuse as a wrong type).
      version = ">= 2.3, < 3.0"
    }
  }
}

locals {
  # The release this module belongs to, sent to every program as `module_version`: a program of
  # another minor version refuses the query in one line naming both. The workspace's version
  # (Cargo.toml), written by scripts/release and checked against it by tests/it/versions.rs.
  module_version = "0.1.0"
}
