"""A python-telegram-bot networking backend on aiohttp, for the outbox's many parallel sends.

PTB lets an application bring its own `BaseRequest`; its default (httpx) spends most of a
broadcast managing its connection pool. This one keeps a plain aiohttp connection pool.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData


class RequestNotSent(NetworkError):
    """The request never reached the server (refused, or no connection within the connect
    timeout): safe to send again. Any other network error leaves it open whether it arrived."""


class RequestUnanswered(NetworkError):
    """The request may have reached the server, but no answer came back (read timeout, the
    connection closed or reset while waiting): the message may have been delivered."""


def _seconds(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """Sends Bot API requests through one aiohttp session with a bounded connection pool."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 64,
        read_timeout: float = 10.0,
        connect_timeout: float = 5.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request; a network failure is RequestNotSent when the request provably never
        left, else RequestUnanswered (both PTB NetworkErrors)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                data = form
            else:
                data = request_data.json_parameters
        headers = {"User-Agent": self.USER_AGENT}
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise RequestNotSent("no connection within the connect timeout") from exc
        except aiohttp.ClientConnectorError as exc:
            raise RequestNotSent(f"aiohttp.{type(exc).__name__}: {exc.strerror}") from exc
        except TimeoutError as exc:
            raise RequestUnanswered("no answer within the read timeout") from exc
        except aiohttp.ClientError as exc:
            raise RequestUnanswered(f"aiohttp.{type(exc).__name__}: {exc}") from exc
