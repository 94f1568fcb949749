//! The module's version against the program's: the module sends `module_version` with every
//! query, and a program of another minor version refuses the query in one line that names both
//! versions and what to do. A module and programs of different releases otherwise fail on the
//! first key one of them does not know, a line that does not say why.

use crate::key::{Kind, QueryKey};

/// The query key the Terraform module sends in every `data "external"` block: its own version
/// (`local.module_version` in the `versions.tf` of terraform-module/ and of each module under
/// terraform-module/modules/, which is the workspace's version).
pub const MODULE_VERSION: QueryKey = QueryKey {
    name: "module_version",
    kind: Kind::String,
    required: false,
    default: None,
    help: "The version of the ecs-drift Terraform module that sends the query (MAJOR.MINOR.PATCH). \
           A module of another minor version speaks another query, so the program refuses it and \
           names both versions; a patch difference is accepted. Absent: not checked (a query \
           typed by hand).",
};

/// `MAJOR.MINOR` of a version `MAJOR.MINOR.PATCH`, with an optional `-pre` or `+build` suffix
/// (Semantic Versioning 2.0.0, https://semver.org/#spec-item-2); `None` for anything else.
pub fn minor_of(version: &str) -> Option<(u64, u64)> {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let mut parts = core.split('.');
    let mut number = || -> Option<u64> {
        let part = parts.next()?;
        // No sign, no leading zeros (SemVer 2.0.0, item 2), nothing but digits.
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        part.parse().ok()
    };
    let (major, minor, _patch) = (number()?, number()?, number()?);
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor))
}

/// What the query's `module_version` says about this program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skew {
    /// No `module_version` (a query typed by hand, or a module older than the check).
    Unknown,
    /// The same version.
    Same,
    /// Another patch of the same minor version: compatible.
    Patch(String),
    /// Another minor (or major) version: the query is refused.
    Minor(String),
    /// Not a version at all.
    Invalid(String),
}

/// Compares the module's version (the query's `module_version`, if any) with the program's.
pub fn compare(module: Option<&str>, program: &str) -> Skew {
    let Some(module) = module.filter(|module| !module.is_empty()) else {
        return Skew::Unknown;
    };
    if module == program {
        return Skew::Same;
    }
    match (minor_of(module), minor_of(program)) {
        (None, _) => Skew::Invalid(module.to_string()),
        (Some(a), Some(b)) if a == b => Skew::Patch(module.to_string()),
        _ => Skew::Minor(module.to_string()),
    }
}

/// The hint an unknown query key gets: keys that differ are the usual sign of a module and
/// programs from different releases.
pub fn unknown_key_hint(skew: &Skew, program: &str) -> Option<String> {
    match skew {
        // No version in this line: the same query gets the same line from every release.
        Skew::Unknown => Some(
            "if the query comes from the ecs-drift module, that module is older than this \
             program, whose module sends `module_version`: use the module and the programs of one \
             release"
                .to_string(),
        ),
        Skew::Patch(module) => Some(format!(
            "the module is {module} and this program {program}: use the module and the programs \
             of one release"
        )),
        Skew::Same | Skew::Minor(_) | Skew::Invalid(_) => None,
    }
}
