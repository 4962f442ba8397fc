"""Extract the Meta ``Message`` schema and the send-message examples from Meta's OpenAPI spec.

Dev-time tool only: it needs PyYAML, which is not a runtime dependency. The app reads the JSON
it writes (``whats91_desktop/core/data/``), so the 1 MB YAML spec never ships.

    python scripts/extract_meta_schema.py [--spec PATH] [--check]

Writes ``meta_message_schema.json`` (the ``Message`` schema plus every component schema it
references, following ``$ref`` and ``discriminator.mapping``, without ``description``/``example``
noise), ``meta_examples.json`` (the request examples of ``POST /{Version}/{Phone-Number-ID}/messages``,
name -> value) and ``LICENSE-meta-openapi.txt`` (the spec's MIT licence, copied as it demands).
``--check`` writes nothing and exits 1 when the committed files differ from what would be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO.parent / "shared" / "reference" / "meta-business-messaging-api_v23.0.yaml"
DATA_DIR = REPO / "whats91_desktop" / "core" / "data"
MESSAGES_PATH = "/{Version}/{Phone-Number-ID}/messages"
ROOT_SCHEMA = "Message"
REF_PREFIX = "#/components/schemas/"
# Documentation-only keywords: dropped wherever a *schema* sits (never from a `properties` map,
# where a property may well be called "description" or "title").
NOISE = frozenset({"description", "example", "examples"})
SUBSCHEMA_LIST_KEYS = ("allOf", "oneOf", "anyOf")
SUBSCHEMA_KEYS = ("items", "not", "additionalProperties")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "mapping" and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _strip(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in NOISE:
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _strip(sub) for name, sub in value.items()}
        elif key in SUBSCHEMA_LIST_KEYS and isinstance(value, list):
            out[key] = [_strip(sub) for sub in value]
        elif key in SUBSCHEMA_KEYS:
            out[key] = _strip(value)
        else:
            out[key] = value
    return out


def extract(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (schema document, examples) from the parsed spec."""
    components = spec["components"]["schemas"]
    closure: dict[str, Any] = {}
    todo = [REF_PREFIX + ROOT_SCHEMA]
    while todo:
        ref = todo.pop()
        if not ref.startswith(REF_PREFIX):
            raise ValueError(f"unsupported $ref {ref!r}")
        name = ref[len(REF_PREFIX) :]
        if name in closure:
            continue
        closure[name] = components[name]
        todo.extend(_refs(components[name]))
    document = {
        "source": "Meta Business Messaging API v23.0 OpenAPI spec (MIT), components/schemas",
        "generated_by": "scripts/extract_meta_schema.py",
        "root": ROOT_SCHEMA,
        "schemas": {name: _strip(closure[name]) for name in sorted(closure)},
    }
    content = spec["paths"][MESSAGES_PATH]["post"]["requestBody"]["content"]["application/json"]
    examples = {name: example["value"] for name, example in content["examples"].items()}
    return document, examples


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    try:
        import yaml
    except ImportError:
        print("PyYAML is needed for this dev-time script: pip install pyyaml", file=sys.stderr)
        return 2
    spec_path: Path = args.spec
    with spec_path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    document, examples = extract(spec)
    licence = spec_path.with_name("meta-openapi-LICENSE").read_text(encoding="utf-8")
    outputs = {
        DATA_DIR / "meta_message_schema.json": _dump(document),
        DATA_DIR / "meta_examples.json": _dump(examples),
        DATA_DIR / "LICENSE-meta-openapi.txt": licence,
    }
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(REPO)}", file=sys.stderr)
        return 1 if stale else 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(f"{len(document['schemas'])} schemas, {len(examples)} examples -> {DATA_DIR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
