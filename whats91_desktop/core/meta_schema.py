"""Check raw Meta Cloud API message JSON against Meta's own OpenAPI schema, before sending.

The schema and the 50 request examples come from Meta's MIT-licensed v23.0 spec, extracted by
``scripts/extract_meta_schema.py`` into ``core/data/``. The validator below is the small subset
of JSON Schema that spec uses, read the way OpenAPI tools read it (notably: ``additionalProperties:
false`` sees the union of an ``allOf``'s properties, and a ``discriminator`` picks a branch).

The spec contradicts its own examples in places, so :data:`ERRATA` corrects it at load time. Each
erratum names the examples that need it (a test checks that they fail without it); the few that
*tighten* the spec instead name the Whats91 rule behind them.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from whats91_desktop.core.models import Problem
from whats91_desktop.core.phone import InvalidNumber, normalize_number
from whats91_desktop.core.placeholders import placeholder_problems

__all__ = [
    "ERRATA",
    "MESSAGE_TYPES",
    "Erratum",
    "build_schemas",
    "example_with_recipient",
    "in_meta_order",
    "infer_message_type",
    "meta_example",
    "meta_example_names",
    "meta_examples",
    "validate_meta_payload",
]

Schema = dict[str, Any]
Schemas = dict[str, Schema]

ROOT_PATH = "payload"
_REF_PREFIX = "#/components/schemas/"

# The message objects of Meta's `Message` discriminator, in the spec's order.
MESSAGE_TYPES: tuple[str, ...] = (
    "text",
    "audio",
    "document",
    "image",
    "location",
    "video",
    "sticker",
    "reaction",
    "interactive",
    "template",
    "contacts",
)

# --------------------------------------------------------------------------- data files
# Read on first use, never at import: the app imports this module before its window shows, and
# the schema is only needed when Meta JSON is first validated (a test checks this).


def _read_data(name: str) -> Any:
    text = resources.files("whats91_desktop.core").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _raw_schemas() -> Schemas:
    document = _read_data("meta_message_schema.json")
    schemas: Schemas = document["schemas"]
    return schemas


@functools.cache
def _examples() -> dict[str, dict[str, Any]]:
    examples: dict[str, dict[str, Any]] = _read_data("meta_examples.json")
    return examples


@functools.cache
def _ordered_examples() -> dict[str, dict[str, Any]]:
    # The spec's YAML lists every example's keys alphabetically ("audio" before
    # "messaging_product"); Meta's documentation, and everyone copying from it, writes them in
    # the order its schema defines them. The data file stays a faithful copy; order on load.
    return {name: in_meta_order(example) for name, example in _examples().items()}


def meta_example_names() -> list[str]:
    """The examples' names, in the spec's order (reads no schema: cheap enough for a menu)."""
    return list(_examples())


def meta_examples() -> dict[str, dict[str, Any]]:
    """Meta's request examples, name -> JSON body in Meta's key order (a fresh copy: callers may edit it)."""
    return copy.deepcopy(_ordered_examples())


def meta_example(name: str) -> dict[str, Any]:
    """Example ``name`` as Meta wrote it, in Meta's key order; raises ``KeyError`` for an unknown name."""
    return copy.deepcopy(_ordered_examples()[name])


def example_with_recipient(name: str, to: str) -> dict[str, Any]:
    """Example ``name`` addressed to ``to``; raises ``KeyError`` for an unknown name.

    Replaces the ``{{Recipient-…}}`` placeholders and also Meta's sample numbers
    (``+16505551234``, ``16315555555``): inserting an example must never address a stranger.
    Examples without a recipient (the read receipt) come back unchanged.
    """
    example = meta_example(name)
    if isinstance(example.get("to"), str):
        example["to"] = to
    return example


# --------------------------------------------------------------------------- errata


@dataclass(frozen=True)
class Erratum:
    """One correction to Meta's spec. ``examples``: the Meta examples that fail without it."""

    key: str
    fix: str
    examples: tuple[str, ...]
    apply: Callable[[Schemas], None]


def _member(schemas: Schemas, name: str) -> Schema:
    """The inline (second) member of an ``allOf``-derived schema such as ``TextMessage``."""
    members = schemas[name]["allOf"]
    inline: Schema = next(m for m in members if "$ref" not in m)
    return inline


def _optional_recipient_type(schemas: Schemas) -> None:
    schemas["BaseMessageProperties"]["required"].remove("recipient_type")


def _optional_type(schemas: Schemas) -> None:
    schemas["BaseMessageProperties"]["required"].remove("type")


def _optional_language_policy(schemas: Schemas) -> None:
    schemas["LanguageObject"]["required"].remove("policy")


_EXTRA_INTERACTIVE_TYPES = (
    "order_details",
    "order_status",
    "cta_url",
    "address_message",
    "location_request_message",
    "voice_call",
)


def _interactive_types(schemas: Schemas) -> None:
    schemas["InteractiveObject"]["properties"]["type"]["enum"].extend(_EXTRA_INTERACTIVE_TYPES)


def _named_action(name: str, parameters: Schema | None, *, parameters_required: bool = True) -> Schema:
    properties: Schema = {"name": {"type": "string", "enum": [name]}}
    required = ["name"]
    if parameters is not None:
        properties["parameters"] = parameters
        if parameters_required:
            required.append("parameters")
    return {"required": required, "properties": properties}


_AMOUNT: Schema = {
    "type": "object",
    "required": ["value", "offset"],
    "properties": {"value": {"type": "integer"}, "offset": {"type": "integer"}},
}

# Action shapes of the interactive types Meta documents but this spec omits (name + parameters).
INTERACTIVE_ACTION_NAMES: dict[str, str] = {
    "catalog_message": "catalog_message",
    "flow": "flow",
    "call_permission_request": "call_permission_request",
    "order_details": "review_and_pay",
    "order_status": "review_order",
    "cta_url": "cta_url",
    "location_request_message": "send_location",
    "address_message": "address_message",
    "voice_call": "voice_call",
}

_EXTRA_ACTIONS: tuple[Schema, ...] = (
    _named_action(
        "review_and_pay",
        {
            "type": "object",
            "required": ["reference_id", "type", "currency", "total_amount", "order"],
            "properties": {
                "reference_id": {"type": "string", "maxLength": 35},
                "type": {"type": "string", "enum": ["digital-goods", "physical-goods"]},
                "payment_type": {"type": "string"},
                "payment_configuration": {"type": "string"},
                "currency": {"type": "string"},
                "total_amount": _AMOUNT,
                "order": {
                    "type": "object",
                    "required": ["status", "items", "subtotal"],
                    "properties": {
                        "status": {"type": "string"},
                        "items": {"type": "array", "minItems": 1, "items": {"type": "object"}},
                        "subtotal": _AMOUNT,
                        "tax": _AMOUNT,
                        "shipping": _AMOUNT,
                        "discount": _AMOUNT,
                    },
                },
            },
        },
    ),
    _named_action(
        "review_order",
        {
            "type": "object",
            "required": ["reference_id", "order"],
            "properties": {
                "reference_id": {"type": "string"},
                "order": {
                    "type": "object",
                    "required": ["status"],
                    "properties": {
                        "status": {
                            "type": "string",
                            "enum": [
                                "pending",
                                "processing",
                                "partially_shipped",
                                "shipped",
                                "completed",
                                "canceled",
                            ],
                        },
                        "description": {"type": "string", "maxLength": 120},
                    },
                },
            },
        },
    ),
    _named_action(
        "cta_url",
        {
            "type": "object",
            "required": ["display_text", "url"],
            "properties": {
                "display_text": {"type": "string", "minLength": 1, "maxLength": 20},
                "url": {"type": "string", "minLength": 1},
            },
        },
    ),
    _named_action("send_location", None),
    _named_action(
        "address_message",
        {"type": "object", "required": ["country"], "properties": {"country": {"type": "string"}}},
    ),
    _named_action(
        "voice_call",
        {
            "type": "object",
            "properties": {
                "display_text": {"type": "string", "maxLength": 20},
                "ttl_minutes": {"type": "integer"},
                "payload": {"type": "string"},
            },
        },
        parameters_required=False,
    ),
)


def _interactive_actions(schemas: Schemas) -> None:
    schemas["ActionObject"]["oneOf"].extend(copy.deepcopy(list(_EXTRA_ACTIONS)))


def _template_index(schemas: Schemas) -> None:
    loose = {"type": ["string", "integer"]}
    schemas["TemplateComponent"]["properties"]["index"] = dict(loose)
    _member(schemas, "ButtonComponent")["properties"]["index"] = dict(loose)


def _template_component_types(schemas: Schemas) -> None:
    schemas["TemplateComponent"]["properties"]["type"]["enum"].extend(["carousel", "limited_time_offer"])


_BUTTON_SUB_TYPES = ["quick_reply", "url", "catalog", "flow", "copy_code", "mpm", "voice_call"]


def _button_sub_types(schemas: Schemas) -> None:
    for schema in (schemas["TemplateComponent"], _member(schemas, "ButtonComponent")):
        sub_type = schema["properties"]["sub_type"]
        sub_type["enum"] = list(_BUTTON_SUB_TYPES)
        sub_type["x-enum-ignore-case"] = True


def _button_action_parameters(schemas: Schemas) -> None:
    base = schemas["ButtonParameterObject"]
    base["properties"]["type"]["enum"].extend(["action", "coupon_code"])
    mapping = base["discriminator"]["mapping"]
    for kind, name, value_schema in (
        ("action", "ButtonActionParameter", {"type": "object"}),
        ("coupon_code", "ButtonCouponCodeParameter", {"type": "string", "minLength": 1, "maxLength": 15}),
    ):
        mapping[kind] = _REF_PREFIX + name
        schemas[name] = {
            "allOf": [
                {"$ref": _REF_PREFIX + "ButtonParameterObject"},
                {
                    "type": "object",
                    "required": [kind],
                    "properties": {"type": {"enum": [kind]}, kind: value_schema},
                },
            ]
        }


def _button_text_boolean(schemas: Schemas) -> None:
    _member(schemas, "ButtonTextParameter")["properties"]["text"]["type"] = ["string", "boolean"]


def _location_numbers(schemas: Schemas) -> None:
    location = _member(schemas, "LocationMessage")["properties"]["location"]["properties"]
    for key in ("latitude", "longitude"):
        location[key]["type"] = ["number", "string"]


def _messaging_product(schemas: Schemas) -> None:
    schemas["BaseMessageProperties"]["properties"]["messaging_product"]["enum"] = ["whatsapp"]


def _sender_id(schemas: Schemas) -> None:
    schemas["BaseMessageProperties"]["properties"]["senderId"] = {"type": "string"}


_TEMPLATE_TEXT = (
    "Send Message Template Media",
    "Send Message Template Text",
    "Send Sample Shipping Confirmation Template",
    "Send Sample Text Message",
)

ERRATA: tuple[Erratum, ...] = (
    Erratum(
        "recipient_type-optional",
        "BaseMessageProperties: recipient_type is optional; it defaults to 'individual'.",
        (
            "Send Contact Message",
            "Send Flow Template Message",
            "Send Reply to Contact Message",
            "Send Sample Issue Resolution Template",
            "Send Test Message",
            "Send Text Message with Preview URL",
        ),
        _optional_recipient_type,
    ),
    Erratum(
        "type-optional",
        "BaseMessageProperties: type is optional and inferred from the one message object present"
        " (Whats91 defaults it to text).",
        ("Send Reply to List Message", "Send Text Message with Preview URL"),
        _optional_type,
    ),
    Erratum(
        "language-policy-optional",
        "LanguageObject: policy is optional (it has a single value, 'deterministic').",
        (
            "Send Catalog Template Message",
            "Send Flow Template Message",
            "Send Message Template Interactive",
            *_TEMPLATE_TEXT,
            "Send Test Message",
        ),
        _optional_language_policy,
    ),
    Erratum(
        "interactive-types",
        "InteractiveObject.type: add " + ", ".join(_EXTRA_INTERACTIVE_TYPES) + " (Meta's documented types).",
        ("Send Order Details Message", "Send Order Status Message"),
        _interactive_types,
    ),
    Erratum(
        "interactive-actions",
        "ActionObject: add the name + parameters shapes of those types (review_and_pay, review_order,"
        " cta_url, send_location, address_message, voice_call).",
        ("Send Order Details Message", "Send Order Status Message"),
        _interactive_actions,
    ),
    Erratum(
        "template-index",
        "Template button index: the pattern ^[2-6, 11-14]$ is nonsense (it rejects '0'); ignore it and"
        " accept an integer or a string.",
        (
            "Send Catalog Template Message",
            "Send Flow Template Message",
            "Send Message Template Interactive",
            "Send Sample Issue Resolution Template",
        ),
        _template_index,
    ),
    Erratum(
        "template-component-types",
        "TemplateComponent.type: add carousel and limited_time_offer (Meta's template-send docs).",
        (),
        _template_component_types,
    ),
    Erratum(
        "button-sub-types",
        "Template button sub_type: case-insensitive, and add flow, copy_code, mpm, voice_call.",
        ("Send Catalog Template Message", "Send Flow Template Message"),
        _button_sub_types,
    ),
    Erratum(
        "button-parameter-types",
        "Template button parameters: add type 'action' (an object) and 'coupon_code' (copy-code buttons).",
        ("Send Catalog Template Message", "Send Flow Template Message"),
        _button_action_parameters,
    ),
    Erratum(
        "button-text-boolean",
        "Template button text parameter: accept a boolean, as Meta's issue-resolution sample sends.",
        ("Send Sample Issue Resolution Template",),
        _button_text_boolean,
    ),
    Erratum(
        "location-numbers",
        "Location latitude/longitude: numbers (the spec says string; the examples send numbers).",
        ("Send Location Message", "Send Reply to Location Message"),
        _location_numbers,
    ),
    Erratum(
        "messaging-product-whatsapp",
        "Tightening (Whats91 docs): messaging_product must be 'whatsapp'.",
        (),
        _messaging_product,
    ),
    Erratum(
        "whats91-sender-id",
        "Whats91 extension: a top-level senderId selects the sender on POST /messages.",
        (),
        _sender_id,
    ),
)


def build_schemas(errata: Iterable[Erratum] = ERRATA) -> Schemas:
    """Meta's schemas with ``errata`` applied (a fresh copy; tests pass a subset)."""
    schemas = copy.deepcopy(_raw_schemas())
    for erratum in errata:
        erratum.apply(schemas)
    return schemas


@functools.cache
def _default_schemas() -> Schemas:
    return build_schemas()


# Marking a message read (optionally with a typing indicator) shares the endpoint but is not a
# Message: no `to`, `status: "read"` and the id of the message being read.
STATUS_REQUEST_SCHEMA: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["messaging_product", "status", "message_id"],
    "properties": {
        "messaging_product": {"type": "string", "enum": ["whatsapp"]},
        "status": {"type": "string", "enum": ["read"]},
        "message_id": {"type": "string", "minLength": 1},
        "typing_indicator": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type"],
            "properties": {"type": {"type": "string", "enum": ["text"]}},
        },
        "senderId": {"type": "string"},
    },
}


# --------------------------------------------------------------------------- the validator


@dataclass(frozen=True)
class _Issue:
    path: str
    message: str
    kind: str = "other"  # "missing": a required property; "const": a single-valued enum mismatch


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, Mapping),
    "array": lambda v: isinstance(v, list | tuple),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _json_type(value: Any) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object", "null"):
        if _JSON_TYPES[name](value):
            return name
    return type(value).__name__


def _label(path: str) -> str:
    last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    return last.replace("_", " ").capitalize() or "Value"


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _show(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


class _Validator:
    """The JSON-Schema subset Meta's spec uses: $ref, type, properties, required, enum, items,
    min/maxItems, min/maxLength, pattern, additionalProperties:false, allOf, oneOf, discriminator."""

    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        self._schemas = schemas

    def _target(self, ref: str) -> tuple[str, Schema]:
        if not ref.startswith(_REF_PREFIX):
            raise ValueError(f"unsupported $ref {ref!r}")
        name = ref[len(_REF_PREFIX) :]
        return name, self._schemas[name]

    def _resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self._target(schema["$ref"])[1]
        return schema

    def _property_names(self, schema: Schema) -> set[str]:
        """Properties an object may have under ``schema``, across its ``allOf`` members."""
        schema = self._resolve(schema)
        names = set(schema.get("properties", {}))
        for member in schema.get("allOf", ()):
            names |= self._property_names(member)
        return names

    def check(
        self,
        value: Any,
        schema: Schema,
        path: str,
        *,
        name: str | None = None,
        active: frozenset[str] = frozenset(),
        extra: frozenset[str] = frozenset(),
    ) -> list[_Issue]:
        """Issues of ``value`` at ``path``. ``extra``: sibling ``allOf`` properties (for
        additionalProperties); ``active``: base schemas whose discriminator already dispatched."""
        if "$ref" in schema:
            target_name, target = self._target(schema["$ref"])
            found = self.check(value, target, path, name=target_name, active=active, extra=extra)
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return found + (self.check(value, rest, path, active=active, extra=extra) if rest else [])

        discriminator = schema.get("discriminator")
        if discriminator and "oneOf" not in schema and name and name not in active:
            # A base schema (TemplateComponent, ParameterObject…) dispatching to the subtype
            # that extends it with allOf; inside that subtype the base applies plainly.
            tag = value.get(discriminator["propertyName"]) if isinstance(value, Mapping) else None
            target_ref = discriminator.get("mapping", {}).get(tag) if isinstance(tag, str) else None
            if target_ref:
                return self.check(value, {"$ref": target_ref}, path, active=active | {name}, extra=extra)

        expected = schema.get("type")
        if expected is not None:
            allowed = expected if isinstance(expected, list) else [expected]
            if not any(_JSON_TYPES[t](value) for t in allowed):
                wanted = " or ".join(allowed)
                return [_Issue(path, f"{_label(path)} must be {wanted}, not {_json_type(value)}.")]

        issues: list[_Issue] = []
        if "enum" in schema:
            issue = self._enum(value, schema, path)
            if issue:
                issues.append(issue)
        if isinstance(value, str):
            issues += self._string(value, schema, path)
        if isinstance(value, list | tuple):
            issues += self._array(value, schema, path)
        if isinstance(value, Mapping):
            issues += self._object(value, schema, path, extra)
        if "allOf" in schema:
            union = frozenset(self._property_names(schema)) | extra
            for member in schema["allOf"]:
                issues += self.check(value, member, path, active=active, extra=union)
        if "oneOf" in schema:
            issues += self._one_of(value, schema, path, active, extra)
        return issues

    def _enum(self, value: Any, schema: Schema, path: str) -> _Issue | None:
        options = schema["enum"]
        if value in options:
            return None
        if (
            isinstance(value, str)
            and schema.get("x-enum-ignore-case")
            and value.lower() in {str(o).lower() for o in options}
        ):
            return None
        kind = "const" if len(options) == 1 else "other"
        return _Issue(path, f"{_label(path)} '{value}' is not allowed; use one of: {_show(options)}.", kind)

    def _string(self, value: str, schema: Schema, path: str) -> list[_Issue]:
        issues = []
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            issues.append(
                _Issue(
                    path, f"{_label(path)} is {len(value)} characters; the limit is {schema['maxLength']}."
                )
            )
        if "minLength" in schema and len(value) < schema["minLength"]:
            need = schema["minLength"]
            issues.append(
                _Issue(
                    path,
                    f"{_label(path)} is empty." if need == 1 else f"{_label(path)} needs {need}+ characters.",
                )
            )
        if "pattern" in schema and not re.search(schema["pattern"], value):
            issues.append(_Issue(path, f"{_label(path)} '{value}' does not match {schema['pattern']}."))
        return issues

    def _array(self, value: Sequence[Any], schema: Schema, path: str) -> list[_Issue]:
        issues = []
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            issues.append(
                _Issue(path, f"{_label(path)} has {len(value)} items; the limit is {schema['maxItems']}.")
            )
        if "minItems" in schema and len(value) < schema["minItems"]:
            issues.append(_Issue(path, f"{_label(path)} needs at least {schema['minItems']} item(s)."))
        if "items" in schema:
            for index, item in enumerate(value):
                issues += self.check(item, schema["items"], f"{path}[{index}]")
        return issues

    def _object(
        self, value: Mapping[str, Any], schema: Schema, path: str, extra: frozenset[str]
    ) -> list[_Issue]:
        issues = [
            _Issue(f"{path}.{key}", f"'{key}' is required.", "missing")
            for key in schema.get("required", ())
            if key not in value
        ]
        properties: Mapping[str, Schema] = schema.get("properties", {})
        for key, sub in properties.items():
            if key in value:
                issues += self.check(value[key], sub, f"{path}.{key}")
        if schema.get("additionalProperties") is False:
            allowed = set(properties) | extra
            issues += [
                _Issue(f"{path}.{key}", f"'{key}' is not allowed here.")
                for key in value
                if key not in allowed
            ]
        return issues

    def _one_of(
        self, value: Any, schema: Schema, path: str, active: frozenset[str], extra: frozenset[str]
    ) -> list[_Issue]:
        branches: list[Schema] = schema["oneOf"]
        discriminator = schema.get("discriminator")
        if discriminator and isinstance(value, Mapping):
            prop = discriminator["propertyName"]
            mapping: dict[str, str] = discriminator.get("mapping", {})
            tag = value.get(prop)
            field = f"{path}.{prop}"
            if tag is None:
                return [_Issue(field, f"'{prop}' is required.", "missing")]
            if not isinstance(tag, str) or tag not in mapping:
                return [_Issue(field, f"Unknown {prop} '{tag}'; use one of: {_show(mapping)}.")]
            return self.check(value, {"$ref": mapping[tag]}, path, active=active, extra=extra)

        # No discriminator: valid when any branch matches (anyOf semantics, as the spec means it:
        # a media object with both id and link is still a media object). Otherwise report the
        # branch the value most resembles.
        scored = []
        for index, branch in enumerate(branches):
            branch_issues = self.check(value, branch, path, active=active, extra=extra)
            if not branch_issues:
                return []
            shape = self._shape(self._resolve(branch))
            required, consts = shape
            keys = set(value) if isinstance(value, Mapping) else set()
            missing = len([k for k in required if k not in keys])
            mismatched = len([k for k, v in consts.items() if k in keys and value[k] != v])
            signals = len([k for k in required if k in keys]) + len(
                [k for k, v in consts.items() if k in keys and value[k] == v]
            )
            scored.append((mismatched, missing, -signals, len(branch_issues), index, branch_issues))
        applicable = [s for s in scored if s[0] == 0 and s[1] == 0]
        if applicable:
            return min(applicable, key=lambda s: s[3:5])[5]
        resembling = [s for s in scored if s[0] == 0 and s[2] < 0]
        if resembling:
            return min(resembling, key=lambda s: s[2:5])[5]
        shapes = " | ".join(self._describe(self._resolve(b)) for b in branches)
        return [_Issue(path, f"{_label(path)} matches none of the allowed shapes: {shapes}.")]

    def _shape(self, branch: Schema) -> tuple[list[str], dict[str, Any]]:
        required = list(branch.get("required", ()))
        consts = {
            key: sub["enum"][0]
            for key, sub in branch.get("properties", {}).items()
            if isinstance(sub, dict) and len(sub.get("enum", ())) == 1
        }
        return required, consts

    def _describe(self, branch: Schema) -> str:
        required, consts = self._shape(branch)
        parts = [f"{k}={consts[k]}" if k in consts else k for k in required]
        return " + ".join(parts) or "an object"


def infer_message_type(payload: Mapping[str, Any]) -> str | None:
    """``type`` as given, or the one message object present (``{"text": …}`` -> ``"text"``)."""
    given = payload.get("type")
    if isinstance(given, str):
        return given
    present = [t for t in MESSAGE_TYPES if t in payload]
    return present[0] if len(present) == 1 else None


class _KeyOrder:
    """Orders an object's keys as Meta's schema lists its properties, at every depth.

    An object's properties are those of its ``allOf`` members (base first), its own, and those of
    the ``oneOf`` branch it takes (by discriminator, else the first that fits, else the closest).
    Keys the schema does not name keep their relative order, after the named ones.
    """

    def __init__(self, validator: _Validator) -> None:
        self._validator = validator

    def apply(self, value: Any, schema: Schema) -> Any:
        if isinstance(value, Mapping):
            properties = self._properties(value, schema)
            keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
            return {key: self.apply(value[key], properties.get(key, {})) for key in keys}
        if isinstance(value, list):
            items: Schema = self._validator._resolve(schema).get("items", {})
            return [self.apply(item, items) for item in value]
        return value

    def _properties(
        self, value: Mapping[str, Any], schema: Schema, active: frozenset[str] = frozenset(), name: str = ""
    ) -> dict[str, Schema]:
        """Property name -> schema, in order; a later (more specific) schema keeps the first place."""
        if "$ref" in schema:
            target_name, target = self._validator._target(schema["$ref"])
            return self._properties(value, target, active, target_name)
        discriminator = schema.get("discriminator") or {}
        mapping: dict[str, str] = discriminator.get("mapping", {})
        tag = value.get(discriminator.get("propertyName", ""))
        mapped = mapping.get(tag) if isinstance(tag, str) else None
        if mapped and "oneOf" not in schema and name and name not in active:
            return self._properties(value, {"$ref": mapped}, active | {name})
        found: dict[str, Schema] = {}
        for member in schema.get("allOf", ()):
            found = _merged(found, self._properties(value, member, active))
        found = _merged(found, schema.get("properties", {}))
        if "oneOf" in schema:
            branch = {"$ref": mapped} if mapped else self._branch(value, schema["oneOf"], active)
            found = _merged(found, self._properties(value, branch, active))
        return found

    def _branch(self, value: Mapping[str, Any], branches: Sequence[Schema], active: frozenset[str]) -> Schema:
        for branch in branches:
            if not self._validator.check(value, branch, ROOT_PATH, active=active):
                return branch
        return max(branches, key=lambda b: len(set(value) & self._validator._property_names(b)))


def _merged(base: Mapping[str, Schema], more: Mapping[str, Schema]) -> dict[str, Schema]:
    """``base`` then ``more``'s new keys; the keys both name take ``base``'s places in ``more``'s
    order and ``more``'s schema (a subtype such as ButtonComponent reorders its base's fields)."""
    shared = iter([key for key in more if key in base])
    merged = {}
    for key in base:
        name = next(shared) if key in more else key
        merged[name] = more.get(name, base[name])
    merged.update({key: sub for key, sub in more.items() if key not in merged})
    return merged


def in_meta_order(payload: Mapping[str, Any]) -> dict[str, Any]:
    """``payload`` with its keys in the order of Meta's schema (``messaging_product`` first).

    A body without ``type`` is ordered as the message type it holds; a read receipt as one.
    """
    schemas = _default_schemas()
    if "status" in payload:
        schema = STATUS_REQUEST_SCHEMA
    else:
        mapping: dict[str, str] = schemas["Message"]["discriminator"]["mapping"]
        kind = infer_message_type(payload)
        schema = {"$ref": mapping.get(kind or "", _REF_PREFIX + "Message")}
    ordered: dict[str, Any] = _KeyOrder(_Validator(schemas)).apply(payload, schema)
    return ordered


def _interactive_action_issues(payload: Mapping[str, Any]) -> list[_Issue]:
    """The spec's ActionObject accepts any action shape for any interactive type; Meta does not."""
    interactive = payload.get("interactive")
    if not isinstance(interactive, Mapping):
        return []
    kind = interactive.get("type")
    action = interactive.get("action")
    if not isinstance(kind, str) or not isinstance(action, Mapping):
        return []
    base = f"{ROOT_PATH}.interactive"
    issues = []
    if kind != "product" and not isinstance(interactive.get("body"), Mapping):
        issues.append(_Issue(f"{base}.body", f"A '{kind}' message needs a body.", "missing"))
    needed: tuple[str, ...] = {
        "button": ("buttons",),
        "list": ("button", "sections"),
        "product": ("catalog_id", "product_retailer_id"),
        "product_list": ("catalog_id", "sections"),
    }.get(kind, ())
    absent = [key for key in needed if key not in action]
    if absent:
        issues.append(
            _Issue(f"{base}.action", f"A '{kind}' message needs action.{' and action.'.join(absent)}.")
        )
    action_name = INTERACTIVE_ACTION_NAMES.get(kind)
    if action_name and action.get("name") != action_name:
        issues.append(_Issue(f"{base}.action.name", f"A '{kind}' message needs action name '{action_name}'."))
    if kind == "product_list" and not isinstance(interactive.get("header"), Mapping):
        issues.append(_Issue(f"{base}.header", "A 'product_list' message needs a header.", "missing"))
    return issues


def validate_meta_payload(
    payload: Mapping[str, Any], *, default_region: str = "IN", schemas: Mapping[str, Schema] | None = None
) -> list[Problem]:
    """Every problem of a Meta message (or read-receipt) body; fields are ``payload.…`` paths.

    Placeholders left from Meta's examples come first (``core.placeholders``); a schema complaint
    about the same field would only repeat them, so it is dropped. ``to`` is checked as a phone
    number unless ``recipient_type`` is ``group``. ``schemas`` replaces the corrected Meta
    schemas (tests use it to switch errata off).
    """
    if not isinstance(payload, Mapping):
        return [Problem(ROOT_PATH, "The payload must be a JSON object.")]
    placeholders = placeholder_problems(payload, ROOT_PATH)
    held = {p.field for p in placeholders}
    issues = _schema_issues(payload, default_region, _default_schemas() if schemas is None else schemas)
    return placeholders + _problems(i for i in issues if i.path not in held)


def _schema_issues(
    payload: Mapping[str, Any], default_region: str, schemas: Mapping[str, Schema]
) -> list[_Issue]:
    validator = _Validator(schemas)
    if "status" in payload:
        return validator.check(payload, STATUS_REQUEST_SCHEMA, ROOT_PATH)

    working = dict(payload)
    issues = []
    type_optional = "type" not in schemas["BaseMessageProperties"].get("required", ())
    if "type" not in working and type_optional:
        present = [t for t in MESSAGE_TYPES if t in working]
        if len(present) == 1:
            working["type"] = present[0]
        elif not present:
            issues.append(
                _Issue(
                    f"{ROOT_PATH}.type",
                    f"Give a type and its object (one of: {_show(MESSAGE_TYPES)}).",
                    "missing",
                )
            )
        else:
            issues.append(_Issue(f"{ROOT_PATH}.type", f"Say which message this is: found {_show(present)}."))
    if not issues:
        issues = validator.check(working, {"$ref": _REF_PREFIX + "Message"}, ROOT_PATH)
        issues += [i for i in _interactive_action_issues(working) if i.path not in {j.path for j in issues}]

    to = working.get("to")
    to_path = f"{ROOT_PATH}.to"
    if isinstance(to, str) and working.get("recipient_type", "individual") != "group":
        if not to.strip():
            issues.append(_Issue(to_path, "Enter the recipient's phone number."))
        elif not any(i.path == to_path for i in issues):
            try:
                normalize_number(to, default_region)
            except InvalidNumber as err:
                issues.append(_Issue(to_path, str(err)))
    return issues


def _problems(issues: Iterable[_Issue]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    problems = []
    for issue in issues:
        if (issue.path, issue.message) not in seen:
            seen.add((issue.path, issue.message))
            problems.append(Problem(issue.path, issue.message))
    return problems
