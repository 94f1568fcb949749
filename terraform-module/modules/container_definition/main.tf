# What should the containers be? One call of the container_definition program: the containers as
# written, with the live image kept where a container follows deployments.

locals {
  # "" means: find the program on PATH.
  bin_prefix = var.bin_dir == "" ? "" : "${trimsuffix(var.bin_dir, "/")}/"
}

# Pure: no AWS call. Every query value is a string, and an unset one is "" (read as absent by the
# program), never null: the external provider 2.3.0 drops "", 2.3.1 turns null into "" and 2.3.2+
# drops null.
data "external" "this" {
  program = ["${local.bin_prefix}container_definition"]

  query = {
    container_definitions = jsonencode(var.container_definitions)
    live_images           = jsonencode(var.live_images)
    # "" lets every container follow deployments; "[]" lets none.
    live_image_containers = var.live_image_containers == null ? "" : jsonencode(var.live_image_containers)
    force_bootstrap_image = tostring(var.force_bootstrap_image)
    network_mode          = var.network_mode
    module_version        = local.module_version
    # What else the pipeline owns: kept at the live value, as the image is.
    live_environment         = jsonencode(var.live_environment)
    live_docker_labels       = jsonencode(var.live_docker_labels)
    live_environment_values  = jsonencode(var.live_environment_values)
    live_docker_label_values = jsonencode(var.live_docker_label_values)
  }
}
