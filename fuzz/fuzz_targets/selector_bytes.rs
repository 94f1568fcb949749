//! `task_definition_selector` on arbitrary bytes on stdin: the process contract holds.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ecs_drift_fuzz::run_program(
        &task_definition_selector::PROGRAM,
        data,
        task_definition_selector::run,
    );
});
