//! The program as Terraform runs it: a process, a JSON query on stdin, a JSON result on stdout.

use ecs_drift_tests::{Run, run};
use serde_json::{Value, json};

const PROGRAM: &str = "container_definition";

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_container_definition")
}

/// Runs the program with `query` (a JSON object whose nested values are encoded as strings, as
/// Terraform's jsonencode would).
fn run_query(query: Value) -> Run {
    let encoded: serde_json::Map<String, Value> = query
        .as_object()
        .expect("query is an object")
        .iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (key.clone(), Value::String(text))
        })
        .collect();
    run(binary(), &[], &Value::Object(encoded).to_string())
}

fn decoded(result: &serde_json::Map<String, Value>, key: &str) -> Value {
    serde_json::from_str(result[key].as_str().expect("string")).expect("JSON inside the string")
}

fn app_and_sidecar() -> Value {
    json!([
        { "name": "app", "image": "nginx:stable", "portMappings": [{ "containerPort": 80 }],
          "environment": { "LOG_LEVEL": "info", "A_FIRST": "1" } },
        { "name": "envoy", "image": "envoyproxy/envoy:v1.31", "essential": false }
    ])
}

#[test]
fn keeps_the_live_image_of_a_following_container() {
    let result = run_query(json!({
        "container_definitions": app_and_sidecar(),
        "live_images": { "app": "nginx:1.27.3", "envoy": "envoyproxy/envoy:v1.30" },
        "live_image_containers": ["app"],
        "network_mode": "awsvpc",
    }))
    .assert_success();
    assert_eq!(
        decoded(&result, "images"),
        json!({ "app": "nginx:1.27.3", "envoy": "envoyproxy/envoy:v1.31" })
    );
    assert_eq!(
        decoded(&result, "image_sources"),
        json!({ "app": "live", "envoy": "pinned" })
    );
    let containers = decoded(&result, "container_definitions");
    assert_eq!(containers[0]["image"], "nginx:1.27.3");
    assert_eq!(containers[1]["image"], "envoyproxy/envoy:v1.31");
}

#[test]
fn writes_the_form_ecs_returns() {
    let result =
        run_query(json!({ "container_definitions": app_and_sidecar(), "network_mode": "awsvpc" }))
            .assert_success();
    let app = &decoded(&result, "container_definitions")[0];
    // The object form became a list, sorted by name as ECS may return it.
    assert_eq!(
        app["environment"],
        json!([{ "name": "A_FIRST", "value": "1" }, { "name": "LOG_LEVEL", "value": "info" }])
    );
    // ECS's defaults are filled in: awsvpc host port, protocol, cpu, essential.
    assert_eq!(app["portMappings"][0]["hostPort"], 80);
    assert_eq!(app["portMappings"][0]["protocol"], "tcp");
    assert_eq!(app["cpu"], 0);
    assert_eq!(app["essential"], true);
    // Idempotent: its own output in, the same output out.
    let again = run_query(json!({ "container_definitions": result["container_definitions"], "network_mode": "awsvpc" }))
        .assert_success();
    assert_eq!(
        again["container_definitions"],
        result["container_definitions"]
    );
}

#[test]
fn uses_the_bootstrap_image_on_the_first_apply_and_for_a_new_container() {
    let result = run_query(json!({
        "container_definitions": app_and_sidecar(),
        "live_images": { "app": "nginx:1.27.3" },
    }))
    .assert_success();
    assert_eq!(
        decoded(&result, "images"),
        json!({ "app": "nginx:1.27.3", "envoy": "envoyproxy/envoy:v1.31" })
    );
    assert_eq!(
        decoded(&result, "image_sources"),
        json!({ "app": "live", "envoy": "bootstrap" })
    );
    let first =
        run_query(json!({ "container_definitions": app_and_sidecar(), "live_images": "{}" }))
            .assert_success();
    assert_eq!(
        decoded(&first, "image_sources"),
        json!({ "app": "bootstrap", "envoy": "bootstrap" })
    );
}

#[test]
fn force_bootstrap_image_uses_the_configured_image() {
    let result = run_query(json!({
        "container_definitions": app_and_sidecar(),
        "live_images": { "app": "nginx:1.27.3", "envoy": "envoyproxy/envoy:v1.30" },
        "live_image_containers": ["app"],
        "force_bootstrap_image": "true",
    }))
    .assert_success();
    assert_eq!(decoded(&result, "images")["app"], "nginx:stable");
    assert_eq!(
        decoded(&result, "image_sources"),
        json!({ "app": "forced", "envoy": "pinned" })
    );
}

#[test]
fn an_empty_follower_list_pins_every_container() {
    let result = run_query(json!({
        "container_definitions": app_and_sidecar(),
        "live_images": { "app": "nginx:1.27.3" },
        "live_image_containers": [],
    }))
    .assert_success();
    assert_eq!(
        decoded(&result, "image_sources"),
        json!({ "app": "pinned", "envoy": "pinned" })
    );
}

#[test]
fn key_value_arguments_work_in_a_shell() {
    let run = run(
        binary(),
        &[
            r#"container_definitions=[{"name":"app","image":"nginx:stable"}]"#,
            r#"live_images={"app":"nginx:1.27"}"#,
        ],
        "",
    );
    assert_eq!(
        decoded(&run.assert_success(), "images"),
        json!({ "app": "nginx:1.27" })
    );
}

/// Every class of bad input: exit 1, one line on stderr, nothing on stdout.
#[test]
fn rejects_bad_input_with_one_line() {
    let cases: &[(&str, &str)] = &[
        ("", "the query is empty"),
        ("{", "the query is not valid JSON"),
        ("[]", "the query is an array, not a JSON object"),
        (
            r#"{"container_definitions": null}"#,
            "query key `container_definitions` is null, not a string",
        ),
        (
            r#"{"container_definitions": []}"#,
            "is an array, not a string",
        ),
        (
            r#"{"container_definition": "[]"}"#,
            "unknown query key `container_definition`; did you mean `container_definitions`?",
        ),
        (
            r#"{"network_mode": "awsvpc"}"#,
            "query key `container_definitions` is required",
        ),
        (
            r#"{"container_definitions": "[{\"name\": }]"}"#,
            "query key `container_definitions` is not valid JSON: expected value at line 1 column 11",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\",\"enviroment\":[]}]"}"#,
            "enviroment",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\",\"portMappings\":[{\"containerPort\":0}]}]"}"#,
            "container_definitions[0].portMappings[0].containerPort must be 1..65535, got 0",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "network_mode": "overlay"}"#,
            "overlay",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "force_bootstrap_image": "yes"}"#,
            "query key `force_bootstrap_image` must be \"true\" or \"false\", got \"yes\"",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "live_image_containers": "[\"ap\"]"}"#,
            "live_image_containers names `ap`, which is not a container of container_definitions; did you mean `app`?",
        ),
        (
            // Shown escaped: a newline in the name must not read as a space.
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "live_image_containers": "[\"a\\nb\"]"}"#,
            "live_image_containers names `a\\nb`, which is not a container of container_definitions",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "live_image_containers": "\"app\""}"#,
            "query key `live_image_containers` is JSON of the wrong shape: invalid type: string \"app\", expected a sequence",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "live_images": "[]"}"#,
            "query key `live_images` is JSON of the wrong shape: invalid type: sequence, expected a map",
        ),
        (
            r#"{"container_definitions": "[{\"name\":\"app\",\"image\":\"x\"}]", "live_images": "{\"app\": \"\"}"}"#,
            "live_images[\"app\"] must be a non-empty image, got \"\"",
        ),
    ];
    let mut refusals = String::new();
    for (stdin, needle) in cases {
        let refused = run(binary(), &[], stdin);
        refused.assert_error(PROGRAM, needle);
        refusals.push_str(&refused.refusal(PROGRAM, stdin));
    }
    insta::assert_snapshot!(refusals);
}

#[test]
fn rejects_invalid_utf8_and_oversized_input() {
    let bad_utf8 = ecs_drift_tests::run_command(
        ecs_drift_tests::sealed_command(binary()),
        b"{\"a\":\"\xc3\x28\"}",
    );
    bad_utf8.assert_error(PROGRAM, "the query is not UTF-8");
    let huge = vec![b' '; 5 * 1024 * 1024];
    ecs_drift_tests::run_command(ecs_drift_tests::sealed_command(binary()), &huge)
        .assert_error(PROGRAM, "larger than");
}

#[test]
fn help_teaches_every_key() {
    let help = run(binary(), &["--help"], "");
    assert_eq!((help.status, help.stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!(help.stdout);
}

#[test]
fn version_and_schema() {
    let version = run(binary(), &["--version"], "");
    assert_eq!(
        version.stdout,
        format!("container_definition {}\n", env!("CARGO_PKG_VERSION"))
    );
    let schema: Value =
        serde_json::from_str(&run(binary(), &["--schema"], "").stdout).expect("schema is JSON");
    let keys: Vec<&str> = schema["query"]
        .as_array()
        .expect("query")
        .iter()
        .map(|key| key["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        keys,
        [
            "container_definitions",
            "live_images",
            "live_image_containers",
            "force_bootstrap_image",
            "network_mode",
            "live_environment",
            "live_docker_labels",
            "live_environment_values",
            "live_docker_label_values",
            "module_version"
        ]
    );
}

#[test]
fn containers_ecs_would_refuse_fail_with_one_line() {
    let query = |containers: Value, network_mode: &str| {
        json!({"container_definitions": containers.to_string(), "network_mode": network_mode})
            .to_string()
    };
    let many = |count: usize| {
        Value::Array(
            (0..count)
                .map(|index| json!({"name": format!("c{index}"), "image": "nginx:1.27"}))
                .collect(),
        )
    };
    let cases = [
        (
            query(many(11), "bridge"),
            "container_definition: container_definitions has 11 container definitions; ECS allows at most 10 per task definition (service quota \"Containers per task definition\", not adjustable)",
        ),
        (
            query(
                json!([{"name": "app", "image": "nginx:1.27", "hostname": "web"}]),
                "awsvpc",
            ),
            "container_definition: container_definitions[0].hostname \"web\" is not supported in awsvpc network mode (the task's network interface names the host); leave it out",
        ),
        (
            query(
                json!([{"name": "dns", "image": "coredns:1", "portMappings": [
                    {"containerPort": 53, "protocol": "udp"}, {"containerPort": 53}
                ]}]),
                "host",
            ),
            "container_definition: container_definitions[0].portMappings[1].protocol tcp is not allowed: containerPort 53 is already exposed for udp by portMappings[0], and ECS exposes a container port for one protocol only",
        ),
    ];
    for (stdin, line) in &cases {
        assert_eq!(run(binary(), &[], stdin).assert_error(PROGRAM, line), *line);
    }
    // The valid neighbours: ten containers; a hostname in bridge mode.
    run(binary(), &[], &query(many(10), "bridge")).assert_success();
    run(
        binary(),
        &[],
        &query(
            json!([{"name": "app", "image": "nginx:1.27", "hostname": "web"}]),
            "bridge",
        ),
    )
    .assert_success();
}

// ---------------------------------------------------------------------------------------------
// live_environment and live_docker_labels: the values a deploy pipeline owns.

fn app_with_release() -> Value {
    json!([
        { "name": "app", "image": "nginx:stable",
          "environment": { "DD_VERSION": "bootstrap", "LOG_LEVEL": "info" },
          "dockerLabels": { "com.datadoghq.tags.version": "bootstrap", "team": "web" },
          "secrets": [{ "name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db" }] },
        { "name": "envoy", "image": "envoyproxy/envoy:v1.31", "essential": false }
    ])
}

fn environment_of(container: &Value) -> Value {
    container["environment"].clone()
}

#[test]
fn a_named_key_keeps_the_value_the_service_runs() {
    let result = run_query(json!({
        "container_definitions": app_with_release(),
        "live_images": { "app": "nginx:1.2.3" },
        "live_environment": { "app": ["DD_VERSION", "GIT_SHA", "LOG_LEVEL"] },
        "live_docker_labels": { "app": ["com.datadoghq.tags.version", "com.example/build"] },
        // The lookup passes on the named keys only; LOG_LEVEL runs with Terraform's value here
        // because the live container lacks it.
        "live_environment_values": { "app": { "DD_VERSION": "1.2.3", "GIT_SHA": "abc123" } },
        "live_docker_label_values": { "app": { "com.datadoghq.tags.version": "1.2.3" } },
    }))
    .assert_success();
    let app = &decoded(&result, "container_definitions")[0];
    assert_eq!(app["image"], "nginx:1.2.3");
    assert_eq!(
        environment_of(app),
        json!([
            { "name": "DD_VERSION", "value": "1.2.3" },
            { "name": "GIT_SHA", "value": "abc123" },
            { "name": "LOG_LEVEL", "value": "info" },
        ])
    );
    assert_eq!(
        app["dockerLabels"],
        json!({ "com.datadoghq.tags.version": "1.2.3", "team": "web" })
    );
    assert_eq!(
        decoded(&result, "environment_sources"),
        json!({ "app": { "DD_VERSION": "live", "GIT_SHA": "live", "LOG_LEVEL": "bootstrap" } })
    );
    assert_eq!(
        decoded(&result, "docker_label_sources"),
        json!({ "app": { "com.datadoghq.tags.version": "live", "com.example/build": "absent" } })
    );
}

#[test]
fn the_configured_value_is_the_bootstrap_value() {
    let named = json!({ "app": ["DD_VERSION"] });
    // First apply: nothing live.
    let first = run_query(json!({
        "container_definitions": app_with_release(),
        "live_environment": named,
    }))
    .assert_success();
    assert_eq!(
        environment_of(&decoded(&first, "container_definitions")[0])[0],
        json!({ "name": "DD_VERSION", "value": "bootstrap" })
    );
    assert_eq!(
        decoded(&first, "environment_sources"),
        json!({ "app": { "DD_VERSION": "bootstrap" } })
    );
    // force_bootstrap_image: Terraform's values win over the live ones, as its image does.
    let forced = run_query(json!({
        "container_definitions": app_with_release(),
        "live_images": { "app": "nginx:1.2.3" },
        "live_environment": { "app": ["DD_VERSION", "GIT_SHA"] },
        "live_environment_values": { "app": { "DD_VERSION": "1.2.3", "GIT_SHA": "abc" } },
        "force_bootstrap_image": "true",
    }))
    .assert_success();
    let app = &decoded(&forced, "container_definitions")[0];
    assert_eq!(app["image"], "nginx:stable");
    assert_eq!(
        environment_of(app),
        json!([{ "name": "DD_VERSION", "value": "bootstrap" }, { "name": "LOG_LEVEL", "value": "info" }])
    );
    assert_eq!(
        decoded(&forced, "environment_sources"),
        json!({ "app": { "DD_VERSION": "forced", "GIT_SHA": "absent" } })
    );
}

#[test]
fn without_named_keys_every_value_stays_terraforms() {
    // Live values of keys nobody named are not used, and no sources are reported.
    let result = run_query(json!({
        "container_definitions": app_with_release(),
        "live_environment_values": { "app": { "DD_VERSION": "1.2.3" } },
        "live_docker_label_values": { "app": { "com.datadoghq.tags.version": "1.2.3" } },
    }))
    .assert_success();
    let app = &decoded(&result, "container_definitions")[0];
    assert_eq!(environment_of(app)[0]["value"], "bootstrap");
    assert_eq!(
        app["dockerLabels"]["com.datadoghq.tags.version"],
        "bootstrap"
    );
    assert_eq!(decoded(&result, "environment_sources"), json!({}));
    assert_eq!(decoded(&result, "docker_label_sources"), json!({}));
}

#[test]
fn its_own_output_with_the_same_live_values_comes_back_unchanged() {
    let query = |containers: Value| {
        json!({
            "container_definitions": containers,
            "live_images": { "app": "nginx:1.2.3" },
            "live_environment": { "app": ["DD_VERSION"] },
            "live_docker_labels": { "app": ["com.datadoghq.tags.version"] },
            "live_environment_values": { "app": { "DD_VERSION": "1.2.3" } },
            "live_docker_label_values": { "app": { "com.datadoghq.tags.version": "1.2.3" } },
        })
    };
    let once = run_query(query(app_with_release())).assert_success();
    let twice = run_query(query(decoded(&once, "container_definitions"))).assert_success();
    assert_eq!(
        once["container_definitions"],
        twice["container_definitions"]
    );
}

/// Every bad live_environment / live_docker_labels: exit 1, one line, nothing on stdout.
#[test]
fn rejects_bad_live_keys_with_one_line() {
    let query = |extra: Value| {
        let mut query = json!({
            "container_definitions": app_with_release(),
            "live_image_containers": ["app"],
        });
        for (key, value) in extra.as_object().expect("object") {
            query[key] = value.clone();
        }
        query
    };
    let cases = [
        (
            json!({ "live_environment": { "ap": ["DD_VERSION"] } }),
            "live_environment names container `ap`, which is not a container of container_definitions; did you mean `app`?",
        ),
        (
            json!({ "live_docker_labels": { "worker": ["version"] } }),
            "live_docker_labels names container `worker`, which is not a container of container_definitions",
        ),
        (
            json!({ "live_environment": { "app": ["DD VERSION"] } }),
            "live_environment[\"app\"] names \"DD VERSION\", which is not a valid environment variable name",
        ),
        (
            json!({ "live_environment": { "app": ["1ST"] } }),
            "live_environment[\"app\"] names \"1ST\", which is not a valid environment variable name",
        ),
        (
            json!({ "live_environment": { "app": [""] } }),
            "live_environment[\"app\"] names \"\", which is not a valid environment variable name",
        ),
        (
            json!({ "live_docker_labels": { "app": ["com.datadoghq.tags.version="] } }),
            "live_docker_labels[\"app\"] names \"com.datadoghq.tags.version=\", which is not a valid Docker label key",
        ),
        (
            json!({ "live_environment": { "app": ["DD_VERSION", "GIT_SHA", "DD_VERSION"] } }),
            "live_environment[\"app\"] names \"DD_VERSION\" twice; name each once",
        ),
        (
            json!({ "live_docker_labels": { "app": ["version", "version"] } }),
            "live_docker_labels[\"app\"] names \"version\" twice; name each once",
        ),
        (
            json!({ "live_docker_labels": { "app": [".version"] } }),
            "which is not a valid Docker label key",
        ),
        (
            json!({ "live_environment": { "app": ["DB_PASSWORD"] } }),
            "live_environment[\"app\"] names \"DB_PASSWORD\", which container `app` sets in secrets",
        ),
        (
            json!({ "live_environment": { "envoy": ["DD_VERSION"] } }),
            "live_environment names container `envoy`, whose image is pinned (not in live_image_containers)",
        ),
        (
            json!({ "live_docker_labels": { "envoy": ["version"] } }),
            "live_docker_labels names container `envoy`, whose image is pinned",
        ),
        (
            json!({ "live_environment": ["DD_VERSION"] }),
            "query key `live_environment` is JSON of the wrong shape",
        ),
        (
            json!({ "live_environment": { "app": "DD_VERSION" } }),
            "query key `live_environment` is JSON of the wrong shape",
        ),
        (
            json!({ "live_environment_values": { "app": { "DD_VERSION": 1 } } }),
            "query key `live_environment_values` is JSON of the wrong shape",
        ),
        (
            json!({ "live_docker_label_values": { "app": ["1.2.3"] } }),
            "query key `live_docker_label_values` is JSON of the wrong shape",
        ),
    ];
    let mut refusals = String::new();
    for (extra, needle) in cases {
        let refused = run_query(query(extra.clone()));
        refused.assert_error(PROGRAM, needle);
        refusals.push_str(&refused.refusal(PROGRAM, &extra.to_string()));
    }
    insta::assert_snapshot!(refusals);
    // The valid neighbours pass.
    run_query(query(json!({
        "live_environment": { "app": ["DD_VERSION", "_x", "lower_case1"] },
        "live_docker_labels": { "app": ["com.datadoghq.tags.version", "a", "com.example/build_id"] },
    })))
    .assert_success();
}
