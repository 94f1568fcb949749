//! The service's own settings whose change starts a deployment, as the plan gives them
//! (`service_settings`) and as DescribeServices reports them: the deployment guard refuses a plan
//! that changes one of them while a deployment has not settled, as it refuses a new revision.
//!
//! Which settings start a deployment is UpdateService's: "For services using the rolling update
//! (ECS) you can update the desired count, deployment configuration, network configuration, load
//! balancers, service registries, enable ECS managed tags option, propagate tags option, task
//! placement constraints and strategies, and task definition. When you update any of these
//! parameters, Amazon ECS starts new tasks with the new configuration", and of
//! `capacityProviderStrategy`, `enableExecuteCommand`, `loadBalancers`, `networkConfiguration` and
//! `platformVersion` each: "This parameter triggers a new service deployment"
//! (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html). The ones
//! here are those the module's service sets; the desired count and the deployment configuration
//! start none.
//!
//! A setting the plan leaves out (absent or null) is not compared: Terraform does not send it.
//! Lists ECS keeps as sets (subnets, security groups, load balancers, capacity providers) are
//! compared as sets.

use std::collections::BTreeSet;

use aws_sdk_ecs::types::{AssignPublicIp, Service};
use serde::Deserialize;

/// The settings, each `None` when not compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    #[serde(default)]
    pub platform_version: Option<String>,
    #[serde(default)]
    pub network_configuration: Option<Network>,
    #[serde(default)]
    pub load_balancers: Option<BTreeSet<LoadBalancer>>,
    /// An empty strategy is not compared: the service then takes the cluster's default.
    #[serde(default)]
    pub capacity_provider_strategy: Option<BTreeSet<CapacityProvider>>,
    #[serde(default)]
    pub enable_execute_command: Option<bool>,
    /// NONE when ECS reports none.
    #[serde(default)]
    pub propagate_tags: Option<String>,
}

/// `awsvpcConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub subnets: BTreeSet<String>,
    #[serde(default)]
    pub security_groups: BTreeSet<String>,
    #[serde(default)]
    pub assign_public_ip: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    #[serde(default)]
    pub target_group_arn: Option<String>,
    /// A Classic Load Balancer's name (`loadBalancerName`).
    #[serde(default)]
    pub elb_name: Option<String>,
    pub container_name: String,
    pub container_port: i32,
}

/// An item of the strategy; weight and base are 0 when not given, as ECS takes them
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityProvider {
    pub capacity_provider: String,
    #[serde(default, deserialize_with = "zero_when_null")]
    pub weight: i32,
    #[serde(default, deserialize_with = "zero_when_null")]
    pub base: i32,
}

fn zero_when_null<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    Ok(Option::<i32>::deserialize(deserializer)?.unwrap_or(0))
}

impl ServiceSettings {
    /// What `service` runs with, every setting filled in.
    pub fn of(service: &Service) -> Self {
        let network = service
            .network_configuration()
            .and_then(|configuration| configuration.awsvpc_configuration())
            .map(|awsvpc| Network {
                subnets: awsvpc.subnets().iter().cloned().collect(),
                security_groups: awsvpc.security_groups().iter().cloned().collect(),
                assign_public_ip: awsvpc.assign_public_ip() == Some(&AssignPublicIp::Enabled),
            });
        Self {
            platform_version: service.platform_version().map(str::to_string),
            network_configuration: network,
            load_balancers: Some(
                service
                    .load_balancers()
                    .iter()
                    .map(|balancer| LoadBalancer {
                        target_group_arn: balancer.target_group_arn().map(str::to_string),
                        elb_name: balancer.load_balancer_name().map(str::to_string),
                        container_name: balancer.container_name().unwrap_or_default().to_string(),
                        container_port: balancer.container_port().unwrap_or_default(),
                    })
                    .collect(),
            ),
            capacity_provider_strategy: Some(
                service
                    .capacity_provider_strategy()
                    .iter()
                    .map(|item| CapacityProvider {
                        capacity_provider: item.capacity_provider().to_string(),
                        weight: item.weight(),
                        base: item.base(),
                    })
                    .collect(),
            ),
            enable_execute_command: Some(service.enable_execute_command()),
            propagate_tags: Some(
                service
                    .propagate_tags()
                    .map_or("NONE", |tags| tags.as_str())
                    .to_string(),
            ),
        }
    }

    /// The names of the settings given here that differ from `live`'s, in the module's words.
    pub fn changes(&self, live: &ServiceSettings) -> Vec<&'static str> {
        fn differs<T: PartialEq>(desired: &Option<T>, live: &Option<T>) -> bool {
            desired.is_some() && desired != live
        }
        let strategy = self
            .capacity_provider_strategy
            .as_ref()
            .filter(|strategy| !strategy.is_empty());
        [
            (
                differs(&self.platform_version, &live.platform_version),
                "platform_version",
            ),
            (
                differs(&self.network_configuration, &live.network_configuration),
                "network_configuration",
            ),
            (
                differs(&self.load_balancers, &live.load_balancers),
                "load_balancers",
            ),
            (
                strategy.is_some() && strategy != live.capacity_provider_strategy.as_ref(),
                "capacity_provider_strategy",
            ),
            (
                differs(&self.enable_execute_command, &live.enable_execute_command),
                "enable_execute_command",
            ),
            (
                differs(&self.propagate_tags, &live.propagate_tags),
                "propagate_tags",
            ),
        ]
        .into_iter()
        .filter_map(|(changed, name)| changed.then_some(name))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecs::types::{
        AwsVpcConfiguration, CapacityProviderStrategyItem, LoadBalancer as EcsLoadBalancer,
        NetworkConfiguration, PropagateTags,
    };

    use super::*;

    fn live() -> ServiceSettings {
        let network = AwsVpcConfiguration::builder()
            .subnets("subnet-b")
            .subnets("subnet-a")
            .security_groups("sg-1")
            .assign_public_ip(AssignPublicIp::Enabled)
            .build()
            .ok();
        let service = Service::builder()
            .platform_version("LATEST")
            .network_configuration(
                NetworkConfiguration::builder()
                    .set_awsvpc_configuration(network)
                    .build(),
            )
            .load_balancers(
                EcsLoadBalancer::builder()
                    .target_group_arn("arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web/1")
                    .container_name("app")
                    .container_port(80)
                    .build(),
            )
            .capacity_provider_strategy(
                CapacityProviderStrategyItem::builder()
                    .capacity_provider("FARGATE")
                    .weight(1)
                    .build()
                    .ok()
                    .unwrap_or_else(|| panic!("a capacity provider item")),
            )
            .propagate_tags(PropagateTags::Service)
            .build();
        ServiceSettings::of(&service)
    }

    fn desired(json: &str) -> ServiceSettings {
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{json}: {error}"))
    }

    #[test]
    fn the_settings_as_the_module_writes_them_match_what_ecs_reports() {
        let same = desired(
            r#"{
              "platform_version": "LATEST",
              "network_configuration": {"subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-1"], "assign_public_ip": true},
              "load_balancers": [{"target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web/1", "elb_name": null, "container_name": "app", "container_port": 80}],
              "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": null}],
              "enable_execute_command": false,
              "propagate_tags": "SERVICE"
            }"#,
        );
        assert_eq!(same.changes(&live()), Vec::<&str>::new());
        // Left out, null or an empty strategy: not compared.
        let unmanaged = desired(
            r#"{"platform_version": null, "network_configuration": null, "capacity_provider_strategy": []}"#,
        );
        assert_eq!(unmanaged.changes(&live()), Vec::<&str>::new());
    }

    #[test]
    fn each_change_is_named() {
        let cases = [
            (r#"{"platform_version": "1.4.0"}"#, "platform_version"),
            (
                r#"{"network_configuration": {"subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-1"]}}"#,
                "network_configuration",
            ),
            (r#"{"load_balancers": []}"#, "load_balancers"),
            (
                r#"{"capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT", "weight": 1}]}"#,
                "capacity_provider_strategy",
            ),
            (
                r#"{"enable_execute_command": true}"#,
                "enable_execute_command",
            ),
            (r#"{"propagate_tags": "NONE"}"#, "propagate_tags"),
        ];
        for (json, name) in cases {
            assert_eq!(desired(json).changes(&live()), vec![name], "{json}");
        }
        let two = desired(r#"{"platform_version": "1.4.0", "enable_execute_command": true}"#);
        assert_eq!(
            two.changes(&live()),
            vec!["platform_version", "enable_execute_command"]
        );
    }

    #[test]
    fn a_service_without_a_network_configuration_or_tags_reports_none() {
        let bare = ServiceSettings::of(&Service::builder().build());
        assert_eq!(bare.network_configuration, None);
        assert_eq!(bare.propagate_tags.as_deref(), Some("NONE"));
        assert_eq!(
            desired(r#"{"network_configuration": {"subnets": ["subnet-a"]}}"#).changes(&bare),
            vec!["network_configuration"]
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(serde_json::from_str::<ServiceSettings>(r#"{"platform": "LATEST"}"#).is_err());
    }
}
