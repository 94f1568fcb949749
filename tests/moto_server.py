#!/usr/bin/env python3
"""moto's server (moto[server], pinned in tests/requirements.txt) with the ECS behaviours the AWS
provider meets corrected to what ECS does, and AWS managed policies loaded. Nothing else differs
from `moto_server`; the arguments are its own:

    moto_server.py -H 127.0.0.1 -p PORT

Corrections, each to the behaviour the AWS API reference documents:

1. DescribeServices of a service created without `networkConfiguration` (bridge or host mode)
   omits the field; moto 5.2.5 returns `"networkConfiguration": {}`, on which the AWS provider
   5.100.0 dereferences the missing `awsvpcConfiguration` and crashes
   (flattenNetworkConfiguration). "networkConfiguration: The network configuration for the
   service. This parameter is required for task definitions that use the awsvpc network mode to
   receive their own elastic network interface" -- absent otherwise.
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html
2. CreateService keeps `availabilityZoneRebalancing`, `healthCheckGracePeriodSeconds` and
   `deploymentConfiguration`; moto 5.2.5 drops all three (UpdateService keeps them), so the first
   plan after a create shows the service changing (the CODE_DEPLOY example sets a grace period),
   and a later UpdateService of the strategy alone (tests/moto_seed.py `strategy`) would lose the
   percentages and the circuit breaker Terraform set. All three are members of the
   Service that DescribeServices returns; "For create service requests, when no value is
   specified for AvailabilityZoneRebalancing, Amazon ECS defaults the value to ENABLED."
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html

3. Application Auto Scaling keeps the tags of a scalable target: RegisterScalableTarget takes
   `Tags`, and ListTagsForResource, TagResource and UntagResource read and change them by the
   target's ARN. moto 5.2.5 implements none of the three (a 500 for each), and the AWS provider
   retries ListTagsForResource for minutes on every aws_appautoscaling_target it reads.
   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ListTagsForResource.html
   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TagResource.html
   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_UntagResource.html

4. A deployment takes time. UpdateService with another task definition, forceNewDeployment, or
   another value of a setting that "triggers a new service deployment" (network configuration,
   platform version, load balancers, service registries, capacity provider strategy, ECS Exec,
   propagate tags) starts a deployment: a new PRIMARY deployment IN_PROGRESS, the one it replaces ACTIVE beside
   it until the new one reaches a steady state and COMPLETED; moto 5.2.5 only swaps the service's
   `taskDefinition` and keeps one deployment, and leaves a created service's deployment
   IN_PROGRESS for good (it runs no task). "When a service deployment is started, it begins in an
   IN_PROGRESS state. When the service reaches a steady state, the deployment transitions to a
   COMPLETED state"; ACTIVE: "A service deployment that still has running tasks, but are in the
   process of being replaced with a new PRIMARY deployment". A blue/green, linear or canary
   deployment (`deploymentConfiguration.strategy`, set with UpdateService) is the same two
   deployments until its bake time ends. When it completes is moto's own state manager's
   (`/moto-api/state-manager/set-transition`, model `ecs::deployment`, transitions IN_PROGRESS ->
   COMPLETED): immediate by default, as before, so only a test that asks holds a deployment
   ("manual") or lets it take some seconds ("time").
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
   https://docs.getmoto.org/en/latest/docs/configuration/state_transition/index.html

And AWS managed policies (AmazonECSTaskExecutionRolePolicy, AWSCodeDeployRoleForECS, ...), which
exist in every account, exist in moto only with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
"""

import copy
import os
import sys

os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

import json  # noqa: E402

from moto.applicationautoscaling import responses as autoscaling_responses  # noqa: E402
from moto.ecs import models as ecs_models  # noqa: E402
from moto.ecs import responses as ecs_responses  # noqa: E402
from moto.server import main  # noqa: E402

_service_init = ecs_models.Service.__init__


def _service_init_without_empty_network(self, *args, **kwargs):
    _service_init(self, *args, **kwargs)
    if kwargs.get("network_configuration") is None:
        # None is left out of the response; moto's {} is not.
        self.network_configuration = None


ecs_models.Service.__init__ = _service_init_without_empty_network

_create_service = ecs_responses.EC2ContainerServiceResponse.create_service


def _create_service_keeping_what_it_is_given(self):
    answer = _create_service(self)
    service = self.ecs_backend._get_service(
        self._get_param("cluster", "default"), self._get_param("serviceName")
    )
    service.availability_zone_rebalancing = self._get_param("availabilityZoneRebalancing") or "ENABLED"
    deployment_configuration = self._get_param("deploymentConfiguration")
    if deployment_configuration:
        service.deployment_configuration = deployment_configuration
    grace_period = self._get_int_param("healthCheckGracePeriodSeconds")
    if grace_period is not None:
        service.health_check_grace_period_seconds = grace_period
    return answer


ecs_responses.EC2ContainerServiceResponse.create_service = _create_service_keeping_what_it_is_given

# Scalable target ARN -> {key: value}. A target's ARN is unique to it (a random id), so one map
# serves every account and region of the server.
_scalable_target_tags = {}
_register_scalable_target = autoscaling_responses.ApplicationAutoScalingResponse.register_scalable_target


def _register_scalable_target_with_tags(self):
    answer = _register_scalable_target(self)
    tags = self._get_param("Tags") or {}
    _scalable_target_tags.setdefault(json.loads(answer)["ScalableTargetARN"], {}).update(tags)
    return answer


def _list_tags_for_resource(self):
    return json.dumps({"Tags": _scalable_target_tags.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self):
    _scalable_target_tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self):
    tags = _scalable_target_tags.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


autoscaling_responses.ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target_with_tags
autoscaling_responses.ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
autoscaling_responses.ApplicationAutoScalingResponse.tag_resource = _tag_resource
autoscaling_responses.ApplicationAutoScalingResponse.untag_resource = _untag_resource

# 4. Deployments that take time.
from datetime import datetime, timezone  # noqa: E402

from moto.moto_api import state_manager  # noqa: E402
from moto.moto_api._internal.managed_state_model import ManagedState  # noqa: E402

DEPLOYMENT_MODEL = "ecs::deployment"
state_manager.register_default_transition(DEPLOYMENT_MODEL, transition={"progression": "immediate"})


class _Rollout(ManagedState):
    def __init__(self):
        super().__init__(DEPLOYMENT_MODEL, [("IN_PROGRESS", "COMPLETED")])


def _settle(service):
    """Completes the PRIMARY deployment when its rollout has: the ACTIVE ones it replaced are gone."""
    rollouts = getattr(service, "_rollouts", {})
    for deployment in service.deployments or []:
        rollout = rollouts.get(deployment["id"])
        if rollout is None or deployment["status"] != "PRIMARY" or deployment["rolloutState"] != "IN_PROGRESS":
            continue
        rollout.advance()
        if rollout.status == "COMPLETED":
            deployment["rolloutState"] = "COMPLETED"
            deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} completed."
            deployment["updatedAt"] = datetime.now(timezone.utc)
            deployment["runningCount"] = deployment["desiredCount"]
            deployment["pendingCount"] = 0
            service.deployments = [d for d in service.deployments if d["status"] == "PRIMARY"]


def _service_init_with_rollout(self, *args, **kwargs):
    _service_init_without_empty_network(self, *args, **kwargs)
    self._rollouts = {}
    for deployment in self.deployments:
        deployment["rolloutState"] = "IN_PROGRESS"
        self._rollouts[deployment["id"]] = _Rollout()
    _settle(self)


ecs_models.Service.__init__ = _service_init_with_rollout

_update_service = ecs_models.EC2ContainerServiceBackend.update_service


# The service's settings (moto's attribute names) whose change starts a deployment besides the
# task definition (API_UpdateService.html, each: "This parameter triggers a new service deployment").
_DEPLOYING_SETTINGS = (
    "network_configuration",
    "platform_version",
    "load_balancers",
    "service_registries",
    "capacity_provider_strategy",
    "enable_execute_command",
    "propagate_tags",
)


def _settings(service):
    return {name: getattr(service, name, None) for name in _DEPLOYING_SETTINGS}


def _update_service_starting_a_deployment(self, service_properties):
    properties = dict(service_properties)
    force = properties.pop("force_new_deployment", False)
    service = self._get_service(properties.get("cluster", "default"), properties["service"].split("/")[-1])
    before, asked = service.task_definition, properties.get("task_definition")
    settings_before = copy.deepcopy(_settings(service))
    service = _update_service(self, properties)
    starts = force or (asked and service.task_definition != before) or _settings(service) != settings_before
    if starts and service.deployment_controller["type"] == "ECS" and service.deployments:
        for deployment in service.deployments:
            if deployment["status"] == "PRIMARY":
                deployment["status"] = "ACTIVE"
        now = datetime.now(timezone.utc)
        deployment_id = f"ecs-svc/{ecs_models.mock_random.randint(0, 32**12)}"
        replaced = service.deployments[0]
        service.deployments.insert(0, dict(
            replaced,
            id=deployment_id,
            status="PRIMARY",
            taskDefinition=service.task_definition,
            desiredCount=service.desired_count,
            runningCount=0,
            pendingCount=service.desired_count,
            createdAt=now,
            updatedAt=now,
            rolloutState="IN_PROGRESS",
            rolloutStateReason=f"ECS deployment {deployment_id} in progress.",
        ))
        service._rollouts[deployment_id] = _Rollout()
    _settle(service)
    return service


ecs_models.EC2ContainerServiceBackend.update_service = _update_service_starting_a_deployment

_describe_services = ecs_models.EC2ContainerServiceBackend.describe_services


def _describe_services_settling(self, cluster_str, service_names_or_arns):
    services, failures = _describe_services(self, cluster_str, service_names_or_arns)
    for service in services:
        _settle(service)
    return services, failures


ecs_models.EC2ContainerServiceBackend.describe_services = _describe_services_settling

if __name__ == "__main__":
    sys.exit(main())
