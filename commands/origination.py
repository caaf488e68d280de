"""Origination (calls from Chime to your SIP hosts): show, set, enable, disable, clear, and
route-level edits: add, remove or change one route, drain one host."""

import re
from typing import Annotated, ClassVar, Self

from pydantic import Field, model_validator

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from voice_domain.located import Reference
from voice_domain.origination import RouteAddress
from voice_domain.shapes import MAX_ROUTES, Route
from voice_domain.values import Host, Name, Protocol

_ROUTE_NEEDS = (("/tcp or /udp", "protocol"), ("priority=N", "priority"), ("weight=N", "weight"))
_HOST_PORT_PROTOCOL = re.compile(r"^(?P<host>[^:/,]+)(?::(?P<port>[^/,]*))?(?:/(?P<protocol>[^,]*))?$")


def parse_route(token: str) -> dict[str, object]:
    """`HOST[:PORT]/tcp|udp,priority=N,weight=N` → the fields of a Route."""
    head, *settings = token.split(",")
    match = _HOST_PORT_PROTOCOL.match(head)
    if not match:
        raise ValueError("a route is HOST[:PORT]/tcp|udp,priority=N,weight=N")
    route: dict[str, object] = {"host": match["host"]}
    if match["port"] is not None:
        route["port"] = _whole_number("port", match["port"])
    if match["protocol"] is not None:
        route["protocol"] = match["protocol"]
    for setting in settings:
        key, equals, value = setting.partition("=")
        if not equals or key not in ("priority", "weight"):
            raise ValueError(f"'{setting}' is not priority=N or weight=N")
        route[key] = _whole_number(key, value)
    missing = [what for what, key in _ROUTE_NEEDS if key not in route]
    if missing:
        # AWS's documentation calls these optional but rejects routes without them; a route that
        # says exactly how it distributes calls is also what an on-call engineer wants to review.
        raise ValueError(f"the route needs {', '.join(missing)} (the port defaults to 5060)")
    return route


def parse_address(token: str) -> dict[str, object]:
    """`HOST[:PORT]` → the fields of a RouteAddress."""
    host, colon, port = token.partition(":")
    if not host or "/" in token or "," in token:
        raise ValueError("a route is named by HOST or HOST:PORT, such as sbc1.example.com:5060")
    address: dict[str, object] = {"host": host}
    if colon:
        address["port"] = _whole_number("port", port)
    return address


def _whole_number(what: str, text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"the {what} must be a whole number, not '{text}'")
    return int(text)


class OriginationShow(ReadCommand):
    words = ("origination", "show")
    task = "incident"
    summary = "Show a connector's origination routes and whether origination is enabled."
    params = (CONNECTOR,)
    examples = ("/voice origination show pstn-primary",)
    permission = "origination.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class _OriginationChange(ChangeCommand):
    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class OriginationSet(_OriginationChange):
    words = ("origination", "set")
    task = "incident"
    summary = "Replace a connector's origination routes (all of them: routes not given are removed)."
    params = (
        CONNECTOR,
        Param(
            "routes",
            "HOST[:PORT]/tcp|udp,priority=N,weight=N",
            "a route (repeatable, at most 20); priority 1 is tried first, weight splits traffic",
            "--route",
            repeat=True,
            convert=parse_route,
        ),
        Param(
            "disabled",
            "",
            "store the routes but leave origination disabled",
            "--disabled",
            switch=True,
            required=False,
        ),
    )
    examples = (
        "/voice origination set abcdef1ghij2klmno3pqr4 --route 10.24.34.0:1234/tcp,priority=1,weight=5",
        "/voice origination set pstn-primary --route sip1.example.com:5060/udp,priority=1,weight=10"
        " --route sip2.example.com:5060/udp,priority=2,weight=10",
    )
    permission = "origination.set"

    routes: list[Route] = Field(min_length=1, max_length=MAX_ROUTES)
    disabled: bool = False


class OriginationToggle(_OriginationChange):
    """Enable or disable origination, keeping the routes as they are (read from AWS first)."""

    params = (CONNECTOR,)
    disable: ClassVar[bool]


class OriginationDisable(OriginationToggle):
    words = ("origination", "disable")
    task = "incident"
    summary = "Stop sending calls to a connector's SIP hosts (routes are kept)."
    examples = ("/voice origination disable pstn-primary --incident INC-4711",)
    permission = "origination.disable"
    disable = True


class OriginationEnable(OriginationToggle):
    words = ("origination", "enable")
    task = "incident"
    summary = "Resume sending calls to a connector's SIP hosts."
    examples = ("/voice origination enable pstn-primary",)
    permission = "origination.enable"
    disable = False


class OriginationClear(_OriginationChange):
    words = ("origination", "clear")
    task = "onboarding"
    summary = "Delete a connector's origination settings altogether."
    params = (CONNECTOR,)
    examples = ("/voice origination clear pstn-primary",)
    permission = "origination.clear"


ROUTE = Param(
    "route",
    "HOST[:PORT]/tcp|udp,priority=N,weight=N",
    "the route, as `origination set --route` takes it; priority 1 is tried first",
    convert=parse_route,
)
ROUTE_ADDRESS = Param(
    "address",
    "HOST[:PORT]",
    "the route's host; add the port if the host has several routes",
    convert=parse_address,
)
_CHANGEABLE = ("port", "protocol", "priority", "weight")


class OriginationRouteAdd(_OriginationChange):
    words = ("origination", "route", "add")
    task = "onboarding"
    summary = "Add one origination route; the others stay as they are."
    params = (CONNECTOR, ROUTE)
    examples = ("/voice origination route add pstn-primary sbc3.example.com:5060/udp,priority=1,weight=10",)
    permission = "origination.route"

    route: Route


class OriginationRouteRemove(_OriginationChange):
    words = ("origination", "route", "remove")
    task = "onboarding"
    summary = "Remove one origination route; the others stay as they are."
    params = (CONNECTOR, ROUTE_ADDRESS)
    examples = ("/voice origination route remove pstn-primary sbc3.example.com",)
    permission = "origination.route"

    address: RouteAddress


class OriginationRouteChange(_OriginationChange):
    words = ("origination", "route", "change")
    task = "incident"
    summary = "Change one origination route's priority, weight, port or protocol."
    params = (
        CONNECTOR,
        ROUTE_ADDRESS,
        Param("priority", "N", "new priority, 1–100 (1 is tried first)", "--priority", required=False),
        Param(
            "weight", "N", "new weight, 1–100 (splits calls within a priority)", "--weight", required=False
        ),
        Param("port", "N", "new port, 0–65535", "--port", required=False),
        Param("protocol", "tcp|udp", "new protocol", "--protocol", required=False),
    )
    examples = (
        "/voice origination route change pstn-primary sbc1.example.com --weight 1 --incident INC-4711",
        "/voice origination route change pstn-primary sbc2.example.com:5061 --priority 1",
    )
    permission = "origination.route"

    address: RouteAddress
    priority: Annotated[int, Field(ge=1, le=100)] | None = None
    weight: Annotated[int, Field(ge=1, le=100)] | None = None
    port: Annotated[int, Field(ge=0, le=65535)] | None = None
    protocol: Protocol | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.updates():
            raise ValueError("give at least one of --priority, --weight, --port, --protocol")
        return self

    def updates(self) -> dict[str, object]:
        """The route fields this command sets, by their Route names."""
        return {name: getattr(self, name) for name in _CHANGEABLE if getattr(self, name) is not None}


class OriginationDrain(_OriginationChange):
    words = ("origination", "drain")
    task = "incident"
    summary = "Take one SIP host out of rotation: its routes go, the others stay (undo puts it back)."
    params = (CONNECTOR, Param("host", "HOST", "the SIP host (FQDN or IP address) to take out"))
    examples = ("/voice origination drain pstn-primary sbc1.example.com --incident INC-4711",)
    permission = "origination.drain"

    host: Host
