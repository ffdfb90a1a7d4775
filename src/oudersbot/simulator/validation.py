"""Validators compiled once from the Bot API spec: method parameters and returned objects.

Two modes share the same compiled type checks:

* *request* mode (`MethodValidator.validate`): top-level parameters may arrive as strings
  (query string, form encodings), so numbers, booleans and JSON-serialized objects are decoded
  from strings before their type is checked. Nested values must have their JSON types.
* *strict* mode (`SpecValidator.validate_object` / `validate_result`): what the simulator
  returns must have exactly the JSON types the spec lists, no unknown fields and every
  required field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from oudersbot.simulator.spec import load_spec

Check = Callable[[Any, str], Any]
"""A compiled check: takes a value and its path, returns the normalized value or raises."""

_CONST_RE = re.compile(r'(?:always|must be) "?([a-z_]+)"?')
_INT_RE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


class SpecError(Exception):
    """A value does not match the spec; `reason` follows "Bad Request: " in the answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file uploaded as a multipart/form-data part (the spec's InputFile)."""

    filename: str
    content_type: str
    size: int
    data: bytes = b""  # the bytes themselves (a voice upload's format is checked)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One compiled field: its name, whether it is required, and its type checks."""

    name: str
    required: bool
    strict: Check
    lenient: Check


def _describe(path: str) -> str:
    return f'parameter "{path}"' if "." not in path and "[" not in path else f'field "{path}"'


def _type_error(path: str, expected: str) -> SpecError:
    return SpecError(f"{_describe(path)} must be {expected}")


def _check_integer(value: Any, path: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _type_error(path, "Integer")


def _check_float(value: Any, path: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise _type_error(path, "Float")


def _check_boolean(value: Any, path: str) -> bool:
    if isinstance(value, bool):
        return value
    raise _type_error(path, "Boolean")


def _check_string(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    raise _type_error(path, "String")


def _check_input_file(value: Any, path: str) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    raise _type_error(path, "InputFile (a multipart/form-data upload)")


def _lenient_integer(value: Any, path: str) -> int:
    if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        return int(value)
    return _check_integer(value, path)


def _lenient_float(value: Any, path: str) -> float:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise _type_error(path, "Float") from None
    return _check_float(value, path)


def _lenient_boolean(value: Any, path: str) -> bool:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return _check_boolean(value, path)


def _json_decoding(check: Check) -> Check:
    """Wrap a strict check so that a JSON-serialized string is decoded first."""

    def lenient(value: Any, path: str) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise SpecError(f"can't parse JSON object in {_describe(path)}") from None
        return check(value, path)

    return lenient


def _button_data_rule(button: dict[str, Any], path: str) -> None:
    data = button.get("callback_data")
    if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
        raise SpecError("BUTTON_DATA_INVALID")
    if not _BUTTON_ACTIONS.intersection(button):
        raise SpecError(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


_OBJECT_RULES: dict[str, Callable[[dict[str, Any], str], None]] = {
    "InlineKeyboardButton": _button_data_rule,
}


class SpecValidator:
    """All validators of the spec, compiled once; cheap to call per request."""

    @classmethod
    @cache
    def default(cls) -> SpecValidator:
        """The validator of the vendored spec, compiled once per process and shared."""
        return cls()

    def __init__(self, spec: Mapping[str, Any] | None = None) -> None:
        self._spec = spec if spec is not None else load_spec()
        self._types: dict[str, Check] = {}
        for name, type_spec in self._spec["types"].items():
            self._types[name] = self._compile_type(name, type_spec)
        self._methods: dict[str, MethodValidator] = {}
        self._results: dict[str, Check] = {}
        for name, method_spec in self._spec["methods"].items():
            rules = [self._field_rule(field) for field in method_spec.get("fields", [])]
            self._methods[name] = MethodValidator(name, rules)
            self._results[name] = self.compile(method_spec["returns"], lenient=False)

    @property
    def version(self) -> str:
        """The Bot API version the validators were compiled from."""
        return str(self._spec["version"])

    def has_method(self, name: str) -> bool:
        """Tell whether the spec defines a method of that exact name."""
        return name in self._methods

    def method(self, name: str) -> MethodValidator:
        """Return the parameter validator of a Bot API method."""
        return self._methods[name]

    def validate_object(self, type_name: str, value: Any, path: str = "") -> None:
        """Check a JSON value strictly against a spec type; raise SpecError if it differs."""
        self._types[type_name](value, path or type_name)

    def validate_result(self, method: str, value: Any) -> None:
        """Check strictly that a method's result has one of the spec's return types."""
        self._results[method](value, f"{method}.result")

    def compile(self, types: list[str], *, lenient: bool) -> Check:
        """Compile a spec type union such as ["Integer", "String"] into a check."""
        checks = [self._compile_term(term, lenient=lenient) for term in types]
        if len(checks) == 1:
            return checks[0]
        expected = " or ".join(types)
        object_terms = [term for term in types if term in self._spec["types"]]
        if lenient and object_terms and len(object_terms) == len(types):
            return _json_decoding(self._object_union(object_terms, expected))
        if not lenient and object_terms and len(object_terms) == len(types):
            return self._object_union(object_terms, expected)

        def union(value: Any, path: str) -> Any:
            for check in checks:
                try:
                    return check(value, path)
                except SpecError:
                    continue
            raise _type_error(path, expected)

        return union

    def _object_union(self, names: list[str], expected: str) -> Check:
        required = {
            name: {f["name"] for f in self._spec["types"][name].get("fields", []) if f["required"]}
            for name in names
        }
        types = self._types

        def union(value: Any, path: str) -> Any:
            if not isinstance(value, dict):
                raise _type_error(path, expected)
            candidates = [name for name in names if required[name] <= value.keys()]
            if not candidates:
                raise SpecError(f"{_describe(path)} must be {expected}")
            first_error: SpecError | None = None
            for name in candidates:
                try:
                    return types[name](value, path)
                except SpecError as error:
                    first_error = first_error or error
            assert first_error is not None
            raise first_error

        return union

    def _compile_term(self, term: str, *, lenient: bool) -> Check:
        if term.startswith("Array of "):
            item = self._compile_term(term.removeprefix("Array of "), lenient=False)

            def array(value: Any, path: str) -> list[Any]:
                if not isinstance(value, list):
                    raise _type_error(path, term)
                return [item(element, f"{path}[{index}]") for index, element in enumerate(value)]

            return _json_decoding(array) if lenient else array
        simple: dict[str, tuple[Check, Check]] = {
            "Integer": (_check_integer, _lenient_integer),
            "Float": (_check_float, _lenient_float),
            "Boolean": (_check_boolean, _lenient_boolean),
            "String": (_check_string, _check_string),
            "InputFile": (_check_input_file, _check_input_file),
        }
        if term in simple:
            return simple[term][1 if lenient else 0]
        if term not in self._spec["types"]:
            raise ValueError(f"unknown spec type {term!r}")
        types = self._types

        def reference(value: Any, path: str) -> Any:
            return types[term](value, path)

        return _json_decoding(reference) if lenient else reference

    def _field_rule(self, field: Mapping[str, Any]) -> FieldRule:
        return FieldRule(
            name=field["name"],
            required=bool(field["required"]),
            strict=self.compile(field["types"], lenient=False),
            lenient=self.compile(field["types"], lenient=True),
        )

    def _compile_type(self, name: str, type_spec: Mapping[str, Any]) -> Check:
        if "subtypes" in type_spec:
            return self._compile_abstract(name, type_spec["subtypes"])
        rules = {field["name"]: self._field_rule(field) for field in type_spec.get("fields", [])}
        required = [rule.name for rule in rules.values() if rule.required]
        extra_rule = _OBJECT_RULES.get(name)

        def check_object(value: Any, path: str) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _type_error(path, name)
            result: dict[str, Any] = {}
            for key, item in value.items():
                rule = rules.get(key)
                if rule is None:
                    raise SpecError(f'unknown field "{key}" in {name} at "{path}"')
                result[key] = rule.strict(item, f"{path}.{key}")
            for key in required:
                if key not in value:
                    raise SpecError(f'field "{path}.{key}" is required in {name}')
            if extra_rule is not None:
                extra_rule(result, path)
            return result

        return check_object

    def _compile_abstract(self, name: str, subtypes: list[str]) -> Check:
        objects = [term for term in subtypes if term in self._spec["types"]]
        others = [
            self._compile_term(term, lenient=False) for term in subtypes if term not in objects
        ]
        by_const: dict[tuple[str, str], str] = {}
        for subtype in objects:
            for field in self._spec["types"][subtype].get("fields", [])[:2]:
                match = _CONST_RE.search(field["description"])
                if field["name"] in {"type", "status", "source"} and match:
                    by_const[(field["name"], match.group(1))] = subtype
        discriminated = bool(objects) and len(by_const) == len(objects)
        keys = {key for key, _ in by_const}
        types = self._types

        def check_abstract(value: Any, path: str) -> Any:
            if not isinstance(value, dict):
                for check in others:
                    try:
                        return check(value, path)
                    except SpecError:
                        continue
                raise _type_error(path, name)
            if discriminated:
                for key in keys:
                    tag = value.get(key)
                    subtype = by_const.get((key, tag)) if isinstance(tag, str) else None
                    if subtype is not None:
                        return types[subtype](value, path)
                raise SpecError(f"{_describe(path)} is not a valid {name}: unsupported type")
            first_error: SpecError | None = None
            for subtype in objects:
                try:
                    return types[subtype](value, path)
                except SpecError as error:
                    first_error = first_error or error
            raise first_error or _type_error(path, name)

        return check_abstract


_MISSING_REASONS = {"chat_id": "chat_id is empty", "text": "message text is empty"}


class MethodValidator:
    """Checks the parameters of one method: required, unknown and types (request mode)."""

    def __init__(self, name: str, rules: list[FieldRule]) -> None:
        self.name = name
        self.rules = {rule.name: rule for rule in rules}
        self.required = tuple(rule.name for rule in rules if rule.required)

    def validate(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Return the decoded parameters, or raise SpecError for the first problem found."""
        result: dict[str, Any] = {}
        rules = self.rules
        for key, value in params.items():
            rule = rules.get(key)
            if rule is None:
                raise SpecError(f'unknown parameter "{key}" for method {self.name}')
            if value is None:
                continue
            result[key] = rule.lenient(value, key)
        for key in self.required:
            if key not in result:
                raise SpecError(_MISSING_REASONS.get(key, f'parameter "{key}" is required'))
        return result
