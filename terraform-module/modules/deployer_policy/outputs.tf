output "policy_json" {
  description = "One document allowing exactly what the documents of `policy_jsons` allow together. Attach it as an inline policy or a managed one when it fits IAM's limits (`characters`); otherwise attach `policy_jsons`."
  value       = local.documents[0]
}

output "policy_jsons" {
  description = "The documents of `policy_jsons` merged `services_per_document` at a time, each within IAM's 6,144-character limit for a managed policy (the plan fails otherwise): attach each as a managed policy of the role (10 per role by default, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)."
  value       = slice(local.documents, 1, length(local.documents))

  precondition {
    # IAM counts a managed policy's characters without whitespace; these documents have none
    # outside their strings (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
    condition     = alltrue([for document in slice(local.documents, 1, length(local.documents)) : length(replace(document, "/\\s/", "")) <= 6144])
    error_message = "A document of policy_jsons passes IAM's 6,144-character limit for a managed policy (sizes: ${join(", ", [for document in slice(local.documents, 1, length(local.documents)) : length(replace(document, "/\\s/", ""))])}): lower services_per_document."
  }
}

output "characters" {
  description = "The size of `policy_json`, then of each document of `policy_jsons`, in characters without whitespace, as IAM counts them against its limits (6,144 for a managed policy; 10,240 for all inline policies of a role together)."
  value       = [for document in local.documents : length(replace(document, "/\\s/", ""))]
}
