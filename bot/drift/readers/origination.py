"""Origination: a connector's inbound routes and whether origination is enabled."""

from bot.drift.readers.registry import State, per_connector_setting, register, split_key
from voice_domain.shapes import Route


def _routes(state: State) -> list[str]:
    return [Route.model_validate(route).describe() for route in state.get("Routes") or []]


def fields(state: State) -> dict[str, str]:
    return {
        "Routes": "; ".join(_routes(state)) or "(none)",
        "Origination": "disabled" if state.get("Disabled") else "enabled",
    }


def revert(resource: str, before: State | None, _after: State | None) -> str | None:
    """Put the routes back as they were, or clear what was set where nothing was."""
    ident = split_key(resource)[2]
    if before is None:
        return f"origination clear {ident}"
    routes = _routes(before)
    if not routes:
        return None  # origination set needs a route: an empty origination has no command
    text = f"origination set {ident}" + "".join(f" --route {route}" for route in routes)
    return text + (" --disabled" if before.get("Disabled") else "")


register(per_connector_setting("origination", "GetVoiceConnectorOrigination", "Origination", fields, revert))
