//! Every field of the schema takes part in the comparison.

use serde_json::{Value, json};

use crate::schema::{self, Field, Kind, Lit, Order, Table};
use crate::{Map, differences};

/// A sample value of `kind`, never the field's default; `variant` 1 and 2 differ.
fn sample(kind: Kind, field: &Field, variant: i64) -> Value {
    match kind {
        Kind::String => json!(format!("x{variant}")),
        Kind::Integer => json!(6 + variant),
        Kind::Size(_) => json!(format!("{}", 6 + variant)),
        Kind::Boolean => {
            let base = field.default != Some(Lit::Bool(true));
            json!(if variant == 1 { base } else { !base })
        }
        Kind::StringMap => json!({"k": format!("v{variant}")}),
        Kind::List(Kind::Object(table)) => json!([full(table, variant)]),
        Kind::List(item) => json!([sample(*item, field, 1), sample(*item, field, variant + 1)]),
        Kind::Object(table) => full(table, variant),
    }
}

/// An object of `table` with every field set.
fn full(table: &'static Table, variant: i64) -> Value {
    let mut object = Map::new();
    for field in table.fields {
        let value = match field.kind {
            // Keys stay the same in both samples; only a mutation changes them.
            Kind::String if field.name == "name" => json!("x1"),
            kind => sample(kind, field, variant.min(1)),
        };
        object.insert(field.name.to_string(), value);
    }
    Value::Object(object)
}

#[derive(Debug, Clone)]
enum Step {
    Field(&'static Field),
    First,
}

/// Every path to a value that is not itself an object or a list of objects.
fn leaves(table: &'static Table, prefix: &[Step], found: &mut Vec<Vec<Step>>) {
    for field in table.fields {
        let mut path = prefix.to_vec();
        path.push(Step::Field(field));
        match field.kind {
            Kind::Object(inner) => leaves(inner, &path, found),
            Kind::List(Kind::Object(inner)) => {
                path.push(Step::First);
                leaves(inner, &path, found);
            }
            _ => found.push(path),
        }
    }
}

fn slot<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut at = value;
    for step in path {
        at = match step {
            Step::Field(field) => at.get_mut(field.name)?,
            Step::First => at.get_mut(0)?,
        };
    }
    Some(at)
}

fn name(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Field(field) => field.name.to_string(),
            Step::First => "[0]".to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[test]
fn a_change_to_any_field_at_any_depth_is_one_difference_under_its_path() {
    let base = full(&schema::TASK, 1);
    let mut paths = Vec::new();
    leaves(&schema::TASK, &[], &mut paths);
    assert!(paths.len() > 100, "only {} leaves", paths.len());
    let live = match &base {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    for path in paths {
        let Some(Step::Field(last)) = path.last().cloned() else {
            panic!("a path ends with a field")
        };
        let mut changed = base.clone();
        match slot(&mut changed, &path) {
            Some(value) => *value = sample(last.kind, last, 2),
            None => panic!("no slot at {}", name(&path)),
        }
        let desired = match &changed {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        let found = differences(&desired, &live, true);
        let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
        // Changing the key of a keyed entry removes one entry and adds another.
        let in_keyed_list = path.len() >= 3
            && matches!(&path[path.len() - 3], Step::Field(list) if matches!(list.order, Order::ByKey(key) if key == last.name));
        let expected = if in_keyed_list { 2 } else { 1 };
        assert_eq!(found.len(), expected, "{}: {lines:#?}", name(&path));
        let Some(Step::Field(top)) = path.first() else {
            panic!("a path starts with a field")
        };
        let prefix = match (top.name, path.get(2)) {
            ("containerDefinitions", Some(Step::Field(field))) => {
                format!("containerDefinitions[x1].{}", field.name)
            }
            _ => top.name.to_string(),
        };
        for difference in &found {
            assert!(
                difference.path.starts_with(&prefix)
                    || (in_keyed_list && difference.path.starts_with(top.name)),
                "{}: path {} is not under {prefix}",
                name(&path),
                difference.path
            );
        }
    }
}

#[test]
fn the_full_samples_compare_equal_to_themselves_and_survive_comparison_form() {
    let base = match full(&schema::TASK, 1) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    assert!(differences(&base, &base, false).is_empty());
    let form = crate::comparison_form(base.clone());
    assert_eq!(crate::comparison_form(form.clone()), form);
    // Nothing of the sample is lost: every field is non-default and non-empty.
    assert_eq!(form.len(), schema::TASK.fields.len());
}
