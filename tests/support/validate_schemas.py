"""Validates files against the JSON Schemas in schemas/, as an editor would.

Reads a JSON list of {"schema", "file", "kind"} from the file named by the
first argument (kind: "toml", "front-matter" or "json") and prints a JSON
list of {"file", "parsed", "errors"}: parsed is false when the file is not
TOML/JSON at all (the schema cannot be asked then), errors lists the
schema's objections. TOML dates become ISO strings, as taplo shows them.
"""

import datetime
import json
import sys
import tomllib

import jsonschema


def plain(value):
    """TOML values as JSON ones: dates and times as ISO 8601 strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


def front_matter(text):
    """The TOML between the first two +++ lines, or None."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "+++":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "+++":
            return "\n".join(lines[1:i])
    return None


def load(path, kind):
    with open(path, "rb") as f:
        raw = f.read()
    if kind == "json":
        return json.loads(raw)
    text = raw.decode("utf-8")
    if kind == "front-matter":
        text = front_matter(text)
        if text is None:
            raise ValueError("no front matter")
    return plain(tomllib.loads(text.lstrip("\ufeff")))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        jobs = json.load(f)
    validators = {}
    results = []
    for job in jobs:
        schema_path = job["schema"]
        if schema_path not in validators:
            with open(schema_path, encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft7Validator.check_schema(schema)
            validators[schema_path] = jsonschema.Draft7Validator(schema)
        try:
            document = load(job["file"], job["kind"])
        except (ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            results.append({"file": job["file"], "parsed": False, "errors": []})
            continue
        errors = [
            "/".join(str(p) for p in e.absolute_path) + ": " + e.message
            for e in validators[schema_path].iter_errors(document)
        ]
        results.append({"file": job["file"], "parsed": True, "errors": errors})
    json.dump(results, sys.stdout, indent=1)


main()
