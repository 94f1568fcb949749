use std::process::ExitCode;

fn main() -> ExitCode {
    external_protocol::main(&container_definition::PROGRAM, container_definition::run)
}
