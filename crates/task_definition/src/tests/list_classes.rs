//! Every list is ordered, keyed or a set, with its source.

use crate::schema::{self, Kind, Order, Table};

/// `path  class  source`, one line per list of `table`, at any depth.
fn lines(table: &'static Table, prefix: &str, found: &mut Vec<String>) {
    for field in table.fields {
        let path = if prefix.is_empty() {
            field.name.to_string()
        } else {
            format!("{prefix}.{}", field.name)
        };
        match field.kind {
            Kind::Object(inner) => lines(inner, &path, found),
            Kind::List(item) => {
                let class = match field.order {
                    Order::Kept => "ordered".to_string(),
                    Order::ByKey(key) => format!("keyed by {key}"),
                    Order::Sorted => "set".to_string(),
                };
                found.push(format!("{path}\n    {class}: {}", field.order_source));
                if let Kind::Object(inner) = item {
                    lines(inner, &format!("{path}[]"), found);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_list_of_the_schema_says_how_it_compares_and_why() {
    let mut found = Vec::new();
    lines(&schema::TASK, "", &mut found);
    assert!(found.len() > 30, "only {} lists", found.len());
    insta::assert_snapshot!(found.join("\n"));
}

#[test]
fn keyed_lists_name_a_string_member_of_their_entries() {
    fn check(table: &'static Table) {
        for field in table.fields {
            match (field.kind, field.order) {
                (Kind::List(Kind::Object(inner)), Order::ByKey(key)) => {
                    let member = inner.field(key).map(|member| member.kind);
                    assert_eq!(member, Some(Kind::String), "{}: key {key}", field.name);
                    check(inner);
                }
                (Kind::List(Kind::Object(inner)), _) => check(inner),
                (Kind::Object(inner), _) => check(inner),
                (_, Order::ByKey(key)) => {
                    panic!("{} is keyed by {key} but not of objects", field.name)
                }
                _ => {}
            }
        }
    }
    check(&schema::TASK);
}
