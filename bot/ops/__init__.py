"""One module per resource: each command's read, plan, read-back, inverse and view, registered
against its command class (see `registry`). Importing the package loads every module here and then
checks the registry is complete, so a new resource is one new module."""

import importlib
import pkgutil

from bot.ops import registry

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

registry.check_complete()
