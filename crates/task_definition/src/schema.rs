//! Every field of an ECS task definition, in one table.
//!
//! The table drives everything that depends on the shape of a task definition: unknown-key
//! detection, type checks, the defaults ECS fills in, which lists are sets and how their entries
//! are keyed, and the key order of the canonical forms. A field that a newer ECS API adds is one
//! line here.
//!
//! Every list says how it compares, with its source ([`Field::list`]; [`Field::new`] refuses a
//! list at compile time). What decides is whether the list can reach ECS, or come back, in
//! another order than written, and how the AWS provider compares it, since the provider
//! registers what the selector calls changed:
//! - `containerDefinitions` is JSON text the provider sends as written. It compares it in order
//!   but for the containers, `environment` and `secrets`, which it sorts by name
//!   (`containerDefinitionsAreEquivalent`), and ECS returns every other list in order (provider
//!   test `TestContainerDefinitionsAreEquivalent_arrays`). So every other list inside a
//!   container is ordered: one the selector called a set would keep the service on the live
//!   revision while the provider registers a reordered one, and again after every deploy
//!   copies the live one.
//! - The task-level lists are arguments of `aws_ecs_task_definition`, which the provider models
//!   as TypeSet or TypeMap (`internal/service/ecs/task_definition.go`): they reach ECS in an
//!   order of the provider's, so each is keyed or a set.
//!
//! Source of the field list: the ECS API model as generated into the AWS SDK for Rust
//! (`aws-sdk-ecs`, `protocol_serde/shape_container_definition.rs`,
//! `shape_register_task_definition_input.rs`, `shape_port_mapping.rs`, `shape_volume.rs`,
//! `shape_efs_volume_configuration.rs`, `shape_docker_volume_configuration.rs`,
//! `shape_f_sx_windows_file_server_volume_configuration.rs`, `shape_linux_parameters.rs`,
//! `shape_proxy_configuration.rs`) and the ECS API reference pages of the same types
//! (`ContainerRestartPolicy`, `Volume.configuredAtLaunch`, `RegisterTaskDefinition.enableFaultInjection`).

use serde_json::Value;

use crate::json::Map;
use crate::units::Unit;

/// The JSON type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Boolean,
    /// An object whose values are all strings (`dockerLabels`, `logConfiguration.options`).
    StringMap,
    List(&'static Kind),
    Object(&'static Table),
    /// Task-level `cpu` or `memory`: a string in the API, which may carry units (`"1 vCPU"`,
    /// `"2 GB"`); a JSON number is accepted from users and means the same string.
    Size(Unit),
}

/// How a list compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Position by position: ECS returns the list as it was sent, and the order may be meaning
    /// (`command`, `entryPoint`, ...).
    Kept,
    /// Entries matched by this member, whatever their order.
    ByKey(&'static str),
    /// A set: sorted before comparing.
    Sorted,
}

/// A literal default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lit {
    Int(i64),
    Bool(bool),
    Str(&'static str),
    EmptyList,
}

impl Lit {
    pub(crate) fn to_value(self) -> serde_json::Value {
        match self {
            Lit::Int(number) => serde_json::Value::from(number),
            Lit::Bool(flag) => serde_json::Value::Bool(flag),
            Lit::Str(text) => serde_json::Value::from(text),
            Lit::EmptyList => serde_json::Value::Array(Vec::new()),
        }
    }

    pub(crate) fn matches(self, value: &serde_json::Value) -> bool {
        match (self, value) {
            (Lit::Int(number), serde_json::Value::Number(found)) => {
                found.as_i64() == Some(number)
                    || found.as_f64().is_some_and(|found| found == number as f64)
            }
            (Lit::Bool(flag), serde_json::Value::Bool(found)) => flag == *found,
            (Lit::Str(text), serde_json::Value::String(found)) => text == found,
            (Lit::EmptyList, serde_json::Value::Array(found)) => found.is_empty(),
            _ => false,
        }
    }
}

/// One field of an object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    /// The value that means the same as an absent field; the comparison form drops it.
    pub default: Option<Lit>,
    /// ECS fills `default` in when the field is absent (DescribeTaskDefinition returns it), so
    /// the register form fills it in too.
    pub ecs_fills: bool,
    /// For lists: how order counts, and the source that says so (read by the test that lists
    /// every list's class).
    pub order: Order,
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "documentation, checked by tests")
    )]
    pub order_source: &'static str,
    /// `environment` and `secrets` may be written as an object; this is the entry key that
    /// receives the object's values (`value` or `valueFrom`).
    pub object_form: Option<&'static str>,
    /// An empty string means the same as an absent field.
    pub blank_is_absent: bool,
    /// The value may be secret: not shown in messages unless asked for.
    pub sensitive: bool,
}

impl Field {
    /// A field that is not a list.
    const fn new(name: &'static str, kind: Kind) -> Self {
        if matches!(kind, Kind::List(_)) {
            panic!("a list field is declared with Field::list, with its order and its source");
        }
        Self::any(name, kind, Order::Kept, "")
    }

    /// A list compared position by position; `source` says why.
    const fn ordered(name: &'static str, kind: Kind, source: &'static str) -> Self {
        Self::list(name, kind, Order::Kept, source)
    }

    /// A list whose entries are matched by their member `key`; `source` says why.
    const fn keyed(
        name: &'static str,
        kind: Kind,
        key: &'static str,
        source: &'static str,
    ) -> Self {
        Self::list(name, kind, Order::ByKey(key), source)
    }

    /// A list that is a set; `source` says why.
    const fn set(name: &'static str, kind: Kind, source: &'static str) -> Self {
        Self::list(name, kind, Order::Sorted, source)
    }

    const fn list(name: &'static str, kind: Kind, order: Order, source: &'static str) -> Self {
        if !matches!(kind, Kind::List(_)) || source.is_empty() {
            panic!("Field::list takes a list kind and the source of its order");
        }
        Self::any(name, kind, order, source)
    }

    const fn any(name: &'static str, kind: Kind, order: Order, order_source: &'static str) -> Self {
        Self {
            name,
            kind,
            default: None,
            ecs_fills: false,
            order,
            order_source,
            object_form: None,
            blank_is_absent: false,
            sensitive: false,
        }
    }

    /// A value that means the same as absent, but ECS does not fill in.
    const fn same_as_absent(mut self, default: Lit) -> Self {
        self.default = Some(default);
        self
    }

    /// A value ECS fills in when absent.
    const fn filled(mut self, default: Lit) -> Self {
        self.default = Some(default);
        self.ecs_fills = true;
        self
    }

    const fn object_form(mut self, value_key: &'static str) -> Self {
        self.object_form = Some(value_key);
        self
    }

    const fn blank_is_absent(mut self) -> Self {
        self.blank_is_absent = true;
        self
    }

    const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// The fields of one object type, in the order the canonical forms write them.
#[derive(Debug)]
pub(crate) struct Table {
    /// What the object is, for messages: `x is not a <what> field`.
    pub what: &'static str,
    pub fields: &'static [Field],
}

impl Table {
    pub(crate) fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.name == name)
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|field| field.name)
    }

    /// The entries of `input`, taken apart without copying: those of the table's fields in the
    /// table's order, and the others in input order.
    pub(crate) fn split(&'static self, input: Map) -> (Vec<Entry>, Vec<(String, Value)>) {
        let mut known = Vec::with_capacity(input.len());
        let mut unknown = Vec::new();
        for (key, value) in input {
            match self.fields.iter().position(|field| field.name == key) {
                Some(index) => known.push(Entry {
                    index,
                    field: &self.fields[index],
                    key,
                    value,
                }),
                None => unknown.push((key, value)),
            }
        }
        // Keys are unique, and so are their positions.
        known.sort_unstable_by_key(|entry| entry.index);
        (known, unknown)
    }

    /// `input` with `change` applied to the value of every field of the table, in the table's
    /// order: `Some` keeps the changed value, `None` drops the entry; keys that are not fields
    /// are dropped. Stops at the first error.
    ///
    /// An object whose fields already come in the table's order (what this crate writes, and
    /// what most JSON is) is changed in place; any other is rebuilt in that order.
    pub(crate) fn change_fields<E>(
        &'static self,
        mut input: Map,
        mut change: impl FnMut(&'static Field, Value) -> Result<Option<Value>, E>,
    ) -> Result<Map, E> {
        if !self.in_order(&input) {
            let (known, _) = self.split(input);
            let mut output = Map::with_capacity(known.len());
            for Entry {
                field, key, value, ..
            } in known
            {
                if let Some(value) = change(field, value)? {
                    output.insert(key, value);
                }
            }
            return Ok(output);
        }
        let mut failure = None;
        input.retain(|key, value| {
            let (Some(field), None) = (self.field(key), &failure) else {
                return false;
            };
            match change(field, std::mem::take(value)) {
                Ok(Some(changed)) => {
                    *value = changed;
                    true
                }
                Ok(None) => false,
                Err(error) => {
                    failure = Some(error);
                    false
                }
            }
        });
        match failure {
            Some(error) => Err(error),
            None => Ok(input),
        }
    }

    /// Whether the keys of `input` that are fields come in the table's order.
    fn in_order(&self, input: &Map) -> bool {
        let mut next = 0;
        for key in input.keys() {
            match self.fields[next..]
                .iter()
                .position(|field| field.name == key)
            {
                Some(position) => next += position + 1,
                None if self.field(key).is_some() => return false,
                None => {}
            }
        }
        true
    }
}

/// One entry of an object that belongs to a field of its table (see [`Table::split`]).
pub(crate) struct Entry {
    /// The field's position in the table.
    pub index: usize,
    pub field: &'static Field,
    /// The key as it was in the object (the field's name), kept to be reused.
    pub key: String,
    pub value: Value,
}

impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Table {}

use Kind::{Boolean, Integer, StringMap};
const STRING: Kind = Kind::String;
const STRINGS: Kind = Kind::List(&Kind::String);
const INTEGERS: Kind = Kind::List(&Kind::Integer);

/// The source of most lists inside a container: see the module's comment.
const AS_WRITTEN: &str = "inside container_definitions: sent as written and compared in order \
    by the AWS provider, returned in order by ECS (provider test \
    TestContainerDefinitionsAreEquivalent_arrays)";

/// [`AS_WRITTEN`], for the lists ecspresso sorts before it prints its diff.
const AS_WRITTEN_PEER_SORTS: &str = "inside container_definitions: sent as written and compared \
    in order by the AWS provider, returned in order by ECS (provider test \
    TestContainerDefinitionsAreEquivalent_arrays); ecspresso sorts it for its diff, but the \
    provider registers a reordered one";

/// The process's arguments.
const ARGUMENTS: &str = "order is meaning: the arguments of a process (API reference \
    ContainerDefinition.entryPoint, command; HealthCheck.command); returned in order by ECS";

macro_rules! objects {
    ($table:expr) => {
        Kind::List(&Kind::Object(&$table))
    };
}

macro_rules! object {
    ($table:expr) => {
        Kind::Object(&$table)
    };
}

pub(crate) static REPOSITORY_CREDENTIALS: Table = Table {
    what: "repository credentials",
    fields: &[Field::new("credentialsParameter", STRING)],
};

pub(crate) static PORT_MAPPING: Table = Table {
    what: "port mapping",
    fields: &[
        Field::new("containerPort", Integer),
        // hostPort's default depends on the network mode; see canonical.rs.
        Field::new("hostPort", Integer),
        Field::new("protocol", STRING).filled(Lit::Str("tcp")),
        Field::new("name", STRING),
        Field::new("appProtocol", STRING),
        Field::new("containerPortRange", STRING),
    ],
};

pub(crate) static RESTART_POLICY: Table = Table {
    what: "restart policy",
    fields: &[
        Field::new("enabled", Boolean),
        Field::ordered("ignoredExitCodes", INTEGERS, AS_WRITTEN),
        Field::new("restartAttemptPeriod", Integer),
    ],
};

pub(crate) static ENVIRONMENT_VARIABLE: Table = Table {
    what: "environment variable",
    fields: &[
        Field::new("name", STRING),
        // An empty value means the same as no entry: ECS reportedly drops such entries
        // (terraform-provider-aws #39533, unverified); see canonical.rs.
        Field::new("value", STRING).sensitive().blank_is_absent(),
    ],
};

pub(crate) static ENVIRONMENT_FILE: Table = Table {
    what: "environment file",
    fields: &[Field::new("value", STRING), Field::new("type", STRING)],
};

pub(crate) static MOUNT_POINT: Table = Table {
    what: "mount point",
    fields: &[
        Field::new("sourceVolume", STRING),
        Field::new("containerPath", STRING),
        Field::new("readOnly", Boolean).same_as_absent(Lit::Bool(false)),
    ],
};

pub(crate) static VOLUME_FROM: Table = Table {
    what: "volumesFrom entry",
    fields: &[
        Field::new("sourceContainer", STRING),
        Field::new("readOnly", Boolean).same_as_absent(Lit::Bool(false)),
    ],
};

/// `add` and `drop` are sets of capability names to Docker, but ordered here: the AWS provider
/// compares them in order (see the module's comment). DescribeTaskDefinition returns `add: []`
/// when only `drop` was given (docs/ecs-facts.md), so the register form sends it. Whether ECS adds
/// `drop: []` when only `add` was given is unknown; it is not sent, since an empty list ECS would
/// not return makes the provider diff just as surely as one it adds.
pub(crate) static KERNEL_CAPABILITIES: Table = Table {
    what: "capabilities",
    fields: &[
        Field::ordered("add", STRINGS, AS_WRITTEN).filled(Lit::EmptyList),
        Field::ordered("drop", STRINGS, AS_WRITTEN).same_as_absent(Lit::EmptyList),
    ],
};

pub(crate) static DEVICE: Table = Table {
    what: "device",
    fields: &[
        Field::new("hostPath", STRING),
        Field::new("containerPath", STRING),
        Field::ordered("permissions", STRINGS, AS_WRITTEN),
    ],
};

pub(crate) static TMPFS: Table = Table {
    what: "tmpfs",
    fields: &[
        Field::new("containerPath", STRING),
        Field::new("size", Integer),
        Field::ordered("mountOptions", STRINGS, AS_WRITTEN),
    ],
};

pub(crate) static LINUX_PARAMETERS: Table = Table {
    what: "linuxParameters",
    fields: &[
        Field::new("capabilities", object!(KERNEL_CAPABILITIES)),
        Field::ordered("devices", objects!(DEVICE), AS_WRITTEN),
        Field::new("initProcessEnabled", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("sharedMemorySize", Integer),
        Field::ordered("tmpfs", objects!(TMPFS), AS_WRITTEN),
        Field::new("maxSwap", Integer),
        Field::new("swappiness", Integer),
    ],
};

pub(crate) static SECRET: Table = Table {
    what: "secret",
    fields: &[Field::new("name", STRING), Field::new("valueFrom", STRING)],
};

pub(crate) static CONTAINER_DEPENDENCY: Table = Table {
    what: "dependsOn entry",
    fields: &[
        Field::new("containerName", STRING),
        Field::new("condition", STRING),
    ],
};

pub(crate) static HOST_ENTRY: Table = Table {
    what: "extraHosts entry",
    fields: &[
        Field::new("hostname", STRING),
        Field::new("ipAddress", STRING),
    ],
};

pub(crate) static ULIMIT: Table = Table {
    what: "ulimit",
    fields: &[
        Field::new("name", STRING),
        Field::new("softLimit", Integer),
        Field::new("hardLimit", Integer),
    ],
};

pub(crate) static LOG_CONFIGURATION: Table = Table {
    what: "logConfiguration",
    fields: &[
        Field::new("logDriver", STRING),
        Field::new("options", StringMap),
        Field::ordered("secretOptions", objects!(SECRET), AS_WRITTEN),
    ],
};

/// Health check defaults: terraform-provider-aws #22060 (DescribeTaskDefinition fills interval 30,
/// retries 3 and timeout 5, not startPeriod); ECS API reference `HealthCheck`.
pub(crate) static HEALTH_CHECK: Table = Table {
    what: "healthCheck",
    fields: &[
        Field::ordered("command", STRINGS, ARGUMENTS),
        Field::new("interval", Integer).filled(Lit::Int(30)),
        Field::new("timeout", Integer).filled(Lit::Int(5)),
        Field::new("retries", Integer).filled(Lit::Int(3)),
        Field::new("startPeriod", Integer),
    ],
};

pub(crate) static SYSTEM_CONTROL: Table = Table {
    what: "systemControls entry",
    fields: &[Field::new("namespace", STRING), Field::new("value", STRING)],
};

pub(crate) static RESOURCE_REQUIREMENT: Table = Table {
    what: "resourceRequirements entry",
    fields: &[Field::new("value", STRING), Field::new("type", STRING)],
};

pub(crate) static FIRELENS_CONFIGURATION: Table = Table {
    what: "firelensConfiguration",
    fields: &[Field::new("type", STRING), Field::new("options", StringMap)],
};

/// ContainerDefinition. Defaults from docs/ecs-facts.md: `cpu: 0`, `essential: true`, and the empty
/// lists `portMappings`, `environment`, `mountPoints`, `volumesFrom`, `systemControls`. The
/// Docker flags (`privileged`, `readonlyRootFilesystem`, ...) are off unless set to true, so
/// `false` means the same as absent; ECS is not known to fill them, so the register form does not.
/// `environment` and `secrets` are keyed by name (ECS does not keep their order); every other
/// list is ordered (see the module's comment).
pub(crate) static CONTAINER: Table = Table {
    what: "container definition",
    fields: &[
        Field::new("name", STRING),
        Field::new("image", STRING),
        Field::new("repositoryCredentials", object!(REPOSITORY_CREDENTIALS)),
        Field::new("cpu", Integer).filled(Lit::Int(0)),
        Field::new("memory", Integer),
        Field::new("memoryReservation", Integer),
        Field::ordered("links", STRINGS, AS_WRITTEN),
        Field::ordered(
            "portMappings",
            objects!(PORT_MAPPING),
            AS_WRITTEN_PEER_SORTS,
        )
        .filled(Lit::EmptyList),
        Field::new("essential", Boolean).filled(Lit::Bool(true)),
        Field::new("restartPolicy", object!(RESTART_POLICY)),
        Field::ordered("entryPoint", STRINGS, ARGUMENTS),
        Field::ordered("command", STRINGS, ARGUMENTS),
        Field::keyed(
            "environment",
            objects!(ENVIRONMENT_VARIABLE),
            "name",
            "ECS does not keep its order (docs/ecs-facts.md; provider PRs #35792, #36029); the AWS \
             provider (containerDefinitionsAreEquivalent) and ecspresso sort it by name",
        )
        .filled(Lit::EmptyList)
        .object_form("value"),
        Field::ordered(
            "environmentFiles",
            objects!(ENVIRONMENT_FILE),
            "order is meaning: files setting the same variable are processed from the top down \
             (API reference EnvironmentFile); returned in order by ECS",
        ),
        Field::ordered("mountPoints", objects!(MOUNT_POINT), AS_WRITTEN_PEER_SORTS)
            .filled(Lit::EmptyList),
        Field::ordered("volumesFrom", objects!(VOLUME_FROM), AS_WRITTEN_PEER_SORTS)
            .filled(Lit::EmptyList),
        Field::new("linuxParameters", object!(LINUX_PARAMETERS)),
        Field::keyed(
            "secrets",
            objects!(SECRET),
            "name",
            "ECS may return it in another order (docs/ecs-facts.md); the AWS provider \
             (containerDefinitionsAreEquivalent) and ecspresso sort it by name",
        )
        .object_form("valueFrom"),
        Field::ordered("dependsOn", objects!(CONTAINER_DEPENDENCY), AS_WRITTEN),
        Field::new("startTimeout", Integer),
        Field::new("stopTimeout", Integer),
        // "By default, the value is enabled." (ECS API reference `ContainerDefinition`)
        Field::new("versionConsistency", STRING).same_as_absent(Lit::Str("enabled")),
        Field::new("hostname", STRING),
        Field::new("user", STRING),
        Field::new("workingDirectory", STRING),
        Field::new("disableNetworking", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("privileged", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("readonlyRootFilesystem", Boolean).same_as_absent(Lit::Bool(false)),
        Field::ordered("dnsServers", STRINGS, AS_WRITTEN),
        Field::ordered("dnsSearchDomains", STRINGS, AS_WRITTEN),
        Field::ordered("extraHosts", objects!(HOST_ENTRY), AS_WRITTEN),
        Field::ordered("dockerSecurityOptions", STRINGS, AS_WRITTEN),
        Field::new("interactive", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("pseudoTerminal", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("dockerLabels", StringMap),
        Field::ordered("ulimits", objects!(ULIMIT), AS_WRITTEN),
        Field::new("logConfiguration", object!(LOG_CONFIGURATION)),
        Field::new("healthCheck", object!(HEALTH_CHECK)),
        Field::ordered("systemControls", objects!(SYSTEM_CONTROL), AS_WRITTEN)
            .filled(Lit::EmptyList),
        Field::ordered(
            "resourceRequirements",
            objects!(RESOURCE_REQUIREMENT),
            AS_WRITTEN,
        ),
        Field::new("firelensConfiguration", object!(FIRELENS_CONFIGURATION)),
        Field::ordered("credentialSpecs", STRINGS, AS_WRITTEN),
    ],
};

pub(crate) static HOST_VOLUME_PROPERTIES: Table = Table {
    what: "host volume",
    fields: &[Field::new("sourcePath", STRING)],
};

/// Docker volume defaults (`scope: task`, `autoprovision: false`, `driver: local`):
/// docs/ecs-facts.md.
pub(crate) static DOCKER_VOLUME_CONFIGURATION: Table = Table {
    what: "dockerVolumeConfiguration",
    fields: &[
        Field::new("scope", STRING).same_as_absent(Lit::Str("task")),
        Field::new("autoprovision", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("driver", STRING).same_as_absent(Lit::Str("local")),
        Field::new("driverOpts", StringMap),
        Field::new("labels", StringMap),
    ],
};

pub(crate) static EFS_AUTHORIZATION_CONFIG: Table = Table {
    what: "efs authorizationConfig",
    fields: &[
        Field::new("accessPointId", STRING),
        // "If this parameter is omitted, the default value of DISABLED is used." (ECS API
        // reference `EFSAuthorizationConfig.iam`)
        Field::new("iam", STRING).same_as_absent(Lit::Str("DISABLED")),
    ],
};

pub(crate) static EFS_VOLUME_CONFIGURATION: Table = Table {
    what: "efsVolumeConfiguration",
    fields: &[
        Field::new("fileSystemId", STRING),
        Field::new("rootDirectory", STRING).same_as_absent(Lit::Str("/")),
        // "If this parameter is omitted, the default value of DISABLED is used." (ECS API
        // reference `EFSVolumeConfiguration.transitEncryption`)
        Field::new("transitEncryption", STRING).same_as_absent(Lit::Str("DISABLED")),
        Field::new("transitEncryptionPort", Integer),
        Field::new("authorizationConfig", object!(EFS_AUTHORIZATION_CONFIG)),
    ],
};

pub(crate) static FSX_AUTHORIZATION_CONFIG: Table = Table {
    what: "fsx authorizationConfig",
    fields: &[
        Field::new("credentialsParameter", STRING),
        Field::new("domain", STRING),
    ],
};

pub(crate) static FSX_VOLUME_CONFIGURATION: Table = Table {
    what: "fsxWindowsFileServerVolumeConfiguration",
    fields: &[
        Field::new("fileSystemId", STRING),
        Field::new("rootDirectory", STRING),
        Field::new("authorizationConfig", object!(FSX_AUTHORIZATION_CONFIG)),
    ],
};

pub(crate) static VOLUME: Table = Table {
    what: "volume",
    fields: &[
        Field::new("name", STRING),
        Field::new("host", object!(HOST_VOLUME_PROPERTIES)),
        Field::new("configuredAtLaunch", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new(
            "dockerVolumeConfiguration",
            object!(DOCKER_VOLUME_CONFIGURATION),
        ),
        Field::new("efsVolumeConfiguration", object!(EFS_VOLUME_CONFIGURATION)),
        Field::new(
            "fsxWindowsFileServerVolumeConfiguration",
            object!(FSX_VOLUME_CONFIGURATION),
        ),
    ],
};

pub(crate) static PLACEMENT_CONSTRAINT: Table = Table {
    what: "placement constraint",
    fields: &[Field::new("type", STRING), Field::new("expression", STRING)],
};

pub(crate) static PROXY_PROPERTY: Table = Table {
    what: "proxy property",
    fields: &[Field::new("name", STRING), Field::new("value", STRING)],
};

pub(crate) static PROXY_CONFIGURATION: Table = Table {
    what: "proxyConfiguration",
    fields: &[
        Field::new("type", STRING),
        Field::new("containerName", STRING),
        Field::keyed(
            "properties",
            objects!(PROXY_PROPERTY),
            "name",
            "aws_ecs_task_definition.proxy_configuration.properties is a TypeMap (AWS provider \
             schema): names are unique and reach ECS in the provider's order; ecspresso sorts \
             them by name",
        ),
    ],
};

pub(crate) static INFERENCE_ACCELERATOR: Table = Table {
    what: "inference accelerator",
    fields: &[
        Field::new("deviceName", STRING),
        Field::new("deviceType", STRING),
    ],
};

pub(crate) static EPHEMERAL_STORAGE: Table = Table {
    what: "ephemeralStorage",
    fields: &[Field::new("sizeInGiB", Integer)],
};

pub(crate) static RUNTIME_PLATFORM: Table = Table {
    what: "runtimePlatform",
    fields: &[
        Field::new("cpuArchitecture", STRING),
        Field::new("operatingSystemFamily", STRING),
    ],
};

/// The fields of RegisterTaskDefinition that make up a revision (`tags` are not part of one).
pub(crate) static TASK: Table = Table {
    what: "task definition",
    fields: &[
        Field::new("family", STRING),
        Field::new("taskRoleArn", STRING).blank_is_absent(),
        Field::new("executionRoleArn", STRING).blank_is_absent(),
        Field::new("networkMode", STRING).same_as_absent(Lit::Str("bridge")),
        Field::keyed(
            "volumes",
            objects!(VOLUME),
            "name",
            "aws_ecs_task_definition.volume is a TypeSet (AWS provider schema); a volume's name \
             is unique in its task (API reference Volume.name); ecspresso sorts them",
        ),
        Field::set(
            "placementConstraints",
            objects!(PLACEMENT_CONSTRAINT),
            "aws_ecs_task_definition.placement_constraints is a TypeSet (AWS provider schema); \
             ecspresso sorts them",
        ),
        Field::set(
            "requiresCompatibilities",
            STRINGS,
            "aws_ecs_task_definition.requires_compatibilities is a TypeSet (AWS provider \
             schema); ecspresso sorts them",
        ),
        Field::new("cpu", Kind::Size(Unit::Cpu)),
        Field::new("memory", Kind::Size(Unit::Memory)),
        Field::new("pidMode", STRING),
        Field::new("ipcMode", STRING),
        Field::new("proxyConfiguration", object!(PROXY_CONFIGURATION)),
        Field::keyed(
            "inferenceAccelerators",
            objects!(INFERENCE_ACCELERATOR),
            "deviceName",
            "aws_ecs_task_definition.inference_accelerator is a TypeSet (AWS provider schema); \
             containers name an accelerator by its deviceName (API reference \
             InferenceAccelerator)",
        ),
        Field::new("ephemeralStorage", object!(EPHEMERAL_STORAGE)),
        Field::new("runtimePlatform", object!(RUNTIME_PLATFORM)),
        Field::new("enableFaultInjection", Boolean).same_as_absent(Lit::Bool(false)),
        // Last, so that differences list the task-level fields before the containers.
        Field::keyed(
            "containerDefinitions",
            objects!(CONTAINER),
            "name",
            "ECS may return the containers in another order (docs/ecs-facts.md); the AWS provider \
             (containerDefinitionsAreEquivalent) and ecspresso sort them by name",
        ),
    ],
};

/// Fields DescribeTaskDefinition returns that describe the revision, not its content, and that
/// RegisterTaskDefinition does not take: dropped before comparing, refused on the desired side,
/// and left out of what `live_task_lookup` passes on. (AWS API reference `TaskDefinition`; the
/// list the `amazon-ecs-deploy-task-definition` action strips)
pub const READ_ONLY_TASK_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "deleteRequestedAt",
];
