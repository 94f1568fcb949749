//! The one check of a task definition's ARN, for the programs that take one.

/// Whether `arn` is a full task definition ARN: `arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`.
pub fn is_task_definition_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    let Some((family, revision)) = resource
        .strip_prefix("task-definition/")
        .and_then(|rest| rest.rsplit_once(':'))
    else {
        return false;
    };
    prefix == "arn"
        && partition.starts_with("aws")
        && service == "ecs"
        && !region.is_empty()
        && account.len() == 12
        && account.bytes().all(|byte| byte.is_ascii_digit())
        && !family.is_empty()
        && family.len() <= 255
        && family
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        && !revision.is_empty()
        && revision.bytes().all(|byte| byte.is_ascii_digit())
        && !revision.starts_with('0')
}
