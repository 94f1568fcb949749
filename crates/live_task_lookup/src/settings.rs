//! The query, validated: what the lookup asks and how, checked before any call.

use std::time::Duration;

use external_protocol::Query;

use crate::error::Error;

/// What `timeout_seconds` is when the query does not set it: long enough for a slow network and a
/// few retries, short enough that a black-holed endpoint does not hold up `terraform plan`.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 20;
/// What `max_attempts` is when the query does not set it. ECS throttles per account and region, so
/// every plan, deploy and console in the account draws on the same token buckets; the AWS
/// provider retries a throttled call up to 25 times by default (its `max_retries`), and a lookup
/// that gave up after 3 would be what fails a plan whose provider reads all succeed. `bench/plan`
/// measures it: at 50 services with 20 % of ECS calls throttled, 3 attempts failed the plan.
/// `timeout_seconds` still bounds the whole lookup.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// The session name of an assumed role when the query does not set one.
pub const DEFAULT_SESSION_NAME: &str = "ecs-drift-live-task-lookup";

/// A role to assume before calling ECS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: String,
}

/// The validated query: everything the lookup needs, checked before any call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub cluster: String,
    pub service: String,
    /// The region to use; `None` means the standard chain's.
    pub region: Option<String>,
    pub profile: Option<String>,
    pub assume_role: Option<AssumeRole>,
    pub endpoint_url: Option<String>,
    pub timeout: Duration,
    pub max_attempts: u32,
    /// The task definition the service must still run, else the lookup fails.
    pub expect_task_definition_arn: Option<String>,
    /// `false`: no call, an empty answer.
    pub enabled: bool,
}

impl Settings {
    pub fn from_query(query: &Query) -> Result<Self, Error> {
        let cluster = query.string("cluster")?.trim().to_string();
        let service = query.string("service")?.trim().to_string();
        let cluster_arn = Arn::parse("cluster", &cluster)?;
        let service_arn = Arn::parse("service", &service)?;
        let region = match query.optional_string("region").map(str::trim) {
            Some(region) => {
                check_region(region).map_err(|()| Error::InvalidRegion {
                    region: region.to_string(),
                })?;
                for arn in [&cluster_arn, &service_arn].into_iter().flatten() {
                    if arn.region != region {
                        return Err(Error::RegionMismatch {
                            key: arn.key,
                            arn_region: arn.region.clone(),
                            region: region.to_string(),
                        });
                    }
                }
                Some(region.to_string())
            }
            // An ARN names its region; asking another would find nothing.
            None => service_arn
                .as_ref()
                .or(cluster_arn.as_ref())
                .map(|arn| arn.region.clone()),
        };
        if let (Some(cluster_arn), Some(service_arn)) = (&cluster_arn, &service_arn)
            && cluster_arn.region != service_arn.region
        {
            return Err(Error::RegionMismatch {
                key: "service",
                arn_region: service_arn.region.clone(),
                region: cluster_arn.region.clone(),
            });
        }
        let assume_role = query
            .optional_string("assume_role_arn")
            .map(|role_arn| AssumeRole {
                role_arn: role_arn.trim().to_string(),
                external_id: query
                    .optional_string("assume_role_external_id")
                    .map(str::to_string),
                session_name: query
                    .optional_string("assume_role_session_name")
                    .unwrap_or(DEFAULT_SESSION_NAME)
                    .to_string(),
            });
        if assume_role.is_none() && query.is_set("assume_role_external_id") {
            return Err(Error::ExternalIdWithoutRole);
        }
        let endpoint_url = query
            .optional_string("endpoint_url")
            .map(|url| url.trim().to_string());
        if let Some(url) = &endpoint_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(Error::InvalidEndpoint { url: url.clone() });
        }
        let timeout_seconds = query
            .positive_integer("timeout_seconds")?
            .unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        let max_attempts = query
            .positive_integer("max_attempts")?
            .map_or(DEFAULT_MAX_ATTEMPTS, |n| {
                u32::try_from(n).unwrap_or(u32::MAX)
            });
        if max_attempts > 10 {
            return Err(Error::TooManyAttempts { max_attempts });
        }
        Ok(Self {
            cluster,
            service,
            region,
            profile: query.optional_string("profile").map(str::to_string),
            assume_role,
            endpoint_url,
            timeout: Duration::from_secs(timeout_seconds.min(3600)),
            max_attempts,
            expect_task_definition_arn: query
                .optional_string("expect_task_definition_arn")
                .map(|arn| {
                    let arn = arn.trim();
                    if task_definition::is_task_definition_arn(arn) {
                        Ok(arn.to_string())
                    } else {
                        Err(Error::NotATaskDefinitionArn {
                            value: arn.to_string(),
                        })
                    }
                })
                .transpose()?,
            enabled: query.boolean("enabled")?,
        })
    }

    /// The account an ARN in the query names, if any.
    pub fn account_from_query(&self) -> Option<String> {
        [&self.service, &self.cluster]
            .into_iter()
            .find_map(|value| Arn::parse("service", value).ok().flatten())
            .map(|arn| arn.account)
    }
}

/// The parts of an ECS ARN the lookup uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arn {
    key: &'static str,
    region: String,
    account: String,
}

impl Arn {
    /// `Ok(None)` when `value` is a name, not an ARN.
    fn parse(key: &'static str, value: &str) -> Result<Option<Self>, Error> {
        if !value.starts_with("arn:") {
            return Ok(None);
        }
        // arn:PARTITION:ecs:REGION:ACCOUNT:RESOURCE (AWS General Reference, "Amazon Resource Names")
        let parts: Vec<&str> = value.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", _, "ecs", region, account, _] if check_region(region).is_ok() => {
                Ok(Some(Self {
                    key,
                    region: (*region).to_string(),
                    account: (*account).to_string(),
                }))
            }
            _ => Err(Error::InvalidArn {
                key,
                value: value.to_string(),
            }),
        }
    }
}

/// The account of an ECS ARN, if `value` is one.
pub(crate) fn account_of(value: &str) -> Option<String> {
    Arn::parse("service", value)
        .ok()
        .flatten()
        .map(|arn| arn.account)
        .filter(|account| !account.is_empty())
}

/// A region name is a DNS label of lowercase letters, digits and hyphens that starts with a letter
/// and ends with a digit (us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1). The SDK would
/// otherwise build an endpoint from any text.
pub(crate) fn check_region(region: &str) -> Result<(), ()> {
    let well_formed = (4..=40).contains(&region.len())
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region.contains('-')
        && !region.contains("--")
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if well_formed { Ok(()) } else { Err(()) }
}
