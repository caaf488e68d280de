"""`switchboard console` on a pseudo-terminal, as a person at a keyboard drives it."""

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from tests.helpers.polling import GUARD_SECONDS

ROOT = Path(__file__).resolve().parents[2]
ENTER, TAB, CTRL_C, CTRL_D = b"\r", b"\t", b"\x03", b"\x04"


class Terminal:
    """Keys in, screen out. `until` waits for text that appears after the last text it waited for,
    so an earlier prompt on the screen is never mistaken for the next one."""

    def __init__(self, *arguments: str, cwd: Path) -> None:
        self._controller, terminal = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", *arguments],
            cwd=cwd,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            # A pseudo-terminal does not answer prompt_toolkit's cursor-position requests.
            env={**os.environ, "PYTHONPATH": str(ROOT), "PROMPT_TOOLKIT_NO_CPR": "1"},
        )
        os.close(terminal)
        self.screen = ""
        self._seen = 0

    def type(self, *keys: bytes | str) -> None:
        for key in keys:
            os.write(self._controller, key.encode() if isinstance(key, str) else key)

    def until(self, text: str) -> str:
        """Wait for `text`; returns what appeared between the previous wait and it."""
        while text not in self.screen[self._seen :]:
            ready, _, _ = select.select([self._controller], [], [], GUARD_SECONDS)
            assert ready, f"never saw {text!r}; screen:\n{self.screen}"
            self.screen += os.read(self._controller, 65536).decode(errors="replace")
        start = self._seen
        self._seen = self.screen.index(text, start) + len(text)
        return self.screen[start : self._seen]

    def leave(self) -> int:
        """Ctrl-D at the prompt; the exit code."""
        self.until("/voice>")
        self.type(CTRL_D)
        return self.process.wait(timeout=GUARD_SECONDS)

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=GUARD_SECONDS)
        os.close(self._controller)
