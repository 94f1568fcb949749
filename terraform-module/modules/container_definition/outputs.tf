output "container_definitions_json" {
  description = "The container definitions as JSON in the form ECS returns them (defaults filled, environment and secrets sorted). Give aws_ecs_task_definition.container_definitions exactly this text: the provider then finds no difference on refresh."
  value       = data.external.this.result.container_definitions
}

output "container_definitions" {
  description = "The same container definitions, decoded (a list of objects): what the task_definition_selector submodule compares, as `containerDefinitions` of its `desired_task_definition`."
  value       = jsondecode(data.external.this.result.container_definitions)
}

output "images" {
  description = "Container name to the image it gets: an object of strings, as jsondecode gives it (the root module's `images` output has always had that type, so a root output re-exporting it does not change type)."
  value       = jsondecode(data.external.this.result.images)
}

output "image_sources" {
  description = "Container name to where its image comes from (an object of strings): live (kept from the running service), bootstrap (first apply or new container), forced (force_bootstrap_image) or pinned (not in live_image_containers)."
  value       = jsondecode(data.external.this.result.image_sources)
}

output "environment_sources" {
  description = "Container name to { NAME = source } for each name in live_environment: live (the value the service runs), bootstrap (the configured value: first apply, new container, or a name the live container lacks), forced (force_bootstrap_image) or absent (unset on both sides)."
  value       = jsondecode(data.external.this.result.environment_sources)
}

output "docker_label_sources" {
  description = "Container name to { key = source } for each key in live_docker_labels, as environment_sources."
  value       = jsondecode(data.external.this.result.docker_label_sources)
}
