//! The forms' key order, the live envelope, and the forms of forms.

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
fn the_forms_come_out_in_the_schemas_key_order_and_the_envelope_changes_nothing() {
    let task = shuffled_task();
    let owned = match parse_task_definition(task.clone(), "desired") {
        Ok(owned) => owned,
        Err(error) => panic!("{error}"),
    };
    // Keys come out in the schema's order, not the input's.
    assert!(
        text(&owned).starts_with(r#"{"family":"web","#),
        "{}",
        text(&owned)
    );
    let form = crate::comparison_form(owned.clone());
    assert_eq!(
        text(crate::comparison_form(form.clone())),
        text(&form),
        "comparison form of a comparison form (changed in place) is itself"
    );
    // DescribeTaskDefinition's whole answer ({"taskDefinition": ...}) reads as its definition.
    let live = match (
        parse_live_task_definition(task.clone(), "live"),
        crate::parse_live_task_definition(json!({ "taskDefinition": task.clone() }), "live"),
    ) {
        (Ok(bare), Ok(enveloped)) => {
            assert_eq!(text(&bare), text(&enveloped));
            enveloped
        }
        other => panic!("{other:?}"),
    };
    let containers = match crate::parse_container_definitions(
        task["containerDefinitions"].clone(),
        ROOT,
        NetworkMode::Awsvpc,
    ) {
        Ok(containers) => containers,
        Err(error) => panic!("{error}"),
    };
    let registered = crate::register_form(containers, NetworkMode::Awsvpc);
    assert_eq!(
        text(crate::register_form(
            registered.clone(),
            NetworkMode::Awsvpc
        )),
        text(&registered),
        "the register form of a register form is itself"
    );
    let mut changed = live.clone();
    changed.insert("cpu".into(), json!("256"));
    for (desired, live) in [(&owned, &live), (&owned, &changed)] {
        assert_eq!(
            crate::differences(desired, live, true),
            crate::differences_of_comparison_forms(
                &crate::comparison_form(desired.clone()),
                &crate::comparison_form(live.clone()),
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
        text(crate::comparison_form(sorted.clone())),
        text(crate::comparison_form(reversed.clone()))
    );
}
