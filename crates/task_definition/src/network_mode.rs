//! A task's Docker network mode, which decides what ECS fills in for port mappings.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, quoted};

/// A task's Docker network mode. Absent means `bridge` (on EC2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NetworkMode {
    #[default]
    Bridge,
    Host,
    Awsvpc,
    None,
}

impl NetworkMode {
    /// Every mode, in the order messages list them.
    pub const ALL: [NetworkMode; 4] = [Self::Bridge, Self::Host, Self::Awsvpc, Self::None];

    /// The name the ECS API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::Awsvpc => "awsvpc",
            Self::None => "none",
        }
    }

    /// Parses `text`, naming `path` in the error.
    pub fn parse(text: &str, path: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_str() == text)
            .ok_or_else(|| {
                Error::invalid(
                    path,
                    format!(
                        "must be one of bridge, host, awsvpc, none, got {}",
                        quoted(text)
                    ),
                )
            })
    }

    /// awsvpc and host tasks use the container port on the host: `hostPort` is absent or equal
    /// to `containerPort`. (ECS API reference `PortMapping.hostPort`)
    pub(crate) fn host_port_is_container_port(self) -> bool {
        matches!(self, Self::Awsvpc | Self::Host)
    }
}

impl FromStr for NetworkMode {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::parse(text, "network_mode")
    }
}

impl fmt::Display for NetworkMode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
