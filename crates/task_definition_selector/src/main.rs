use std::process::ExitCode;

fn main() -> ExitCode {
    external_protocol::main(
        &task_definition_selector::PROGRAM,
        task_definition_selector::run,
    )
}
