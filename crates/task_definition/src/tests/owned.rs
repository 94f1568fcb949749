//! The owned inputs give what the borrowed ones give, in the input's key order.

use super::*;

/// A task written with its keys in the opposite of the schema's order, an unknown live field,
/// and environment entries out of name order.
fn shuffled_task() -> Value {
    json!({
        "containerDefinitions": [{
            "secrets": [{"valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/b", "name": "B"}],
            "environment": [{"value": "2", "name": "Z"}, {"name": "A", "value": "1"}, {"name": "M", "value": ""}],
            "portMappings": [{"protocol": "tcp", "containerPort": 80}],
            "essential": true,
            "image": "nginx:1.27",
            "name": "app"
        }],
        "networkMode": "awsvpc",
        "family": "web"
    })
}

fn text(value: impl serde::Serialize) -> String {
    match serde_json::to_string(&value) {
        Ok(text) => text,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn owned_and_borrowed_inputs_give_the_same_forms_in_the_same_key_order() {
    let task = shuffled_task();
    let (borrowed, owned) = match (
        parse_task_definition(&task, "desired"),
        crate::parse_task_definition_owned(task.clone(), "desired"),
    ) {
        (Ok(borrowed), Ok(owned)) => (borrowed, owned),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&borrowed), text(&owned));
    // Keys come out in the schema's order, not the input's.
    assert!(
        text(&owned).starts_with(r#"{"family":"web","#),
        "{}",
        text(&owned)
    );
    let form = crate::comparison_form(&borrowed);
    assert_eq!(
        text(&form),
        text(crate::into_comparison_form(owned.clone()))
    );
    assert_eq!(
        text(crate::comparison_form(&form)),
        text(&form),
        "comparison form of a comparison form (changed in place) is itself"
    );
    let live = match (
        parse_live_task_definition(&task, "live"),
        crate::parse_live_task_definition_owned(json!({ "taskDefinition": task.clone() }), "live"),
    ) {
        (Ok(borrowed), Ok(owned)) => {
            assert_eq!(text(&borrowed), text(&owned));
            owned
        }
        other => panic!("{other:?}"),
    };
    let containers = match (
        crate::parse_container_definitions(
            &task["containerDefinitions"],
            ROOT,
            NetworkMode::Awsvpc,
        ),
        crate::parse_container_definitions_owned(
            task["containerDefinitions"].clone(),
            ROOT,
            NetworkMode::Awsvpc,
        ),
    ) {
        (Ok(borrowed), Ok(owned)) => {
            assert_eq!(text(&borrowed), text(&owned));
            owned
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text(register_form(&containers, NetworkMode::Awsvpc)),
        text(crate::into_register_form(containers, NetworkMode::Awsvpc))
    );
    let mut changed = live.clone();
    changed.insert("cpu".into(), json!("256"));
    for (desired, live) in [(&owned, &live), (&owned, &changed)] {
        assert_eq!(
            crate::differences(desired, live, true),
            crate::differences_of_comparison_forms(
                &crate::comparison_form(desired),
                &crate::comparison_form(live),
                true
            )
        );
    }
    assert_eq!(crate::differences(&owned, &changed, false).len(), 1);
}

#[test]
fn keyed_lists_sort_the_same_from_any_order() {
    let sorted = object(
        json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "x",
        "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "C", "value": "3"}]}]}),
    );
    let mut reversed = Value::Object(sorted.clone());
    if let Some(Value::Array(environment)) =
        reversed.pointer_mut("/containerDefinitions/0/environment")
    {
        environment.reverse();
    }
    let reversed = object(reversed);
    assert_ne!(text(&sorted), text(&reversed));
    assert_eq!(
        text(crate::comparison_form(&sorted)),
        text(crate::comparison_form(&reversed))
    );
}
