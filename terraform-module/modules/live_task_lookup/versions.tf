terraform {
  # 1.5, as the root module: nullable variables with defaults, validations, optional attributes.
  required_version = ">= 1.5"

  required_providers {
    external = {
      source = "hashicorp/external"
      # 2.3.x: the query is sent as given; unset values are passed as "" (never null), which every
      # program reads as absent, so 2.3.0 (drops ""), 2.3.1 (null as "") and 2.3.2+ (drops null)
      # all send the same query.
      version = ">= 2.3"
    }
  }
}
