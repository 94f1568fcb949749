#!/usr/bin/env python3
"""What the module costs a `terraform plan`: N Fargate services through the module next to the
same N services as plain `aws_ecs_task_definition` + `aws_ecs_service` resources, all applied on
one moto, then planned side by side. Run by bench/plan, which builds what it needs first.

The module runs twice: as a root module with many services uses it, the AWS provider's account,
partition and region read once in the root and given as `aws` (`module`), and with `aws` unset,
each instance reading them itself (`module-unset`).

For each N: the root modules are applied with N services, checked clean (`plan
-detailed-exitcode` exits 0), then planned RUNS times each, alternating, at Terraform's default
parallelism; the medians, ranges and ratios to the plain plan are reported. One more plan of
each goes through bench/aws_proxy.py and counts the AWS calls by caller (the programs, the
provider). The instrumented plans (N = the largest) run with TF_LOG=trace, the programs behind timing wrappers
and every call through the proxy, and say where the module's extra time goes; they are not timed
runs. Last, the module's plan (`module`) at the largest N with a share of its ECS calls throttled.

Everything stays on 127.0.0.1: dummy credentials, loopback endpoints, instance metadata off,
none of the caller's AWS_* or TF_* variables.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import moto_seed  # noqa: E402  (the tests' seeding: the VPC, subnet and security group)

VENV = ROOT / ".venv" / "bin"
RELEASE = ROOT / "target" / "release"
REGION = "eu-west-1"
# The version the stand-in is installed as, as the test harness does (tests/harness/terraform.rs).
STAND_IN_VERSION = "2.3.5"
PROGRAMS = ("live_task_lookup", "container_definition", "task_definition_selector")
# The AWS provider's mirror, looked for where the test harness looks (tests/harness/terraform.rs).
MIRRORS = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)

COMMON = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.51.1"
    }%(external)s
  }
}

variable "services" {
  type = number
}

variable "endpoint" {
  type = string
}

variable "subnet" {
  type = string
}

variable "security_group" {
  type = string
}

provider "aws" {
  region                  = "%(region)s"
  access_key              = "testing"
  secret_key              = "testing"
  skip_metadata_api_check = true

  endpoints {
    ecs = var.endpoint
    sts = var.endpoint
    ec2 = var.endpoint
    iam = var.endpoint
  }
}

locals {
  services = toset([for index in range(var.services) : format("%%02d", index)])
}
"""

EXTERNAL = """
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }"""

# The same service both ways: one container, awsvpc on Fargate, the module's defaults written out.
PLAIN = """
# The two resources terraform-aws-modules' service module creates for a service, with what the
# module sets: track_latest and skip_destroy, the circuit breaker on.
resource "aws_ecs_task_definition" "this" {
  for_each = local.services

  family                   = "plain-${each.key}"
  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = [{ name = "LOG_LEVEL", value = "info" }]
    },
  ])
  track_latest = true
  skip_destroy = true
}

resource "aws_ecs_service" "this" {
  for_each = local.services

  name            = "plain-${each.key}"
  cluster         = "bench-plain"
  task_definition = aws_ecs_task_definition.this[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = [var.subnet]
    security_groups  = [var.security_group]
    assign_public_ip = true
  }
}
"""

MODULE = """
variable "bin_dir" {
  type = string
}
%(root)s
module "service" {
  source   = "%(source)s"
  for_each = local.services

  name    = "%(variant)s-${each.key}"
  cluster = "bench-%(variant)s"
  bin_dir = var.bin_dir
%(aws)s
  cpu    = "256"
  memory = "512"

  container_definitions = [
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = { LOG_LEVEL = "info" }
    },
  ]

  network_configuration = {
    subnets          = [var.subnet]
    security_groups  = [var.security_group]
    assign_public_ip = true
  }
}
"""

# The composed form: the module with create_service = false gives the task definition, and an
# aws_ecs_service of the root's own, the plain one above, runs it. What a team that keeps its
# service module pays.
COMPOSED = """
variable "bin_dir" {
  type = string
}
%(root)s
module "task_definition" {
  source   = "%(source)s"
  for_each = local.services
%(create_service)s
  name    = "%(variant)s-${each.key}"
  cluster = "bench-%(variant)s"
  bin_dir = var.bin_dir
%(aws)s
  cpu    = "256"
  memory = "512"

  container_definitions = [
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = { LOG_LEVEL = "info" }
    },
  ]
}

resource "aws_ecs_service" "this" {
  for_each = local.services

  name            = "%(variant)s-${each.key}"
  cluster         = "bench-%(variant)s"
  task_definition = module.task_definition[each.key].task_definition_arn
  desired_count   = 1
  launch_type     = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = [var.subnet]
    security_groups  = [var.security_group]
    assign_public_ip = true
  }
}
"""

# What a root module with many services does (terraform-module/README.md): the provider's account,
# partition and region read once, and given to every instance.
ROOT_PROVIDER_VIEW = """
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}
"""

AWS_ARGUMENT = """
  aws = {
    account_id = data.aws_caller_identity.current.account_id
    partition  = data.aws_partition.current.partition
    region     = data.aws_region.current.id
  }
"""

# The variants, each in its own directory and cluster: the plain resources; the module as a root
# with many services uses it (`aws` given); the module with `aws` unset (each instance reads the
# provider's account, partition and region itself); the composed form (`composed`, `aws` given).
# With --before REV, also `before`: the module as commit REV wrote it, `aws` given, and
# `composed-before`: REV's composed form (its modules/task_definition where REV has one, else its
# root module with create_service = false), planned in the same runs as the others. --variants
# picks some of them (plain is always planned: every ratio is to it). Only when --variants names it:
# `module-one-output`, the module with its outputs folded into one object output: the least any
# grouping of the outputs could cost a plan (BENCHMARKS.md, "What folding the outputs would buy").
ALL_VARIANTS = ("plain", "module", "module-unset", "composed")
VARIANTS = ALL_VARIANTS
OPTIONAL_VARIANTS = ("module-one-output",)
BEFORE = None


def fail(message):
    sys.exit(f"bench/plan: {message}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, what):
    for _ in range(600):
        if process.poll() is not None:
            fail(f"{what} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    fail(f"{what} did not answer at {url}")


def sealed_environment():
    """The caller's environment without AWS_* and TF_*, with dummy credentials and no metadata."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    environment.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE="/nonexistent/ecs-drift-bench/config",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent/ecs-drift-bench/credentials",
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    return environment


def aws_mirror():
    candidates = [os.environ["ECS_DRIFT_TF_PROVIDER_MIRROR"]] if os.environ.get("ECS_DRIFT_TF_PROVIDER_MIRROR") else MIRRORS
    for candidate in candidates:
        path = pathlib.Path(candidate).expanduser()
        if any((path / "registry.terraform.io/hashicorp/aws").glob("*")):
            return path
    fail("no filesystem mirror holds the AWS provider (ECS_DRIFT_TF_PROVIDER_MIRROR=DIR, or /opt/tf-plugins)")


def cli_config(out):
    """hashicorp/external is the stand-in, from a filesystem mirror of its own, as the tests
    install it (tests/harness/terraform.rs, Toolchain::set_up); the AWS provider from its mirror."""
    platform = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)
    mirror = out / "terraform-mirror"
    target = mirror / "registry.terraform.io/hashicorp/external" / STAND_IN_VERSION / f"linux_{platform}"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RELEASE / "terraform-provider-external", target / f"terraform-provider-external_v{STAND_IN_VERSION}")
    config = out / "cli.tfrc"
    config.write_text(
        "provider_installation {\n"
        f"  filesystem_mirror {{\n    path    = {json.dumps(str(aws_mirror()))}\n"
        '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
        f"  filesystem_mirror {{\n    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/external"]\n  }\n'
        "}\n"
    )
    return config


def write_configuration(directory, variant):
    directory.mkdir(parents=True, exist_ok=True)
    text = COMMON % {"external": "" if variant == "plain" else EXTERNAL, "region": REGION}
    if variant == "plain":
        text += PLAIN
    elif variant in ("composed", "composed-before"):
        module = ROOT / "terraform-module"
        create_service = "\n  create_service = false\n"
        if variant == "composed-before":
            module = BEFORE
            if (BEFORE / "modules/task_definition").is_dir():
                module, create_service = BEFORE / "modules/task_definition", ""
        text += COMPOSED % {
            "source": os.path.relpath(module, directory),
            "variant": variant,
            "root": ROOT_PROVIDER_VIEW,
            "aws": AWS_ARGUMENT,
            "create_service": create_service,
        }
    else:
        given = variant in ("module", "before", "module-one-output")
        if variant == "before":
            module = BEFORE
        elif variant == "module-one-output":
            module = one_output_module(directory.parent / "one-output-module")
        else:
            module = ROOT / "terraform-module"
        text += MODULE % {
            "source": os.path.relpath(module, directory),
            "variant": variant,
            "root": ROOT_PROVIDER_VIEW if given else "",
            "aws": AWS_ARGUMENT if given else "",
        }
    (directory / "main.tf").write_text(text)


def one_output_module(directory):
    """A copy of terraform-module/ in DIRECTORY whose outputs are one object output, `all`, with each
    output's value as an attribute of the same name; returns its path."""
    module = directory / "terraform-module"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(ROOT / "terraform-module", module, ignore=shutil.ignore_patterns(".terraform*"))
    text = (module / "outputs.tf").read_text()
    values = re.findall(r'^output "(\w+)" \{\n.*?^  value\s*=\s*(.+?)\n\}', text, re.M | re.S)
    declared = len(re.findall(r'^output "', text, re.M))
    if len(values) != declared:
        fail(f"terraform-module/outputs.tf: read the value of {len(values)} of its {declared} outputs")
    body = "".join(f"    {name} = {value}\n" for name, value in values)
    (module / "outputs.tf").write_text(f'output "all" {{\n  value = {{\n{body}  }}\n}}\n')
    return module


def export_module(revision, directory):
    """terraform-module/ as git revision REVISION wrote it, in DIRECTORY; returns its path."""
    directory.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision, "terraform-module"],
                             capture_output=True)
    if archive.returncode != 0:
        fail(f"git archive {revision} terraform-module: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive.stdout, check=True)
    return directory / "terraform-module"


def wrappers(directory, log):
    """Each program behind a bash wrapper that appends `NAME START END STATUS` to log."""
    directory.mkdir(parents=True, exist_ok=True)
    for program in PROGRAMS:
        wrapper = directory / program
        wrapper.write_text(
            "#!/usr/bin/env bash\n"
            "start=$EPOCHREALTIME\n"
            f'"{RELEASE / program}" "$@"\n'
            "status=$?\n"
            f'echo "{program} $start $EPOCHREALTIME $status" >> "{log}"\n'
            "exit $status\n"
        )
        wrapper.chmod(0o755)


class Bench:
    def __init__(self, arguments):
        self.arguments = arguments
        self.out = pathlib.Path(arguments.out).resolve()
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir(parents=True)
        # The whole bench runs sealed: the seeding's boto3 as much as Terraform and the programs.
        sealed = sealed_environment()
        os.environ.clear()
        os.environ.update(sealed)
        self.environment = dict(sealed, TF_CLI_CONFIG_FILE=str(cli_config(self.out)))
        self.processes = []

    # -- the servers -------------------------------------------------------------------------

    def start_moto(self):
        port = free_port()
        log = open(self.out / "moto.log", "w")
        moto = subprocess.Popen(
            [str(VENV / "python"), str(ROOT / "tests/moto_server.py"), "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.environment,
        )
        self.processes.append(moto)
        self.moto = f"http://127.0.0.1:{port}"
        wait_for(f"{self.moto}/moto-api/", moto, "moto")

    def start_proxy(self, name, throttle=0.0):
        """A proxy in front of moto; returns its endpoint, its log and the process."""
        log = self.out / f"calls-{name}.jsonl"
        proxy = subprocess.Popen(
            [str(VENV / "python"), str(ROOT / "bench/aws_proxy.py"), self.moto, str(log), "--throttle", str(throttle)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=self.environment, text=True,
        )
        self.processes.append(proxy)
        port = int(proxy.stdout.readline())
        return f"http://127.0.0.1:{port}", log, proxy

    def stop(self, process):
        process.terminate()
        process.wait()
        self.processes.remove(process)

    def seed(self):
        ecs, ec2 = moto_seed.clients(self.moto, REGION)
        for variant in VARIANTS:
            ecs.create_cluster(clusterName=f"bench-{variant}")
        self.subnet, self.security_group = moto_seed.network(ec2)

    # -- Terraform ---------------------------------------------------------------------------

    def terraform(self, variant, arguments, services, endpoint=None, bin_dir=None, extra_environment=None):
        """`terraform ARGUMENTS` in the variant's directory; returns (exit code, seconds, output)."""
        endpoint = endpoint or self.moto
        environment = dict(self.environment, AWS_ENDPOINT_URL=endpoint, **(extra_environment or {}))
        variables = [
            f"-var=services={services}",
            f"-var=endpoint={endpoint}",
            f"-var=subnet={self.subnet}",
            f"-var=security_group={self.security_group}",
        ]
        if variant != "plain":
            variables.append(f"-var=bin_dir={bin_dir or RELEASE}")
        command = ["terraform", *arguments, "-input=false", "-no-color", *variables]
        start = time.perf_counter()
        run = subprocess.run(command, cwd=self.out / variant, env=environment, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        return run.returncode, seconds, run.stdout + run.stderr

    def plan(self, variant, services, **options):
        return self.terraform(variant, ["plan", "-detailed-exitcode", "-lock=false"], services, **options)

    def set_up(self):
        self.start_moto()
        self.seed()
        for variant in VARIANTS:
            write_configuration(self.out / variant, variant)
            run = subprocess.run(
                ["terraform", "init", "-input=false", "-no-color"], cwd=self.out / variant,
                env=self.environment, capture_output=True, text=True,
            )
            if run.returncode != 0:
                fail(f"terraform init of {variant} failed:\n{run.stdout}{run.stderr}")

    def apply(self, services):
        for variant in VARIANTS:
            code, seconds, output = self.terraform(variant, ["apply", "-auto-approve"], services)
            if code != 0:
                fail(f"apply of {variant} with {services} services failed:\n{output}")
            code, _, output = self.plan(variant, services)
            if code != 0:
                fail(f"the plan of {variant} after its apply is not clean (exit {code}):\n{output}")
            print(f"  applied {variant} with {services} services ({seconds:.1f} s); its plan is clean", flush=True)

    # -- measurements ------------------------------------------------------------------------

    def timed(self, services, runs):
        """RUNS plans of each variant, alternating; returns variant -> [seconds]."""
        times = {variant: [] for variant in VARIANTS}
        loads = []
        for run in range(runs):
            # Alternate which goes first, so neither always follows the other.
            order = VARIANTS if run % 2 == 0 else tuple(reversed(VARIANTS))
            for variant in order:
                loads.append(os.getloadavg()[0])
                code, seconds, output = self.plan(variant, services)
                if code != 0:
                    fail(f"a timed plan of {variant} exited {code}:\n{output}")
                times[variant].append(seconds)
        return times, loads

    def counted(self, services):
        """One plan of each variant through the counting proxy; returns variant -> calls."""
        endpoint, log, proxy = self.start_proxy(f"count-{services}")
        calls = {}
        for variant in VARIANTS:
            offset = log.stat().st_size if log.exists() else 0
            code, _, output = self.plan(variant, services, endpoint=endpoint)
            if code != 0:
                fail(f"the counted plan of {variant} exited {code}:\n{output}")
            time.sleep(0.2)
            with open(log) as lines:
                lines.seek(offset)
                calls[variant] = [json.loads(line) for line in lines]
        self.stop(proxy)
        return calls

    def instrumented(self, services):
        """One plan of each variant with TF_LOG=trace, timing wrappers and the proxy."""
        endpoint, log, proxy = self.start_proxy(f"instrumented-{services}")
        results = {}
        for variant in VARIANTS:
            trace = self.out / f"trace-{variant}-{services}.log"
            programs = self.out / f"programs-{variant}-{services}.log"
            wrappers(self.out / "wrappers", programs)
            offset = log.stat().st_size if log.exists() else 0
            started = time.time()
            code, seconds, output = self.plan(
                variant, services, endpoint=endpoint, bin_dir=self.out / "wrappers",
                extra_environment={"TF_LOG": "trace", "TF_LOG_PATH": str(trace)},
            )
            if code != 0:
                fail(f"the instrumented plan of {variant} exited {code}:\n{output}")
            time.sleep(0.2)
            with open(log) as lines:
                lines.seek(offset)
                calls = [json.loads(line) for line in lines]
            ran = []
            if programs.exists():
                for line in programs.read_text().splitlines():
                    name, start, end, status = line.split()
                    ran.append({"program": name, "start": float(start), "end": float(end), "status": int(status)})
            results[variant] = analyse(started, seconds, calls, ran, trace)
        self.stop(proxy)
        return results

    def throttled(self, services, shares):
        results = []
        for share in shares:
            endpoint, log, proxy = self.start_proxy(f"throttled-{share}", throttle=share)
            code, seconds, output = self.plan("module", services, endpoint=endpoint)
            time.sleep(0.2)
            calls = [json.loads(line) for line in open(log)]
            self.stop(proxy)
            error = ""
            if code not in (0, 2):
                error = next((line.strip() for line in output.splitlines() if "Error" in line or "error" in line), "")
            results.append({
                "share": share, "exit": code, "seconds": seconds,
                "ecs_calls": sum(call["service"] == "ecs" for call in calls),
                "throttled": {caller: sum(call.get("throttled", False) and call["caller"] == caller for call in calls)
                              for caller in ("programs", "provider")},
                "error": error,
            })
            if code not in (0, 2):
                (self.out / f"throttled-{share}.log").write_text(output)
        return results

    def close(self):
        for process in list(self.processes):
            self.stop(process)


# -- analysis ----------------------------------------------------------------------------------

TRACE_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)(Z|[+-]\d{4}) ")
# Where Terraform's plan walk starts and ends the work of one resource or data source instance,
# holding one of its `-parallelism` slots (terraform/internal/terraform/node_resource_abstract_instance.go).
INSTANCE_START = re.compile(r"\[TRACE\] (?:readResourceInstanceState: reading state for|readDataSource: Re-validating config for) (\S+)$")
INSTANCE_END = re.compile(r"\[TRACE\] NodeAbstractResouceInstance\.writeResourceInstanceState to workingState for (\S+)$")


def trace_instances(trace):
    """address -> (start, end) of each instance's work in the plan walk, in epoch seconds."""
    import datetime

    instances = {}
    for line in open(trace, errors="replace"):
        stamp = TRACE_TIME.match(line)
        if not stamp:
            continue
        line = line.rstrip()
        started, ended = INSTANCE_START.search(line), INSTANCE_END.search(line)
        if not (started or ended):
            continue
        zone = "+0000" if stamp.group(2) == "Z" else stamp.group(2)
        when = datetime.datetime.strptime(stamp.group(1) + zone, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        if started:
            instances.setdefault(started.group(1), [when, when])
        else:
            instances.setdefault(ended.group(1), [when, when])[1] = when
    return instances


def analyse(started, seconds, calls, ran, trace):
    """Where a plan's time went: calls by caller, program time, and when the resources refreshed."""
    by_caller = {}
    for call in calls:
        key = f"{call['caller']} {call['service']}:{call['action']}"
        by_caller[key] = by_caller.get(key, 0) + 1
    busy = sum(program["end"] - program["start"] for program in ran)
    refreshes = [call for call in calls if call["caller"] == "provider" and call["service"] == "ecs"]
    lookups = [call for call in calls if call["caller"] == "programs"]

    def span(items, key_start="start", key_end="end"):
        if not items:
            return None
        return [round(min(i[key_start] for i in items) - started, 3), round(max(i[key_end] for i in items) - started, 3)]

    # The instances' work in the plan walk, from the trace, by kind (instance keys taken out).
    instances = trace_instances(trace) if trace.exists() else {}
    kinds = {}
    for address, (start, end) in instances.items():
        kind = re.sub(r'\["[^"]*"\]|\[\d+\]', "", address).removeprefix("module.service.")
        entry = kinds.setdefault(kind, {"count": 0, "seconds": 0.0, "first": end, "last": start})
        entry["count"] += 1
        entry["seconds"] += end - start
        entry["first"] = min(entry["first"], start)
        entry["last"] = max(entry["last"], end)
    walk = [min(s for s, _ in instances.values()) - started, max(e for _, e in instances.values()) - started] if instances else None
    for entry in kinds.values():
        entry["first"] -= started
        entry["last"] -= started
    return {
        "seconds": seconds,
        "calls": by_caller,
        "call_seconds": {caller: round(sum(c["end"] - c["start"] for c in calls if c["caller"] == caller), 3)
                         for caller in ("programs", "provider")},
        "programs": {
            "runs": len(ran),
            "busy_seconds": round(busy, 3),
            "span": span(ran),
            "by_program": {name: round(sum(p["end"] - p["start"] for p in ran if p["program"] == name), 3) for name in PROGRAMS},
        },
        "provider_ecs_calls_span": span(refreshes),
        "lookup_calls_span": span(lookups),
        "walk": walk and [round(walk[0], 3), round(walk[1], 3)],
        "instances": {kind: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in entry.items()}
                     for kind, entry in sorted(kinds.items(), key=lambda item: -item[1]["seconds"])},
    }


def count_by_caller(calls):
    """'provider: 100 ECS + 1 STS' style counts."""
    counts = {}
    for call in calls:
        service = call["service"].upper() or "?"
        counts.setdefault(call["caller"], {}).setdefault(service, 0)
        counts[call["caller"]][service] += 1
    parts = []
    for caller in ("provider", "programs", "other"):
        if caller in counts:
            services = " + ".join(f"{n} {s}" for s, n in sorted(counts[caller].items(), key=lambda item: -item[1]))
            parts.append(f"{caller}: {services}")
    return "; ".join(parts)


def summary(times):
    return statistics.median(times), min(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", default="1,10,50", help="comma-separated N (default 1,10,50)")
    parser.add_argument("--runs", type=int, default=5, help="timed plans of each variant per N (default 5)")
    parser.add_argument("--throttle", default="0.1,0.2,0.3", help="shares of ECS calls throttled in the last step (\"\": none)")
    parser.add_argument("--no-instrument", action="store_true", help="skip the instrumented plans")
    parser.add_argument("--before", metavar="REV", help="also plan the module as git revision REV wrote it (`before`)")
    parser.add_argument("--variants", help="comma-separated variants besides plain (default: all; "
                        "module, module-unset, composed, and with --before: before, composed-before; "
                        "module-one-output only when named)")
    parser.add_argument("--out", default=str(ROOT / "target/bench/plan"))
    arguments = parser.parse_args()
    sizes = sorted(int(n) for n in arguments.services.split(","))
    shares = [float(s) for s in arguments.throttle.split(",") if s]

    bench = Bench(arguments)
    global VARIANTS, BEFORE
    if arguments.before:
        VARIANTS = (*VARIANTS, "before", "composed-before")
        BEFORE = export_module(arguments.before, bench.out / "before-module")
    if arguments.variants:
        chosen = {variant.strip() for variant in arguments.variants.split(",") if variant.strip()}
        known = (*VARIANTS, *OPTIONAL_VARIANTS)
        unknown = chosen - set(known)
        if unknown:
            fail(f"unknown variants {sorted(unknown)}; known: {', '.join(known)}")
        VARIANTS = tuple(variant for variant in known if variant == "plain" or variant in chosen)
    results = {"sizes": {}, "load_before": os.getloadavg(), "before": arguments.before}
    try:
        bench.set_up()
        for services in sizes:
            print(f"== {services} services", flush=True)
            bench.apply(services)
            times, loads = bench.timed(services, arguments.runs)
            calls = bench.counted(services)
            results["sizes"][services] = {
                "times": times,
                "loads": loads,
                "calls": {variant: count_by_caller(calls[variant]) for variant in VARIANTS},
            }
            plain = statistics.median(times["plain"])
            for variant in VARIANTS:
                median, low, high = summary(times[variant])
                print(f"  {variant:<17} {median:.2f} s ({low:.2f}-{high:.2f}), {median / plain:.2f}x plain", flush=True)
            print(f"  load {min(loads):.1f}-{max(loads):.1f}", flush=True)
        largest = sizes[-1]
        if not arguments.no_instrument:
            print(f"== instrumented plans, {largest} services", flush=True)
            results["instrumented"] = bench.instrumented(largest)
        if shares:
            print(f"== the module's plan with ECS calls throttled, {largest} services", flush=True)
            results["throttled"] = bench.throttled(largest, shares)
    finally:
        bench.close()
    (bench.out / "results.json").write_text(json.dumps(results, indent=2))
    report(results, sizes)


def report(results, sizes):
    print()
    print("| services | variant | plan (median, range) | × plain | over plain, per service | AWS calls by caller |")
    print("| ---: | --- | ---: | ---: | ---: | --- |")
    for services in sizes:
        entry = results["sizes"][services]
        plain = statistics.median(entry["times"]["plain"])
        for variant in VARIANTS:
            median, low, high = summary(entry["times"][variant])
            label = variant.replace("before", f"before ({results['before']})")
            per_service = (median - plain) / services * 1000
            print(f"| {services} | {label} | {median:.2f} s ({low:.2f}–{high:.2f}) | {median / plain:.2f}× "
                  f"| {per_service:.0f} ms | {entry['calls'][variant]} |")
    loads = [load for services in sizes for load in results["sizes"][services]["loads"]]
    print(f"\nload average (1 min) before the timed plans: {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores")
    if "instrumented" in results:
        print()
        for variant, entry in results["instrumented"].items():
            print(f"instrumented {variant}: {entry['seconds']:.2f} s; calls {json.dumps(entry['calls'])}")
            print(f"  seconds inside AWS calls: {entry['call_seconds']}; provider ECS calls from {entry['provider_ecs_calls_span']} s")
            if entry["programs"]["runs"]:
                print(f"  programs: {entry['programs']}; lookups' calls from {entry['lookup_calls_span']} s")
            print(f"  the plan walk's instances from {entry['walk']} s")
            for kind, vertex in entry["instances"].items():
                print(f"  {kind:<60} x{vertex['count']:<4} {vertex['seconds']:7.2f} s  {vertex['first']:6.2f}–{vertex['last']:6.2f} s")
    if "throttled" in results:
        print()
        for entry in results["throttled"]:
            outcome = "completed" if entry["exit"] in (0, 2) else f"FAILED: {entry['error']}"
            print(f"throttled {entry['share']:.0%} of ECS calls: {entry['seconds']:.1f} s, {outcome}; "
                  f"{entry['ecs_calls']} ECS calls, throttled {entry['throttled']}")


if __name__ == "__main__":
    main()
