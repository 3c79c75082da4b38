#!/usr/bin/env python3
"""Assemble spec/parts/*.yaml (or check one part) and validate: OpenAPI validity, every example
against its schema (strict: unknown properties are errors), every $ref resolvable, conventions."""
import sys, glob, os, copy, yaml, json
from openapi_spec_validator import validate
import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
parts = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(here, "*.yaml")) if not os.path.basename(p).startswith("_"))
doc = yaml.safe_load(open(os.path.join(here, "_head.yaml")))
errors = []
for p in parts:
    frag = yaml.safe_load(open(p))
    for k, v in (frag.get("paths") or {}).items():
        for m, op in v.items():
            if m in doc["paths"].get(k, {}):
                errors.append(f"{p}: duplicate {m} {k}")
            doc["paths"].setdefault(k, {})[m] = op
    for name, s in ((frag.get("components") or {}).get("schemas") or {}).items():
        if name in doc["components"]["schemas"] and doc["components"]["schemas"][name] != s:
            errors.append(f"{p}: schema {name} defined differently elsewhere")
        doc["components"]["schemas"][name] = s
    if "x-error-codes" in frag:
        doc["x-error-codes"] = frag["x-error-codes"]

validate(doc)
schemas = doc["components"]["schemas"]

def strict(s):
    s = copy.deepcopy(s)
    def walk(x):
        if isinstance(x, dict):
            if "$ref" in x:
                x["$ref"] = "#/definitions/" + x["$ref"].split("/")[-1]
            if x.get("nullable"):
                t = x.get("type")
                if t: x["type"] = [t, "null"]
                if "enum" in x: x["enum"] = list(x["enum"]) + [None]
            if x.get("type") == "object" and "additionalProperties" not in x:
                x["additionalProperties"] = False
            if x.get("format") == "binary":
                return
            for v in list(x.values()):
                walk(v)
        elif isinstance(x, list):
            for v in x: walk(v)
    walk(s)
    return s

defs = {k: strict(v) for k, v in schemas.items()}
def check(where, schema, value):
    full = strict(schema); full["definitions"] = defs
    for e in jsonschema.Draft7Validator(full).iter_errors(value):
        errors.append(f"{where}: example invalid at /{'/'.join(map(str, e.absolute_path))}: {e.message}")

ids = {}
for path, item in doc["paths"].items():
    for m, op in item.items():
        oid = op.get("operationId")
        ids.setdefault(oid, []).append(f"{m} {path}")
        where = f"{m.upper()} {path}"
        for prm in op.get("parameters", []):
            if "example" in prm.get("schema", {}) or "example" in prm:
                ex = prm.get("example", prm["schema"].get("example"))
                check(f"{where} param {prm['name']}", prm["schema"], ex)
        rb = op.get("requestBody")
        if rb:
            for ct, media in rb["content"].items():
                if "example" in media:
                    check(f"{where} request body", media["schema"], media["example"])
        for code, resp in op.get("responses", {}).items():
            for ct, media in (resp.get("content") or {}).items():
                if "example" in media:
                    check(f"{where} response {code}", media["schema"], media["example"])
        if op.get("deprecated") and not op.get("x-replaced-by"):
            errors.append(f"{where}: deprecated without x-replaced-by")
for oid, places in ids.items():
    if len(places) > 1:
        errors.append(f"operationId {oid} used by {places}")
# every $ref resolves
def refs(x, where):
    if isinstance(x, dict):
        r = x.get("$ref")
        if r and r.split("/")[-1] not in schemas and not r.startswith("#/components/responses/"):
            errors.append(f"{where}: dangling $ref {r}")
        for k, v in x.items(): refs(v, where)
    elif isinstance(x, list):
        for v in x: refs(v, where)
refs(doc, "spec")
ops = sum(len(v) for v in doc["paths"].values())
print(f"{ops} operations, {len(schemas)} schemas", file=sys.stderr)
if errors:
    print("\n".join(errors)); sys.exit(1)
print("OK")
