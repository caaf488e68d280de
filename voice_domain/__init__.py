"""Amazon Chime SDK Voice as data: values, API shapes and located resources.

Shared by the command language, the service layer and the ops modules; it does no I/O and
imports nothing from `bot` or `commands`.
"""
