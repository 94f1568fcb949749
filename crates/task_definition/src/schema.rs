//! Every field of an ECS task definition, in one table.
//!
//! The table drives everything that depends on the shape of a task definition: unknown-key
//! detection, type checks, the defaults ECS fills in, which lists are sets and how their entries
//! are keyed, and the key order of the canonical forms. A field that a newer ECS API adds is one
//! line here.
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
    /// Order is meaning (command, entryPoint, links, ...): ECS returns these lists in order.
    Kept,
    /// A set of objects identified by this key; ECS may reorder it.
    ByKey(&'static str),
    /// A set of plain values (or of objects without a key); ECS may reorder it.
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
    /// For lists: whether order matters.
    pub order: Order,
    /// `environment` and `secrets` may be written as an object; this is the entry key that
    /// receives the object's values (`value` or `valueFrom`).
    pub object_form: Option<&'static str>,
    /// An empty string means the same as an absent field.
    pub blank_is_absent: bool,
    /// The value may be secret: not shown in messages unless asked for.
    pub sensitive: bool,
}

impl Field {
    const fn new(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            default: None,
            ecs_fills: false,
            order: Order::Kept,
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

    const fn keyed(mut self, key: &'static str) -> Self {
        self.order = Order::ByKey(key);
        self
    }

    const fn set(mut self) -> Self {
        self.order = Order::Sorted;
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
        Field::new("ignoredExitCodes", INTEGERS).set(),
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

/// `add` and `drop` are sets of capability names: their order means nothing to Docker, so sorting
/// both sides cannot hide a change. DescribeTaskDefinition returns `add: []` when only `drop` was
/// given (ECS_FACTS.md), so the register form sends it. Whether ECS adds `drop: []` when only `add`
/// was given is unknown; it is not sent, since an empty list ECS would not return makes the
/// provider diff just as surely as one it adds.
pub(crate) static KERNEL_CAPABILITIES: Table = Table {
    what: "capabilities",
    fields: &[
        Field::new("add", STRINGS).set().filled(Lit::EmptyList),
        Field::new("drop", STRINGS)
            .set()
            .same_as_absent(Lit::EmptyList),
    ],
};

pub(crate) static DEVICE: Table = Table {
    what: "device",
    fields: &[
        Field::new("hostPath", STRING),
        Field::new("containerPath", STRING),
        Field::new("permissions", STRINGS).set(),
    ],
};

pub(crate) static TMPFS: Table = Table {
    what: "tmpfs",
    fields: &[
        Field::new("containerPath", STRING),
        Field::new("size", Integer),
        Field::new("mountOptions", STRINGS),
    ],
};

pub(crate) static LINUX_PARAMETERS: Table = Table {
    what: "linuxParameters",
    fields: &[
        Field::new("capabilities", object!(KERNEL_CAPABILITIES)),
        Field::new("devices", objects!(DEVICE)),
        Field::new("initProcessEnabled", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("sharedMemorySize", Integer),
        Field::new("tmpfs", objects!(TMPFS)),
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
        Field::new("secretOptions", objects!(SECRET)),
    ],
};

/// Health check defaults: terraform-provider-aws #22060 (DescribeTaskDefinition fills interval 30,
/// retries 3 and timeout 5, not startPeriod); ECS API reference `HealthCheck`.
pub(crate) static HEALTH_CHECK: Table = Table {
    what: "healthCheck",
    fields: &[
        Field::new("command", STRINGS),
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

/// ContainerDefinition. Defaults from ECS_FACTS.md: `cpu: 0`, `essential: true`, and the empty
/// lists `portMappings`, `environment`, `mountPoints`, `volumesFrom`, `systemControls`. The
/// Docker flags (`privileged`, `readonlyRootFilesystem`, ...) are off unless set to true, so
/// `false` means the same as absent; ECS is not known to fill them, so the register form does not.
/// `environment` and `secrets` are sets (ECS does not keep their order); every other list comes
/// back in order (provider test `TestContainerDefinitionsAreEquivalent_arrays`).
pub(crate) static CONTAINER: Table = Table {
    what: "container definition",
    fields: &[
        Field::new("name", STRING),
        Field::new("image", STRING),
        Field::new("repositoryCredentials", object!(REPOSITORY_CREDENTIALS)),
        Field::new("cpu", Integer).filled(Lit::Int(0)),
        Field::new("memory", Integer),
        Field::new("memoryReservation", Integer),
        Field::new("links", STRINGS),
        Field::new("portMappings", objects!(PORT_MAPPING)).filled(Lit::EmptyList),
        Field::new("essential", Boolean).filled(Lit::Bool(true)),
        Field::new("restartPolicy", object!(RESTART_POLICY)),
        Field::new("entryPoint", STRINGS),
        Field::new("command", STRINGS),
        Field::new("environment", objects!(ENVIRONMENT_VARIABLE))
            .filled(Lit::EmptyList)
            .keyed("name")
            .object_form("value"),
        Field::new("environmentFiles", objects!(ENVIRONMENT_FILE)),
        Field::new("mountPoints", objects!(MOUNT_POINT)).filled(Lit::EmptyList),
        Field::new("volumesFrom", objects!(VOLUME_FROM)).filled(Lit::EmptyList),
        Field::new("linuxParameters", object!(LINUX_PARAMETERS)),
        Field::new("secrets", objects!(SECRET))
            .keyed("name")
            .object_form("valueFrom"),
        Field::new("dependsOn", objects!(CONTAINER_DEPENDENCY)),
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
        Field::new("dnsServers", STRINGS),
        Field::new("dnsSearchDomains", STRINGS),
        Field::new("extraHosts", objects!(HOST_ENTRY)),
        Field::new("dockerSecurityOptions", STRINGS),
        Field::new("interactive", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("pseudoTerminal", Boolean).same_as_absent(Lit::Bool(false)),
        Field::new("dockerLabels", StringMap),
        Field::new("ulimits", objects!(ULIMIT)),
        Field::new("logConfiguration", object!(LOG_CONFIGURATION)),
        Field::new("healthCheck", object!(HEALTH_CHECK)),
        Field::new("systemControls", objects!(SYSTEM_CONTROL)).filled(Lit::EmptyList),
        Field::new("resourceRequirements", objects!(RESOURCE_REQUIREMENT)),
        Field::new("firelensConfiguration", object!(FIRELENS_CONFIGURATION)),
        Field::new("credentialSpecs", STRINGS),
    ],
};

pub(crate) static HOST_VOLUME_PROPERTIES: Table = Table {
    what: "host volume",
    fields: &[Field::new("sourcePath", STRING)],
};

/// Docker volume defaults (`scope: task`, `autoprovision: false`, `driver: local`): ECS_FACTS.md.
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
        Field::new("properties", objects!(PROXY_PROPERTY)),
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
        Field::new("volumes", objects!(VOLUME)).keyed("name"),
        Field::new("placementConstraints", objects!(PLACEMENT_CONSTRAINT)).set(),
        Field::new("requiresCompatibilities", STRINGS).set(),
        Field::new("cpu", Kind::Size(Unit::Cpu)),
        Field::new("memory", Kind::Size(Unit::Memory)),
        Field::new("pidMode", STRING),
        Field::new("ipcMode", STRING),
        Field::new("proxyConfiguration", object!(PROXY_CONFIGURATION)),
        Field::new("inferenceAccelerators", objects!(INFERENCE_ACCELERATOR)),
        Field::new("ephemeralStorage", object!(EPHEMERAL_STORAGE)),
        Field::new("runtimePlatform", object!(RUNTIME_PLATFORM)),
        Field::new("enableFaultInjection", Boolean).same_as_absent(Lit::Bool(false)),
        // Last, so that differences list the task-level fields before the containers.
        Field::new("containerDefinitions", objects!(CONTAINER)).keyed("name"),
    ],
};

/// Fields DescribeTaskDefinition returns that describe the revision, not its content: dropped
/// before comparing. (AWS API reference `TaskDefinition`; the list the
/// `amazon-ecs-deploy-task-definition` action strips)
pub(crate) const READ_ONLY_TASK_FIELDS: &[&str] = &[
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
