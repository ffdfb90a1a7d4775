"""Validators compiled from the vendored Bot API spec."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from oudersbot.simulator.spec import load_spec, vendored_spec_path
from oudersbot.simulator.validation import SpecError, SpecValidator, UploadedFile

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_SPEC = PROJECT_ROOT.parent / "shared" / "telegram-bot-api-spec" / "api.json"
SHARED_SPEC_SHA256 = "0950def6a1c900792c3a1d65ab13c1ee76d2f400a761df1aa0e6245e2355070a"
KEYBOARD = {"inline_keyboard": [[{"text": "Nederlands", "callback_data": "lang:nl"}]]}


@pytest.fixture(scope="module")
def validator() -> SpecValidator:
    return SpecValidator()


def reason(validator: SpecValidator, method: str, params: dict[str, Any]) -> str:
    with pytest.raises(SpecError) as caught:
        validator.method(method).validate(params)
    return caught.value.reason


def test_vendored_spec_is_the_shared_copy_unchanged() -> None:
    # A fresh clone has no ../shared: the digest of the shared copy, taken when it was vendored,
    # still tells an edited or truncated spec. Beside ../shared, the bytes are compared too.
    vendored = vendored_spec_path().read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == SHARED_SPEC_SHA256
    if SHARED_SPEC.exists():
        assert vendored == SHARED_SPEC.read_bytes()


def test_vendored_spec_ships_with_its_license() -> None:
    license_text = (vendored_spec_path().parent / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in license_text
    assert load_spec()["version"].startswith("Bot API")


def test_required_parameters(validator: SpecValidator) -> None:
    assert reason(validator, "sendMessage", {"text": "hoi"}) == "chat_id is empty"
    assert reason(validator, "sendMessage", {"chat_id": 1}) == "message text is empty"
    assert reason(validator, "deleteMessage", {"chat_id": 1}) == (
        'parameter "message_id" is required'
    )


def test_unknown_parameters_are_rejected(validator: SpecValidator) -> None:
    message = reason(validator, "sendMessage", {"chat_id": 1, "text": "x", "colour": "red"})
    assert message == 'unknown parameter "colour" for method sendMessage'


def test_form_strings_are_decoded_by_spec_type(validator: SpecValidator) -> None:
    params = validator.method("sendMessage").validate(
        {
            "chat_id": "42",
            "text": "hoi",
            "disable_notification": "true",
            "protect_content": "False",
            "reply_markup": json.dumps(KEYBOARD),
        }
    )
    assert params == {
        "chat_id": 42,
        "text": "hoi",
        "disable_notification": True,
        "protect_content": False,
        "reply_markup": KEYBOARD,
    }
    assert validator.method("sendMessage").validate({"chat_id": "@kanaal", "text": "x"})[
        "chat_id"
    ] == ("@kanaal")


def test_json_values_keep_their_types(validator: SpecValidator) -> None:
    params = validator.method("getUpdates").validate(
        {"offset": 5, "timeout": 0, "allowed_updates": ["message"]}
    )
    assert params == {"offset": 5, "timeout": 0, "allowed_updates": ["message"]}


@pytest.mark.parametrize(
    ("method", "params", "expected"),
    [
        ("deleteMessage", {"chat_id": 1, "message_id": "abc"}, "Integer"),
        ("deleteMessage", {"chat_id": 1, "message_id": True}, "Integer"),
        ("deleteMessage", {"chat_id": 1.5, "message_id": 1}, "Integer or String"),
        ("sendMessage", {"chat_id": 1, "text": 5}, "String"),
        ("sendMessage", {"chat_id": 1, "text": "x", "protect_content": "maybe"}, "Boolean"),
        ("getUpdates", {"allowed_updates": "message"}, "can't parse JSON"),
        ("getUpdates", {"allowed_updates": [1]}, "String"),
        ("sendPhoto", {"chat_id": 1, "photo": {"file": "x"}}, "InputFile or String"),
    ],
)
def test_wrong_types_are_rejected(
    validator: SpecValidator, method: str, params: dict[str, Any], expected: str
) -> None:
    assert expected in reason(validator, method, params)


def test_input_file_or_string(validator: SpecValidator) -> None:
    upload = UploadedFile("foto.jpg", "image/jpeg", 10)
    check = validator.method("sendPhoto")
    assert check.validate({"chat_id": 1, "photo": upload})["photo"] is upload
    assert check.validate({"chat_id": 1, "photo": "AgACfileid"})["photo"] == "AgACfileid"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            {"inline_keyboard": [[{"text": "x", "callback_data": "y", "colour": 1}]]},
            "unknown field",
        ),
        ({"inline_keyboard": [[{"text": 5, "callback_data": "y"}]]}, "inline_keyboard[0][0].text"),
        ({"inline_keyboard": [[{"callback_data": "y"}]]}, "inline_keyboard[0][0].text"),
        (
            {"inline_keyboard": [{"text": "x", "callback_data": "y"}]},
            "Array of InlineKeyboardButton",
        ),
        ({"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x"}]]}, "Text buttons are unallowed"),
        ({"keyboard_of_sorts": []}, "must be InlineKeyboardMarkup or ReplyKeyboardMarkup"),
        ("{not json", "can't parse JSON"),
    ],
)
def test_nested_inline_keyboard_is_validated_recursively(
    validator: SpecValidator, markup: Any, expected: str
) -> None:
    message = reason(validator, "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup})
    assert expected in message


def test_callback_data_limit_is_in_bytes(validator: SpecValidator) -> None:
    ok = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32}]]}  # 64 bytes
    assert validator.method("sendMessage").validate({"chat_id": 1, "text": "x", "reply_markup": ok})


def test_reply_markup_union_accepts_the_other_markups(validator: SpecValidator) -> None:
    check = validator.method("sendMessage")
    for markup in (
        {"remove_keyboard": True},
        {"force_reply": True},
        {"keyboard": [[{"text": "a"}]]},
    ):
        assert check.validate({"chat_id": 1, "text": "x", "reply_markup": markup})


def test_abstract_types_dispatch_on_their_type_field(validator: SpecValidator) -> None:
    check = validator.method("setMyCommands")
    commands = [{"command": "start", "description": "Start"}]
    assert check.validate({"commands": commands, "scope": {"type": "chat", "chat_id": 5}})
    assert "unsupported type" in reason(
        validator, "setMyCommands", {"commands": commands, "scope": {"type": "planet"}}
    )
    assert "scope.chat_id" in reason(
        validator, "setMyCommands", {"commands": commands, "scope": {"type": "chat"}}
    )


def test_strict_object_validation_of_results(validator: SpecValidator) -> None:
    user = {"id": 1, "is_bot": False, "first_name": "Amira"}
    message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "from": user}
    validator.validate_object("Message", message)
    validator.validate_result("sendMessage", message)
    validator.validate_result("getUpdates", [{"update_id": 1, "message": message}])
    validator.validate_result("deleteMessage", True)
    with pytest.raises(SpecError, match="unknown field"):
        validator.validate_object("Message", {**message, "colour": "red"})
    with pytest.raises(SpecError, match="Message.message_id"):
        validator.validate_object("Message", {**message, "message_id": "1"})
    with pytest.raises(SpecError, match="Message.chat.id"):
        validator.validate_object("Message", {**message, "chat": {"type": "private"}})
    with pytest.raises(SpecError, match="Boolean"):
        validator.validate_result("deleteMessage", "true")


def test_every_spec_type_and_method_compiles(validator: SpecValidator) -> None:
    spec = load_spec()
    assert all(validator.has_method(name) for name in spec["methods"])
    validator.validate_object("InputFile", {})
