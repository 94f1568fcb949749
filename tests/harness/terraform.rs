//! Real Terraform, run on the module and its examples against a [`Moto`] server.
//!
//! - [`Toolchain::require`]: Terraform 1.5 or later, the AWS provider from a filesystem mirror (or
//!   the registry), and hashicorp/external: the stand-in of `tests/terraform-provider-external`,
//!   installed into a filesystem mirror of its own, or with `ECS_DRIFT_EXTERNAL_PROVIDER=registry`
//!   the real one from the registry. A missing piece fails the test with what to install; the
//!   tests that need it are `#[ignore = "needs Terraform"]`, which `make test` runs.
//! - [`Workdir::example`]: a copy of `examples/<name>` beside the module, with one override file
//!   that points the AWS provider at moto and the module's `bin_dir` at this build's programs.
//! - [`Workdir::plan`], [`Workdir::apply`]: the commands a drift-detection job and a person run,
//!   with the exit code of `terraform plan -detailed-exitcode` and the plan as JSON.
//!
//! Terraform runs in a sealed environment: no `AWS_*` or `TF_*` variable of the caller reaches
//! it, its credentials are dummies and every endpoint is moto's on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{Moto, Run, repo_root, run_command, sealed_command, workspace_binary};

/// The version the stand-in is installed as: hashicorp/external's latest 2.3.x.
pub const STAND_IN_VERSION: &str = "2.3.5";

/// Where hashicorp/external comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum External {
    /// `tests/terraform-provider-external`, from a filesystem mirror of the suite's own.
    StandIn,
    /// The real provider (`ECS_DRIFT_EXTERNAL_PROVIDER=registry`): from the AWS provider's
    /// filesystem mirror when it holds one, else downloaded from registry.terraform.io.
    Registry,
}

/// What the suite runs Terraform with.
#[derive(Debug)]
pub struct Toolchain {
    pub terraform: PathBuf,
    /// `terraform version`'s number, such as `1.11.4`.
    pub version: String,
    /// The filesystem mirror holding `registry.terraform.io/hashicorp/aws`, if any; without one
    /// the AWS provider comes from the registry.
    pub aws_mirror: Option<PathBuf>,
    pub external: External,
    /// The CLI configuration (provider installation) every command gets.
    cli_config: PathBuf,
}

/// The environment variable naming a filesystem mirror that holds the AWS provider, or
/// `registry` for registry.terraform.io.
pub const MIRROR_VARIABLE: &str = "ECS_DRIFT_TF_PROVIDER_MIRROR";
/// The environment variable that switches hashicorp/external to the registry's (`registry`).
pub const EXTERNAL_VARIABLE: &str = "ECS_DRIFT_EXTERNAL_PROVIDER";

/// `terraform` 1.5 or later: `$TERRAFORM`, else the one on PATH. Returns it and its version.
pub fn find_terraform() -> Result<(PathBuf, String), String> {
    let terraform = std::env::var_os("TERRAFORM")
        .map(PathBuf::from)
        .or_else(|| crate::path_program("terraform"))
        .ok_or("no terraform on PATH")?;
    let run = crate::run(&terraform, &["version", "-json"], "");
    let version: Value = serde_json::from_str(&run.stdout)
        .map_err(|_| format!("{} does not answer `version -json`", terraform.display()))?;
    let number = version["terraform_version"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let parts: Vec<u64> = number
        .split('.')
        .take(2)
        .filter_map(|part| part.parse().ok())
        .collect();
    if parts.as_slice() < [1, 5].as_slice() {
        return Err(format!(
            "{} is Terraform {number}; the module needs 1.5 or later",
            terraform.display()
        ));
    }
    Ok((terraform, number))
}

/// A filesystem mirror holding the AWS provider: `$ECS_DRIFT_TF_PROVIDER_MIRROR`, else the first
/// of the usual places that has one.
pub fn find_aws_mirror() -> Option<PathBuf> {
    let holds_aws = |dir: &Path| {
        dir.join("registry.terraform.io/hashicorp/aws")
            .read_dir()
            .is_ok_and(|mut versions| versions.next().is_some())
    };
    if let Some(dir) = std::env::var_os(MIRROR_VARIABLE) {
        return Some(PathBuf::from(dir)).filter(|dir| holds_aws(dir));
    }
    // Where Terraform itself looks for plugins, and where images commonly put a mirror.
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    [
        PathBuf::from("/opt/tf-plugins"),
        home.join(".terraform.d/plugins"),
        home.join(".local/share/terraform/plugins"),
        PathBuf::from("/usr/local/share/terraform/plugins"),
        PathBuf::from("/usr/share/terraform/plugins"),
    ]
    .into_iter()
    .find(|dir| holds_aws(dir))
}

/// What to install, in one line, when Terraform or the AWS provider is missing.
pub const INSTALL_HINT: &str = "install Terraform 1.5 or later on PATH (https://developer.hashicorp.com/terraform/install) \
     and the AWS provider 5.51.1 or later in a filesystem mirror (ECS_DRIFT_TF_PROVIDER_MIRROR=DIR, \
     DIR/registry.terraform.io/hashicorp/aws/VERSION/PLATFORM/), or set \
     ECS_DRIFT_TF_PROVIDER_MIRROR=registry where registry.terraform.io can be reached";

impl Toolchain {
    /// The suite's toolchain, set up once per process, or what is missing.
    pub fn find() -> Result<&'static Toolchain, String> {
        static TOOLCHAIN: OnceLock<Result<Toolchain, String>> = OnceLock::new();
        TOOLCHAIN
            .get_or_init(Toolchain::set_up)
            .as_ref()
            .map_err(|missing| format!("{missing}: {INSTALL_HINT}"))
    }

    /// [`Toolchain::find`] for a test, which fails when something is missing. Every test that
    /// needs Terraform is `#[ignore = "needs Terraform"]`: `cargo test` lists it as ignored, and
    /// `make test` (`-- --include-ignored`) runs it, so it never passes without running.
    pub fn require() -> &'static Toolchain {
        Toolchain::find().unwrap_or_else(|missing| panic!("{missing}"))
    }

    fn set_up() -> Result<Toolchain, String> {
        let (terraform, version) = find_terraform()?;
        let aws_mirror = match std::env::var_os(MIRROR_VARIABLE) {
            Some(value) if value == "registry" => None,
            _ => Some(find_aws_mirror().ok_or_else(|| {
                format!(
                    "no filesystem mirror holds the AWS provider (looked at ${MIRROR_VARIABLE} and the usual plugin directories)"
                )
            })?),
        };
        let external = match std::env::var(EXTERNAL_VARIABLE).as_deref() {
            Ok("registry") => External::Registry,
            Ok("" | "stand-in") | Err(_) => External::StandIn,
            Ok(other) => {
                return Err(format!(
                    "{EXTERNAL_VARIABLE}={other}: expected `registry` or `stand-in`"
                ));
            }
        };
        let root = workspace_binary("terraform-mirror");
        let stand_in_mirror = root.join("mirror");
        if external == External::StandIn {
            install_stand_in(&stand_in_mirror)?;
        }

        // The real hashicorp/external comes from the AWS provider's mirror when it holds one.
        let real_external_in_mirror = external == External::Registry
            && aws_mirror.as_ref().is_some_and(|mirror| {
                mirror
                    .join("registry.terraform.io/hashicorp/external")
                    .is_dir()
            });
        let mut installation = String::new();
        if let Some(mirror) = &aws_mirror {
            let include = if real_external_in_mirror {
                "\"registry.terraform.io/hashicorp/aws\", \"registry.terraform.io/hashicorp/external\""
            } else {
                "\"registry.terraform.io/hashicorp/aws\""
            };
            installation.push_str(&format!(
                "  filesystem_mirror {{\n    path    = {}\n    include = [{include}]\n  }}\n",
                hcl_string(&mirror.display().to_string())
            ));
        }
        if external == External::StandIn {
            installation.push_str(&format!(
                "  filesystem_mirror {{\n    path    = {}\n    include = [\"registry.terraform.io/hashicorp/external\"]\n  }}\n",
                hcl_string(&stand_in_mirror.display().to_string())
            ));
        }
        let mut direct = Vec::new();
        if aws_mirror.is_none() {
            direct.push("\"registry.terraform.io/hashicorp/aws\"");
        }
        if external == External::Registry && !real_external_in_mirror {
            direct.push("\"registry.terraform.io/hashicorp/external\"");
        }
        if !direct.is_empty() {
            installation.push_str(&format!(
                "  direct {{\n    include = [{}]\n  }}\n",
                direct.join(", ")
            ));
        }
        let suffix = match external {
            External::StandIn => "stand-in",
            External::Registry => "registry",
        };
        let cli_config = root.join(format!("cli-{suffix}.tfrc"));
        write_atomically(
            &cli_config,
            &format!(
                "# Written by the test harness (tests/harness/terraform.rs).\nprovider_installation {{\n{installation}}}\n"
            ),
        )?;
        Ok(Toolchain {
            terraform,
            version,
            aws_mirror,
            external,
            cli_config,
        })
    }

    /// One line for the README and the logs: which Terraform, AWS provider and external provider.
    pub fn describe(&self) -> String {
        let aws = match &self.aws_mirror {
            Some(mirror) => format!("the AWS provider from {}", mirror.display()),
            None => "the AWS provider from the registry".to_string(),
        };
        let external = match self.external {
            External::StandIn => {
                format!(
                    "hashicorp/external: the stand-in tests/terraform-provider-external ({STAND_IN_VERSION})"
                )
            }
            External::Registry => "hashicorp/external from the registry".to_string(),
        };
        format!("Terraform {}, {aws}, {external}", self.version)
    }

    /// `terraform ARGS` in `dir`, sealed, with the suite's CLI configuration.
    pub fn command(&self, dir: &Path, arguments: &[&str]) -> Command {
        let mut command = self.sealed(&self.terraform, dir);
        command.args(arguments);
        command
    }

    /// `program` in `dir`, sealed, with no `TF_*` variable of the caller's and the suite's CLI
    /// configuration: what Terraform, or a script that runs it, gets.
    fn sealed(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let mut command = sealed_command(program);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("TF_") {
                command.env_remove(&key);
            }
        }
        command
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1");
        command
    }
}

/// `CI=true` (or any value but `false`/`0`/empty), as CI systems set it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "0" | "false"))
}

/// A string literal of HCL.
pub fn hcl_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn write_atomically(path: &Path, contents: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let temporary = dir.join(format!(
        ".{}.{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temporary, contents)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Terraform's name of this platform: `linux_amd64`, `darwin_arm64`, ...
pub fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// Copies this build's stand-in into `mirror` in the unpacked layout Terraform reads. Each test
/// process copies it once, through a temporary file renamed into place, so processes that run at
/// the same time never see half a binary.
fn install_stand_in(mirror: &Path) -> Result<(), String> {
    let binary = workspace_binary("terraform-provider-external");
    if !binary.is_file() {
        return Err(format!(
            "{} is not built: run `cargo build --workspace` (or `make test`)",
            binary.display()
        ));
    }
    let dir = mirror
        .join("registry.terraform.io/hashicorp/external")
        .join(STAND_IN_VERSION)
        .join(platform());
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let target = dir.join(format!("terraform-provider-external_v{STAND_IN_VERSION}"));
    let temporary = dir.join(format!(
        ".terraform-provider-external.{}",
        std::process::id()
    ));
    std::fs::copy(&binary, &temporary)
        .and_then(|_| std::fs::rename(&temporary, &target))
        .map_err(|error| {
            format!(
                "cannot install the stand-in into {}: {error}",
                dir.display()
            )
        })
}

// ---------------------------------------------------------------------------------------------
// A working directory.

/// Copies the `.tf` files of `examples/<example>` into `to`, each through `edit`.
fn copy_example(example: &str, to: &Path, edit: impl Fn(&str) -> String) {
    let source = repo_root().join("examples").join(example);
    std::fs::create_dir_all(to).expect("create the example's directory");
    for entry in std::fs::read_dir(&source).expect("read the example") {
        let entry = entry.expect("an entry of the example");
        if entry
            .path()
            .extension()
            .is_some_and(|extension| extension == "tf")
        {
            let text = std::fs::read_to_string(entry.path()).expect("read a .tf file");
            std::fs::write(to.join(entry.file_name()), edit(&text)).expect("copy a .tf file");
        }
    }
}

/// Copies each source into `to`: a folder's contents, or a file.
fn copy_sources(sources: &[PathBuf], to: &Path) {
    for source in sources {
        if source.is_dir() {
            copy_tree(source, to);
        } else {
            std::fs::create_dir_all(to).expect("create a folder");
            let name = source.file_name().expect("a file name");
            std::fs::copy(source, to.join(name)).expect("copy a file");
        }
    }
}

/// Copies a folder, permissions included.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// The harness's override file in `dir`: the AWS provider's endpoints are moto's, and the
/// `bin_dir` of the module block that calls ecs-drift's module (`module "service"` for the whole
/// service, `module "task_definition"` for the task definition of a service of the root's) is
/// `bin_dir`.
fn write_override(dir: &Path, moto: &Moto, bin_dir: &str) {
    let main = std::fs::read_to_string(dir.join("main.tf")).unwrap_or_default();
    let module = ["service", "task_definition"]
        .into_iter()
        .find(|name| main.contains(&format!("module \"{name}\" {{")))
        .unwrap_or("service");
    write_override_for(dir, moto, Some((module, bin_dir)));
}

fn write_override_for(dir: &Path, moto: &Moto, module: Option<(&str, &str)>) {
    let endpoints: String = SERVICES
        .iter()
        .map(|service| format!("    {service} = {}\n", hcl_string(&moto.endpoint())))
        .collect();
    let module = module
        .map(|(name, bin_dir)| {
            format!(
                "\nmodule {} {{\n  bin_dir = {}\n}}\n",
                hcl_string(name),
                hcl_string(bin_dir)
            )
        })
        .unwrap_or_default();
    std::fs::write(
        dir.join("ecs_drift_test_override.tf"),
        format!(
            "# Written by the test harness: the AWS provider talks to moto on 127.0.0.1, and the\n\
             # module runs the programs in bin_dir.\n\
             provider \"aws\" {{\n  access_key                  = \"testing\"\n  secret_key                  = \"testing\"\n  skip_metadata_api_check     = true\n  skip_requesting_account_id  = false\n\n  endpoints {{\n{endpoints}  }}\n}}\n{module}"
        ),
    )
    .expect("write the override file");
}

/// What `terraform plan -detailed-exitcode` said.
#[derive(Debug)]
pub struct Plan {
    /// 0: no changes; 2: changes (outputs included); 1: an error.
    pub exit_code: Option<i32>,
    /// The plan as people read it (`-no-color`).
    pub text: String,
    pub stderr: String,
    /// `terraform show -json` of the saved plan when it has changes (exit code 2), else `Null`.
    pub json: Value,
}

impl Plan {
    /// Resource changes other than no-ops and reads: `(address, actions)`.
    pub fn changes(&self) -> Vec<(String, Vec<String>)> {
        self.all_changes()
            .into_iter()
            .filter(|(_, actions)| {
                !actions
                    .iter()
                    .all(|action| action == "no-op" || action == "read")
            })
            .collect()
    }

    /// The actions planned for `address` (empty when none).
    pub fn actions(&self, address: &str) -> Vec<String> {
        self.changes()
            .into_iter()
            .find(|(candidate, _)| candidate == address)
            .map(|(_, actions)| actions)
            .unwrap_or_default()
    }

    /// Output changes other than no-ops: their names.
    pub fn output_changes(&self) -> Vec<String> {
        self.json["output_changes"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, change)| change["actions"] != serde_json::json!(["no-op"]))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The resource change of `address`, as `terraform show -json` writes it (`address`,
    /// `previous_address` when moved, `change.actions`, `change.importing`, `change.after`...);
    /// `Null` when the plan has none.
    pub fn resource_change(&self, address: &str) -> &Value {
        self.json["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|change| change["address"] == address)
            .unwrap_or(&Value::Null)
    }

    /// The planned value after the change of `address` (`change.after`).
    pub fn after(&self, address: &str) -> Value {
        self.resource_change(address)["change"]["after"].clone()
    }

    /// Every resource change with its actions, no-ops and forgets included: `(address, actions)`.
    pub fn all_changes(&self) -> Vec<(String, Vec<String>)> {
        self.json["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|change| {
                let actions = change["change"]["actions"]
                    .as_array()?
                    .iter()
                    .filter_map(|action| action.as_str().map(str::to_string))
                    .collect();
                Some((change["address"].as_str()?.to_string(), actions))
            })
            .collect()
    }
}

/// A Terraform working directory: a copy of an example against one moto server, or a
/// configuration of a test's own.
#[derive(Debug)]
pub struct Workdir {
    toolchain: &'static Toolchain,
    _dir: tempfile::TempDir,
    /// Where terraform runs: `<dir>/examples/<name>`, or `<dir>`.
    pub path: PathBuf,
    /// moto's endpoint, for the AWS SDKs Terraform runs (the lookup); without one, the sealed
    /// environment's unused loopback port.
    endpoint: Option<String>,
    plans: std::cell::Cell<u32>,
}

/// The AWS services the examples use, by the provider's `endpoints` names.
const SERVICES: [&str; 8] = [
    "applicationautoscaling",
    "deploy",
    "ec2",
    "ecs",
    "elbv2",
    "iam",
    "logs",
    "sts",
];

impl Workdir {
    /// A copy of `examples/<example>`, with the module beside it as `../../terraform-module` (a
    /// symbolic link to the repository's, so the module runs exactly as shipped) and one override
    /// file: the AWS provider's endpoints are moto's, and the module's `bin_dir` is this build's.
    /// Runs `terraform init`, whose output is the error when it fails.
    pub fn example(
        toolchain: &'static Toolchain,
        moto: &Moto,
        example: &str,
    ) -> Result<Self, String> {
        Self::example_with(toolchain, moto, example, str::to_string)
    }

    /// [`Workdir::example`] with each `.tf` file of the copy rewritten by `edit` first: a user's
    /// variation of an example.
    pub fn example_with(
        toolchain: &'static Toolchain,
        moto: &Moto,
        example: &str,
        edit: impl Fn(&str) -> String,
    ) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("examples").join(example);
        copy_example(example, &path, edit);
        std::os::unix::fs::symlink(
            repo_root().join("terraform-module"),
            dir.path().join("terraform-module"),
        )
        .expect("link the module");
        let bin_dir = workspace_binary("live_task_lookup")
            .parent()
            .map(|dir| dir.display().to_string())
            .unwrap_or_default();
        write_override(&path, moto, &bin_dir);
        Workdir::new(toolchain, dir, path, moto).init()
    }

    /// `examples/<example>` as a user runs it from a repository that vendors `bundle` (the folder
    /// `scripts/dist` writes): the bundle copied to `vendor/ecs-drift/`, the module's `source`
    /// and `bin_dir` relative paths into it. Runs `terraform init`.
    pub fn vendored(
        toolchain: &'static Toolchain,
        moto: &Moto,
        example: &str,
        bundle: &Path,
    ) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().to_path_buf();
        copy_tree(bundle, &path.join("vendor").join("ecs-drift"));
        copy_example(example, &path, |text| {
            text.replace(
                "source = \"../../terraform-module\"",
                "source = \"./vendor/ecs-drift/terraform-module\"",
            )
        });
        write_override(&path, moto, "./vendor/ecs-drift/bin");
        Workdir::new(toolchain, dir, path, moto).init()
    }

    fn new(
        toolchain: &'static Toolchain,
        dir: tempfile::TempDir,
        path: PathBuf,
        moto: &Moto,
    ) -> Self {
        Workdir {
            toolchain,
            _dir: dir,
            path,
            endpoint: Some(moto.endpoint()),
            plans: std::cell::Cell::new(0),
        }
    }

    /// The configuration made of `sources` (folders of `.tf` files and local modules, or single
    /// files), run from `<dir>/work` with the module beside it as `../terraform-module` and the
    /// harness's override pointing the AWS provider at moto. Runs `terraform init`.
    pub fn fixture(
        toolchain: &'static Toolchain,
        moto: &Moto,
        sources: &[PathBuf],
    ) -> Result<Self, String> {
        Self::fixture_at(toolchain, moto, sources, "work")
    }

    /// [`Workdir::fixture`] run from `<dir>/<at>` (`examples/NAME/before`), the module still at
    /// `<dir>/terraform-module`: a configuration that names the module by a relative path from
    /// that depth, as an example of `examples/` does.
    pub fn fixture_at(
        toolchain: &'static Toolchain,
        moto: &Moto,
        sources: &[PathBuf],
        at: &str,
    ) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join(at);
        copy_sources(sources, &path);
        std::os::unix::fs::symlink(
            repo_root().join("terraform-module"),
            dir.path().join("terraform-module"),
        )
        .expect("link the module");
        write_override_for(&path, moto, None);
        Workdir::new(toolchain, dir, path, moto).init()
    }

    /// Replaces the configuration with the one made of `sources`, the state staying as it is,
    /// and points the `bin_dir` of `module "<module>"` at this build's programs: a user's edit of
    /// a root module. Runs `terraform init`.
    pub fn switch_to(self, moto: &Moto, sources: &[PathBuf], module: &str) -> Result<Self, String> {
        for entry in std::fs::read_dir(&self.path).expect("read the configuration") {
            let entry = entry.expect("an entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tf") {
                std::fs::remove_file(entry.path()).expect("remove a .tf file");
            } else if entry.file_type().is_ok_and(|kind| kind.is_dir()) && name != ".terraform" {
                std::fs::remove_dir_all(entry.path()).expect("remove a local module");
            }
        }
        copy_sources(sources, &self.path);
        let bin_dir = workspace_binary("live_task_lookup")
            .parent()
            .map(|dir| dir.display().to_string())
            .unwrap_or_default();
        write_override_for(&self.path, moto, Some((module, &bin_dir)));
        self.init()
    }

    /// A directory holding `files` (name, contents), after `terraform init`.
    pub fn with_files(
        toolchain: &'static Toolchain,
        files: &[(&str, &str)],
    ) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        for (name, contents) in files {
            std::fs::write(dir.path().join(name), contents).expect("write a file");
        }
        Workdir {
            toolchain,
            path: dir.path().to_path_buf(),
            _dir: dir,
            endpoint: None,
            plans: std::cell::Cell::new(0),
        }
        .init()
    }

    fn init(self) -> Result<Self, String> {
        let init = self.run(&["init", "-input=false", "-no-color"]);
        if init.status != Some(0) {
            return Err(format!(
                "terraform init failed:\n{}\n{}",
                init.stdout, init.stderr
            ));
        }
        Ok(self)
    }

    /// `terraform ARGS`, with moto as every AWS endpoint (the lookup reads `AWS_ENDPOINT_URL`).
    pub fn run(&self, arguments: &[&str]) -> Run {
        let mut command = self.toolchain.command(&self.path, arguments);
        if let Some(endpoint) = &self.endpoint {
            command.env("AWS_ENDPOINT_URL", endpoint);
        }
        run_command(command, b"")
    }

    /// `bash SCRIPT ARGUMENTS` in the working directory, as a user runs the instructions of a
    /// README: `terraform` is this toolchain's, and the folders of `path` come first on `PATH`
    /// (a test's stand-ins for the user's tools), with `environment` set.
    pub fn script(
        &self,
        script: &Path,
        arguments: &[&str],
        path: &[PathBuf],
        environment: &[(&str, &str)],
    ) -> Run {
        let terraform_dir = self.path.join(".ecs-drift-test-bin");
        std::fs::create_dir_all(&terraform_dir).expect("create a folder");
        let link = terraform_dir.join("terraform");
        if !link.exists() {
            std::os::unix::fs::symlink(&self.toolchain.terraform, &link).expect("link terraform");
        }
        let mut folders = vec![terraform_dir];
        folders.extend(path.iter().cloned());
        folders.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut command = self.toolchain.sealed("bash", &self.path);
        command
            .arg(script)
            .args(arguments)
            .env("PATH", std::env::join_paths(folders).expect("a PATH"))
            .envs(environment.iter().copied());
        if let Some(endpoint) = &self.endpoint {
            command.env("AWS_ENDPOINT_URL", endpoint);
        }
        run_command(command, b"")
    }

    /// `terraform plan -detailed-exitcode`, saved, and its JSON.
    pub fn plan(&self) -> Plan {
        let number = self.plans.get() + 1;
        self.plans.set(number);
        let file = format!("plan-{number}.tfplan");
        let out = format!("-out={file}");
        let plan = self.run(&[
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
            &out,
        ]);
        // A clean plan has nothing to show, and `show` costs a second provider start.
        let json = if plan.status == Some(2) {
            let show = self.run(&["show", "-json", &file]);
            assert_eq!(show.status, Some(0), "terraform show failed: {show:#?}");
            serde_json::from_str(&show.stdout).expect("terraform show -json prints JSON")
        } else {
            Value::Null
        };
        Plan {
            exit_code: plan.status,
            text: plan.stdout,
            stderr: plan.stderr,
            json,
        }
    }

    /// The last saved plan's file, relative to the working directory.
    pub fn plan_file(&self) -> PathBuf {
        PathBuf::from(format!("plan-{}.tfplan", self.plans.get()))
    }

    /// `terraform apply` of the last saved plan.
    pub fn apply_plan(&self) -> Run {
        let file = self.plan_file().to_string_lossy().into_owned();
        self.run(&["apply", "-input=false", "-no-color", &file])
    }

    /// `terraform apply -auto-approve`.
    pub fn apply(&self) -> Run {
        self.run(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// The root module's outputs (`terraform output -json`): name to value.
    pub fn outputs(&self) -> serde_json::Map<String, Value> {
        let run = self.run(&["output", "-json"]);
        assert_eq!(run.status, Some(0), "terraform output failed: {run:#?}");
        let outputs: serde_json::Map<String, Value> =
            serde_json::from_str(&run.stdout).expect("terraform output -json prints JSON");
        outputs
            .into_iter()
            .map(|(name, output)| (name, output["value"].clone()))
            .collect()
    }

    /// Replaces `from` (which must occur) by `to` in the copy's `main.tf`: an edit a user makes.
    pub fn edit(&self, from: &str, to: &str) {
        let main = self.path.join("main.tf");
        let text = std::fs::read_to_string(&main).expect("read main.tf");
        assert!(text.contains(from), "main.tf has no {from:?}");
        std::fs::write(&main, text.replacen(from, to, 1)).expect("write main.tf");
    }

    /// Writes one more override file, `<name>_override.tf`.
    pub fn override_file(&self, name: &str, contents: &str) {
        std::fs::write(self.path.join(format!("{name}_override.tf")), contents)
            .expect("write an override file");
    }
}

/// Terraform's words with the line breaks it wraps them with, and the frame of its diagnostics
/// (`│` at the start of a line), taken out: what a test compares a message with.
pub fn unwrapped(text: &str) -> String {
    text.lines()
        .flat_map(|line| line.trim_start().trim_start_matches('│').split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}
