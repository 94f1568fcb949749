//! The JSON that every floor above works on: the object type, the entries of keyed lists, whole
//! numbers.

use serde_json::Value;

/// A JSON object.
pub type Map = serde_json::Map<String, Value>;

/// The value of `key` in `value` when it is an object. Entries of keyed lists (`{"name": ...,
/// "value": ...}`) have two or three keys: scanning them is cheaper than hashing the key.
pub(crate) fn entry_field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .as_object()?
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
}

/// A JSON number that is a whole number, as an i64 (`30.0` is accepted as 30).
pub(crate) fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|float| float.fract() == 0.0 && float.abs() < 9.0e15)
                .map(|float| float as i64)
        }),
        _ => None,
    }
}
