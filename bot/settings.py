"""Configuration from the environment (pydantic-settings): validated once, at start-up.

A bad or missing setting stops the process with a message naming the variable, so nobody finds
out mid-incident that the bot was half-configured.
"""

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from voice_domain.values import DEFAULT_COUNTRY, REGIONS, check_country


class AwsSettings(BaseSettings):
    """Where and how the bot reaches Chime SDK Voice."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    voice_regions: Annotated[list[str], NoDecode] = Field(
        default=["us-east-1", "us-west-2"],
        validation_alias="VOICE_REGIONS",
        description="regions searched for connectors and groups (comma-separated)",
    )
    voice_default_region: str = Field(default="us-east-1", validation_alias="VOICE_DEFAULT_REGION")
    default_country: str = Field(
        default=DEFAULT_COUNTRY,
        validation_alias="VOICE_DEFAULT_COUNTRY",
        description="where phone numbers typed without +COUNTRYCODE are read as being (ISO code)",
        # Checking a country loads phone number metadata: the default needs no check, and a
        # one-shot console that types no number loads none.
        validate_default=False,
    )
    endpoint_url: str | None = Field(default=None, validation_alias="AWS_ENDPOINT_URL_CHIME_SDK_VOICE")
    cloudtrail_endpoint_url: str | None = Field(default=None, validation_alias="AWS_ENDPOINT_URL_CLOUDTRAIL")
    connect_timeout: float = Field(default=5.0, gt=0, validation_alias="VOICE_CONNECT_TIMEOUT")
    read_timeout: float = Field(default=20.0, gt=0, validation_alias="VOICE_READ_TIMEOUT")
    max_attempts: int = Field(default=6, ge=1, le=20, validation_alias="VOICE_MAX_ATTEMPTS")
    max_concurrency: int = Field(default=10, ge=1, le=100, validation_alias="VOICE_MAX_CONCURRENCY")
    max_throttle_seconds: float = Field(default=120.0, gt=0, validation_alias="VOICE_MAX_THROTTLE_SECONDS")
    # AWS documents no maximum for E164PhoneNumbers; batches keep each request small and retryable.
    batch_size: int = Field(default=100, ge=1, le=1000, validation_alias="VOICE_BATCH_SIZE")

    @field_validator("voice_regions", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return (
            [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value
        )

    @field_validator("voice_regions")
    @classmethod
    def _known_regions(cls, regions: list[str]) -> list[str]:
        unknown = [region for region in regions if region not in REGIONS]
        if unknown or not regions:
            raise ValueError(f"unknown Chime SDK Voice region(s) {unknown}; choose from {', '.join(REGIONS)}")
        return regions

    @field_validator("default_country")
    @classmethod
    def _known_country(cls, code: str) -> str:
        return check_country(code)

    @field_validator("voice_default_region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in REGIONS:
            raise ValueError(f"unknown Chime SDK Voice region {region!r}; choose from {', '.join(REGIONS)}")
        return region


class CoreSettings(BaseSettings):
    """What every surface needs: where the audit log lives and which policy applies."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///.switchboard/switchboard.db", validation_alias="DATABASE_URL"
    )
    policy_file: Path | None = Field(default=None, validation_alias="POLICY_FILE")


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message names the environment variable."""


class SlackSettings(BaseSettings):
    """Slack credentials; secrets are SecretStr so they never reach a log line or a repr."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    api_url: str | None = Field(default=None, validation_alias="SLACK_API_URL")
    notify_channel: str | None = Field(default=None, validation_alias="NOTIFY_CHANNEL")

    def check(self, *, socket_mode: bool) -> None:
        """Refuse to start half-configured: name each missing or malformed setting."""
        problems = []
        token = self.bot_token.get_secret_value() if self.bot_token else ""
        if not token:
            problems.append("SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)")
        elif not token.startswith("xoxb-"):
            problems.append("SLACK_BOT_TOKEN does not look like a bot token (it should start with xoxb-)")
        if socket_mode:
            app_token = self.app_token.get_secret_value() if self.app_token else ""
            if not app_token.startswith("xapp-"):
                problems.append(
                    "SLACK_APP_TOKEN is missing or malformed (Socket Mode needs an app token, xapp-…)"
                )
        elif not (self.signing_secret and self.signing_secret.get_secret_value().strip()):
            problems.append("SLACK_SIGNING_SECRET is not set (HTTP mode verifies every request with it)")
        if self.api_url and not self.api_url.startswith(("http://", "https://")):
            problems.append("SLACK_API_URL must be an http(s) URL ending in /api/")
        if self.notify_channel is not None and not self.notify_channel.strip():
            problems.append("NOTIFY_CHANNEL is empty: set a channel ID or unset it")
        if problems:
            raise ConfigurationError("; ".join(problems))


class DriftSettings(BaseSettings):
    """The drift watch: how often the voice configuration is read back, and how gently."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    interval: float = Field(default=300.0, ge=0, validation_alias="DRIFT_INTERVAL")
    rate_share: float = Field(default=0.2, gt=0, le=1, validation_alias="DRIFT_RATE_SHARE")
    lease: float = Field(default=60.0, gt=0, validation_alias="DRIFT_LEASE")
    region_budget: float = Field(default=10.0, gt=0, validation_alias="VOICE_REQUEST_BUDGET")

    @field_validator("rate_share", mode="before")
    @classmethod
    def _percent(cls, value: object) -> object:
        """`20%` and `0.2` mean the same share; a bare number above 1 is a percentage too."""
        if isinstance(value, str):
            text = value.strip()
            number = float(text.rstrip("%").strip())
            return number / 100 if text.endswith("%") or number > 1 else number
        return value

    @property
    def enabled(self) -> bool:
        return self.interval > 0

    @property
    def watcher_rate(self) -> float:
        """Requests per second per region the watcher may send: its share of the region's budget."""
        return self.region_budget * self.rate_share
