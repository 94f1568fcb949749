//! Property tests: the canonical forms are idempotent, any valid task definition survives an
//! ECS-style round trip unchanged, any single change is reported with its path, and no input
//! makes anything panic.

use std::collections::BTreeMap;

use ecs_drift_tests::ecs;
use ecs_drift_tests::ecs::{desired, ecs_describe, mutate, object, pointers};
use proptest::prelude::*;
use serde_json::{Value, json};
use task_definition::{
    Map, NetworkMode, comparison_form, differences, parse_container_definitions,
    parse_live_task_definition, parse_task_definition, register_form,
};

// ---- strategies: valid task definitions as users write them ----

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}"
}

fn text() -> impl Strategy<Value = String> {
    // Empty values on purpose: environment entries with "" are a known trap.
    prop_oneof![Just(String::new()), "[ -~]{1,12}"]
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    strategy: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(strategy).boxed()
}

fn insert(map: &mut Map, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
}

fn port_mappings(network_mode: &'static str) -> impl Strategy<Value = Value> {
    let mapping = (
        1..=65535i64,
        opt(0..=65535i64),
        opt(prop_oneof![Just("tcp"), Just("udp")]),
        opt(word()),
        any::<bool>(),
    )
        .prop_map(move |(port, host, protocol, name, explicit)| {
            let mut mapping = Map::new();
            mapping.insert("containerPort".to_string(), json!(port));
            let host = match network_mode {
                "awsvpc" | "host" => explicit.then_some(port),
                _ => host,
            };
            insert(&mut mapping, "hostPort", host.map(Value::from));
            insert(&mut mapping, "protocol", protocol.map(Value::from));
            insert(&mut mapping, "name", name.map(Value::from));
            Value::Object(mapping)
        });
    proptest::collection::vec(mapping, 0..3).prop_map(Value::Array)
}

fn variables(prefix: &'static str, value_key: &'static str) -> impl Strategy<Value = Value> {
    (
        proptest::collection::btree_map("[A-Z]{1,4}", text(), 0..5),
        any::<bool>(),
    )
        .prop_map(move |(entries, as_object)| {
            let entries: BTreeMap<String, String> = entries
                .into_iter()
                .map(|(name, value)| {
                    let value = if value_key == "valueFrom" {
                        format!("arn:aws:ssm:eu-west-1:123456789012:parameter/{name}{value}")
                    } else {
                        value
                    };
                    (format!("{prefix}{name}"), value)
                })
                .collect();
            if as_object {
                json!(entries)
            } else {
                Value::Array(
                    entries
                        .into_iter()
                        .map(|(name, value)| json!({"name": name, value_key: value}))
                        .collect(),
                )
            }
        })
}

fn health_check() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("CMD"), Just("CMD-SHELL")],
        "[a-z ]{1,12}",
        opt(5..=300i64),
        opt(2..=60i64),
        opt(1..=10i64),
        opt(0..=300i64),
    )
        .prop_map(
            |(kind, command, interval, timeout, retries, start_period)| {
                let mut check = Map::new();
                check.insert("command".to_string(), json!([kind, command]));
                insert(&mut check, "interval", interval.map(Value::from));
                insert(&mut check, "timeout", timeout.map(Value::from));
                insert(&mut check, "retries", retries.map(Value::from));
                insert(&mut check, "startPeriod", start_period.map(Value::from));
                Value::Object(check)
            },
        )
}

fn capabilities() -> impl Strategy<Value = Value> {
    let names = proptest::sample::subsequence(
        vec!["NET_ADMIN", "SYS_PTRACE", "NET_RAW", "CHOWN", "KILL"],
        0..3,
    );
    (opt(names.clone()), opt(names), opt(any::<bool>())).prop_map(|(add, drop, init)| {
        let mut capabilities = Map::new();
        insert(&mut capabilities, "add", add.map(|names| json!(names)));
        insert(&mut capabilities, "drop", drop.map(|names| json!(names)));
        let mut parameters = Map::new();
        parameters.insert("capabilities".to_string(), Value::Object(capabilities));
        insert(&mut parameters, "initProcessEnabled", init.map(Value::from));
        Value::Object(parameters)
    })
}

fn ulimits() -> impl Strategy<Value = Value> {
    let limit = (
        prop_oneof![Just("nofile"), Just("nproc"), Just("core")],
        0..10_000i64,
        0..10_000i64,
    )
        .prop_map(
            |(name, a, b)| json!({"name": name, "softLimit": a.min(b), "hardLimit": a.max(b)}),
        );
    proptest::collection::vec(limit, 0..3).prop_map(Value::Array)
}

/// One container definition, valid in `network_mode`; `name` is unique in its task.
fn container(
    name: String,
    network_mode: &'static str,
    essential: bool,
) -> impl Strategy<Value = Value> {
    let image = ("[a-z]{1,8}", opt("[a-z0-9.]{1,5}")).prop_map(|(repository, tag)| match tag {
        Some(tag) => format!("{repository}:{tag}"),
        None => repository,
    });
    let resources = (
        opt(0..=4096i64),
        opt((128..=4096i64, 0.1..=1.0f64)),
        opt(any::<bool>()),
    );
    let lists = (
        opt(port_mappings(network_mode)),
        opt(variables("E_", "value")),
        opt(variables("S_", "valueFrom")),
        opt(proptest::collection::vec(text(), 0..4)),
        opt(proptest::collection::vec(word(), 0..3)),
    );
    let extras = (
        opt(health_check()),
        opt(capabilities()),
        opt(proptest::collection::btree_map(word(), text(), 0..3)),
        opt(ulimits()),
        opt(proptest::collection::btree_map(word(), word(), 0..3)),
        opt(0..=120i64),
        opt(word()),
        opt(any::<bool>()),
    );
    (image, resources, lists, extras).prop_map(
        move |(
            image,
            (cpu, memory, essential_flag),
            (ports, environment, secrets, command, entry_point),
            (check, linux, labels, limits, log_options, stop_timeout, user, read_only),
        )| {
            let mut container = Map::new();
            container.insert("name".to_string(), json!(name));
            container.insert("image".to_string(), json!(image));
            insert(&mut container, "cpu", cpu.map(Value::from));
            if let Some((memory, share)) = memory {
                container.insert("memory".to_string(), json!(memory));
                if share < 0.5 {
                    let reservation = ((memory as f64) * share * 2.0).max(1.0) as i64;
                    container.insert("memoryReservation".to_string(), json!(reservation));
                }
            }
            let essential_value = if essential {
                Some(true).filter(|_| essential_flag.unwrap_or(false))
            } else {
                essential_flag
            };
            insert(
                &mut container,
                "essential",
                essential_value.map(Value::from),
            );
            insert(&mut container, "portMappings", ports);
            insert(&mut container, "environment", environment);
            insert(&mut container, "secrets", secrets);
            insert(&mut container, "command", command.map(|items| json!(items)));
            insert(
                &mut container,
                "entryPoint",
                entry_point.map(|items| json!(items)),
            );
            insert(&mut container, "healthCheck", check);
            insert(&mut container, "linuxParameters", linux);
            insert(
                &mut container,
                "dockerLabels",
                labels.map(|labels| json!(labels)),
            );
            insert(&mut container, "ulimits", limits);
            insert(
                &mut container,
                "logConfiguration",
                log_options.map(|options| json!({"logDriver": "awslogs", "options": options})),
            );
            insert(&mut container, "stopTimeout", stop_timeout.map(Value::from));
            insert(&mut container, "user", user.map(Value::from));
            insert(
                &mut container,
                "readonlyRootFilesystem",
                read_only.map(Value::from),
            );
            Value::Object(container)
        },
    )
}

fn volumes() -> impl Strategy<Value = Value> {
    let volume = (0..3usize, any::<bool>(), "[a-z/]{1,6}").prop_map(|(kind, defaults, path)| match kind {
        0 => json!({"host": {"sourcePath": format!("/{path}")}}),
        1 if defaults => json!({"dockerVolumeConfiguration": {"scope": "task", "autoprovision": false, "driver": "local"}}),
        1 => json!({"dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "rexray"}}),
        _ if defaults => json!({"efsVolumeConfiguration": {"fileSystemId": "fs-1", "rootDirectory": "/"}}),
        _ => json!({"efsVolumeConfiguration": {"fileSystemId": "fs-2", "rootDirectory": format!("/{path}")}}),
    });
    proptest::collection::vec(volume, 0..3).prop_map(|volumes| {
        Value::Array(
            volumes
                .into_iter()
                .enumerate()
                .map(|(index, mut volume)| {
                    if let Some(volume) = volume.as_object_mut() {
                        volume.insert("name".to_string(), json!(format!("v{index}")));
                    }
                    volume
                })
                .collect(),
        )
    })
}

/// A valid whole task definition as a user (or the module) writes it.
/// The containers' sizes made to fit the task's, as RegisterTaskDefinition demands: each
/// container's memory (and reservation) at most the task's, their CPU units together at most the
/// task's, and, on EC2 without a task memory, a reservation for each container without one
/// (`registration.rs`, `check_task_size`, with its sources).
fn fit_in_task(containers: &mut [Value], cpu: Option<i64>, memory: Option<i64>, ec2: bool) {
    let count = containers.len().max(1) as i64;
    for container in containers.iter_mut().filter_map(Value::as_object_mut) {
        if let Some(task_memory) = memory {
            for key in ["memory", "memoryReservation"] {
                if container
                    .get(key)
                    .and_then(Value::as_i64)
                    .is_some_and(|mib| mib > task_memory)
                {
                    container.insert(key.to_string(), json!(task_memory));
                }
            }
        } else if ec2
            && !container.contains_key("memory")
            && !container.contains_key("memoryReservation")
        {
            container.insert("memoryReservation".to_string(), json!(128));
        }
        if let Some(task_cpu) = cpu
            && container
                .get("cpu")
                .and_then(Value::as_i64)
                .is_some_and(|units| units > task_cpu / count)
        {
            container.insert("cpu".to_string(), json!(task_cpu / count));
        }
    }
}

fn task() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(None),
            Just(Some("bridge")),
            Just(Some("awsvpc")),
            Just(Some("host"))
        ],
        1..4usize,
    )
        .prop_flat_map(|(network_mode, count)| {
            let mode = network_mode.unwrap_or("bridge");
            let containers: Vec<_> = (0..count)
                .map(|index| {
                    container(
                        format!("c{index}-{}", ["app", "log", "proxy", "db"][index]),
                        mode,
                        index == 0,
                    )
                })
                .collect();
            (
                Just(network_mode),
                containers,
                opt(prop_oneof![
                    Just(""),
                    Just("arn:aws:iam::123456789012:role/task")
                ]),
                // Each size with its value in CPU units or MiB.
                opt(prop_oneof![
                    Just((json!("256"), 256)),
                    Just((json!("1 vCPU"), 1024)),
                    Just((json!("0.5 vcpu"), 512)),
                    Just((json!(2048), 2048))
                ]),
                opt(prop_oneof![
                    Just((json!("512"), 512)),
                    Just((json!("1 GB"), 1024)),
                    Just((json!("2GB"), 2048)),
                    Just((json!(4096), 4096))
                ]),
                opt(volumes()),
                opt(prop_oneof![
                    Just(json!(["EC2"])),
                    Just(json!(["EXTERNAL", "EC2"]))
                ]),
                opt(any::<bool>()),
            )
        })
        .prop_map(
            |(
                network_mode,
                containers,
                role,
                cpu,
                memory,
                volumes,
                compatibilities,
                fault_injection,
            )| {
                let mut containers = containers;
                fit_in_task(
                    &mut containers,
                    cpu.as_ref().map(|(_, units)| *units),
                    memory.as_ref().map(|(_, mib)| *mib),
                    compatibilities.is_some(),
                );
                let mut task = Map::new();
                task.insert("family".to_string(), json!("web"));
                insert(&mut task, "networkMode", network_mode.map(Value::from));
                task.insert("containerDefinitions".to_string(), Value::Array(containers));
                insert(&mut task, "taskRoleArn", role.map(Value::from));
                insert(&mut task, "cpu", cpu.map(|(size, _)| size));
                insert(&mut task, "memory", memory.map(|(size, _)| size));
                insert(&mut task, "volumes", volumes);
                insert(&mut task, "requiresCompatibilities", compatibilities);
                insert(
                    &mut task,
                    "enableFaultInjection",
                    fault_injection.map(Value::from),
                );
                Value::Object(task)
            },
        )
}

// ---- strategies: any JSON, shaped like a task definition often enough to go deep ----

const KEYS: &[&str] = &[
    "name",
    "image",
    "cpu",
    "memory",
    "essential",
    "containerDefinitions",
    "environment",
    "secrets",
    "value",
    "valueFrom",
    "portMappings",
    "containerPort",
    "hostPort",
    "protocol",
    "healthCheck",
    "command",
    "interval",
    "linuxParameters",
    "capabilities",
    "add",
    "drop",
    "volumes",
    "efsVolumeConfiguration",
    "rootDirectory",
    "networkMode",
    "taskDefinition",
    "dependsOn",
    "containerName",
    "condition",
    "ulimits",
    "softLimit",
    "hardLimit",
    "logConfiguration",
    "logDriver",
    "options",
    "requiresCompatibilities",
    "dockerLabels",
    "family",
    "taskRoleArn",
    "memoryReservation",
    "mountPoints",
    "sourceVolume",
    "volumesFrom",
    "sourceContainer",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e6..1.0e6f64).prop_map(Value::from),
        prop_oneof![
            Just("".to_string()),
            Just("awsvpc".to_string()),
            Just("1 vCPU".to_string()),
            "[ -~]{0,8}"
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let key = prop_oneof![
            4 => proptest::sample::select(KEYS).prop_map(str::to_string),
            2 => "[a-zA-Z]{1,6}",
            1 => "[ -~\n]{0,4}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(key, inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn any_map() -> impl Strategy<Value = Map> {
    any_json().prop_map(|value| match value {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("containerDefinitions".to_string(), json!([other]));
            map
        }
    })
}

// ---- helpers ----

fn network_mode(task: &Map) -> NetworkMode {
    task.get("networkMode")
        .and_then(Value::as_str)
        .and_then(|mode| mode.parse().ok())
        .unwrap_or_default()
}

fn containers(task: &Map) -> Vec<Map> {
    task.get("containerDefinitions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|item| item.as_object().cloned())
                .collect()
        })
        .unwrap_or_default()
}

fn live(value: &Value) -> Map {
    match parse_live_task_definition(value.clone(), "live") {
        Ok(task) => task,
        Err(error) => panic!("live: {error}"),
    }
}

fn shown(found: &[task_definition::Difference]) -> Vec<String> {
    found.iter().map(ToString::to_string).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_tasks_are_valid(task in task()) {
        if let Err(error) = parse_task_definition(task.clone(), "desired") {
            prop_assert!(false, "{error}\n{task:#}");
        }
    }

    #[test]
    fn register_form_is_idempotent(task in task()) {
        let parsed = desired(&task);
        let mode = network_mode(&parsed);
        let once = register_form(containers(&parsed).to_vec(), mode);
        prop_assert_eq!(register_form(once.to_vec(), mode), once.clone());
        // And its output is valid input again, giving the same register form.
        let again = parse_container_definitions(
            Value::Array(once.iter().cloned().map(Value::Object).collect()).clone(), "c", mode);
        match again {
            Ok(again) => prop_assert_eq!(register_form(again.to_vec(), mode), once),
            Err(error) => prop_assert!(false, "{}", error),
        }
    }

    #[test]
    fn comparison_form_is_idempotent(task in task(), shuffle in 0..6usize) {
        let desired = comparison_form(desired(&task).clone());
        prop_assert_eq!(comparison_form(desired.clone()), desired);
        let live = comparison_form(live(&ecs_describe(&task, shuffle)).clone());
        prop_assert_eq!(comparison_form(live.clone()), live);
    }

    #[test]
    fn an_ecs_round_trip_compares_equal(task in task(), shuffle in 0..6usize) {
        let found = differences(&desired(&task), &live(&ecs_describe(&task, shuffle)), true);
        prop_assert!(found.is_empty(), "{:#?}", shown(&found));
    }

    #[test]
    fn a_single_change_is_reported_with_its_path(
        task in task(), shuffle in 0..6usize, choice in 0..ecs::CHANGES, target in 0..4usize,
    ) {
        let Some((changed, path)) = mutate(&task, choice, target) else {
            return Ok(());
        };
        let live = live(&ecs_describe(&task, shuffle));
        let found = differences(&desired(&changed), &live, true);
        prop_assert!(!found.is_empty(), "no difference for {path}");
        prop_assert!(comparison_form(desired(&changed).clone()) != comparison_form(live.clone()));
        if choice % ecs::CHANGES == ecs::REMOVES_A_CONTAINER {
            // A removed container: one difference naming it.
            prop_assert_eq!(found.len(), 1, "{:#?}", shown(&found));
            prop_assert!(found[0].path.starts_with("containerDefinitions["));
            prop_assert!(found[0].desired.is_null());
        } else {
            prop_assert_eq!(found.len(), 1, "{:#?}", shown(&found));
            prop_assert_eq!(&found[0].path, &path);
        }
    }

    #[test]
    fn a_damaged_task_never_panics_and_errors_are_one_line_under_the_root(
        task in task(), at in any::<proptest::sample::Index>(), replacement in any_json(),
    ) {
        let mut damaged = task.clone();
        let pointers = pointers(&task);
        let pointer = at.get(&pointers);
        if let Some(slot) = damaged.pointer_mut(pointer) {
            *slot = replacement;
        }
        match parse_task_definition(damaged.clone(), "desired") {
            Ok(parsed) => {
                let _ = differences(&parsed, &live(&ecs_describe(&task, 0)), false);
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.starts_with("desired"), "{}", message);
                prop_assert!(error.path().starts_with("desired"), "{}", message);
                prop_assert!(!message.contains('\n'), "{}", message);
                prop_assert!(!message.ends_with('.'), "{}", message);
            }
        }
        if let Ok(live) = parse_live_task_definition(damaged.clone(), "live") {
            let form = comparison_form(live.clone());
            prop_assert_eq!(comparison_form(form.clone()), form);
            let _ = differences(&desired(&task), &live, true);
        }
        if let Some(containers) = damaged.get("containerDefinitions") {
            for mode in NetworkMode::ALL {
                if let Err(error) = parse_container_definitions(containers.clone(), "container_definitions", mode) {
                    prop_assert!(error.to_string().starts_with("container_definitions"));
                }
            }
        }
    }

    #[test]
    fn parsing_never_panics(value in any_json()) {
        for mode in NetworkMode::ALL {
            let _ = parse_container_definitions(value.clone(), "c", mode);
            let _ = parse_container_definitions(json!([value.clone()]).clone(), "c", mode);
        }
        let _ = parse_task_definition(value.clone(), "t");
        let _ = parse_live_task_definition(value.clone(), "t");
        let _ = parse_live_task_definition(json!({"taskDefinition": value.clone()}).clone(), "t");
    }

    #[test]
    fn canonical_forms_and_differences_never_panic(a in any_map(), b in any_map()) {
        let form = comparison_form(a.clone());
        prop_assert_eq!(comparison_form(form.clone()), form);
        for mode in NetworkMode::ALL {
            let registered = register_form([a.clone(), b.clone()].to_vec(), mode);
            prop_assert_eq!(register_form(registered.to_vec(), mode), registered);
        }
        for difference in differences(&a, &b, false) {
            let line = difference.to_string();
            prop_assert!(!line.contains('\n'), "{}", line);
            prop_assert!(line.starts_with("task: ") || line.starts_with("container "), "{}", line);
        }
        // The one error the selector must never make: "no difference" when the forms differ.
        let same = comparison_form(a.clone()) == comparison_form(b.clone());
        prop_assert_eq!(differences(&a, &b, false).is_empty(), same);
        prop_assert_eq!(differences(&b, &a, true).is_empty(), same);
        prop_assert!(differences(&a, &a, false).is_empty());
        prop_assert!(differences(&b, &b, true).is_empty());
    }

    #[test]
    fn containers_in_any_json_never_panic(containers in proptest::collection::vec(any_map(), 0..4)) {
        let task = object(json!({"family": "web", "containerDefinitions": containers.iter().cloned().map(Value::Object).collect::<Vec<_>>()}));
        let _ = differences(&task, &object(json!({"containerDefinitions": []})), false);
        for mode in NetworkMode::ALL {
            let _ = register_form(containers.to_vec(), mode);
        }
    }
}
