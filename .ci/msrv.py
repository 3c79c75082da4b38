"""Reads `cargo metadata` on stdin and checks the MSRV of the dependency graph.

Every workspace package must declare the same rust-version (the generated crate's manifest is
rendered from a template), and every locked dependency that declares one must not need a newer
Rust. Exits 1 with one line per problem.
"""
import json
import re
import sys


def version(text):
    parts = [int(part) for part in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.load(sys.stdin)
ours = {p["name"]: p.get("rust_version") for p in meta["packages"] if p["source"] is None}
msrv = ours.get("codearts-runtime")
if not msrv:
    sys.exit("codearts-runtime declares no rust-version")
problems = [
    f"{name} declares rust-version {value}, the workspace {msrv}"
    for name, value in sorted(ours.items())
    if value != msrv
]
for package in meta["packages"]:
    needed = package.get("rust_version")
    if package["source"] is not None and needed and version(needed) > version(msrv):
        name, release = package["name"], package["version"]
        problems.append(f"{name} {release} needs Rust {needed}, newer than the MSRV {msrv}")
if problems:
    sys.exit("\n".join(problems))
print(f"MSRV {msrv}: all {len(meta['packages'])} packages fit")
