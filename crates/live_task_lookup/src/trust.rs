//! Which certificate authorities the lookup trusts, and the HTTP client that trusts them.
//!
//! - The platform's roots, as `rustls-native-certs` loads them: on Linux the system bundle
//!   (`/etc/ssl/certs` and the like), on macOS the keychains' trust settings (System, admin and
//!   user domains, so a CA that device management installs is trusted), and on every platform the
//!   file `SSL_CERT_FILE` (and the directories `SSL_CERT_DIR`) name instead, when set.
//! - Plus a CA bundle, as the AWS CLI and the AWS provider take it: the PEM file `AWS_CA_BUNDLE`
//!   names, else the one the profile's `ca_bundle` names (AWS SDKs and Tools reference guide,
//!   "ca_bundle"; the environment variable wins over the profile, as there). The AWS provider
//!   (aws-sdk-go-v2 `config`, resolveCustomCABundle: a new pool holding the bundle) and the AWS CLI
//!   trust the bundle instead of the system's roots; the lookup adds it to them, so a bundle that
//!   works for them works for the lookup, and one holding only a proxy's CA does not cut the
//!   lookup off from endpoints the proxy lets through uninspected.
//!
//! Proxies are the SDK's default: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either
//! case), read by `aws-smithy-http-client`'s `ProxyConfig::from_env`, which the SDK's own client
//! uses from behaviour version 2025-08-07 on. A client built here keeps that.

use std::borrow::Cow;

use aws_sdk_ecs::config::SharedHttpClient;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls;
use aws_types::os_shim_internal::{Env, Fs};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::Error;

/// The environment variable that names a CA bundle, as for the AWS CLI and SDKs.
pub const CA_BUNDLE_VARIABLE: &str = "AWS_CA_BUNDLE";

/// A PEM file of certificate authorities to trust besides the platform's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    /// Where its name came from, for messages (never the path: it is a variable's value).
    pub source: String,
    /// The file's bytes: PEM, with at least one certificate, every one of them parsable.
    pem: Vec<u8>,
}

/// The CA bundle `AWS_CA_BUNDLE` or the profile's `ca_bundle` names, read and checked; `None`
/// when neither is set.
pub async fn ca_bundle(profile: Option<&str>) -> Result<Option<CaBundle>, Error> {
    let from_environment = std::env::var_os(CA_BUNDLE_VARIABLE).filter(|value| !value.is_empty());
    let (source, path) = match from_environment {
        Some(path) => (CA_BUNDLE_VARIABLE.to_string(), path.into()),
        None => {
            let selected = profile.map(|profile| Cow::Owned(profile.to_string()));
            // A profile file that cannot be loaded is the SDK's to report, with its own message.
            let Ok(profiles) = aws_config::profile::load(
                &Fs::real(),
                &Env::real(),
                // The default files: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or ~/.aws.
                &Default::default(),
                selected,
            )
            .await
            else {
                return Ok(None);
            };
            let Some(path) = profiles.get("ca_bundle").filter(|path| !path.is_empty()) else {
                return Ok(None);
            };
            (
                format!("`ca_bundle` of profile `{}`", profiles.selected_profile()),
                std::path::PathBuf::from(path),
            )
        }
    };
    let pem = std::fs::read(&path).map_err(|error| Error::CaBundle {
        origin: source.clone(),
        problem: format!("cannot be read ({})", error.kind()),
    })?;
    check_pem(&pem).map_err(|problem| Error::CaBundle {
        origin: source.clone(),
        problem,
    })?;
    Ok(Some(CaBundle { source, pem }))
}

/// Whether `pem` holds at least one certificate and every certificate in it is one rustls can
/// trust. (The SDK's TLS layer would panic on one it cannot parse.)
pub(crate) fn check_pem(pem: &[u8]) -> Result<(), String> {
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|_| "is not a PEM file of certificates".to_string())?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_string());
    }
    let mut roots = rustls::RootCertStore::empty();
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|_| "holds a certificate that cannot be parsed".to_string())?;
    }
    Ok(())
}

/// The roots a client trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// None: every endpoint is plain HTTP. Loading the system's roots reads and parses every
    /// certificate under /etc/ssl/certs, which costs more than the lookup itself against a local
    /// endpoint.
    None,
    /// The platform's, plus a CA bundle.
    PlatformAnd(CaBundle),
}

/// The SDK's own HTTP client (hyper 1, rustls with aws-lc, proxies from the environment), trusting
/// `roots`.
pub fn http_client(roots: &Roots) -> SharedHttpClient {
    let trust_store = match roots {
        Roots::None => tls::TrustStore::empty(),
        Roots::PlatformAnd(bundle) => {
            tls::TrustStore::default().with_pem_certificate(bundle.pem.clone())
        }
    };
    let context = tls::TlsContext::builder()
        .with_trust_store(trust_store)
        .build()
        .unwrap_or_default();
    // As aws-smithy-runtime's default_https_client, with the context above.
    aws_smithy_http_client::Builder::new().build_with_connector_fn(
        move |settings, runtime_components| {
            let mut builder = aws_smithy_http_client::ConnectorBuilder::default()
                .tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::AwsLc,
                ))
                .tls_context(context.clone());
            builder.set_connector_settings(settings.cloned());
            if let Some(components) = runtime_components {
                builder.set_sleep_impl(components.sleep_impl());
            }
            builder.set_proxy_config(Some(ProxyConfig::from_env()));
            builder.build()
        },
    )
}

/// Whether `error` (or one of its causes) is a TLS certificate the client does not trust.
pub(crate) fn is_untrusted_certificate(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        let rustls_error = error.downcast_ref::<rustls::Error>().or_else(|| {
            error
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if matches!(rustls_error, Some(rustls::Error::InvalidCertificate(_))) {
            return true;
        }
        cause = error.source();
    }
    false
}
