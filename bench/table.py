#!/usr/bin/env python3
"""Prints hyperfine JSON exports as one table: each command's median wall time and its mean CPU time
(user + system), each with its ratio to the first command of its file (the floor: `cat`, or the bare
signed curl requests).

The CPU ratio holds on a busy machine, where the wall times do not: under load hyperfine's
correction for the shell's own start-up can take a short command's median to 0 (then its wall ratio
is shown as "n/a")."""

import json
import os
import sys


def ratio(value, floor):
    return f"{value / floor:>6.2f}x" if floor > 0 else f"{'n/a':>7}"


def main(paths):
    print(f"{'benchmark':<28} {'command':<34} {'median':>10} {'ratio':>7} {'cpu':>10} {'ratio':>7}")
    for path in paths:
        results = json.load(open(path))["results"]
        floor = results[0]["median"]
        floor_cpu = results[0]["user"] + results[0]["system"]
        name = os.path.basename(path).removesuffix(".times.json")
        for result in results:
            command = result["command"].split(" < ")[0].rsplit("/", 1)[-1]
            cpu = result["user"] + result["system"]
            print(
                f"{name:<28} {command[:34]:<34} {result['median'] * 1000:>8.2f}ms {ratio(result['median'], floor)}"
                f" {cpu * 1000:>8.2f}ms {ratio(cpu, floor_cpu)}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
