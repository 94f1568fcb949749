variable "policy_jsons" {
  description = "The root module instances' `deployer_policy_json` documents, one per service (for example `[for service in module.service : service.deployer_policy_json]`). Any IAM policy documents of one account merge the same way."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.policy_jsons) > 0 && alltrue([for document in var.policy_jsons : can(jsondecode(document).Statement[0].Effect)])
    error_message = "policy_jsons must be a non-empty list of IAM policy documents as JSON, each with a Statement list."
  }
}

variable "services_per_document" {
  description = "How many of `policy_jsons` each document of `policy_jsons` (the output) merges. Null: all in one. Lower it when a document passes IAM's 6,144-character limit for a managed policy (the plan then fails, naming the sizes)."
  type        = number
  default     = null

  validation {
    condition     = var.services_per_document == null || try(var.services_per_document >= 1 && floor(var.services_per_document) == var.services_per_document, false)
    error_message = "services_per_document must be null or a whole number of at least 1."
  }
}
