#!/usr/bin/env python3
"""An HTTP proxy on 127.0.0.1 in front of moto that records every AWS call (who made it, which
service and action, when it started and ended) and can throttle a share of the ECS calls.

Used by bench/plan, in its own process:

    aws_proxy.py UPSTREAM_URL LOG_FILE [--throttle SHARE] [--seed SEED] [--bodies]

It prints the port it listens on, one line, then serves until killed; every request becomes one
JSON line in LOG_FILE: {"start", "end", "caller", "service", "action", "status"}.

- caller: `programs` for the AWS SDK for Rust (the lookup: its User-Agent carries
  `aws-sdk-rust`), `provider` for the AWS provider (`terraform-provider-aws`, on the AWS SDK for
  Go v2), `other` otherwise.
- service: the credential scope of the SigV4 Authorization header
  (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`).
- action: the X-Amz-Target of a JSON-protocol service such as ECS
  (`AmazonEC2ContainerServiceV20141113.DescribeServices`), or the `Action` of a query-protocol
  one (STS, EC2, IAM), from the form body or the query string.
- request, response (with --bodies): the JSON bodies of a JSON-protocol call (ECS, CodeDeploy),
  or the form of a query-protocol one as {name: value}; null when there is none. The IAM tests
  (tests/it/iam_policies.rs) read from them the resources and condition-key values each call names.
- throttling: a share of the ECS calls gets ECS's throttling error instead of moto's answer,
  HTTP 400 with `{"__type":"ThrottlingException","message":"Rate exceeded"}` in the JSON
  protocol ("ThrottlingException ... The request was denied due to request throttling",
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html); both SDKs
  treat that code as a throttling error and retry it.
"""

import argparse
import http.client
import http.server
import json
import random
import re
import sys
import threading
import time
import urllib.parse

THROTTLED_BODY = b'{"__type":"ThrottlingException","message":"Rate exceeded"}'
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")


def caller_of(user_agent):
    if "aws-sdk-rust" in user_agent:
        return "programs"
    if "terraform-provider-aws" in user_agent or "aws-sdk-go" in user_agent:
        return "provider"
    return "other"


def body_of(content):
    """A request's or response's body as JSON: a JSON document as it is, a form as {name: value}."""
    text = content.decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {name: values[0] for name, values in urllib.parse.parse_qs(text).items()} or None


def action_of(headers, path, body):
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    for text in (urllib.parse.urlsplit(path).query, body.decode("utf-8", "replace")):
        action = urllib.parse.parse_qs(text).get("Action")
        if action:
            return action[0]
    return ""


class Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream, log, throttle, seed, bodies=False):
        super().__init__(("127.0.0.1", 0), Handler)
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream = (parsed.hostname, parsed.port)
        self.log = log
        self.throttle = throttle
        self.random = random.Random(seed)
        self.bodies = bodies
        self.lock = threading.Lock()

    def handle_error(self, request, client_address):
        # A caller that gives up on a call (its attempt timed out, or Terraform stopped) drops the
        # connection: that is the caller's doing, not an error of the proxy.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def record(self, entry):
        line = json.dumps(entry) + "\n"
        with self.lock:
            self.log.write(line)
            self.log.flush()

    def throttles(self, service):
        if service != "ecs" or self.throttle <= 0:
            return False
        with self.lock:
            return self.random.random() < self.throttle


class Handler(http.server.BaseHTTPRequestHandler):
    # Keep-alive, as both SDKs expect.
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_POST(self):
        self.forward()

    def do_GET(self):
        self.forward()

    def forward(self):
        start = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        scope = CREDENTIAL_SCOPE.search(self.headers.get("Authorization", ""))
        service = scope.group(1) if scope else ""
        entry = {
            "start": start,
            "caller": caller_of(self.headers.get("User-Agent", "")),
            "service": service,
            "action": action_of(self.headers, self.path, body),
        }
        if self.server.throttles(service):
            status, headers, answer = 400, [("Content-Type", "application/x-amz-json-1.1")], THROTTLED_BODY
            entry["throttled"] = True
        else:
            # One connection per call: moto's server is not asked to keep any open.
            upstream = http.client.HTTPConnection(*self.server.upstream, timeout=60)
            forwarded = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
            forwarded["Connection"] = "close"
            upstream.request(self.command, self.path, body=body, headers=forwarded)
            response = upstream.getresponse()
            status, answer = response.status, response.read()
            skipped = ("connection", "keep-alive", "transfer-encoding", "content-length")
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in skipped]
            upstream.close()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        entry.update(end=time.time(), status=status)
        if self.server.bodies:
            entry.update(request=body_of(body), response=body_of(answer))
        self.server.record(entry)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream")
    parser.add_argument("log")
    parser.add_argument("--throttle", type=float, default=0.0, help="share of ECS calls throttled, 0 to 1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bodies", action="store_true", help="record each call's request and response bodies")
    arguments = parser.parse_args()
    with open(arguments.log, "a") as log:
        proxy = Proxy(arguments.upstream, log, arguments.throttle, arguments.seed, arguments.bodies)
        print(proxy.server_address[1], flush=True)
        proxy.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
