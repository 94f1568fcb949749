//! container_definition
