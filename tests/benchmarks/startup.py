"""Start-up, side by side: a one-shot read with the console against the AWS CLI, and `--help`.

Both one-shots list voice connectors from the same running `switchboard sandbox`, from fresh
processes, interleaved run by run so load on the machine hits both alike. "cold" is each
command's first run in this benchmark (the OS file cache may already be warm); "warm" is the
median of the runs after it.

Two ratios are printed. The must-hold is judged on the command as people run it: the default
configuration, which lists every configured region (two) concurrently, where the CLI lists one.
"one region" (`VOICE_REGIONS=us-east-1`) compares like with like. "imports only" is what loading
the console's modules costs before anything runs, with the collector handled as the executable
handles it (paused while loading, frozen before exit; see `bot.__main__.command_line`).
"""

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 9
BIN = Path(sys.executable).parent
CONSOLE_IMPORTS = (
    "import gc; gc.disable(); import bot.__main__, bot.console, bot.runtime, bot.surfaces; gc.freeze()"
)


async def _run(command: list[str], env: dict[str, str], cwd: str) -> float:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, error = await process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {error.decode()}")
    return elapsed


async def _sandbox(env: dict[str, str], cwd: str) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        str(BIN / "switchboard"), "sandbox", "--port", "0", env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    line = (await process.stdout.readline()).decode()
    return process, line.rsplit(" ", 1)[-1].strip()


def _figures(times: list[float]) -> str:
    return f"cold {times[0]:.2f} s   warm {statistics.median(times[1:]):.2f} s"


def _byte_compile() -> None:
    """Compile the project's modules as pip does for an installed package (the AWS CLI's are): an
    editable install under PYTHONDONTWRITEBYTECODE would otherwise compile them on every run."""
    import compileall

    root = Path(__file__).resolve().parents[2]
    for package in ("bot", "commands", "voice_domain"):
        compileall.compile_dir(root / package, quiet=1)


async def bench_startup() -> None:
    print(f"\n== Start-up: one-shot read vs the AWS CLI, median of {RUNS - 1} warm runs ==")
    _byte_compile()
    with tempfile.TemporaryDirectory() as directory:
        env = os.environ | {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        sandbox, url = await _sandbox(env, directory)
        try:
            env["AWS_ENDPOINT_URL_CHIME_SDK_VOICE"] = url
            commands = {
                "switchboard console": [str(BIN / "switchboard"), "console", "-c", "/voice connectors"],
                "  (one region)": [str(BIN / "switchboard"), "console", "-c", "/voice connectors"],
                "aws chime-sdk-voice": [
                    str(BIN / "aws"),
                    "chime-sdk-voice",
                    "list-voice-connectors",
                    "--endpoint-url",
                    url,
                ],
                "switchboard --help": [str(BIN / "switchboard"), "--help"],
                "  (imports only)": [sys.executable, "-c", CONSOLE_IMPORTS],
            }
            one_region = env | {"VOICE_REGIONS": "us-east-1"}
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(RUNS):
                for name, command in commands.items():
                    run_env = one_region if name == "  (one region)" else env
                    times[name].append(await _run(command, run_env, directory))
        finally:
            sandbox.terminate()
            await sandbox.wait()
    for name, measured in times.items():
        print(f"{name:<20}{_figures(measured)}")
    console = statistics.median(times["switchboard console"][1:])
    alone = statistics.median(times["  (one region)"][1:])
    aws = statistics.median(times["aws chime-sdk-voice"][1:])
    print(
        f"console / aws CLI   {console / aws:.2f}x warm (default, two regions: the console lists every "
        "configured region, the CLI one)   goal <= 1.00x"
    )
    print(f"  (one region)      {alone / aws:.2f}x warm (like for like: one region each)")
    helped = statistics.median(times["switchboard --help"][1:])
    print(f"--help              {helped:.2f} s warm   goal < 0.30 s")
