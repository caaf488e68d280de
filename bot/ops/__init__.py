"""One module per resource: each command's read, plan, read-back, inverse and view, registered
against its command class (see `registry`). Importing the package checks the registry is complete."""

from bot.ops import connector, group, help, numbers, origination, proxy, registry

__all__ = ["connector", "group", "help", "numbers", "origination", "proxy", "registry"]

registry.check_complete()
