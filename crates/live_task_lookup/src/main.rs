//! `live_task_lookup`: see `--help`, and the library for how it decides.

fn main() -> std::process::ExitCode {
    external_protocol::main(&live_task_lookup::PROGRAM, live_task_lookup::run)
}
