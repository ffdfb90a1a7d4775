"""Reading Bot API parameters from an HTTP request, in every encoding Telegram accepts.

Parameters may come in the query string, an application/x-www-form-urlencoded body, a
multipart/form-data body (with file parts) or a JSON object body. Files referenced as
`attach://<name>` are resolved to their part.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import BodyPartReader, web

from oudersbot.simulator.errors import ApiError, bad_request
from oudersbot.simulator.validation import UploadedFile

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_ATTACH = "attach://"


async def read_params(request: web.Request) -> dict[str, Any]:
    """Return the request's parameters: strings from forms, JSON values, UploadedFile parts."""
    params: dict[str, Any] = dict(request.query) if request.query_string else {}
    if not request.body_exists:
        return params
    content_type = request.content_type
    if content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        params.update((key, value) for key, value in form.items() if isinstance(value, str))
    elif content_type == "multipart/form-data":
        await _read_multipart(request, params)
    elif content_type == "application/json":
        params.update(await _read_json(request))
    return params


async def _read_json(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise bad_request("can't parse JSON request body") from None
    if not isinstance(body, dict):
        raise bad_request("the JSON request body must be an object")
    return body


async def _read_multipart(request: web.Request, params: dict[str, Any]) -> None:
    files: dict[str, UploadedFile] = {}
    total = 0
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or not part.name:
            raise bad_request("can't parse multipart/form-data request body")
        if part.filename is None:
            params[part.name] = await part.text()
            continue
        size = 0
        chunks = []
        while chunk := await part.read_chunk():
            size += len(chunk)
            total += len(chunk)
            if total > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            chunks.append(chunk)
        content_type = part.headers.get("Content-Type", "application/octet-stream")
        files[part.name] = UploadedFile(part.filename, content_type, size, b"".join(chunks))
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith(_ATTACH):
            attached = files.pop(value.removeprefix(_ATTACH), None)
            if attached is None:
                raise bad_request(f'file "{value}" is not attached to the request')
            params[key] = attached
    params.update(files)
