#!/usr/bin/env python3
"""A TLS-inspecting HTTP proxy on 127.0.0.1, as companies run them, in front of one local server:

    tls_proxy.py DIR UPSTREAM_PORT

- It makes a certificate authority of its own (DIR/ca.pem) and, signed by it, a certificate for
  every host name (DIR/leaf.pem, DIR/leaf.key): what a TLS-inspecting proxy presents, and what a
  client trusts only when given the CA (AWS_CA_BUNDLE).
- `CONNECT host:port` (an https:// URL through HTTPS_PROXY) is answered 200, the TLS inside is
  terminated with that certificate, and the plain bytes go to 127.0.0.1:UPSTREAM_PORT (moto),
  whatever host was asked: nothing leaves the machine.
- Any other request (an http:// URL through HTTP_PROXY) is answered 502.
- Each request is written to DIR/requests.log as one line, `CONNECT host:port` or `METHOD URL`,
  so a test can tell what went through the proxy and what did not.

It prints its port on one line once it listens, and runs until killed.
"""

import datetime
import os
import socket
import ssl
import sys
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificates(directory):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecs-drift test inspecting proxy CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "inspected")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        # The hosts the tests ask for through the proxy.
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("ecs.proxied.invalid"), x509.DNSName("sts.proxied.invalid")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, "ca.pem"), "wb") as out:
        out.write(ca.public_bytes(pem))
    with open(os.path.join(directory, "leaf.pem"), "wb") as out:
        out.write(leaf.public_bytes(pem))
    with open(os.path.join(directory, "leaf.key"), "wb") as out:
        out.write(
            leaf_key.private_bytes(
                pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


def pipe(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, destination):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def read_head(connection):
    head = b""
    while b"\r\n\r\n" not in head:
        data = connection.recv(4096)
        if not data:
            return None
        head += data
    return head.split(b"\r\n", 1)[0].decode("latin-1")


def handle(connection, tls, upstream_port, log, lock):
    try:
        request_line = read_head(connection)
        if request_line is None:
            return
        method, target = request_line.split(" ")[:2]
        with lock, open(log, "a") as out:
            out.write(f"{method} {target}\n")
        if method != "CONNECT":
            connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        connection.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        try:
            inner = tls.wrap_socket(connection, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client did not trust the certificate
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        back = threading.Thread(target=pipe, args=(upstream, inner), daemon=True)
        back.start()
        pipe(inner, upstream)
        back.join()
    except (OSError, ValueError):
        pass
    finally:
        connection.close()


def main():
    directory, upstream_port = sys.argv[1], int(sys.argv[2])
    make_certificates(directory)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.path.join(directory, "leaf.pem"), os.path.join(directory, "leaf.key"))
    log = os.path.join(directory, "requests.log")
    open(log, "w").close()
    lock = threading.Lock()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(server.getsockname()[1], flush=True)
    while True:
        connection, _ = server.accept()
        threading.Thread(
            target=handle, args=(connection, tls, upstream_port, log, lock), daemon=True
        ).start()


if __name__ == "__main__":
    main()
