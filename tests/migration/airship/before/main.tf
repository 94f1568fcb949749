# Before: a Fargate service without a load balancer, managed by the Airship ECS service module
# (blinkist/terraform-aws-airship-ecs-service 1.0.0). ./airship declares the resources that module
# creates, at the addresses it creates them at (see airship/main.tf); a pipeline ships images.

resource "aws_security_group" "web" {
  name_prefix = "web-"
  vpc_id      = data.aws_vpc.default.id
}

data "aws_ecs_cluster" "prod" {
  cluster_name = "prod"
}

module "web" {
  source = "./airship"

  name           = "web"
  ecs_cluster_id = data.aws_ecs_cluster.prod.arn
  region         = "eu-west-1"

  fargate_enabled           = true
  awsvpc_enabled            = true
  awsvpc_subnets            = data.aws_subnets.default.ids
  awsvpc_security_group_ids = [aws_security_group.web.id]
  assign_public_ip          = true

  bootstrap_container_image = "public.ecr.aws/nginx/nginx:stable"
  container_cpu             = 256
  container_memory          = 512
  container_port            = 80
  container_envvars         = { LOG_LEVEL = "info" }

  capacity_properties_desired_capacity = 1
}
