"""`--file` on Slack: a file someone shared, fetched with files.info and its private download URL."""

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.workflow import FileUnavailable
from commands.numbers import slack_file_id

MAX_BYTES = 2 * 1024 * 1024


class SlackFiles:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def read(self, reference: str) -> tuple[str, bytes]:
        file_id = slack_file_id(reference)
        if file_id is None:
            raise FileUnavailable(
                f"'{reference}' is not a Slack file link: upload the file, then paste its link"
            )
        try:
            info: Any = await self._client.files_info(file=file_id)
        except SlackApiError as error:
            raise FileUnavailable(f"Slack says {error.response.get('error')} for file {file_id}") from error
        file = info["file"]
        if int(file.get("size") or 0) > MAX_BYTES:
            raise FileUnavailable(f"{file.get('name')} is larger than {MAX_BYTES // 1024 // 1024} MB")
        headers = {"Authorization": f"Bearer {self._client.token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.get(file["url_private_download"], headers=headers, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise FileUnavailable(f"downloading {file.get('name')} failed (HTTP {response.status})")
            return str(file.get("name") or file_id), await response.content.read(MAX_BYTES + 1)
