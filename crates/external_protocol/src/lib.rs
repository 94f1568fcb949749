//! Terraform's `data "external"` protocol, shared by every ecs-drift program.
//!
//! A program reads ONE JSON object whose values are all strings, and writes ONE JSON object of
//! strings, then exits 0. On any error it writes one line to stderr, `<program>: <message>`, with
//! the whole cause chain joined by ": ", writes nothing to stdout, and exits 1.
//! (Terraform's external provider documentation: "The program must then produce a valid JSON
//! object on stdout ... If the program encounters an error ... it must print a human-readable error
//! message (ideally a single line) to stderr and exit with a non-zero status.")
//!
//! A program declares its keys once in a [`Program`]; `--help`, `--schema`, the unknown-key check
//! and the defaults all come from that declaration.

// The modules lie on floors: each uses only modules of the floors below it (tests.rs checks it).
//
// 0. error, key: what can go wrong, and the declaration of one key.
// 1. version: the module's version against the program's.
// 2. spec: a program's whole declaration, its --help and --schema.
// 3. output, query: the result, and reading the query against the declaration.
mod error;
mod key;

mod version;

mod spec;

mod output;
mod query;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

pub use error::Error;
pub use key::{Kind, QueryKey, ResultKey};
pub use output::Output;
pub use query::{MAX_QUERY_BYTES, Query, json_type};
pub use spec::{Program, suggest};
pub use version::{MODULE_VERSION, Skew};

/// Set by [`main`]: this process ends once it has written the result.
static ENDS_WITH_THE_RESULT: AtomicBool = AtomicBool::new(false);

/// Gives up `value`, which the result does not need. Under [`main`] it is left to the end of the
/// process: a parsed task definition is thousands of small allocations, and freeing them one by
/// one takes longer than the work that made them. A program run in-process ([`run_with`], from
/// tests or a fuzzer) goes on after its result, so there `value` is dropped: left, it would grow
/// the process by every run.
pub fn discard<T>(value: T) {
    if ENDS_WITH_THE_RESULT.load(Ordering::Relaxed) {
        std::mem::forget(value);
    }
}

/// The whole life of a program: arguments and stdin in, result or one error line out.
///
/// `run` receives the validated query and returns the result; any error it returns is reported as
/// one line. Returns the exit status.
pub fn main<E>(program: &'static Program, run: impl FnOnce(&Query) -> Result<Output, E>) -> ExitCode
where
    E: std::error::Error,
{
    ENDS_WITH_THE_RESULT.store(true, Ordering::Relaxed);
    let arguments = std::env::args_os().skip(1).collect();
    let stdout = io::stdout();
    let pretty = stdout.is_terminal();
    // A person who runs the program at a prompt with no arguments gets the "empty query" hint at
    // once instead of a program silently waiting for stdin.
    let stdin = io::stdin();
    let stdin: Box<dyn Read> = if stdin.is_terminal() {
        Box::new(io::empty())
    } else {
        Box::new(stdin.lock())
    };
    let status = run_with(
        program,
        arguments,
        stdin,
        &mut stdout.lock(),
        &mut io::stderr().lock(),
        pretty,
        run,
    );
    ExitCode::from(status)
}

/// [`main`] with its inputs and outputs passed in, for tests.
pub fn run_with<E>(
    program: &'static Program,
    arguments: Vec<OsString>,
    stdin: impl Read,
    stdout: &mut impl Write,
    stderr: &mut impl Write,
    pretty: bool,
    run: impl FnOnce(&Query) -> Result<Output, E>,
) -> u8
where
    E: std::error::Error,
{
    let arguments = match arguments
        .into_iter()
        .map(|argument| argument.into_string())
        .collect::<Result<Vec<String>, OsString>>()
    {
        Ok(arguments) => arguments,
        Err(argument) => {
            let message = format!("argument {argument:?} is not UTF-8");
            return report(program, stderr, &message);
        }
    };
    let text = match arguments.first().map(String::as_str) {
        Some("--help" | "-h" | "help") => Some(program.help_text()),
        Some("--version" | "-V") => Some(format!("{} {}\n", program.name, program.version)),
        Some("--schema") => Some(program.schema_json() + "\n"),
        _ => None,
    };
    if let Some(text) = text {
        return match stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => 0,
            Err(error) => report_error(program, stderr, &error),
        };
    }
    let query = if arguments.is_empty() {
        Query::read(program, stdin)
    } else {
        Query::from_arguments(program, arguments)
    };
    let result = match query {
        Ok(query) => run(&query).map_err(|error| error_chain(&error)),
        Err(error) => Err(error_chain(&error)),
    };
    let output = match result {
        Ok(output) => output,
        Err(message) => return report(program, stderr, &message),
    };
    if let Err(missing) = output.check_complete(program) {
        return report(
            program,
            stderr,
            &format!("internal error: result key `{missing}` is missing or undeclared"),
        );
    }
    let text = output.to_json(pretty);
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => 0,
        Err(error) => report_error(program, stderr, &error),
    }
}

/// An error and its causes on one line, joined by ": ".
///
/// A cause whose text is already part of the message so far is skipped: some errors repeat their
/// source in their own text, and the line should say each thing once.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

fn report_error(program: &Program, stderr: &mut impl Write, error: &dyn std::error::Error) -> u8 {
    report(program, stderr, &error_chain(error))
}

/// Writes `<program>: <message>` as one line on stderr. A closed stderr is ignored: the exit status
/// still tells.
fn report(program: &Program, stderr: &mut impl Write, message: &str) -> u8 {
    let one_line = message.trim().replace(['\n', '\r'], " ");
    let _ = writeln!(stderr, "{}: {one_line}", program.name);
    let _ = stderr.flush();
    1
}

#[cfg(test)]
mod tests;
