output "changed" {
  description = "true when the desired task definition differs from the live one (or there is none yet): the service must move to a new revision."
  value       = data.external.this.result.changed == "true"
}

output "task_definition_arn" {
  description = "The live task definition's ARN when nothing changed (keep the service on it: known at plan time, so the plan stays clean); \"\" when changed."
  value       = data.external.this.result.task_definition_arn
}

output "differences" {
  description = "One readable line per difference (list of strings), such as `task: cpu 256 -> 512`; on the first apply one line saying there is no live task definition; [] when unchanged."
  value       = compact(split("\n", data.external.this.result.differences))
}

output "difference_details" {
  description = "The differences as a list of objects {path, live, desired}: where (`cpu`, `containerDefinitions[app].environment[LOG_LEVEL].value`) and the two values in comparison form, each any JSON value (null when absent; environment values redacted unless show_environment_values)."
  value       = jsondecode(data.external.this.result.differences_json)
}
