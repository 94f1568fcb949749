use std::process::ExitCode;

/// A whole task definition is thousands of small JSON objects; why mimalloc, and which, is said
/// where the workspace's Cargo.toml chooses it. Declared by the program, not its library, so that
/// a program linking both libraries (a fuzz target of the module's chain) has one allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    external_protocol::main(
        &task_definition_selector::PROGRAM,
        task_definition_selector::run,
    )
}
