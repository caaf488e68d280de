"""The /_sandbox/ control plane: read or change fault knobs, inspect or reset state. No auth, not recorded."""

from __future__ import annotations

import json

from aiohttp import web
from pydantic import ValidationError

from bot.sandbox.context import SandboxContext

PREFIX = "/_sandbox"


def _problem(message: str) -> web.Response:
    return web.json_response({"message": message}, status=400)


class ControlEndpoints:
    def __init__(self, context: SandboxContext) -> None:
        self._context = context

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get(f"{PREFIX}/faults", self.get_faults)
        router.add_post(f"{PREFIX}/faults", self.set_faults)
        router.add_get(f"{PREFIX}/state", self.get_state)
        router.add_post(f"{PREFIX}/reset", self.reset)

    async def get_faults(self, request: web.Request) -> web.Response:
        return web.json_response(self._context.faults.settings.model_dump(mode="json"))

    async def set_faults(self, request: web.Request) -> web.Response:
        """Given knobs replace current ones (a given script replaces the queue); others are kept."""
        try:
            changes = json.loads(await request.read())
        except ValueError:
            return _problem("The body must be a JSON object of fault settings.")
        if not isinstance(changes, dict):
            return _problem("The body must be a JSON object of fault settings.")
        try:
            settings = self._context.faults.configure(changes)
        except ValidationError as error:
            return _problem(str(error))
        return web.json_response(settings.model_dump(mode="json"))

    async def get_state(self, request: web.Request) -> web.Response:
        return web.json_response(self._context.state.snapshot().model_dump(mode="json"))

    async def reset(self, request: web.Request) -> web.Response:
        """Back to the built-in fixtures (persisted like any other mutation)."""
        self._context.state.reset()
        self._context.persist()
        return web.json_response(self._context.state.snapshot().model_dump(mode="json"))
