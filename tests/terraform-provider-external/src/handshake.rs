//! go-plugin's side of the start-up, which Terraform expects from every provider
//! (hashicorp/go-plugin, docs/internals.md and server.go):
//!
//! - Terraform sets `TF_PLUGIN_MAGIC_COOKIE`; without it the program is not being run as a plugin.
//! - `PLUGIN_PROTOCOL_VERSIONS` lists the plugin protocol versions Terraform speaks; this provider
//!   speaks 5, as hashicorp/external 2.3.x does (its terraform-registry-manifest.json).
//! - With `PLUGIN_CLIENT_CERT` (Terraform's certificate, PEM), the server makes a self-signed
//!   certificate of its own for `localhost`, serves TLS that trusts only Terraform's, and sends its
//!   certificate in the handshake line (automatic mutual TLS).
//! - It listens on a Unix socket, as go-plugin does everywhere but on old Windows
//!   (`serverListener_unix`): a fresh path in `PLUGIN_UNIX_SOCKET_DIR`, or else the temporary
//!   directory, removed when the provider stops. Over TCP a reply could wait ~40 ms for the
//!   delayed ACK of Nagle's algorithm, which Go's connections turn off and tonic's served from a
//!   stream of our own do not: every `data "external"` read would be slower than the real
//!   provider's.
//! - The handshake is one line on stdout: `1|5|unix|PATH|grpc|<certificate, base64>`.
//! - Interrupts are ignored: on Ctrl-C Terraform sends Stop and then Shutdown itself.

use std::io::Write;

use base64::Engine;
use tokio_stream::StreamExt;
use tonic::transport::Server;

use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::tfplugin5::provider_server::ProviderServer;
use crate::server::{Controller, Provider};

const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CORE_PROTOCOL_VERSION: u32 = 1;
const PROTOCOL_VERSION: &str = "5";

/// Why the provider could not start or serve.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "this program is a Terraform provider: Terraform starts it, as \
         registry.terraform.io/hashicorp/external from a filesystem mirror"
    )]
    NotAPlugin,
    #[error("Terraform speaks plugin protocol versions {0}; this provider speaks only 5")]
    Protocol(String),
    #[error("cannot listen on a Unix socket in {0}")]
    Listen(String, #[source] std::io::Error),
    #[error("cannot set up TLS")]
    Tls(#[source] crate::tls::Error),
    #[error("cannot write the handshake line")]
    Handshake(#[source] std::io::Error),
    #[error("the gRPC server failed")]
    Serve(#[source] tonic::transport::Error),
}

/// Serves the provider until Terraform shuts it down.
pub async fn serve() -> Result<(), Error> {
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        return Err(Error::NotAPlugin);
    }
    if let Ok(versions) = std::env::var("PLUGIN_PROTOCOL_VERSIONS")
        && !versions
            .split(',')
            .any(|version| version.trim() == PROTOCOL_VERSION)
    {
        return Err(Error::Protocol(versions));
    }
    tokio::spawn(async { while tokio::signal::ctrl_c().await.is_ok() {} });

    let (socket, listener) = Socket::bind()?;
    let address = socket.0.display().to_string();

    let client_certificate = std::env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
    let shutdown = tokio::sync::watch::Sender::new(false);
    let mut stopped = shutdown.subscribe();
    let router = Server::builder()
        .add_service(ProviderServer::new(Provider::default()))
        .add_service(GrpcControllerServer::new(Controller(shutdown)));
    let stopped = async move {
        let _ = stopped.wait_for(|stopped| *stopped).await;
    };
    let connections = tokio_stream::wrappers::UnixListenerStream::new(listener);

    if client_certificate.is_empty() {
        handshake(&format!(
            "{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|unix|{address}|grpc|"
        ))
        .map_err(Error::Handshake)?;
        return router
            .serve_with_incoming_shutdown(connections, stopped)
            .await
            .map_err(Error::Serve);
    }

    let (config, certificate) =
        crate::tls::server_config(&client_certificate).map_err(Error::Tls)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    // Each connection's TLS handshake runs on its own, so one that stalls holds up no other; a
    // connection that fails it (not Terraform) is dropped.
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<_>>(16);
    tokio::spawn(async move {
        let mut connections = connections;
        while let Some(connection) = connections.next().await {
            let Ok(stream) = connection else { continue };
            let (acceptor, sender) = (acceptor.clone(), sender.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(stream).await {
                    let _ = sender.send(Ok(tls)).await;
                }
            });
        }
    });
    handshake(&format!(
        "{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|unix|{address}|grpc|{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(certificate)
    ))
    .map_err(Error::Handshake)?;
    router
        .serve_with_incoming_shutdown(
            tokio_stream::wrappers::ReceiverStream::new(receiver),
            stopped,
        )
        .await
        .map_err(Error::Serve)
}
/// The socket's path, removed when the provider stops serving (go-plugin's `rmListener`).
struct Socket(std::path::PathBuf);

impl Socket {
    /// Listens on a fresh path, named as go-plugin's `os.CreateTemp(dir, "plugin")` names it.
    fn bind() -> Result<(Self, tokio::net::UnixListener), Error> {
        let directory = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .filter(|directory| !directory.is_empty())
            .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        let mut attempt = 0u32;
        loop {
            let path = directory.join(format!("plugin{}{nanos}{attempt}", std::process::id()));
            match tokio::net::UnixListener::bind(&path) {
                Ok(listener) => return Ok((Self(path), listener)),
                Err(error) if error.kind() == std::io::ErrorKind::AddrInUse && attempt < 100 => {
                    attempt += 1;
                }
                Err(error) => return Err(Error::Listen(directory.display().to_string(), error)),
            }
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// stdout carries the handshake line and nothing else.
#[allow(clippy::print_stdout)]
fn handshake(line: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()
}
