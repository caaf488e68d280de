"""Shared fixtures: real peers on loopback (the sandbox, the Slack stand-in), never stubs."""

pytest_plugins = [
    "tests.helpers.sandbox_fixtures",
    "tests.helpers.bot_harness",
    "tests.helpers.postgres",
    "tests.helpers.drift_fixtures",
]
