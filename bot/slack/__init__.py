"""The Slack surface: the only part of Switchboard that imports slack_bolt."""
