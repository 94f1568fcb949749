//! The protocol's query reading on arbitrary bytes: stdin as Terraform sends it, or KEY=VALUE
//! arguments. Any input is a query whose every key is declared, or one error that names why.

#![no_main]

use external_protocol::{Kind, Program, Query, QueryKey, error_chain};
use libfuzzer_sys::fuzz_target;

/// One key of each kind, with and without a default.
static PROGRAM: Program = Program {
    name: "fuzzed",
    version: "0",
    summary: "",
    description: "",
    query: &[
        QueryKey {
            name: "text",
            kind: Kind::String,
            required: true,
            default: None,
            help: "",
        },
        QueryKey {
            name: "flag",
            kind: Kind::Boolean,
            required: false,
            default: Some("false"),
            help: "",
        },
        QueryKey {
            name: "count",
            kind: Kind::PositiveInteger,
            required: false,
            default: None,
            help: "",
        },
        QueryKey {
            name: "document",
            kind: Kind::Json,
            required: false,
            default: Some("{}"),
            help: "",
        },
    ],
    result: &[],
    example: "",
};

fn read(query: Result<Query, external_protocol::Error>) {
    let query = match query {
        Ok(query) => query,
        Err(error) => {
            let message = error_chain(&error);
            assert!(
                !message.is_empty() && !message.contains('\n'),
                "{message:?}"
            );
            return;
        }
    };
    for key in ["text", "flag", "count", "document", "unknown"] {
        let _ = query.is_set(key);
    }
    let _ = query.optional_string("text");
    if let Err(error) = query.string("text") {
        assert!(error.to_string().contains("`text`"));
    }
    if let Err(error) = query.boolean("flag") {
        assert!(error.to_string().contains("`flag`"));
    }
    if let Err(error) = query.positive_integer("count") {
        assert!(error.to_string().contains("`count`"));
    }
    match query.json::<serde_json::Value>("document") {
        Ok(_) => {}
        Err(error) => assert!(error_chain(&error).starts_with("query key `document`")),
    }
    let _ = query.json::<Vec<String>>("document");
}

fuzz_target!(|data: &[u8]| {
    read(Query::parse(&PROGRAM, data));
    // The same bytes as command-line arguments, one per line.
    if let Ok(text) = std::str::from_utf8(data) {
        read(Query::from_arguments(
            &PROGRAM,
            text.lines().map(str::to_string),
        ));
    }
});
