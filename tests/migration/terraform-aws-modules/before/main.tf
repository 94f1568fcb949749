# Before: a Fargate service managed by terraform-aws-modules/ecs's service module (v5.12.1) with
# ignore_task_definition_changes = true, the setting for images shipped by a pipeline.
# ./terraform-aws-ecs-service declares the resources that module creates, at the addresses it
# creates them at (see its main.tf).

data "aws_ecs_cluster" "prod" {
  cluster_name = "prod"
}

module "ecs_service" {
  source = "./terraform-aws-ecs-service"

  name        = "web"
  cluster_arn = data.aws_ecs_cluster.prod.arn
  subnet_ids  = data.aws_subnets.default.ids
  vpc_id      = data.aws_vpc.default.id

  ignore_task_definition_changes = true
  enable_autoscaling             = false

  container_definitions = {
    app = {
      image         = "public.ecr.aws/nginx/nginx:stable"
      port_mappings = [{ name = "app", containerPort = 80, protocol = "tcp" }]
      environment   = [{ name = "LOG_LEVEL", value = "info" }]
    }
  }
}
