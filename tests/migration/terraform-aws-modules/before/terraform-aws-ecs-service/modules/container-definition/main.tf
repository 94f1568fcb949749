# terraform-aws-modules/ecs's modules/container-definition (v5.12.1): one container's definition
# with the module's defaults, and its CloudWatch log group "/aws/ecs/<service>/<container>".

variable "service" { type = string }
variable "name" { type = string }
variable "image" { type = string }
variable "port_mappings" { type = any }
variable "environment" { type = any }
variable "region" { type = string }

resource "aws_cloudwatch_log_group" "this" {
  count             = 1
  name              = "/aws/ecs/${var.service}/${var.name}"
  retention_in_days = 14
}

output "container_definition" {
  value = {
    name                   = var.name
    image                  = var.image
    essential              = true
    portMappings           = var.port_mappings
    environment            = var.environment
    readonlyRootFilesystem = true
    startTimeout           = 30
    stopTimeout            = 120
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-region        = var.region
        awslogs-group         = aws_cloudwatch_log_group.this[0].name
        awslogs-stream-prefix = "ecs"
      }
    }
  }
}
