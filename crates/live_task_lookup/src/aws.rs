//! The one place the AWS SDK is configured: region, credentials, endpoint, timeouts and retries;
//! and the one place its errors become messages that say what to do.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ecs::config::Region;
use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};

use crate::error::Error;
use crate::settings::{Settings, check_region};
use crate::trust::{self, Roots};

/// The longest a TCP (and TLS) connection may take to open. Well above any healthy round trip to
/// an AWS endpoint, and short enough that a refused or filtered endpoint fails fast.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The shortest time one attempt gets, however small `timeout_seconds / max_attempts` is.
pub const MIN_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// What the lookup asks and reports besides the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The cluster and service as the query gave them: names or ARNs.
    pub cluster: String,
    pub service: String,
    /// The region asked.
    pub region: String,
    /// Where the calls go, for messages (never an environment variable's value).
    pub endpoint: String,
    pub max_attempts: u32,
    pub timeout_seconds: u64,
    /// The account an ARN of the query names.
    pub account_from_query: Option<String>,
}

/// A configured ECS client and what the lookup reports about it.
#[derive(Debug)]
pub struct Connection {
    pub client: aws_sdk_ecs::Client,
    pub context: Context,
}

/// The SDK's timeouts for a lookup bounded by `total`: connecting at most [`CONNECT_TIMEOUT`],
/// each attempt its share of `total` (at least [`MIN_ATTEMPT_TIMEOUT`]), each operation `total`.
pub fn timeout_config(total: Duration, max_attempts: u32) -> TimeoutConfig {
    let attempt = (total / max_attempts.max(1))
        .max(MIN_ATTEMPT_TIMEOUT)
        .min(total);
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(total))
        .operation_attempt_timeout(attempt)
        .operation_timeout(total)
        .build()
}

/// The longest wait between two attempts. ECS refills its throttling token buckets every second
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html), so a longer
/// wait buys nothing against throttling, and it would make a refused or unreachable endpoint, a
/// configuration error, take many seconds to report: the waits of the default 8 attempts add up
/// to at most 5.4 s.
pub const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Standard retries (throttling, 5xx, connection failures) with exponential backoff and jitter,
/// starting at 200 ms and at most [`MAX_BACKOFF`].
pub fn retry_config(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(MAX_BACKOFF)
}

/// Loads the SDK configuration the settings ask for, resolves credentials once (assuming the role
/// if asked) and builds the ECS client.
pub async fn connect(settings: &Settings) -> Result<Connection, Error> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeout_config(settings.timeout, settings.max_attempts))
        .retry_config(retry_config(settings.max_attempts));
    // `vars_os`: `vars` panics on a variable that is not UTF-8.
    let environment: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .collect();
    // The SDK's default client trusts the platform's roots; a CA bundle adds to them, and plain
    // HTTP needs none (trust.rs).
    if let Some(bundle) = trust::ca_bundle(settings.profile.as_deref()).await? {
        loader = loader.http_client(trust::http_client(&Roots::PlatformAnd(bundle)));
    } else if only_plain_http(settings.endpoint_url.as_deref(), &environment) {
        loader = loader.http_client(trust::http_client(&Roots::None));
    }
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    let sdk = loader.load().await;
    let region = match sdk.region() {
        Some(region) => region.as_ref().to_string(),
        None => {
            return Err(Error::NoRegion {
                profile: profile_description(settings),
            });
        }
    };
    check_region(&region).map_err(|()| Error::InvalidConfiguredRegion)?;

    let credentials = match &settings.assume_role {
        Some(role) => {
            let mut builder = AssumeRoleProvider::builder(role.role_arn.clone())
                .session_name(role.session_name.clone())
                .configure(&sdk);
            if let Some(external_id) = &role.external_id {
                builder = builder.external_id(external_id.clone());
            }
            builder
                .build()
                .await
                .provide_credentials()
                .await
                .map_err(|source| Error::AssumeRole {
                    role_arn: role.role_arn.clone(),
                    source,
                })?
        }
        None => {
            let Some(provider) = sdk.credentials_provider() else {
                return Err(no_credentials(settings));
            };
            provider
                .provide_credentials()
                .await
                .map_err(|error| credentials_error(settings, error))?
        }
    };

    // Credentials are resolved once, here, so that a missing or broken source is reported as such
    // and not as a failed ECS call.
    let mut ecs = aws_sdk_ecs::config::Builder::from(&sdk).credentials_provider(credentials);
    if let Some(url) = &settings.endpoint_url {
        ecs = ecs.endpoint_url(url.clone());
    }
    let context = Context {
        cluster: settings.cluster.clone(),
        service: settings.service.clone(),
        endpoint: endpoint_description(settings, Some(&region)),
        region,
        max_attempts: settings.max_attempts,
        timeout_seconds: settings.timeout.as_secs(),
        account_from_query: settings.account_from_query(),
    };
    Ok(Connection {
        client: aws_sdk_ecs::Client::from_conf(ecs.build()),
        context,
    })
}

/// Whether every endpoint this run can reach is plain HTTP, as with a local emulator: then no
/// TLS trust roots are needed.
///
/// The environment's endpoints take precedence over the shared config files' (AWS SDKs and Tools
/// reference guide, "Service-specific endpoints"), so when AWS_ENDPOINT_URL is an http:// URL,
/// every service goes there unless an AWS_ENDPOINT_URL_<SERVICE> variable says otherwise.
/// Container credentials may come from an https:// URL of their own.
pub(crate) fn only_plain_http(
    endpoint_url: Option<&str>,
    environment: &[(String, String)],
) -> bool {
    let plain = |url: &str| url.starts_with("http://");
    let variable = |name: &str| {
        environment
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    };
    let ignored = variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|value| value.eq_ignore_ascii_case("true"));
    !ignored
        && variable("AWS_ENDPOINT_URL").is_some_and(plain)
        && endpoint_url.is_none_or(plain)
        && environment.iter().all(|(name, value)| {
            value.is_empty()
                || !(name.starts_with("AWS_ENDPOINT_URL")
                    || name == "AWS_CONTAINER_CREDENTIALS_FULL_URI")
                || plain(value)
        })
}

/// Where the calls go, for messages: the query's `endpoint_url`, or the name (never the value) of
/// the environment variable that set it, or the region's endpoint.
pub fn endpoint_description(settings: &Settings, region: Option<&str>) -> String {
    if let Some(url) = &settings.endpoint_url {
        return url.clone();
    }
    for variable in ["AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL"] {
        if std::env::var_os(variable).is_some_and(|value| !value.is_empty()) {
            return format!("the ECS endpoint set by {variable}");
        }
    }
    match region {
        Some(region) => format!("the ECS endpoint of {region}"),
        None => "the ECS endpoint".to_string(),
    }
}

/// The credential sources the default chain tries, in order (aws-config's
/// `DefaultCredentialsChain`).
fn chain_description(settings: &Settings) -> String {
    let profile = profile_description(settings);
    format!(
        "environment variables, the shared config and credentials files ({profile}; SSO and credential_process included), a web identity token, ECS container credentials and EC2 instance metadata"
    )
}

/// The profile in use, for messages: the query's, or the name (never the value) of the variable.
fn profile_description(settings: &Settings) -> String {
    match &settings.profile {
        Some(profile) => format!("profile `{profile}`"),
        None => "the profile AWS_PROFILE names, or the default one".to_string(),
    }
}

fn no_credentials(settings: &Settings) -> Error {
    let advice = match &settings.profile {
        Some(profile) => format!(
            "check that profile `{profile}` is defined in the shared config files and has a credential source, or run `aws sso login --profile {profile}`"
        ),
        None => "run `aws sso login`, set `profile` or `assume_role_arn`, or export credentials to the environment Terraform runs in".to_string(),
    };
    Error::NoCredentials {
        chain: chain_description(settings),
        advice,
    }
}

fn credentials_error(settings: &Settings, error: CredentialsError) -> Error {
    match error {
        CredentialsError::CredentialsNotLoaded(_) => no_credentials(settings),
        source => Error::Credentials {
            profile: settings
                .profile
                .as_ref()
                .map(|profile| format!(" for profile `{profile}`"))
                .unwrap_or_default(),
            source,
        },
    }
}

/// Error codes of AWS's JSON protocols, by meaning. (AWS SDK retry documentation and the
/// smithy-rs `aws-runtime` retry classifier for throttling; IAM documentation for the others.)
const ACCESS_DENIED: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedOperation",
];
const THROTTLING: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
];
const CREDENTIALS_REJECTED: &[&str] = &[
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "ExpiredTokenException",
    "ExpiredToken",
    "MissingAuthenticationTokenException",
];

/// The innermost cause of an error, which says what happened without the layers above it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct RootCause(String);

fn root_cause(error: &(dyn std::error::Error + 'static)) -> RootCause {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    RootCause(cause.to_string())
}

/// Turns a failed call into an error that names the IAM action and says what to do.
pub(crate) fn call_error<E>(
    action: &'static str,
    target: String,
    context: &Context,
    error: SdkError<E, HttpResponse>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let timeout = || Error::Timeout {
        what: action.to_string(),
        endpoint: context.endpoint.clone(),
        seconds: context.timeout_seconds,
    };
    if trust::is_untrusted_certificate(&error) {
        return Error::UntrustedCertificate {
            action,
            endpoint: context.endpoint.clone(),
        };
    }
    match &error {
        SdkError::TimeoutError(_) => return timeout(),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => return timeout(),
        SdkError::DispatchFailure(failure) if failure.is_io() => {
            return Error::Connect {
                action,
                endpoint: context.endpoint.clone(),
                source: Box::new(root_cause(&error)),
            };
        }
        _ => {}
    }
    let status = match &error {
        SdkError::ServiceError(service) => Some(service.raw().status().as_u16()),
        _ => None,
    };
    let code = error.code().unwrap_or_default().to_string();
    let detail = error
        .message()
        .map(|message| format!(": {message}"))
        .unwrap_or_default();
    if ACCESS_DENIED.contains(&code.as_str()) {
        return Error::AccessDenied {
            action,
            target,
            detail,
        };
    }
    if THROTTLING.contains(&code.as_str()) || status == Some(429) {
        return Error::Throttled {
            action,
            attempts: context.max_attempts,
        };
    }
    if CREDENTIALS_REJECTED.contains(&code.as_str()) {
        return Error::CredentialsRejected { action, code };
    }
    let advice = match status {
        Some(500..=599) => {
            "ECS failed on its side on every attempt; try again later, or raise `max_attempts`"
        }
        Some(_) => "check the names, the region and the account",
        None => "check `endpoint_url`, the region and the network",
    };
    let source: Box<dyn std::error::Error + Send + Sync> = match &error {
        SdkError::ServiceError(_) if !code.is_empty() => {
            Box::new(RootCause(format!("{code}{detail}")))
        }
        _ => Box::new(error),
    };
    Error::Call {
        action,
        target,
        advice,
        source,
    }
}
