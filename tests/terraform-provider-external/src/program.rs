//! Running the program the way hashicorp/external 2.3.2 and later do
//! (internal/provider/data_source.go of hashicorp/terraform-provider-external, v2.3.5):
//!
//! - `program` elements that are null or "" are left out; when none is left, the read fails
//!   ("External Program Missing").
//! - The first element is looked up like Go's `exec.LookPath`: a name with a `/` as given, else on
//!   `PATH` ("External Program Lookup Failed").
//! - The query is written to stdin as ONE JSON object of strings, its null values left out (2.3.2
//!   brought that back after 2.3.1 sent them as ""), "" values kept, keys sorted and `<`, `>`, `&`
//!   escaped, as Go's `json.Marshal` writes a `map[string]string`.
//! - The program runs in `working_dir` when set, else in the provider's own directory (Terraform's).
//! - A non-zero exit fails the read with the program's stderr ("External Program Execution
//!   Failed").
//! - stdout must be one JSON object of string values (Go's `json.Unmarshal` into a
//!   `map[string]string`: surrounding whitespace allowed, the last of duplicate keys wins, invalid
//!   UTF-8 read as U+FFFD, a `null` value read as "", a `null` object as a null map), else the
//!   read fails ("Unexpected External Program Results").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Attr;

/// Why a read failed: the summary Terraform shows, and the detail under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Missing,
    Lookup {
        program: String,
        error: String,
    },
    Execution {
        program: String,
        stderr: String,
        state: String,
    },
    Results {
        program: String,
        error: String,
    },
}

impl Failure {
    /// The diagnostic's summary: the same words as the real provider's.
    pub fn summary(&self) -> &'static str {
        match self {
            Failure::Missing => "External Program Missing",
            Failure::Lookup { .. } => "External Program Lookup Failed",
            Failure::Execution { .. } => "External Program Execution Failed",
            Failure::Results { .. } => "Unexpected External Program Results",
        }
    }

    /// The diagnostic's detail: what the real provider says, in fewer words.
    pub fn detail(&self) -> String {
        match self {
            Failure::Missing => "The data source was configured without a program to execute: \
                                 program needs at least one non-empty element."
                .to_string(),
            Failure::Lookup { program, error } => format!(
                "The program could not be found: it must be on PATH, or a path to an \
                 executable file (\"${{path.module}}/program\" for one beside the \
                 configuration).\n\nProgram: {program}\nError: {error}"
            ),
            Failure::Execution {
                program,
                stderr,
                state,
            } if stderr.is_empty() => format!(
                "The program failed and wrote nothing on stderr.\n\nProgram: {program}\nState: \
                 {state}"
            ),
            Failure::Execution {
                program,
                stderr,
                state,
            } => format!(
                "The program failed.\n\nProgram: {program}\nError Message: {stderr}\nState: \
                 {state}"
            ),
            Failure::Results { program, error } => format!(
                "Program output must be a JSON encoded map of string keys and string \
                 values.\n\nProgram: {program}\nResult Error: {error}"
            ),
        }
    }
}

/// The program and its arguments: the elements that are neither null nor "".
pub fn arguments(program: &[Attr<String>]) -> Vec<String> {
    program
        .iter()
        .filter_map(|element| match element {
            Attr::Known(text) if !text.is_empty() => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The JSON object written to the program's stdin.
pub fn query_json(query: &[(String, Attr<String>)]) -> String {
    let object: BTreeMap<&str, &str> = query
        .iter()
        .filter_map(|(key, value)| match value {
            Attr::Known(value) => Some((key.as_str(), value.as_str())),
            Attr::Null | Attr::Unknown => None,
        })
        .collect();
    // Go's encoder escapes these for embedding in HTML; none can occur outside a string in JSON
    // text, so replacing them over the whole text changes only strings.
    serde_json::to_string(&object)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The program's stdout read as a map of strings; `None` for `null`.
pub fn parse_result(stdout: &[u8]) -> Result<Option<BTreeMap<String, String>>, String> {
    let text = String::from_utf8_lossy(stdout);
    if text.trim().is_empty() {
        return Err("unexpected end of JSON input".to_string());
    }
    // Go leaves a string untouched when it reads `null` into it: the map gets "".
    let parsed: Option<BTreeMap<String, Option<String>>> =
        serde_json::from_str(&text).map_err(|error| match error.classify() {
            serde_json::error::Category::Data => {
                format!("json: cannot unmarshal into Go value of type map[string]string: {error}")
            }
            _ => error.to_string(),
        })?;
    Ok(parsed.map(|object| {
        object
            .into_iter()
            .map(|(key, value)| (key, value.unwrap_or_default()))
            .collect()
    }))
}

/// Go's `exec.LookPath`: a name with a `/` is checked as it is; any other is searched on `PATH`.
pub fn look_path(name: &str, path: Option<&std::ffi::OsStr>) -> Result<PathBuf, String> {
    if name.contains('/') {
        let candidate = Path::new(name);
        return if is_executable(candidate) {
            Ok(candidate.to_path_buf())
        } else {
            Err(format!("exec: {name:?}: not an executable file"))
        };
    }
    let path = path.unwrap_or_default();
    std::env::split_paths(path)
        .map(|dir| {
            // An empty PATH entry means the current directory.
            if dir.as_os_str().is_empty() {
                Path::new(".").join(name)
            } else {
                dir.join(name)
            }
        })
        .find(|candidate| is_executable(candidate))
        .ok_or_else(|| format!("exec: {name:?}: executable file not found in $PATH"))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Go's description of how a process ended: `exit status N`, or `signal: N`.
pub fn state(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("signal: {signal}"),
        (None, None) => status.to_string(),
    }
}

/// Runs the program: the query on stdin, stdout as the result. `stop` ends it early (Terraform's
/// Stop, on an interrupt).
pub async fn run(
    program: &[Attr<String>],
    working_dir: &Attr<String>,
    query: &[(String, Attr<String>)],
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<Option<BTreeMap<String, String>>, Failure> {
    use tokio::io::AsyncWriteExt;

    let arguments = arguments(program);
    let Some((name, rest)) = arguments.split_first() else {
        return Err(Failure::Missing);
    };
    let path =
        look_path(name, std::env::var_os("PATH").as_deref()).map_err(|error| Failure::Lookup {
            program: name.clone(),
            error,
        })?;
    let program = path.display().to_string();

    let mut command = tokio::process::Command::new(&path);
    command
        .args(rest)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Attr::Known(dir) = working_dir
        && !dir.is_empty()
    {
        command.current_dir(dir);
    }
    let mut child = command.spawn().map_err(|error| Failure::Execution {
        program: program.clone(),
        stderr: String::new(),
        state: error.to_string(),
    })?;
    let input = query_json(query);
    let mut stdin = child.stdin.take();
    let writer = async move {
        if let Some(stdin) = stdin.as_mut() {
            // A program that exits without reading its stdin closes the pipe: that is its right.
            let _ = stdin.write_all(input.as_bytes()).await;
        }
        drop(stdin);
    };
    let (output, ()) = tokio::select! {
        output = async { tokio::join!(child.wait_with_output(), writer) } => output,
        _ = stop.wait_for(|stopped| *stopped) => {
            return Err(Failure::Execution {
                program,
                stderr: String::new(),
                state: "stopped by Terraform".to_string(),
            });
        }
    };
    let output = output.map_err(|error| Failure::Execution {
        program: program.clone(),
        stderr: String::new(),
        state: error.to_string(),
    })?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // 2.3.3: the program's stderr is logged at TRACE level whatever its exit code; go-plugin
    // shows a plugin's stderr in Terraform's log.
    if !stderr.is_empty() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "[TRACE] external program {program} stderr: {stderr}"
        );
    }
    if !output.status.success() {
        return Err(Failure::Execution {
            program,
            stderr,
            state: state(output.status),
        });
    }
    parse_result(&output.stdout).map_err(|error| Failure::Results { program, error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(text: &str) -> Attr<String> {
        Attr::Known(text.to_string())
    }

    #[test]
    fn program_elements_that_are_null_or_empty_are_left_out() {
        assert_eq!(
            arguments(&[known(""), known("prog"), Attr::Null, known("-x"), known("")]),
            ["prog", "-x"]
        );
        assert!(arguments(&[known(""), Attr::Null]).is_empty());
    }

    #[test]
    fn the_query_leaves_out_nulls_keeps_empty_strings_and_sorts_keys() {
        let query = [
            ("zone".to_string(), known("b")),
            ("absent".to_string(), Attr::Null),
            ("empty".to_string(), known("")),
            ("alpha".to_string(), known("a")),
        ];
        assert_eq!(query_json(&query), r#"{"alpha":"a","empty":"","zone":"b"}"#);
        assert_eq!(query_json(&[]), "{}");
    }

    #[test]
    fn the_query_escapes_like_go() {
        let query = [("k".to_string(), known("<a & b>\u{2028}\"\n"))];
        let text = query_json(&query);
        assert_eq!(text, r#"{"k":"\u003ca \u0026 b\u003e\u2028\"\n"}"#);
        let decoded: BTreeMap<String, String> = serde_json::from_str(&text).expect("JSON");
        assert_eq!(decoded["k"], "<a & b>\u{2028}\"\n");
    }

    #[test]
    fn the_result_must_be_an_object_of_strings() {
        let parsed = parse_result(b" {\"a\":\"1\",\"b\":\"\"}\n").expect("object of strings");
        assert_eq!(
            parsed,
            Some(
                [("a".into(), "1".into()), ("b".into(), String::new())]
                    .into_iter()
                    .collect()
            )
        );
        for bad in [
            &b""[..],
            b"   ",
            b"[]",
            b"\"text\"",
            b"{\"a\":1}",
            b"{\"a\":{\"b\":\"c\"}}",
            b"{\"a\":\"1\"} trailing",
            b"{\"a\":\"1\"",
        ] {
            assert!(
                parse_result(bad).is_err(),
                "{:?} accepted",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn the_result_reads_like_gos_decoder() {
        assert_eq!(parse_result(b"null"), Ok(None));
        let null_value = parse_result(b"{\"a\":null}").expect("a null value");
        assert_eq!(null_value.as_ref().map(|map| map["a"].as_str()), Some(""));
        let last = parse_result(b"{\"a\":\"1\",\"a\":\"2\"}").expect("duplicates");
        assert_eq!(last.as_ref().map(|map| map["a"].as_str()), Some("2"));
        let lossy = parse_result(b"{\"a\":\"\xff\"}").expect("invalid UTF-8");
        assert_eq!(
            lossy.as_ref().map(|map| map["a"].as_str()),
            Some("\u{fffd}")
        );
    }

    #[test]
    fn look_path_searches_path_for_bare_names_only() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let program = dir.path().join("prog");
        std::fs::write(&program, "#!/bin/sh\n").expect("write");
        let not_executable = dir.path().join("data");
        std::fs::write(&not_executable, "").expect("write");
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let path = std::env::join_paths([dir.path()]).expect("PATH");
        assert_eq!(look_path("prog", Some(&path)), Ok(program.clone()));
        assert!(look_path("data", Some(&path)).is_err());
        assert!(look_path("missing", Some(&path)).is_err());
        assert_eq!(
            look_path(&program.display().to_string(), None),
            Ok(program.clone())
        );
        assert!(look_path(&not_executable.display().to_string(), None).is_err());
    }
}
