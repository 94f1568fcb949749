//! The JSON that every floor above works on: the object type, the entries of keyed lists, whole
//! numbers, and the accessors of an object's fields.

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

/// `key`'s value as a string.
pub(crate) fn string<'a>(map: &'a Map, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// `key`'s value as a whole number.
pub(crate) fn int(map: &Map, key: &str) -> Option<i64> {
    map.get(key).and_then(Value::as_i64)
}

/// The objects of a list field, with their index.
pub(crate) fn objects<'a>(map: &'a Map, key: &str) -> impl Iterator<Item = (usize, &'a Map)> {
    map.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, item)| item.as_object().map(|item| (index, item)))
}

/// The strings of the list under `key` (other items, or no list, give none).
pub(crate) fn strings<'a>(map: &'a Map, key: &str) -> Vec<&'a str> {
    map.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// Whether `key` holds a list with at least one item.
pub(crate) fn non_empty_list(map: &Map, key: &str) -> bool {
    map.get(key)
        .and_then(Value::as_array)
        .is_some_and(|items| !items.is_empty())
}
