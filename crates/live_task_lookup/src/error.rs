//! Everything the lookup can fail with. Each message says what failed and what to do; none holds
//! a credential, a token or the value of an environment variable.

/// A failure of the lookup.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Query(#[from] external_protocol::Error),

    #[error(
        "query key `region` must be an AWS region name such as eu-west-1, got {region:?}; fix `region`"
    )]
    InvalidRegion { region: String },

    #[error(
        "the AWS region configured in the environment or profile is not a valid region name; set the `region` query key"
    )]
    InvalidConfiguredRegion,

    #[error(
        "no AWS region is configured; set the `region` query key (or AWS_REGION, or a region in {profile})"
    )]
    NoRegion { profile: String },

    #[error(
        "query key `{key}` is an ARN in region {arn_region}, but the region is {region}; pass names, or ARNs of the region asked"
    )]
    RegionMismatch {
        key: &'static str,
        arn_region: String,
        region: String,
    },

    #[error(
        "query key `{key}` is not an ECS ARN (arn:PARTITION:ecs:REGION:ACCOUNT:...), got {value:?}; pass the {key}'s name or its full ARN"
    )]
    InvalidArn { key: &'static str, value: String },

    #[error(
        "query key `expect_task_definition_arn` must be a task definition's full ARN (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION), got {value:?}; the module passes the lookup's task_definition_arn"
    )]
    NotATaskDefinitionArn { value: String },

    #[error(
        "query key `assume_role_external_id` is set without `assume_role_arn`; set both or neither"
    )]
    ExternalIdWithoutRole,

    #[error(
        "query key `endpoint_url` must start with http:// or https://, got {url:?}; fix `endpoint_url`"
    )]
    InvalidEndpoint { url: String },

    #[error(
        "query key `max_attempts` must be at most 10, got {max_attempts}; retries already back off exponentially"
    )]
    TooManyAttempts { max_attempts: u32 },

    #[error("no AWS credentials found; tried {chain}; {advice}")]
    NoCredentials { chain: String, advice: String },

    #[error(
        "failed to load AWS credentials{profile}; check the shared config files and the credential source they name"
    )]
    Credentials {
        profile: String,
        #[source]
        source: aws_credential_types::provider::error::CredentialsError,
    },

    #[error(
        "failed to assume role {role_arn}; check that the credentials found may call sts:AssumeRole on it and that its trust policy (and external ID) admits them"
    )]
    AssumeRole {
        role_arn: String,
        #[source]
        source: aws_credential_types::provider::error::CredentialsError,
    },

    #[error(
        "access denied to {action} on {target}; grant {action} to the identity Terraform runs as (the module's plan policy has it){detail}"
    )]
    AccessDenied {
        action: &'static str,
        target: String,
        detail: String,
    },

    #[error(
        "the AWS credentials were rejected by {action} ({code}); refresh them (`aws sso login`, new keys) or check `profile`"
    )]
    CredentialsRejected { action: &'static str, code: String },

    #[error(
        "ECS still throttled {action} after {attempts} attempt(s); try again later, or raise `max_attempts`"
    )]
    Throttled { action: &'static str, attempts: u32 },

    #[error(
        "cannot connect to {endpoint} for {action}; check `endpoint_url`, the region and the network (proxy, VPC endpoint)"
    )]
    Connect {
        action: &'static str,
        endpoint: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error(
        "the TLS certificate of {endpoint} is not trusted for {action}; behind a TLS-inspecting proxy, set AWS_CA_BUNDLE (or `ca_bundle` in the profile) to a PEM file of the proxy's CA"
    )]
    UntrustedCertificate {
        action: &'static str,
        endpoint: String,
    },

    #[error(
        "the file {origin} names {problem}; point it at a PEM file of the certificate authorities to trust"
    )]
    CaBundle { origin: String, problem: String },

    #[error(
        "{what} got no answer from {endpoint} within {seconds} s; check the network and `endpoint_url`, or raise `timeout_seconds`"
    )]
    Timeout {
        what: String,
        endpoint: String,
        seconds: u64,
    },

    #[error("{action} failed on {target}; {advice}")]
    Call {
        action: &'static str,
        target: String,
        advice: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error(
        "{action} reported a failure for {target}: {reason}{detail}; check the names and the region"
    )]
    Failure {
        action: &'static str,
        target: String,
        reason: String,
        detail: String,
    },

    #[error("the answer of {action} has no {what}; the endpoint does not behave like ECS")]
    Malformed {
        action: &'static str,
        what: &'static str,
    },

    #[error(
        "service {service} in cluster {cluster} runs {running} now, not {expected} as when the plan was made: a deploy shipped since the plan, and applying the plan would roll it back; run terraform plan again (nothing was registered or moved)"
    )]
    MovedSincePlan {
        service: String,
        cluster: String,
        expected: String,
        running: String,
    },

    #[error(
        "query key `deployment_in_progress` must be \"report\", \"fail\" or \"wait\", got {value:?}; fix `deployment_in_progress`"
    )]
    InvalidDeploymentMode { value: String },

    #[error(
        "service {service} in cluster {cluster} has not settled: {deployment}; the plan {moves}, and moving it now would build on a revision that may still be rolled back and supersede that deployment. Let it complete (aws ecs wait services-stable --cluster {cluster} --services {service}) and run terraform plan again, or set deployment_in_progress = \"wait\" (nothing was registered or moved)"
    )]
    DeploymentInProgress {
        service: String,
        cluster: String,
        deployment: String,
        moves: String,
    },

    #[error(
        "waited {seconds} s for the deployment of service {service} in cluster {cluster} to complete, and it has not: {deployment}; run terraform plan again once it completes, or raise deployment_wait_timeout_seconds (nothing was registered or moved)"
    )]
    DeploymentWaitTimedOut {
        service: String,
        cluster: String,
        seconds: u64,
        deployment: String,
    },

    #[error(
        "service {service} in cluster {cluster} started deployment {running} after the plan was made (the plan saw {expected}): applying the plan would build on what that deployment replaced; run terraform plan again (nothing was registered or moved)"
    )]
    DeploymentSincePlan {
        service: String,
        cluster: String,
        expected: String,
        running: String,
    },

    #[error("failed to start the async runtime")]
    Runtime(#[source] std::io::Error),
}
