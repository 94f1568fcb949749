//! The modules lie on floors (lib.rs).

/// The floors of the comment in lib.rs, lowest first, with each module's source.
const FLOORS: &[floors::Floor] = &[
    &[
        ("arn", include_str!("../arn.rs")),
        ("error", include_str!("../error.rs")),
        ("json", include_str!("../json.rs")),
        ("units", include_str!("../units.rs")),
    ],
    &[
        ("checks", include_str!("../checks.rs")),
        ("network_mode", include_str!("../network_mode.rs")),
        ("schema", include_str!("../schema.rs")),
    ],
    &[
        ("canonical", include_str!("../canonical.rs")),
        ("container", include_str!("../container.rs")),
        ("fargate", include_str!("../fargate.rs")),
    ],
    &[("task", include_str!("../task.rs"))],
    &[
        ("diff", include_str!("../diff.rs")),
        ("parse", include_str!("../parse.rs")),
        ("registration", include_str!("../registration.rs")),
    ],
    &[("desired", include_str!("../desired.rs"))],
];

#[test]
fn each_module_uses_only_modules_on_the_floors_below_it() {
    let found = floors::violations(include_str!("../lib.rs"), FLOORS);
    assert!(found.is_empty(), "{found:#?}");
}
