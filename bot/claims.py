"""Who holds a change being applied, and whether that holder is still alive.

A claim names its process as `host:pid:nonce`; on the same host a dead pid is certain proof the
applier is gone (a restarted bot settles its predecessor's change at once), elsewhere only the
lease running out is.
"""

import os
import socket
import uuid
from datetime import datetime, timedelta

from bot.store import now


def this_process() -> str:
    """A claim for this process: host and pid, and a nonce so a reused pid is never mistaken."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def abandoned(claimed_by: str | None, renewed_at: datetime, lease: timedelta) -> bool:
    """Its applier is gone: this process's predecessor on this host, or silent past the lease."""
    host, _, rest = (claimed_by or "").partition(":")
    pid = rest.split(":")[0]
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return renewed_at <= now() - lease
