//! hashicorp/external's documented behaviour (its data source page and the 2.3.x changelog), run
//! by real Terraform against the provider the suite uses: the stand-in of
//! `tests/terraform-provider-external` by default, the real provider with
//! `ECS_DRIFT_EXTERNAL_PROVIDER=registry`. The same assertions hold for both, which is what makes
//! the stand-in a faithful one:
//!
//! - `program` is run without a shell, in `working_dir` when it is set; null and "" elements
//!   are left out, and a program with none left, or an empty list, is an error;
//! - the query reaches the program as ONE JSON object of strings, without its null values and
//!   with its "" values (2.3.2 and later);
//! - the result is `result` (a map of strings) and `id` is "-";
//! - a non-zero exit fails the read, with the program's stderr in the error;
//! - stdout that is not a JSON object of strings fails the read.

use ecs_drift_tests::terraform::{Toolchain, Workdir};
use serde_json::{Value, json};

const PROVIDER: &str = "terraform {\n  required_providers {\n    external = {\n      source  = \"hashicorp/external\"\n      version = \">= 2.3\"\n    }\n  }\n}\n";

/// A configuration of one `data "external" "this"` with `arguments`, and an output per
/// attribute.
fn workdir(arguments: &str) -> Workdir {
    let toolchain = Toolchain::require();
    let main = format!(
        "{PROVIDER}\ndata \"external\" \"this\" {{\n{arguments}\n}}\n\n\
         output \"result\" {{\n  value = data.external.this.result\n}}\n\n\
         output \"id\" {{\n  value = data.external.this.id\n}}\n"
    );
    Workdir::with_files(toolchain, &[("main.tf", &main)]).unwrap_or_else(|error| panic!("{error}"))
}

/// `terraform apply` and the outputs it leaves.
fn applied(workdir: &Workdir) -> serde_json::Map<String, Value> {
    let run = workdir.apply();
    assert_eq!(run.status, Some(0), "{run:#?}");
    workdir.outputs()
}

/// `terraform plan`, which must fail; its error with Terraform's line breaks taken out.
fn failed(workdir: &Workdir) -> String {
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(1), "{}\n{}", plan.text, plan.stderr);
    plan.stderr.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
#[ignore = "needs Terraform"]
fn the_query_is_one_object_of_strings_without_its_null_values() {
    let workdir = workdir(
        r#"  program = ["sh", "-c", "cat > query.json && printf '{\"ok\":\"yes\"}'"]
  query = {
    name    = "web"
    empty   = ""
    absent  = null
    special = "<a & b>\n\"quoted\""
  }"#,
    );
    let outputs = applied(&workdir);
    assert_eq!(outputs["result"], json!({ "ok": "yes" }));
    assert_eq!(outputs["id"], "-");
    let sent = std::fs::read_to_string(workdir.path.join("query.json")).expect("the query");
    let query: Value = serde_json::from_str(&sent).expect("the query is JSON");
    assert_eq!(
        query,
        json!({ "name": "web", "empty": "", "special": "<a & b>\n\"quoted\"" }),
        "{sent}"
    );
}

#[test]
#[ignore = "needs Terraform"]
fn without_a_query_the_program_reads_an_empty_object() {
    let workdir = workdir(r#"  program = ["sh", "-c", "printf '{\"stdin\":\"%s\"}' \"$(cat)\""]"#);
    assert_eq!(applied(&workdir)["result"], json!({ "stdin": "{}" }));
}

#[test]
#[ignore = "needs Terraform"]
fn the_program_runs_in_working_dir_and_otherwise_in_terraforms() {
    let toolchain = Toolchain::require();
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    let elsewhere_path = elsewhere.path().canonicalize().expect("canonical path");
    let main = format!(
        "{PROVIDER}\n\
         data \"external\" \"there\" {{\n  program     = [\"sh\", \"-c\", \"printf '{{\\\"pwd\\\":\\\"%s\\\"}}' \\\"$(pwd -P)\\\"\"]\n  working_dir = {}\n}}\n\n\
         data \"external\" \"here\" {{\n  program = [\"sh\", \"-c\", \"printf '{{\\\"pwd\\\":\\\"%s\\\"}}' \\\"$(pwd -P)\\\"\"]\n}}\n\n\
         output \"there\" {{\n  value = data.external.there.result.pwd\n}}\n\n\
         output \"here\" {{\n  value = data.external.here.result.pwd\n}}\n",
        serde_json::to_string(&elsewhere_path.display().to_string()).unwrap_or_default()
    );
    let workdir = Workdir::with_files(toolchain, &[("main.tf", &main)])
        .unwrap_or_else(|error| panic!("{error}"));
    let outputs = applied(&workdir);
    assert_eq!(
        outputs["there"],
        json!(elsewhere_path.display().to_string())
    );
    let here = workdir.path.canonicalize().expect("canonical path");
    assert_eq!(outputs["here"], json!(here.display().to_string()));
}

#[test]
#[ignore = "needs Terraform"]
fn null_and_empty_program_elements_are_left_out() {
    let workdir = workdir(
        r#"  program = ["", "sh", null, "-c", "", "printf '{\"args\":\"%s\"}' \"$0\"", "zero"]"#,
    );
    assert_eq!(applied(&workdir)["result"], json!({ "args": "zero" }));
}

#[test]
#[ignore = "needs Terraform"]
fn a_program_of_only_empty_elements_is_missing() {
    let workdir = workdir(r#"  program = ["", null]"#);
    assert!(failed(&workdir).contains("External Program Missing"));
}

#[test]
#[ignore = "needs Terraform"]
fn an_empty_program_list_is_invalid() {
    let workdir = workdir(r#"  program = []"#);
    let error = failed(&workdir);
    assert!(
        error.contains("Attribute program list must contain at least 1 elements, got: 0"),
        "{error}"
    );
}

#[test]
#[ignore = "needs Terraform"]
fn a_program_that_cannot_be_found_fails_the_lookup() {
    let workdir = workdir(r#"  program = ["ecs-drift-no-such-program"]"#);
    let error = failed(&workdir);
    assert!(error.contains("External Program Lookup Failed"), "{error}");
    assert!(error.contains("ecs-drift-no-such-program"), "{error}");
}

#[test]
#[ignore = "needs Terraform"]
fn a_failing_program_fails_the_read_with_its_stderr() {
    let workdir = workdir(r#"  program = ["sh", "-c", "echo 'I was asked to fail' >&2; exit 3"]"#);
    let error = failed(&workdir);
    assert!(
        error.contains("External Program Execution Failed"),
        "{error}"
    );
    assert!(error.contains("I was asked to fail"), "{error}");
    assert!(error.contains("exit status 3"), "{error}");
}

#[test]
#[ignore = "needs Terraform"]
fn stdout_that_is_not_an_object_of_strings_fails_the_read() {
    for stdout in [
        "[]",
        "{\"number\":1}",
        "{\"nested\":{\"a\":\"b\"}}",
        "not json",
        "",
    ] {
        let program = format!(
            "  program = [\"sh\", \"-c\", {}]",
            serde_json::to_string(&format!("printf '%s' '{stdout}'")).unwrap_or_default()
        );
        let workdir = workdir(&program);
        let error = failed(&workdir);
        assert!(
            error.contains("Unexpected External Program Results"),
            "{stdout:?}: {error}"
        );
    }
}

/// A query with a value unknown until the apply: Terraform reads the data source during the
/// apply instead, and the provider gets the known value then.
#[test]
#[ignore = "needs Terraform"]
fn a_query_known_only_at_apply_is_read_during_the_apply() {
    let workdir = workdir(
        r#"  program = ["sh", "-c", "cat"]
  query = {
    id = terraform_data.later.id
  }
}

resource "terraform_data" "later" {
  input = "x""#,
    );
    let plan = workdir.plan();
    assert_eq!(plan.exit_code, Some(2), "{}", plan.text);
    assert!(
        plan.text
            .contains("data.external.this will be read during apply"),
        "{}",
        plan.text
    );
    let outputs = applied(&workdir);
    assert_eq!(outputs["id"], "-");
    assert!(
        outputs["result"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{outputs:?}"
    );
}

/// The stand-in started by hand, not by Terraform, says what it is and exits non-zero.
#[test]
fn the_stand_in_started_by_hand_says_it_is_a_plugin() {
    let run = ecs_drift_tests::run(env!("CARGO_BIN_EXE_terraform-provider-external"), &[], "");
    assert_eq!(run.status, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("terraform-provider-external: this program is a Terraform provider"),
        "{run:#?}"
    );
}

/// Started as Terraform starts it, the stand-in listens where go-plugin's providers listen: on a
/// fresh Unix socket in `PLUGIN_UNIX_SOCKET_DIR` (go-plugin's `serverListener_unix`), named in
/// the handshake line, not on a TCP port.
#[test]
fn the_stand_in_listens_on_a_unix_socket_as_go_plugin_does() {
    use std::io::BufRead;
    use std::os::unix::fs::FileTypeExt;

    let directory = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-external"))
        .env_clear()
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .env("PLUGIN_UNIX_SOCKET_DIR", directory.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the stand-in");
    let mut line = String::new();
    let read = std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line);
    // Looked at while the provider serves; a killed provider leaves its socket behind, as
    // go-plugin's does.
    let kind = line
        .split('|')
        .nth(3)
        .and_then(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.file_type());
    let _ = child.kill();
    let _ = child.wait();
    read.expect("the handshake line");
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "{line:?}");
    assert_eq!(&fields[..3], ["1", "5", "unix"], "{line:?}");
    assert_eq!(fields[4], "grpc", "{line:?}");
    let socket = std::path::Path::new(fields[3]);
    assert_eq!(socket.parent(), Some(directory.path()), "{line:?}");
    assert!(
        socket
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("plugin")),
        "{line:?}"
    );
    assert!(
        kind.is_some_and(|kind| kind.is_socket()),
        "{line:?}: no socket there while the provider served"
    );
}
