//! A stand-in for `registry.terraform.io/hashicorp/external` 2.3.x, for machines that cannot
//! download it: the same `external` data source (`program`, `query`, `working_dir`; `result` and
//! `id = "-"`), served over the plugin protocol version 5 the real one speaks. The test suite
//! installs it in a filesystem mirror (see `tests/harness/terraform.rs`).
//!
//! - [`config`]: the configuration and state as Terraform encodes them.
//! - [`program`]: running the program, as the real provider does.
//! - [`server`]: the gRPC services.
//! - [`serve`]: go-plugin's handshake, with its automatic mutual TLS (`tls.rs`).

pub mod config;
mod handshake;
pub mod program;
pub mod server;
mod tls;

pub use handshake::{Error, serve};

/// The code generated from `proto/`.
#[allow(clippy::all, clippy::pedantic)]
pub mod proto {
    pub mod tfplugin5 {
        tonic::include_proto!("tfplugin5");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}
