terraform {
  # 1.5, as the root module: validations, output preconditions.
  required_version = ">= 1.5"
}

locals {
  # The release this module belongs to, as every module of terraform-module/ carries it (written
  # by scripts/release, checked by tests/it/versions.rs). This module runs no program to send it to.
  module_version = "0.1.0"
}
