#!/usr/bin/env python3
"""Check that Cargo.toml's `rust-version` is the real minimum: the highest `rust-version`
declared by any locked dependency (normal, build and dev, every platform), since
`cargo install --locked` and `cargo test --locked` build exactly those versions.

Usage: scripts/msrv.py          exit 1 and say which crate needs what when they differ.
Language and std features of eks-lint's own code are checked by clippy's `incompatible_msrv`
lint, which reads the same field (CI runs clippy with -D warnings).
"""
import json
import subprocess
import sys


def key(v):
    parts = [int(p) for p in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    root = meta["resolve"]["root"]
    pkgs = {p["id"]: p for p in meta["packages"]}
    declared = pkgs[root]["rust_version"]
    # Every package reachable from the root in the resolved graph.
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    seen, todo = set(), [root]
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        todo.extend(d["pkg"] for d in nodes[i]["deps"])
    deps = [pkgs[i] for i in seen if i != root and pkgs[i].get("rust_version")]
    need = max(deps, key=lambda p: key(p["rust_version"]))
    if declared is None or key(declared) != key(need["rust_version"]):
        print(
            f"Cargo.toml rust-version is {declared}, but the locked dependencies need "
            f"{need['rust_version']} ({need['name']} {need['version']}): set rust-version = "
            f"\"{need['rust_version']}\"",
            file=sys.stderr,
        )
        return 1
    print(f"rust-version {declared}: the highest of {len(deps)} locked dependencies "
          f"({need['name']} {need['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
