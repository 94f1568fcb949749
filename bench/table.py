#!/usr/bin/env python3
"""Prints hyperfine JSON exports as one table: each command's median and its ratio to the first
command of its file (the floor: `cat`, or the bare signed curl requests)."""

import json
import os
import sys


def main(paths):
    print(f"{'benchmark':<28} {'command':<34} {'median':>10} {'ratio':>7}")
    for path in paths:
        results = json.load(open(path))["results"]
        floor = results[0]["median"]
        name = os.path.basename(path).removesuffix(".times.json")
        for result in results:
            command = result["command"].split(" < ")[0].rsplit("/", 1)[-1]
            print(f"{name:<28} {command[:34]:<34} {result['median'] * 1000:>8.2f}ms {result['median'] / floor:>6.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
