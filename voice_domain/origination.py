"""Origination routes as the route-level commands address them: by host and port."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from voice_domain.shapes import Route
from voice_domain.values import Host

DEFAULT_PORT = 5060
"""API reference, OriginationRoute: Port "Defaults to 5060"."""


def port_of(route: Route) -> int:
    return DEFAULT_PORT if route.port is None else route.port


def same_host(route: Route, host: str) -> bool:
    """DNS names are case-insensitive, and a trailing dot names the same host."""
    return route.host.rstrip(".").casefold() == host.rstrip(".").casefold()


def same_route(one: Route, other: Route) -> bool:
    """Equal as AWS stores them: an omitted port is 5060; host case and protocol case do not matter."""
    return same_host(one, other.host) and (port_of(one), one.protocol, one.priority, one.weight) == (
        port_of(other),
        other.protocol,
        other.priority,
        other.weight,
    )


class RouteAddress(BaseModel):
    """`HOST[:PORT]`: which route a command means. Without a port it means the host's only route."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use, not at start-up

    host: Host
    port: Annotated[int, Field(ge=0, le=65535)] | None = None

    @classmethod
    def of(cls, route: Route) -> "RouteAddress":
        return cls(host=route.host, port=port_of(route))

    def matches(self, route: Route) -> bool:
        return same_host(route, self.host) and (self.port is None or self.port == port_of(route))

    def __str__(self) -> str:
        return self.host if self.port is None else f"{self.host}:{self.port}"
