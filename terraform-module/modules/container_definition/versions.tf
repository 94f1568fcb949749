# The root module's requirements, for the provider this module uses: terraform-module/versions.tf
# gives the reason for each bound.
terraform {
  required_version = ">= 1.4"
  required_providers { external = { source = "hashicorp/external", version = ">= 2.3, < 3.0" } }
}

# The release this module belongs to, sent to the program as `module_version` (scripts/release
# writes it; tests/it/versions.rs checks it).
locals {
  module_version = "0.1.0"
}
