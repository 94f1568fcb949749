################################################################################
# Many services' deployer policies as few documents
################################################################################

# A statement allows its actions on each of its resources under its condition, and a policy allows
# what any of its statements allows (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
# So statements with the same Effect, Action and Condition are one statement with the union of
# their Resources, and the documents merged allow exactly what the documents apart allow: nothing
# here knows which statements the root module writes. Sids are dropped (optional, and unique per
# document: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).

locals {
  # Each document's statements with Action and Resource as sorted lists, so that equal statements
  # have equal keys whether an element was written as a string or a list.
  statements = [
    for document in var.policy_jsons : [
      for statement in jsondecode(document).Statement : {
        key = jsonencode({
          Effect    = statement.Effect
          Action    = sort(distinct(flatten([statement.Action])))
          Condition = try(statement.Condition, null)
        })
        resources = flatten([statement.Resource])
      }
    ]
  ]

  per_document = coalesce(var.services_per_document, length(var.policy_jsons))

  # The groups of documents merged: all of them, then the chunks of services_per_document.
  groups = concat([local.statements], chunklist(local.statements, local.per_document))

  # Per group: the statement key to the union of its resources.
  merged = [
    for group in local.groups : {
      for statement in flatten(group) : statement.key => statement.resources...
    }
  ]

  # The documents as JSON, written out so that a single action or resource is a string (IAM reads
  # a one-element list and a string alike,
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html) and
  # nothing is spent on whitespace.
  documents = [
    for statements in local.merged : format(
      "{\"Version\":\"2012-10-17\",\"Statement\":[%s]}",
      join(",", [
        for key, resources in statements : format(
          "{\"Effect\":%s,\"Action\":%s,%s\"Resource\":%s}",
          jsonencode(jsondecode(key).Effect),
          length(jsondecode(key).Action) == 1 ? jsonencode(jsondecode(key).Action[0]) : jsonencode(jsondecode(key).Action),
          jsondecode(key).Condition == null ? "" : format("\"Condition\":%s,", jsonencode(jsondecode(key).Condition)),
          length(distinct(flatten(resources))) == 1 ? jsonencode(one(distinct(flatten(resources)))) : jsonencode(sort(distinct(flatten(resources)))),
        )
      ])
    )
  ]
}
