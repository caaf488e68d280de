"""One reader per resource, registered here: what the drift watch reads, and how it words and reverts it.

A new resource is one new module in this package that calls `register(Reader(...))`;
`per_connector_setting` makes the reader for any per-connector setting read with a Get operation.
Importing the package loads every module in it.
"""

import importlib
import pkgutil

from bot.drift.readers.registry import READERS, Reader, Scan, State, per_connector_setting, register

__all__ = ["READERS", "Reader", "Scan", "State", "per_connector_setting", "register"]

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")
