"""Prometheus metrics (prometheus_client): what an operator graphs and alerts on.

Per replica; scrape every replica. The pending-changes gauge is read from the shared store at
scrape time, so every replica reports the same, true number.

Recorded only once `enable()` has run, which the HTTP server does when it serves /metrics: the
console has nothing to scrape, and a one-shot command should not pay for loading prometheus_client.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "switchboard_commands_total",
            "Commands handled, by verb (e.g. 'origination set') and outcome.",
            ["verb", "outcome"],
            registry=self.registry,
        )
        self.aws_calls = Histogram(
            "switchboard_aws_call_seconds",
            "Chime SDK Voice call latency per attempt, by operation.",
            ["operation"],
            registry=self.registry,
        )
        self.aws_errors = Counter(
            "switchboard_aws_errors_total",
            "Chime SDK Voice call failures per attempt, by operation and error code.",
            ["operation", "code"],
            registry=self.registry,
        )
        self.acks = Histogram(
            "switchboard_slack_ack_seconds",
            "Time from receiving a Slack request to answering it (Slack allows 3 s).",
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
            registry=self.registry,
        )
        self.slow_acks = Counter(
            "switchboard_slack_slow_acks_total",
            "Slack requests answered after more than 1 s.",
            registry=self.registry,
        )
        self.pending = Gauge(
            "switchboard_pending_changes",
            "Previewed changes waiting for confirmation (all replicas).",
            registry=self.registry,
        )


_recording: _Metrics | None = None


def enable() -> _Metrics:
    """Start recording (idempotent): one registry per process, however many servers it builds."""
    global _recording
    if _recording is None:
        _recording = _Metrics()
    return _recording


def count_command(verb: str, outcome: str) -> None:
    if _recording is not None:
        _recording.commands.labels(verb, outcome).inc()


def count_aws_error(operation: str, code: str) -> None:
    if _recording is not None:
        _recording.aws_errors.labels(operation, code).inc()


@contextmanager
def timed_aws_call(operation: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if _recording is not None:
            _recording.aws_calls.labels(operation).observe(time.perf_counter() - started)


@contextmanager
def timed_ack() -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        if _recording is not None:
            _recording.acks.observe(elapsed)
            if elapsed > 1.0:
                _recording.slow_acks.inc()


def exposition(pending: int) -> tuple[bytes, str]:
    """The scrape page and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    recording = enable()
    recording.pending.set(pending)
    return generate_latest(recording.registry), CONTENT_TYPE_LATEST
