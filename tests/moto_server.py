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
2. CreateService keeps `availabilityZoneRebalancing` and `healthCheckGracePeriodSeconds`; moto
   5.2.5 drops both (UpdateService keeps them), so the first plan after a create shows the
   service changing (the CODE_DEPLOY example sets a grace period). Both are members of the
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

And AWS managed policies (AmazonECSTaskExecutionRolePolicy, AWSCodeDeployRoleForECS, ...), which
exist in every account, exist in moto only with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
"""

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

if __name__ == "__main__":
    sys.exit(main())
