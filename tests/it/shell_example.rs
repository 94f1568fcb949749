//! `examples/shell/run.sh`, the three programs piped by hand, run as its README runs it on moto.

use ecs_drift_tests::{MOTO_ACCOUNT, MOTO_REGION, Moto, run_command, workspace_binary};
use serde_json::json;

/// `examples/shell/run.sh`, as its README runs it: the same outputs, on moto.
#[test]
fn the_shell_example_pipes_the_programs() {
    let moto = Moto::start();
    moto.seed(
        "service",
        json!({
            "cluster": "c",
            "service": "web",
            "family": "web",
            "containers": [{ "name": "app", "image": "nginx:1" }],
        }),
    );
    let script = ecs_drift_tests::repo_root()
        .join("examples")
        .join("shell")
        .join("run.sh");
    let bin_dir = workspace_binary("live_task_lookup")
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let jq = ecs_drift_tests::story::jq();
    let run_sh = |service: &str, containers: &str| {
        let out = tempfile::tempdir().expect("temporary directory");
        let mut command = moto.command("bash");
        command
            .arg(&script)
            .args(["c", service, containers])
            .env("JQ", &jq)
            .env("BIN_DIR", &bin_dir)
            .env("ENDPOINT_URL", moto.endpoint())
            .env("REGION", MOTO_REGION)
            .env("OUT_DIR", out.path());
        let run = run_command(command, b"");
        assert_eq!(run.status, Some(0), "{run:#?}");
        run.stdout
    };
    let app = r#"[{"name":"app","image":"nginx:stable","portMappings":[{"containerPort":8080}],
                   "environment":[{"name":"ROLE","value":"app"}]}]"#;
    let revision =
        |n: u32| format!("arn:aws:ecs:{MOTO_REGION}:{MOTO_ACCOUNT}:task-definition/web:{n}");

    let unchanged = run_sh("web", app);
    assert!(
        unchanged.contains("image:    app = nginx:1 (live)"),
        "{unchanged}"
    );
    assert!(
        unchanged.contains(&format!(
            "changed:  false (the service stays on {})",
            revision(1)
        )),
        "{unchanged}"
    );

    let edited = run_sh("web", &app.replace(r#""value":"app""#, r#""value":"web""#));
    assert!(
        edited.contains("image:    app = nginx:1 (live)"),
        "{edited}"
    );
    assert!(edited.contains("changed:  true"), "{edited}");
    assert!(
        edited.contains("container app: environment ROLE changed"),
        "{edited}"
    );
    assert!(
        edited.contains("register: aws ecs register-task-definition"),
        "{edited}"
    );

    moto.ecs_deploy("c", "web", "app", "nginx:2");
    let deployed = run_sh("web", app);
    assert!(
        deployed.contains("image:    app = nginx:2 (live)"),
        "{deployed}"
    );
    assert!(
        deployed.contains(&format!(
            "changed:  false (the service stays on {})",
            revision(2)
        )),
        "{deployed}"
    );

    let missing = run_sh("api", app);
    assert!(
        missing.contains("no running service (MISSING)"),
        "{missing}"
    );
    assert!(
        missing.contains("image:    app = nginx:stable (bootstrap)"),
        "{missing}"
    );
    assert!(missing.contains("changed:  true"), "{missing}");
}
