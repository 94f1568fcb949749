//! Properties of the values that follow the service (`live_environment`, `live_docker_labels`),
//! on generated containers, named keys and deploys:
//! - a named key carries the live value when the service has one, Terraform's otherwise; every
//!   other key is Terraform's;
//! - the round trip: after a deploy that changed only the named keys (and the image), what the
//!   program writes compares equal to what the service runs, so the plan is clean;
//! - with `force_bootstrap_image`, every named key is Terraform's again.

use std::collections::BTreeMap;

use external_protocol::Query;
use proptest::prelude::*;
use serde_json::{Value, json};
use task_definition::Map;

type Pairs = BTreeMap<String, String>;

/// Environment variable names (a regular expression strategy).
const NAME: &str = "[A-Z][A-Z_]{0,5}";

/// Docker label keys.
const LABEL_KEY: &str = "[a-z]{1,4}(\\.[a-z]{1,4}){0,2}";

fn value() -> impl Strategy<Value = String> {
    "[a-z0-9.]{1,6}"
}

/// Terraform's values, the names the pipeline owns (some Terraform lacks), and the deploy's
/// values for some of them.
fn side(
    key: impl Strategy<Value = String> + Clone,
) -> impl Strategy<Value = (Pairs, Vec<String>, Pairs)> {
    (
        proptest::collection::btree_map(key.clone(), value(), 0..5),
        proptest::collection::btree_set(key, 0..4),
    )
        .prop_flat_map(|(configured, extra)| {
            // Each name once: the program refuses a name given twice, and `extra` may repeat one
            // Terraform has.
            let candidates: Vec<String> = configured
                .keys()
                .cloned()
                .chain(extra)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let count = candidates.len();
            (
                Just(configured),
                proptest::sample::subsequence(candidates, 0..=count),
            )
        })
        .prop_flat_map(|(configured, named)| {
            let count = named.len();
            (
                Just(configured),
                Just(named.clone()),
                proptest::sample::subsequence(named, 0..=count),
                proptest::collection::vec(value(), count),
            )
        })
        .prop_map(|(configured, named, deployed, values)| {
            let live = deployed.into_iter().zip(values).collect();
            (configured, named, live)
        })
}

fn container(environment: &Pairs, labels: &Pairs) -> Value {
    let mut container = json!({ "name": "app", "image": "nginx:stable" });
    if !environment.is_empty() {
        container["environment"] = json!(environment);
    }
    if !labels.is_empty() {
        container["dockerLabels"] = json!(labels);
    }
    container
}

struct Run {
    container: Map,
    environment_sources: Value,
}

fn run(
    configured: &Value,
    named: (&[String], &[String]),
    live: (&Pairs, &Pairs),
    force: bool,
) -> Run {
    let query = json!({
        "container_definitions": json!([configured]).to_string(),
        "live_images": json!({ "app": "nginx:1.2.3" }).to_string(),
        "live_environment": json!({ "app": named.0 }).to_string(),
        "live_docker_labels": json!({ "app": named.1 }).to_string(),
        "live_environment_values": json!({ "app": live.0 }).to_string(),
        "live_docker_label_values": json!({ "app": live.1 }).to_string(),
        "force_bootstrap_image": force.to_string(),
        "network_mode": "awsvpc",
    });
    let query = Query::parse(&container_definition::PROGRAM, query.to_string().as_bytes())
        .expect("a valid query");
    let output = container_definition::run(&query).expect("valid containers");
    let decode = |key: &str| -> Value {
        serde_json::from_str(output.get(key).expect("written")).expect("JSON")
    };
    let Value::Array(mut containers) = decode("container_definitions") else {
        panic!("an array")
    };
    let Some(Value::Object(container)) = containers.pop() else {
        panic!("one container")
    };
    Run {
        container,
        environment_sources: decode("environment_sources"),
    }
}

fn environment_of(container: &Map) -> Pairs {
    container
        .get("environment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            Some((
                entry["name"].as_str()?.to_string(),
                entry["value"].as_str()?.to_string(),
            ))
        })
        .collect()
}

fn labels_of(container: &Map) -> Pairs {
    container
        .get("dockerLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_string())))
        .collect()
}

/// What a deploy leaves: `written` with the live values of the named keys set.
fn expected(configured: &Pairs, live: &Pairs) -> Pairs {
    let mut expected = configured.clone();
    expected.extend(live.iter().map(|(key, value)| (key.clone(), value.clone())));
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_named_key_follows_the_service_and_every_other_stays_terraforms(
        (environment, environment_named, environment_live) in side(NAME),
        (labels, labels_named, labels_live) in side(LABEL_KEY),
    ) {
        let configured = container(&environment, &labels);
        let written = run(
            &configured,
            (&environment_named, &labels_named),
            (&environment_live, &labels_live),
            false,
        );
        prop_assert_eq!(environment_of(&written.container), expected(&environment, &environment_live));
        prop_assert_eq!(labels_of(&written.container), expected(&labels, &labels_live));
        for name in &environment_named {
            let source = if environment_live.contains_key(name) {
                "live"
            } else if environment.contains_key(name) {
                "bootstrap"
            } else {
                "absent"
            };
            prop_assert_eq!(&written.environment_sources["app"][name], source);
        }
    }

    #[test]
    fn after_a_deploy_of_the_named_keys_nothing_differs(
        (environment, environment_named, environment_live) in side(NAME),
        (labels, labels_named, labels_live) in side(LABEL_KEY),
    ) {
        // The service runs what Terraform registered, with the deploy's image and values.
        let first = run(&container(&environment, &labels), (&[], &[]), (&Pairs::new(), &Pairs::new()), false);
        let mut deployed = first.container.clone();
        deployed.insert("image".into(), json!("nginx:1.2.3"));
        let mut deployed_environment = environment_of(&deployed);
        deployed_environment.extend(environment_live.clone());
        deployed.insert(
            "environment".into(),
            Value::Array(deployed_environment.iter().map(|(name, value)| json!({ "name": name, "value": value })).collect()),
        );
        let mut deployed_labels = labels_of(&deployed);
        deployed_labels.extend(labels_live.clone());
        deployed.insert("dockerLabels".into(), json!(deployed_labels));

        let written = run(
            &container(&environment, &labels),
            (&environment_named, &labels_named),
            (&environment_live, &labels_live),
            false,
        );
        let task = |container: Map| -> Map {
            let Value::Object(task) = json!({ "family": "web", "networkMode": "awsvpc", "containerDefinitions": [container] }) else {
                unreachable!()
            };
            task
        };
        let differences = task_definition::differences(&task(written.container), &task(deployed), false);
        prop_assert!(differences.is_empty(), "{:?}", differences);
    }

    #[test]
    fn force_bootstrap_image_gives_every_named_key_terraforms_value(
        (environment, environment_named, environment_live) in side(NAME),
        (labels, labels_named, labels_live) in side(LABEL_KEY),
    ) {
        let written = run(
            &container(&environment, &labels),
            (&environment_named, &labels_named),
            (&environment_live, &labels_live),
            true,
        );
        prop_assert_eq!(environment_of(&written.container), environment);
        prop_assert_eq!(labels_of(&written.container), labels);
    }
}
