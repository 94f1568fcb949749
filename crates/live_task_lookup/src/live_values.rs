//! The live values of the environment variables and Docker labels a deploy pipeline owns
//! (`live_environment`, `live_docker_labels`): only the keys named are passed on, so no other
//! environment value leaves the lookup through them.

use std::collections::{BTreeMap, BTreeSet};

use external_protocol::{Output, Query};
use serde_json::Value;

use crate::error::Error;

/// Container name -> the keys named for it.
pub type Named = BTreeMap<String, BTreeSet<String>>;

/// The keys named in the query, per container (`live_environment`, `live_docker_labels`). Whether
/// each container and key makes sense is container_definition's to say, which has the container
/// definitions; here they are only looked up.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NamedKeys {
    pub environment: Named,
    pub docker_labels: Named,
}

impl NamedKeys {
    pub fn from_query(query: &Query) -> Result<Self, Error> {
        let read = |key: &'static str| -> Result<Named, Error> {
            let named: BTreeMap<String, Vec<String>> = query.json(key)?.unwrap_or_default();
            Ok(named
                .into_iter()
                .map(|(container, names)| (container, names.into_iter().collect()))
                .collect())
        };
        Ok(Self {
            environment: read("live_environment")?,
            docker_labels: read("live_docker_labels")?,
        })
    }

    /// Adds `environment` and `docker_labels` to `output`: the named keys' values in
    /// `task_definition` (DescribeTaskDefinition's `taskDefinition`), `{}` when there is none.
    pub fn write(
        &self,
        task_definition: Option<&serde_json::Map<String, Value>>,
        output: &mut Output,
    ) {
        let containers: &[Value] = task_definition
            .and_then(|definition| definition.get("containerDefinitions"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        output
            .insert_json(
                "environment",
                &values(containers, &self.environment, environment_value),
            )
            .insert_json(
                "docker_labels",
                &values(containers, &self.docker_labels, label_value),
            );
    }
}

type Values = BTreeMap<String, BTreeMap<String, String>>;

/// For each named container the service runs, the named keys it has and their values.
fn values(
    containers: &[Value],
    named: &Named,
    value_of: fn(&Value, &str) -> Option<String>,
) -> Values {
    let mut found = Values::new();
    for container in containers {
        let Some(name) = container.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(keys) = named.get(name) else {
            continue;
        };
        let present: BTreeMap<String, String> = keys
            .iter()
            .filter_map(|key| value_of(container, key).map(|value| (key.clone(), value)))
            .collect();
        if !present.is_empty() {
            found.insert(name.to_string(), present);
        }
    }
    found
}

/// `environment` is a list of {name, value} (ECS API reference, ContainerDefinition, KeyValuePair).
fn environment_value(container: &Value, key: &str) -> Option<String> {
    container
        .get("environment")?
        .as_array()?
        .iter()
        .find(|entry| entry.get("name").and_then(Value::as_str) == Some(key))?
        .get("value")?
        .as_str()
        .map(str::to_string)
}

/// `dockerLabels` is a map of string to string (ECS API reference, ContainerDefinition).
fn label_value(container: &Value, key: &str) -> Option<String> {
    container
        .get("dockerLabels")?
        .get(key)?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use external_protocol::Query;
    use serde_json::json;

    fn named(environment: Value, docker_labels: Value) -> Result<NamedKeys, Error> {
        let query = json!({
            "cluster": "prod",
            "service": "web",
            "live_environment": environment.to_string(),
            "live_docker_labels": docker_labels.to_string(),
        });
        let query = Query::parse(&crate::PROGRAM, query.to_string().as_bytes())?;
        NamedKeys::from_query(&query)
    }

    fn written(keys: &NamedKeys, definition: Option<Value>) -> (Value, Value) {
        let definition = definition.map(|value| value.as_object().cloned().expect("object"));
        let mut output = Output::new();
        keys.write(definition.as_ref(), &mut output);
        let decode = |key: &str| -> Value {
            serde_json::from_str(output.get(key).expect("written")).expect("JSON")
        };
        (decode("environment"), decode("docker_labels"))
    }

    #[test]
    fn passes_on_the_named_keys_only() {
        let keys = named(
            json!({ "app": ["DD_VERSION", "MISSING"], "gone": ["X"] }),
            json!({ "app": ["com.datadoghq.tags.version"] }),
        )
        .expect("valid");
        let definition = json!({ "containerDefinitions": [
            { "name": "app", "image": "a",
              "environment": [
                  { "name": "DATABASE_URL", "value": "postgres://secret" },
                  { "name": "DD_VERSION", "value": "1.2.3" },
              ],
              "dockerLabels": { "com.datadoghq.tags.version": "1.2.3", "team": "web" } },
            { "name": "envoy", "image": "e", "environment": [{ "name": "DD_VERSION", "value": "9" }] },
        ]});
        let (environment, labels) = written(&keys, Some(definition));
        assert_eq!(environment, json!({ "app": { "DD_VERSION": "1.2.3" } }));
        assert_eq!(
            labels,
            json!({ "app": { "com.datadoghq.tags.version": "1.2.3" } })
        );
    }

    #[test]
    fn nothing_live_or_nothing_named_writes_empty_objects() {
        let keys = named(json!({ "app": ["DD_VERSION"] }), json!({})).expect("valid");
        assert_eq!(written(&keys, None), (json!({}), json!({})));
        let none = named(json!({}), json!({})).expect("valid");
        let definition = json!({ "containerDefinitions": [
            { "name": "app", "environment": [{ "name": "DD_VERSION", "value": "1" }] }
        ]});
        assert_eq!(written(&none, Some(definition)), (json!({}), json!({})));
    }

    #[test]
    fn a_query_of_the_wrong_shape_is_an_error() {
        for (environment, labels) in [
            (json!(["DD_VERSION"]), json!({})),
            (json!({}), json!({ "app": "version" })),
            (json!({ "app": [1] }), json!({})),
        ] {
            let error = named(environment, labels).expect_err("wrong shape");
            assert!(
                error.to_string().contains("is JSON of the wrong shape"),
                "{error}"
            );
        }
    }
}
