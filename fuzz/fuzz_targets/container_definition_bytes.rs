//! `container_definition` on arbitrary bytes on stdin: the process contract holds.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ecs_drift_fuzz::run_program(
        &container_definition::PROGRAM,
        data,
        container_definition::run,
    );
});
