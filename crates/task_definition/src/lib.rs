//! The ECS task definition model.
