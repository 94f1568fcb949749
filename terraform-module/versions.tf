terraform {
  # 1.5: check blocks and import blocks; preconditions need 1.2.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.37.0 added aws_ecs_task_definition.track_latest, which the clean plan after a CI deploy
      # relies on (see README.md).
      version = ">= 5.37"
    }
    external = {
      source = "hashicorp/external"
      # 2.3.x: the query is sent as given; unset values are passed as "" (never null), which every
      # program reads as absent, so 2.3.0 (drops ""), 2.3.1 (null as "") and 2.3.2+ (drops null)
      # all send the same query.
      version = ">= 2.3"
    }
  }
}

locals {
  # The release this module belongs to, sent to every program as `module_version`: a program of
  # another minor version refuses the query in one line naming both. The workspace's version
  # (Cargo.toml), written by scripts/release and checked against it by tests/versions.rs.
  module_version = "0.1.0"
}
