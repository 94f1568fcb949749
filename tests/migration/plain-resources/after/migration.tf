# The old resources are forgotten, not destroyed: the service keeps running, and the old task
# definition's revisions stay registered.
removed {
  from = aws_ecs_service.web

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_ecs_task_definition.web

  lifecycle {
    destroy = false
  }
}

# The same service, imported into the module: "CLUSTER/SERVICE".
import {
  to = module.web.aws_ecs_service.this[0]
  id = "prod/web"
}

# The revision the service runs (the pipeline's, found by the module's own lookup) becomes the
# module's task definition, so nothing is registered and the deployed image stays.
import {
  to = module.web.aws_ecs_task_definition.this
  id = module.web.live_task_definition_arn
}
