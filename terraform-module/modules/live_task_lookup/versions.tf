terraform {
  # 1.1: nullable variables (with defaults), validations; the root module needs 1.4.
  required_version = ">= 1.4"

  required_providers {
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
