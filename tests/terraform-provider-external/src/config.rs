//! The data source's configuration as Terraform sends it, and the state sent back.
//!
//! Terraform encodes values as msgpack (go-cty's encoding): an object is a map from attribute name
//! to value, a list an array, a null `nil`, and a value not known yet (one computed during the
//! apply) an extension value (code 0; code 12 when it carries refinements such as "not null").

use rmpv::Value;

/// An attribute or element: known, null, or not known until the apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr<T> {
    Known(T),
    Null,
    Unknown,
}

/// The `external` data source's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The object as received, echoed into the state: Terraform requires the state's configured
    /// attributes to equal the configuration.
    object: Vec<(Value, Value)>,
    pub program: Attr<Vec<Attr<String>>>,
    pub working_dir: Attr<String>,
    pub query: Attr<Vec<(String, Attr<String>)>>,
}

/// A configuration that is not the object of this data source's schema.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("the configuration is not msgpack")]
    Msgpack(#[source] rmpv::decode::Error),
    #[error("the configuration is not an object")]
    NotAnObject,
    #[error("attribute {0} is not of its schema's type")]
    Type(&'static str),
}

fn string(value: &Value) -> Option<Attr<String>> {
    match value {
        Value::Nil => Some(Attr::Null),
        Value::Ext(..) => Some(Attr::Unknown),
        Value::String(text) => text.as_str().map(|text| Attr::Known(text.to_string())),
        _ => None,
    }
}

fn collection<T>(value: &Value, items: impl FnOnce(&Value) -> Option<T>) -> Option<Attr<T>> {
    match value {
        Value::Nil => Some(Attr::Null),
        Value::Ext(..) => Some(Attr::Unknown),
        other => items(other).map(Attr::Known),
    }
}

impl Config {
    /// Reads the msgpack Terraform sends.
    pub fn decode(mut bytes: &[u8]) -> Result<Self, DecodeError> {
        let value = rmpv::decode::read_value(&mut bytes).map_err(DecodeError::Msgpack)?;
        let Value::Map(object) = value else {
            return Err(DecodeError::NotAnObject);
        };
        let mut config = Config {
            object: Vec::new(),
            program: Attr::Null,
            working_dir: Attr::Null,
            query: Attr::Null,
        };
        for (key, value) in &object {
            match key.as_str() {
                Some("program") => {
                    config.program = collection(value, |value| {
                        value.as_array()?.iter().map(string).collect()
                    })
                    .ok_or(DecodeError::Type("program"))?;
                }
                Some("working_dir") => {
                    config.working_dir = string(value).ok_or(DecodeError::Type("working_dir"))?;
                }
                Some("query") => {
                    config.query = collection(value, |value| {
                        value
                            .as_map()?
                            .iter()
                            .map(|(key, value)| Some((key.as_str()?.to_string(), string(value)?)))
                            .collect()
                    })
                    .ok_or(DecodeError::Type("query"))?;
                }
                _ => {}
            }
        }
        config.object = object;
        Ok(config)
    }

    /// The state: the configuration with `result` (null when the program printed `null`) and
    /// `id = "-"`.
    pub fn state(&self, result: Option<&std::collections::BTreeMap<String, String>>) -> Vec<u8> {
        let result = match result {
            None => Value::Nil,
            Some(result) => Value::Map(
                result
                    .iter()
                    .map(|(key, value)| (Value::from(key.as_str()), Value::from(value.as_str())))
                    .collect(),
            ),
        };
        let mut object: Vec<(Value, Value)> = self
            .object
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), Some("result" | "id")))
            .cloned()
            .collect();
        object.push((Value::from("result"), result));
        object.push((Value::from("id"), Value::from("-")));
        let mut bytes = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = rmpv::encode::write_value(&mut bytes, &Value::Map(object));
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: Value) -> Vec<u8> {
        let mut bytes = Vec::new();
        rmpv::encode::write_value(&mut bytes, &value).expect("encode");
        bytes
    }

    fn object(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| (Value::from(key), value))
                .collect(),
        )
    }

    #[test]
    fn reads_known_null_and_unknown_values() {
        let bytes = encode(object(vec![
            (
                "program",
                Value::Array(vec![
                    Value::from("prog"),
                    Value::Nil,
                    Value::Ext(0, vec![0]),
                ]),
            ),
            ("working_dir", Value::Nil),
            (
                "query",
                Value::Map(vec![
                    (Value::from("a"), Value::from("1")),
                    (Value::from("b"), Value::Nil),
                ]),
            ),
            ("result", Value::Ext(12, vec![0x80])),
            ("id", Value::Nil),
        ]));
        let config = Config::decode(&bytes).expect("decodes");
        assert_eq!(
            config.program,
            Attr::Known(vec![Attr::Known("prog".into()), Attr::Null, Attr::Unknown])
        );
        assert_eq!(config.working_dir, Attr::Null);
        assert_eq!(
            config.query,
            Attr::Known(vec![
                ("a".into(), Attr::Known("1".into())),
                ("b".into(), Attr::Null)
            ])
        );
    }

    #[test]
    fn an_unknown_list_is_unknown() {
        let bytes = encode(object(vec![("program", Value::Ext(0, vec![0]))]));
        assert_eq!(
            Config::decode(&bytes).expect("decodes").program,
            Attr::Unknown
        );
    }

    #[test]
    fn the_state_echoes_the_configuration_with_result_and_id() {
        let bytes = encode(object(vec![
            ("program", Value::Array(vec![Value::from("prog")])),
            ("working_dir", Value::Nil),
            ("query", Value::Nil),
            ("result", Value::Nil),
            ("id", Value::Nil),
        ]));
        let config = Config::decode(&bytes).expect("decodes");
        let result = [("k".to_string(), "v".to_string())].into_iter().collect();
        let state = rmpv::decode::read_value(&mut config.state(Some(&result)).as_slice())
            .expect("state is msgpack");
        let field = |name: &str| {
            state
                .as_map()
                .and_then(|map| map.iter().find(|(key, _)| key.as_str() == Some(name)))
                .map(|(_, value)| value.clone())
        };
        assert_eq!(
            field("program"),
            Some(Value::Array(vec![Value::from("prog")]))
        );
        assert_eq!(field("working_dir"), Some(Value::Nil));
        assert_eq!(field("id"), Some(Value::from("-")));
        assert_eq!(
            field("result"),
            Some(Value::Map(vec![(Value::from("k"), Value::from("v"))]))
        );
        assert_eq!(state.as_map().map(Vec::len), Some(5));
    }

    #[test]
    fn refuses_what_is_not_the_schemas_object() {
        assert!(matches!(
            Config::decode(&encode(Value::from("x"))),
            Err(DecodeError::NotAnObject)
        ));
        assert!(matches!(
            Config::decode(&encode(object(vec![("program", Value::from(1))]))),
            Err(DecodeError::Type("program"))
        ));
        assert!(matches!(
            Config::decode(&[0xd9]),
            Err(DecodeError::Msgpack(_))
        ));
    }
}
