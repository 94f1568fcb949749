//! task_definition_selector
