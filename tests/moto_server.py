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

And AWS managed policies (AmazonECSTaskExecutionRolePolicy, AWSCodeDeployRoleForECS, ...), which
exist in every account, exist in moto only with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
"""

import os
import sys

os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

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

if __name__ == "__main__":
    sys.exit(main())
