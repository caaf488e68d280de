"""`--file` on Slack: a file someone shared, fetched with files.info and its private download URL.

The bot can read every file in the workspace, but a person may only use one they can see where
they typed the command: the file must be shared in that conversation. A refused file's name and
contents are never shown. The bot token goes only to Slack's own file host (or, for the test
stand-in, the configured Web API host), so a crafted file record cannot send it elsewhere.
"""

from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.surfaces import FileUnavailable
from commands.numbers import slack_file_id

MAX_BYTES = 2 * 1024 * 1024
SLACK_FILE_HOST = ("https", "files.slack.com")


class SlackFiles:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        api = urlsplit(client.base_url)
        self._hosts = {SLACK_FILE_HOST}
        if api.hostname and api.hostname != "slack.com":  # a stand-in or proxy set with SLACK_API_URL
            self._hosts.add((api.scheme, api.netloc))

    async def read(self, reference: str, channel_id: str | None = None) -> tuple[str, bytes]:
        file_id = slack_file_id(reference)
        if file_id is None:
            raise FileUnavailable(
                f"'{reference}' is not a Slack file link: upload the file, then paste its link"
            )
        try:
            info: Any = await self._client.files_info(file=file_id)
        except SlackApiError as error:
            raise FileUnavailable(f"Slack says {error.response.get('error')} for file {file_id}") from error
        file = info.get("file") or {}
        if file.get("is_external") or file.get("mode") == "external":
            raise FileUnavailable(
                f"file {file_id} is a link to a file stored outside Slack; upload the file itself here"
            )
        if channel_id is None or not shared_in(file, channel_id):
            raise FileUnavailable(
                f"file {file_id} is not shared in this conversation; share it here, then try again"
            )
        if int(file.get("size") or 0) > MAX_BYTES:
            raise FileUnavailable(f"file {file_id} is larger than {MAX_BYTES // 1024 // 1024} MB")
        url = str(file.get("url_private_download") or "")
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) not in self._hosts:
            raise FileUnavailable(f"file {file_id} has no download link on Slack's file host")
        headers = {"Authorization": f"Bearer {self._client.token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.get(url, headers=headers, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise FileUnavailable(f"downloading file {file_id} failed (HTTP {response.status})")
            content = await response.content.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise FileUnavailable(f"file {file_id} is larger than {MAX_BYTES // 1024 // 1024} MB")
        return str(file.get("name") or file_id), content


def shared_in(file: dict[str, Any], channel_id: str) -> bool:
    """Whether files.info says the file is shared in this channel, private channel or DM."""
    listed = [*(file.get("channels") or []), *(file.get("groups") or []), *(file.get("ims") or [])]
    shares = file.get("shares") or {}
    return channel_id in listed or any(
        channel_id in (shares.get(kind) or {}) for kind in ("public", "private")
    )
