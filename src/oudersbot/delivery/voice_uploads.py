"""Voice files go to Telegram once per bot: the first send uploads the OGG bytes, every later
send names the file_id Telegram returned (kept in the database for the next process)."""

from __future__ import annotations

import asyncio

from oudersbot.delivery.errors import Sender
from oudersbot.store.db import Database
from oudersbot.store.voices import record_file_id, voice_audio


class VoiceUploads:
    """One bot's voice sends for its dispatcher."""

    def __init__(self, db: Database, sender: Sender, bot: str) -> None:
        self._db = db
        self._sender = sender
        self._bot = bot
        self._file_ids: dict[int, str] = {}
        self._uploading: dict[int, asyncio.Lock] = {}

    async def send(self, chat_id: int, voice_id: int, known: str | None) -> int:
        """Send the voice file to the chat; the Telegram message id. While the first upload of
        a file is under way, the other sends of it wait for its file_id."""
        file_id = self._file_ids.get(voice_id) or known
        if file_id is None:
            async with self._uploading.setdefault(voice_id, asyncio.Lock()):
                file_id = self._file_ids.get(voice_id)
                if file_id is None:
                    audio, seconds = await asyncio.to_thread(self._audio, voice_id)
                    message_id, file_id = await self._sender.send_voice(
                        chat_id, audio, duration=seconds
                    )
                    self._file_ids[voice_id] = file_id
                    await asyncio.to_thread(self._record, voice_id, file_id)
                    return message_id
        message_id, _ = await self._sender.send_voice(chat_id, file_id, duration=0)
        return message_id

    def _audio(self, voice_id: int) -> tuple[bytes, int]:
        with self._db.session() as session:
            return voice_audio(session, voice_id=voice_id)

    def _record(self, voice_id: int, file_id: str) -> None:
        with self._db.session() as session:
            record_file_id(session, voice_id=voice_id, bot=self._bot, file_id=file_id)
