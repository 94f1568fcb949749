//! live_task_lookup
