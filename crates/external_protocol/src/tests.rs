use super::*;

static PROGRAM: Program = Program {
    name: "demo",
    version: "1.2.3",
    summary: "Answers a demonstration question.",
    description: "Reads a few keys and echoes them back.",
    query: &[
        QueryKey {
            name: "cluster",
            kind: Kind::String,
            required: true,
            default: None,
            help: "The cluster.",
        },
        QueryKey {
            name: "region",
            kind: Kind::String,
            required: false,
            default: None,
            help: "The region.",
        },
        QueryKey {
            name: "force",
            kind: Kind::Boolean,
            required: false,
            default: Some("false"),
            help: "Force it.",
        },
        QueryKey {
            name: "strict",
            kind: Kind::Boolean,
            required: false,
            default: Some("true"),
            help: "Be strict.",
        },
        QueryKey {
            name: "timeout_seconds",
            kind: Kind::PositiveInteger,
            required: false,
            default: Some("20"),
            help: "Timeout.",
        },
        QueryKey {
            name: "max_attempts",
            kind: Kind::PositiveInteger,
            required: false,
            default: None,
            help: "Attempts.",
        },
        QueryKey {
            name: "document",
            kind: Kind::Json,
            required: false,
            default: None,
            help: "A document.",
        },
    ],
    result: &[ResultKey {
        name: "echo",
        help: "The cluster, echoed.",
    }],
    example: "echo '{\"cluster\":\"prod\"}' | demo",
};

#[derive(Debug, thiserror::Error)]
enum TestError {
    #[error("failed to do the thing")]
    Outer(#[source] Error),
}

fn echo(query: &Query) -> Result<Output, TestError> {
    let cluster = query.string("cluster").map_err(TestError::Outer)?;
    let mut output = Output::new();
    output.insert("echo", cluster);
    Ok(output)
}

/// Runs the demo program; returns (status, stdout, stderr).
fn run(arguments: &[&str], stdin: &[u8]) -> (u8, String, String) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let arguments = arguments.iter().map(OsString::from).collect();
    let status = run_with(
        &PROGRAM,
        arguments,
        stdin,
        &mut stdout,
        &mut stderr,
        false,
        echo,
    );
    (
        status,
        String::from_utf8_lossy(&stdout).into(),
        String::from_utf8_lossy(&stderr).into(),
    )
}

fn parse(text: &str) -> Result<Query, Error> {
    Query::parse(&PROGRAM, text.as_bytes())
}

/// Asserts the run failed the protocol way: status 1, empty stdout, one stderr line naming the
/// program and containing `needle`.
fn assert_fails(arguments: &[&str], stdin: &[u8], needle: &str) {
    let (status, stdout, stderr) = run(arguments, stdin);
    assert_eq!(status, 1, "stderr: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr:?}");
    assert!(stderr.starts_with("demo: "), "{stderr}");
    assert!(
        stderr.contains(needle),
        "{stderr:?} should contain {needle:?}"
    );
}

#[test]
fn writes_the_result_as_compact_json() {
    let (status, stdout, stderr) = run(&[], br#"{"cluster":"prod"}"#);
    assert_eq!(
        (status, stdout.as_str(), stderr.as_str()),
        (0, "{\"echo\":\"prod\"}\n", "")
    );
}

#[test]
fn writes_pretty_json_for_a_terminal() {
    let mut output = Output::new();
    output.insert("b", "2").insert("a", "1");
    assert_eq!(
        output.to_json(true),
        "{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n"
    );
    assert_eq!(output.to_json(false), "{\"a\":\"1\",\"b\":\"2\"}\n");
}

#[test]
fn accepts_key_value_arguments_instead_of_stdin() {
    let (status, stdout, _) = run(&["cluster=prod", "region=eu-west-1"], b"not read");
    assert_eq!((status, stdout.as_str()), (0, "{\"echo\":\"prod\"}\n"));
}

#[test]
fn rejects_bad_arguments() {
    assert_fails(&["cluster"], b"", "argument `cluster` is not KEY=VALUE");
    assert_fails(
        &["cluster=a", "cluster=b"],
        b"",
        "`cluster=...` is given twice",
    );
    assert_fails(
        &["clustr=a"],
        b"",
        "unknown query key `clustr`; did you mean `cluster`?",
    );
}

/// Found by the protocol_query fuzz target: an unknown key with a newline in it made a message of
/// two lines, which the reporter then joined with a space, as if the key had one.
#[test]
fn keys_and_arguments_are_shown_escaped_in_messages() {
    let message = |error: Error| {
        let message = error_chain(&error);
        assert!(!message.contains('\n'), "{message:?}");
        message
    };
    let unknown = parse("{\"a\\nb\": \"1\", \"cluster\": \"prod\", \"module_version\": \"1.2.3\"}")
        .expect_err("unknown key");
    assert_eq!(
        message(unknown),
        "unknown query key `a\\nb`; accepted keys: cluster, region, force, strict, timeout_seconds, max_attempts, document"
    );
    let arguments = |arguments: &[&str]| {
        Query::from_arguments(
            &PROGRAM,
            arguments.iter().map(|argument| argument.to_string()),
        )
    };
    assert_eq!(
        message(arguments(&["x\ny"]).expect_err("not KEY=VALUE")),
        "argument `x\\ny` is not KEY=VALUE; pass the query as KEY=VALUE arguments or as JSON on stdin (see --help)"
    );
    assert_eq!(
        message(arguments(&["a\tb=1", "a\tb=2"]).expect_err("twice")),
        "argument `a\\tb=...` is given twice"
    );
    assert_fails(&["clu\nster=a"], b"", "unknown query key `clu\\nster`");
    // Found by the same target in a later run: an odd key whose value is not a string.
    let not_string = parse("{\"cluster\": \"prod\", \"fl\\\\\\nag\": null}").expect_err("null");
    assert_eq!(
        message(not_string),
        "query key `fl\\\\\\nag` is null, not a string; Terraform's external data source sends one JSON object whose values are all strings (use jsonencode() for nested data)"
    );
}

#[test]
fn rejects_every_bad_shape_of_stdin() {
    let protocol = "one JSON object whose values are all strings";
    assert_fails(&[], b"", "the query is empty");
    assert_fails(&[], b"  \n", "the query is empty");
    assert_fails(&[], b"{", "the query is not valid JSON");
    assert_fails(&[], b"{", "line 1 column 1");
    assert_fails(&[], b"[]", "the query is an array, not a JSON object");
    assert_fails(&[], b"\"x\"", protocol);
    assert_fails(&[], b"null", "the query is null");
    assert_fails(
        &[],
        br#"{"cluster":null}"#,
        "query key `cluster` is null, not a string",
    );
    assert_fails(
        &[],
        br#"{"cluster":1}"#,
        "query key `cluster` is a number, not a string",
    );
    assert_fails(&[], br#"{"cluster":{"a":"b"}}"#, "use jsonencode()");
    assert_fails(
        &[],
        b"{\"cluster\":\"\xff\"}",
        "the query is not UTF-8 (invalid byte at offset 12)",
    );
    assert_fails(
        &[],
        br#"{"zzz":"1"}"#,
        "unknown query key `zzz`; accepted keys: cluster, region",
    );
}

#[test]
fn rejects_a_query_over_the_limit() {
    let big = vec![b' '; MAX_QUERY_BYTES as usize + 1];
    assert_fails(&[], &big, "larger than 4194304 bytes");
}

#[test]
fn reports_the_whole_cause_chain_on_one_line() {
    assert_fails(
        &[],
        br#"{"region":"x"}"#,
        "demo: failed to do the thing: query key `cluster` is required and must not be empty",
    );
    assert_fails(&[], br#"{"cluster":""}"#, "`cluster` is required");
}

#[test]
fn error_chain_says_each_cause_once() {
    #[derive(Debug, thiserror::Error)]
    #[error("outer: {0}")]
    struct Repeats(#[source] std::io::Error);
    let error = Repeats(std::io::Error::other("inner detail"));
    assert_eq!(error_chain(&error), "outer: inner detail");
}

#[test]
fn multi_line_messages_become_one_line() {
    #[derive(Debug, thiserror::Error)]
    #[error("first\nsecond")]
    struct TwoLines;
    let mut stderr = Vec::new();
    let status = run_with(
        &PROGRAM,
        vec![],
        &b"{}"[..],
        &mut Vec::new(),
        &mut stderr,
        false,
        |_| Err::<Output, _>(TwoLines),
    );
    assert_eq!(status, 1);
    assert_eq!(String::from_utf8_lossy(&stderr), "demo: first second\n");
}

#[test]
fn an_incomplete_or_undeclared_result_is_an_internal_error() {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let status = run_with(
        &PROGRAM,
        vec![],
        &b"{}"[..],
        &mut stdout,
        &mut stderr,
        false,
        |_| Ok::<_, TestError>(Output::new()),
    );
    assert_eq!((status, stdout.len()), (1, 0));
    assert!(String::from_utf8_lossy(&stderr).contains("result key `echo` is missing"));
    let mut stderr = Vec::new();
    let status = run_with(
        &PROGRAM,
        vec![],
        &b"{}"[..],
        &mut stdout,
        &mut stderr,
        false,
        |_| {
            let mut output = Output::new();
            output.insert("echo", "x").insert("surprise", "y");
            Ok::<_, TestError>(output)
        },
    );
    assert_eq!((status, stdout.len()), (1, 0));
    assert!(String::from_utf8_lossy(&stderr).contains("`surprise`"));
}

#[test]
fn help_version_and_schema_come_from_the_spec() {
    let (status, help, _) = run(&["--help"], b"");
    assert_eq!(status, 0);
    for needle in [
        "demo 1.2.3",
        "cluster  (string; required)",
        "force  (\"true\" or \"false\"; optional, default false)",
        "RESULT KEYS",
        "echo",
        "| demo",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
    assert_eq!(run(&["--version"], b"").1, "demo 1.2.3\n");
    let schema: serde_json::Value =
        serde_json::from_str(&run(&["--schema"], b"").1).expect("schema is JSON");
    assert_eq!(schema["query"][0]["name"], "cluster");
    assert_eq!(schema["query"][0]["required"], true);
    assert_eq!(schema["result"][0]["name"], "echo");
}

#[test]
fn typed_access_reads_values_and_defaults() {
    let query =
        parse(r#"{"cluster":"c","force":"true","max_attempts":"3","document":"{\"a\": 1}"}"#)
            .expect("valid");
    assert_eq!(query.string("cluster").expect("set"), "c");
    assert_eq!(query.optional_string("region"), None);
    assert!(query.boolean("force").expect("bool"));
    assert!(query.boolean("strict").expect("default applies"));
    assert_eq!(
        query.positive_integer("max_attempts").expect("int"),
        Some(3)
    );
    assert_eq!(
        query.positive_integer("timeout_seconds").expect("default"),
        Some(20)
    );
    let document: serde_json::Value = query.json("document").expect("json").expect("set");
    assert_eq!(document["a"], 1);
    assert!(query.is_set("cluster") && !query.is_set("region"));
}

#[test]
fn empty_strings_mean_unset() {
    let query =
        parse(r#"{"cluster":"c","region":"","force":"","max_attempts":"","document":"  "}"#)
            .expect("valid");
    assert_eq!(query.optional_string("region"), None);
    assert!(!query.boolean("force").expect("default"));
    assert_eq!(query.positive_integer("max_attempts").expect("unset"), None);
    assert_eq!(
        query.json::<serde_json::Value>("document").expect("unset"),
        None
    );
}

#[test]
fn typed_access_errors_name_the_key_and_value() {
    let query = parse(
        r#"{"force":"yes","max_attempts":"0","timeout_seconds":"-1","document":"{\n\"a\":"}"#,
    )
    .expect("valid");
    assert_eq!(
        query.boolean("force").expect_err("bad").to_string(),
        "query key `force` must be \"true\" or \"false\", got \"yes\""
    );
    assert_eq!(
        query
            .positive_integer("max_attempts")
            .expect_err("bad")
            .to_string(),
        "query key `max_attempts` must be a positive integer, got \"0\""
    );
    assert!(query.positive_integer("timeout_seconds").is_err());
    let error = query
        .json::<serde_json::Value>("document")
        .expect_err("bad");
    assert_eq!(
        error_chain(&error),
        "query key `document` is not valid JSON: EOF while parsing a value at line 2 column 4"
    );
}

proptest::proptest! {
    /// No input makes the reader panic, and whatever it is, the answer is a query or one error.
    #[test]
    fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
        let (status, stdout, stderr) = run(&[], &bytes);
        proptest::prop_assert!(status == 0 || (stdout.is_empty() && stderr.lines().count() == 1));
    }

    #[test]
    fn never_panics_on_any_arguments(arguments in proptest::collection::vec(".*", 0..4)) {
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        let (status, stdout, stderr) = run(&arguments, b"");
        proptest::prop_assert!(status == 0 || (stdout.is_empty() && stderr.lines().count() == 1));
    }
}

#[test]
fn json_of_the_wrong_shape_is_not_called_invalid() {
    let query = parse(r#"{"document":"[1]"}"#).expect("valid");
    let error = query
        .json::<std::collections::BTreeMap<String, String>>("document")
        .expect_err("a list is not a map");
    assert_eq!(
        error_chain(&error),
        "query key `document` is JSON of the wrong shape: invalid type: sequence, expected a map at line 1 column 0"
    );
}

/// Found by fuzzing the selector in-process: what the programs give up was never freed, and the
/// fuzzer ran out of memory. Outside `main`, `discard` drops.
#[test]
fn discard_drops_what_it_is_given_outside_main() {
    use std::rc::Rc;
    let value = Rc::new(());
    discard(Rc::clone(&value));
    assert_eq!(Rc::strong_count(&value), 1);
}

#[test]
fn the_modules_version_of_the_same_minor_is_accepted() {
    for version in ["1.2.3", "1.2.0", "1.2.9", "1.2.4-rc.1", "1.2.3+build.5"] {
        let stdin = format!(r#"{{"cluster":"prod","module_version":"{version}"}}"#);
        let (status, stdout, stderr) = run(&[], stdin.as_bytes());
        assert_eq!((status, stderr.as_str()), (0, ""), "{version}");
        assert_eq!(stdout, "{\"echo\":\"prod\"}\n");
    }
    // Absent or empty: not checked (a query typed by hand).
    assert_eq!(run(&["cluster=prod"], b"").0, 0);
    assert_eq!(run(&["cluster=prod", "module_version="], b"").0, 0);
}

#[test]
fn a_module_of_another_minor_version_is_refused_in_one_line_naming_both() {
    for version in ["1.3.0", "1.1.7", "2.2.3", "0.2.3"] {
        let stdin = format!(r#"{{"cluster":"prod","module_version":"{version}"}}"#);
        assert_fails(
            &[],
            stdin.as_bytes(),
            &format!(
                "the ecs-drift module is version {version} and this program 1.2.3, another minor \
                 version whose query differs: install the programs of release v{version} (that \
                 release's bundle, bin/), or pin the module's source to ?ref=v1.2.3"
            ),
        );
    }
    // The version is checked before the keys: another release's keys are its consequence.
    assert_fails(
        &[],
        br#"{"cluster":"prod","clusters":"x","module_version":"1.3.0"}"#,
        "the ecs-drift module is version 1.3.0",
    );
}

#[test]
fn a_module_version_that_is_no_version_is_refused() {
    for (value, shown) in [
        ("latest", "\"latest\""),
        ("1.2", "\"1.2\""),
        ("1.2.3.4", "\"1.2.3.4\""),
        ("v1.2.3", "\"v1.2.3\""),
        ("01.2.3", "\"01.2.3\""),
        ("1.2.x", "\"1.2.x\""),
        ("a\nb", "\"a\\nb\""),
    ] {
        let query = serde_json::json!({ "cluster": "prod", "module_version": value }).to_string();
        assert_fails(
            &[],
            query.as_bytes(),
            &format!("query key `module_version` must be a version such as 1.2.3, got {shown}"),
        );
    }
}

#[test]
fn an_unknown_key_hints_at_the_version_when_it_is_absent_or_differs() {
    let hint = "if the query comes from the ecs-drift module, that module is older than this \
                program, whose module sends `module_version`: use the module and the programs \
                of one release";
    assert_fails(
        &[],
        br#"{"cluster":"prod","desired":"x"}"#,
        &format!(
            "unknown query key `desired`; accepted keys: cluster, region, force, strict, timeout_seconds, max_attempts, document; {hint}"
        ),
    );
    assert_fails(
        &[],
        br#"{"cluster":"prod","desired":"x","module_version":"1.2.0"}"#,
        "unknown query key `desired`; accepted keys: cluster, region, force, strict, timeout_seconds, max_attempts, document; the module is 1.2.0 and this program 1.2.3: use the module and the programs of one release",
    );
    // The same version: the key is the caller's mistake, and the hint says only that.
    let (_, _, stderr) = run(
        &[],
        br#"{"cluster":"prod","desired":"x","module_version":"1.2.3"}"#,
    );
    assert_eq!(
        stderr,
        "demo: unknown query key `desired`; accepted keys: cluster, region, force, strict, timeout_seconds, max_attempts, document\n"
    );
    // After a suggestion, the hint is a sentence of its own.
    assert_fails(
        &["cluster=prod", "clustr=prod"],
        b"",
        "unknown query key `clustr`; did you mean `cluster`? If the query comes from the ecs-drift module, that module is older",
    );
    // A misspelt version key is suggested like any other.
    assert_fails(
        &["cluster=prod", "module_versoin=1.2.3"],
        b"",
        "unknown query key `module_versoin`; did you mean `module_version`?",
    );
}

#[test]
fn help_and_schema_declare_the_module_version() {
    let (_, help, _) = run(&["--help"], b"");
    assert!(
        help.contains("module_version  (string; optional)"),
        "{help}"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&run(&["--schema"], b"").1).expect("schema is JSON");
    let query = schema["query"].as_array().expect("query keys");
    assert_eq!(query.len(), PROGRAM.query.len() + 1);
    assert_eq!(query[PROGRAM.query.len()]["name"], "module_version");
    assert_eq!(query[PROGRAM.query.len()]["required"], false);
}

#[test]
fn minor_of_reads_semantic_versions_only() {
    assert_eq!(version::minor_of("0.1.0"), Some((0, 1)));
    assert_eq!(version::minor_of("10.20.30-rc.1+b"), Some((10, 20)));
    for bad in [
        "", "1", "1.2", "1.2.3.4", "-1.2.3", "1.02.3", "1..3", " 1.2.3",
    ] {
        assert_eq!(version::minor_of(bad), None, "{bad:?}");
    }
}

/// The floors of the comment in lib.rs, lowest first, with each module's source.
const FLOORS: &[floors::Floor] = &[
    &[
        ("error", include_str!("error.rs")),
        ("key", include_str!("key.rs")),
    ],
    &[("version", include_str!("version.rs"))],
    &[("spec", include_str!("spec.rs"))],
    &[
        ("output", include_str!("output.rs")),
        ("query", include_str!("query.rs")),
    ],
];

#[test]
fn each_module_uses_only_modules_on_the_floors_below_it() {
    let found = floors::violations(include_str!("lib.rs"), FLOORS);
    assert!(found.is_empty(), "{found:#?}");
}
