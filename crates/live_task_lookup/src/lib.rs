//! `live_task_lookup`: which task definition does an ECS service run right now, and which image
//! does each of its containers have?
//!
//! Two calls, no more: DescribeServices, then DescribeTaskDefinition of the revision the service
//! runs. A missing cluster, a missing service and an INACTIVE service are the first apply, not an
//! error.
//!
//! The query is validated into [`Settings`] first; [`aws::connect`] builds the one SDK
//! configuration (timeouts, retries, credentials); [`lookup::lookup`] makes the two calls with
//! the client passed in, so tests drive it with `aws-smithy-mocks`.

pub mod aws;
mod error;
pub mod lookup;

use std::time::Duration;

use external_protocol::{Kind, Output, Program, Query, QueryKey, ResultKey};

pub use error::Error;
pub use lookup::{Live, lookup};

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

pub static PROGRAM: Program = Program {
    name: "live_task_lookup",
    version: env!("CARGO_PKG_VERSION"),
    summary: "Tells which task definition an ECS service runs right now and which image each container has.",
    description: "Calls ECS twice, read-only: DescribeServices, then DescribeTaskDefinition of the task definition \
the service runs. For the EXTERNAL and CODE_DEPLOY deployment controllers that is the PRIMARY task \
set's task definition when there is one, else the service's own.\n\n\
A missing cluster, a missing service or an INACTIVE (deleted) service is not an error: it is the \
first apply, and the result says found = \"false\" with empty images (\"{}\") and an empty ARN. \
Because a lookup pointed at the wrong region or account finds nothing as well, the result always \
says which region was asked and, when an ARN tells, which account.\n\n\
Credentials and region come from the standard AWS chain unless the query sets them: environment \
variables, the shared config and credentials files (profiles, SSO, credential_process), a web \
identity token, ECS container credentials, EC2 instance metadata. AWS_ENDPOINT_URL and \
AWS_ENDPOINT_URL_ECS are honoured. The needed IAM actions are ecs:DescribeServices and \
ecs:DescribeTaskDefinition (plus sts:AssumeRole on assume_role_arn when set).\n\n\
Time is bounded: the whole lookup takes at most timeout_seconds; connecting at most 3 s; each \
attempt its share, timeout_seconds / max_attempts (at least 2 s). Throttling, 5xx answers and \
connection failures are retried with exponential backoff and jitter, up to max_attempts per call.",
    query: &[
        QueryKey {
            name: "cluster",
            kind: Kind::String,
            required: true,
            default: None,
            help: "The cluster's name or ARN.",
        },
        QueryKey {
            name: "service",
            kind: Kind::String,
            required: true,
            default: None,
            help: "The service's name or ARN.",
        },
        QueryKey {
            name: "region",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The AWS region, such as eu-west-1. Default: the region of the cluster or service ARN, \
else the standard chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's region).",
        },
        QueryKey {
            name: "profile",
            kind: Kind::String,
            required: false,
            default: None,
            help: "A profile of the shared AWS config files. Default: AWS_PROFILE, else the default profile.",
        },
        QueryKey {
            name: "assume_role_arn",
            kind: Kind::String,
            required: false,
            default: None,
            help: "A role to assume (sts:AssumeRole) with the credentials found, before calling ECS. \
Terraform's provider-level assume_role does not reach external programs: pass the same role here.",
        },
        QueryKey {
            name: "assume_role_external_id",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The external ID the role's trust policy requires, if any.",
        },
        QueryKey {
            name: "assume_role_session_name",
            kind: Kind::String,
            required: false,
            default: Some(DEFAULT_SESSION_NAME),
            help: "The session name of the assumed role, shown in CloudTrail.",
        },
        QueryKey {
            name: "endpoint_url",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The ECS endpoint, such as http://127.0.0.1:5000 for a local emulator. Default: \
AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else the region's public endpoint.",
        },
        QueryKey {
            name: "timeout_seconds",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("20"),
            help: "The most the whole lookup may take: credentials, both calls and their retries. Each \
attempt gets timeout_seconds / max_attempts (at least 2 s); connecting, at most 3 s.",
        },
        QueryKey {
            name: "max_attempts",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("8"),
            help: "How many times each call is tried when ECS throttles, answers 5xx or cannot be \
reached; 1 turns retries off, 10 is the most.",
        },
    ],
    result: &[
        ResultKey {
            name: "found",
            help: "\"true\" when the service exists, is not INACTIVE and runs a task definition; else \"false\" \
and every other key but status, deployment_controller, region and account_id is empty (images is \"{}\").",
        },
        ResultKey {
            name: "status",
            help: "The service's status: ACTIVE, DRAINING or INACTIVE; MISSING when the cluster or the \
service does not exist.",
        },
        ResultKey {
            name: "task_definition_arn",
            help: "The full ARN of the task definition the service runs (never family:revision).",
        },
        ResultKey {
            name: "family",
            help: "Its family.",
        },
        ResultKey {
            name: "revision",
            help: "Its revision number.",
        },
        ResultKey {
            name: "images",
            help: "JSON object: container name -> image, for every container of the task definition.",
        },
        ResultKey {
            name: "task_definition",
            help: "JSON object: the live task definition as DescribeTaskDefinition returns it (the ECS API's \
camelCase), without the read-only fields taskDefinitionArn, revision, status, requiresAttributes, \
compatibilities, registeredAt, registeredBy, deregisteredAt and deleteRequestedAt; empty when not found.",
        },
        ResultKey {
            name: "deployment_controller",
            help: "ECS, CODE_DEPLOY or EXTERNAL; empty when the service does not exist.",
        },
        ResultKey {
            name: "rollout_state",
            help: "The PRIMARY deployment's rollout state (IN_PROGRESS, COMPLETED, FAILED); empty when ECS \
reports none (task-set services, older services).",
        },
        ResultKey {
            name: "region",
            help: "The region that was asked.",
        },
        ResultKey {
            name: "account_id",
            help: "The account the service (or the ARN given) belongs to; empty when no ARN tells.",
        },
    ],
    example: "echo '{\"cluster\": \"prod\", \"service\": \"web\", \"region\": \"eu-west-1\"}' | live_task_lookup",
};

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

/// The program: validate, connect, look up, write the result.
pub fn run(query: &Query) -> Result<Output, Error> {
    let settings = Settings::from_query(query)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let timeout = settings.timeout;
        match tokio::time::timeout(timeout, lookup_with_settings(&settings)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::Timeout {
                what: "the lookup".to_string(),
                endpoint: aws::endpoint_description(&settings, None),
                seconds: timeout.as_secs(),
            }),
        }
    })
}

async fn lookup_with_settings(settings: &Settings) -> Result<Output, Error> {
    let connection = aws::connect(settings).await?;
    let live = lookup(&connection.client, &connection.context).await?;
    Ok(live.to_output(&connection.context))
}

#[cfg(test)]
mod tests;
