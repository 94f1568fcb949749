//! What `container_definition` fails with: each message names the key or the container.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Query(#[from] external_protocol::Error),
    #[error("query key `network_mode`: {0}")]
    NetworkMode(String),
    #[error(transparent)]
    Invalid(#[from] task_definition::Error),
    #[error(
        "live_image_containers names `{}`, which is not a container of container_definitions; {hint}",
        name.escape_debug()
    )]
    UnknownFollower { name: String, hint: String },
    #[error("live_images[{name:?}] must be a non-empty image, got {value}")]
    BadLiveImage { name: String, value: String },
    #[error("{0}")]
    LiveValues(String),
}
