"""Shared fixtures: real peers on loopback (the sandbox, the Slack stand-in), never stubs."""

pytest_plugins = ["tests.sandbox_fixtures", "tests.bot_harness", "tests.postgres"]
