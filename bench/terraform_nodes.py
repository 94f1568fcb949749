"""What Terraform itself charges a module instance, whatever the module does: N instances of a module
that declares V variables, L locals and O outputs, planned with no provider and no resource, next to
the same module with none of them. The numbers behind the way terraform-module/ is written (few
locals, each an object a stage builds; few outputs): BENCHMARKS.md, "Why the module is written with
few locals and outputs".

Each local, variable and output of a module is a node Terraform evaluates once per instance and plan.
An output also records a planned change, and Terraform 1.11 finds the change recorded for an output
instance by comparing its address, as a string, with every output change already recorded for the
same module call (internal/terraform/node_output.go, nodeExpandOutput.DynamicExpand; the list comes
from internal/plans/changes.go, Changes.OutputValues): O outputs of N instances cost in proportion to
(O x N) squared (hashicorp/terraform issue 32251).
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def fail(message):
    sys.exit(f"bench/terraform_nodes: {message}")


def write_module(directory, instances, variables, locals_, outputs, grouped):
    """A root module calling ./m for each of INSTANCES keys; ./m declares the rest."""
    module = directory / "m"
    module.mkdir(parents=True)
    text = ['variable "name" {\n  type = string\n}\n']
    text += [f'variable "v{i}" {{\n  type    = string\n  default = "v{i}"\n}}\n' for i in range(variables)]
    if locals_ and grouped:
        text.append("locals {\n  all = {\n" + "".join(f'    l{i} = "${{var.name}}-{i}"\n' for i in range(locals_)) + "  }\n}\n")
    elif locals_:
        text.append("locals {\n" + "".join(f'  l{i} = "${{var.name}}-{i}"\n' for i in range(locals_)) + "}\n")
    text += [f'output "o{i}" {{\n  value = "${{var.name}}-{i}"\n}}\n' for i in range(outputs)]
    (module / "main.tf").write_text("\n".join(text))
    (directory / "main.tf").write_text(
        'module "service" {\n  source   = "./m"\n'
        f'  for_each = toset([for i in range({instances}) : "service-${{i}}"])\n'
        "  name     = each.key\n}\n"
    )


def environment():
    """No provider is installed or called; the caller's TF_* settings are left out."""
    sealed = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    sealed.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
    return sealed


def plan_seconds(directory, runs):
    env = environment()
    init = subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=directory, env=env,
                          capture_output=True, text=True)
    if init.returncode != 0:
        fail(f"terraform init failed:\n{init.stdout}{init.stderr}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run = subprocess.run(["terraform", "plan", "-input=false", "-no-color", "-refresh=false"],
                             cwd=directory, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if run.returncode != 0:
            fail(f"terraform plan failed:\n{run.stdout}{run.stderr}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default="50,200", help="comma-separated N (default 50,200)")
    parser.add_argument("--runs", type=int, default=3, help="plans of each case (default 3)")
    arguments = parser.parse_args()
    try:
        sizes = [int(n) for n in arguments.instances.split(",")]
    except ValueError:
        fail(f"--instances takes comma-separated whole numbers, not {arguments.instances!r}")
    if not sizes or min(sizes) < 1 or arguments.runs < 1:
        fail("--instances and --runs must be 1 or more")
    if shutil.which("terraform") is None:
        fail("no terraform on PATH")

    # (what, variables, locals, outputs, locals grouped in one object)
    cases = [
        ("nothing but the instances", 0, 0, 0, False),
        ("60 variables with defaults", 60, 0, 0, False),
        ("60 locals", 0, 60, 0, False),
        ("60 locals as one object", 0, 60, 0, True),
        ("5 outputs", 0, 0, 5, False),
        ("10 outputs", 0, 0, 10, False),
        ("19 outputs", 0, 0, 19, False),
    ]
    print(f"{'instances':>9}  {'module declares':<28} {'plan':>8} {'over nothing':>13} {'per instance':>13}")
    with tempfile.TemporaryDirectory(prefix="terraform-nodes-") as scratch:
        for instances in sizes:
            baseline = None
            for index, (what, variables, locals_, outputs, grouped) in enumerate(cases):
                directory = pathlib.Path(scratch) / f"{instances}-{index}"
                write_module(directory, instances, variables, locals_, outputs, grouped)
                seconds = plan_seconds(directory, arguments.runs)
                if baseline is None:
                    baseline = seconds
                extra = seconds - baseline
                print(f"{instances:>9}  {what:<28} {seconds:>7.2f}s {extra:>12.2f}s {extra / instances * 1000:>10.2f} ms",
                      flush=True)


if __name__ == "__main__":
    main()
