"""One handler per supported operation, one module per resource: validated input members in, the
model's output shape out. A new resource adds a module here; importing the package loads them all."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.model import SERVICE_MODEL

if TYPE_CHECKING:
    from bot.sandbox.state import SandboxState

Params = dict[str, Any]
Handler = Callable[["SandboxState", str, Params], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {}


def handles(operation: str) -> Callable[[Handler], Handler]:
    """Register a handler; the name must be a model operation, so typos fail at import."""
    SERVICE_MODEL.operation_model(operation)

    def register(handler: Handler) -> Handler:
        HANDLERS[operation] = handler
        return handler

    return register


def is_mutating(operation: str) -> bool:
    """Anything but a GET changes state and must be persisted."""
    method: str = SERVICE_MODEL.operation_model(operation).http["method"]
    return method != "GET"


def with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    """A listing's answer, with NextToken only when there is a next page (as AWS omits it)."""
    if token is not None:
        body["NextToken"] = token
    return body


def load_all() -> None:
    """Import every resource module, so each registers its handlers."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


load_all()
