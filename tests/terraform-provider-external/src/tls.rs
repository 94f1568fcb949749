//! go-plugin's automatic mutual TLS, server side.
//!
//! Terraform makes a self-signed certificate for each plugin it starts and passes it in
//! `PLUGIN_CLIENT_CERT`; the plugin makes one of its own and sends it in the handshake line, and
//! each side then trusts exactly the other's (hashicorp/go-plugin, mtls.go and server.go).
//! Terraform's certificate is a CA certificate presented as a client certificate, which WebPKI
//! path validation refuses (a CA used as an end entity), so the verifier here accepts the one
//! certificate Terraform passed, byte for byte, and checks the handshake's signature with its key.

use std::sync::Arc;

use tokio_rustls::rustls::{
    self, CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme,
    client::danger::HandshakeSignatureValid,
    crypto::WebPkiSupportedAlgorithms,
    pki_types::{CertificateDer, PrivateKeyDer, UnixTime, pem::PemObject},
    server::danger::{ClientCertVerified, ClientCertVerifier},
};

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("PLUGIN_CLIENT_CERT is not a PEM certificate")]
    ClientCertificate(#[source] rustls::pki_types::pem::Error),
    #[error("cannot make the server's certificate")]
    Certificate(#[source] rcgen::Error),
    #[error("cannot configure TLS")]
    Config(#[source] rustls::Error),
}

/// Accepts exactly one client certificate.
#[derive(Debug)]
struct ExactlyThisCertificate {
    certificate: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for ExactlyThisCertificate {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.certificate.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, certificate, signature, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, certificate, signature, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A certificate for `localhost` like the one go-plugin makes: self-signed, a CA, for server and
/// client authentication, on a P-256 key.
fn server_certificate() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), rcgen::Error> {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let certificate = params.self_signed(&key)?;
    let key = PrivateKeyDer::try_from(key.serialize_der())
        .map_err(|_| rcgen::Error::CouldNotParseKeyPair)?;
    Ok((certificate.der().clone(), key))
}

/// The server's TLS configuration for Terraform's certificate (PEM), and the server's own
/// certificate (DER) for the handshake line.
pub fn server_config(
    client_certificate_pem: &str,
) -> Result<(rustls::ServerConfig, CertificateDer<'static>), Error> {
    let certificate = CertificateDer::from_pem_slice(client_certificate_pem.as_bytes())
        .map_err(Error::ClientCertificate)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = ExactlyThisCertificate {
        certificate,
        algorithms: provider.signature_verification_algorithms,
    };
    let (own, key) = server_certificate().map_err(Error::Certificate)?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(Error::Config)?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![own.clone()], key)
        .map_err(Error::Config)?;
    // gRPC runs on HTTP/2, which grpc-go negotiates with ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok((config, own))
}
