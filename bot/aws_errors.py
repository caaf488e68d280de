"""AWS failures → messages an engineer mid-incident can act on: what failed, what it means, what to do."""

from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

# Codes for which the request certainly had no effect and may be sent again.
THROTTLED = frozenset({"ThrottledClientException", "Throttling", "ThrottlingException"})
# Codes and failures after which the server may or may not have acted.
SERVER_FAULTS = frozenset({"ServiceFailureException", "ServiceUnavailableException", "InternalServerError"})

_MEANINGS: dict[str, tuple[str, str]] = {
    "NotFoundException": (
        "AWS has no such resource (or it is in a region the bot does not search).",
        "Check the ID or name with `/voice connectors` or `/voice groups`.",
    ),
    "BadRequestException": (
        "AWS rejected the request as invalid.",
        "Correct the values named in the message and try again.",
    ),
    "ConflictException": (
        "The change conflicts with the resource's current state (for example numbers are still associated).",
        "Remove what still depends on it first, then try again.",
    ),
    "ResourceLimitExceededException": (
        "An account limit was reached.",
        "Delete unused resources or ask AWS Support for a quota increase.",
    ),
    "ThrottledClientException": (
        "AWS is throttling this account's requests; the bot retried with backoff and gave up.",
        "Wait a minute and try again; avoid running bulk changes in parallel.",
    ),
    "ServiceFailureException": (
        "AWS had an internal error.",
        "Try again; if it persists, check the AWS Health Dashboard for Chime SDK.",
    ),
    "ServiceUnavailableException": (
        "The Chime SDK Voice service is unavailable right now.",
        "Try again shortly; check the AWS Health Dashboard for Chime SDK.",
    ),
    "AccessDeniedException": (
        "The bot's AWS identity is not allowed to do this.",
        "Grant the missing chime: action to the bot's IAM role (see deploy/iam-policy.json).",
    ),
    "ForbiddenException": (
        "AWS refused the request for this account.",
        "Check the bot's IAM role and that Chime SDK Voice is enabled for the account.",
    ),
    "UnauthorizedClientException": (
        "AWS did not accept the bot's credentials.",
        "Check the bot's AWS credentials or role.",
    ),
    "NoCredentials": (
        "The bot has no AWS credentials.",
        "Give the bot an IAM role or set AWS credentials in its environment.",
    ),
    "ConnectionFailed": (
        "The bot could not reach the Chime SDK Voice endpoint.",
        "Check the network path or AWS_ENDPOINT_URL_CHIME_SDK_VOICE, then try again.",
    ),
    "Timeout": (
        "AWS did not answer in time.",
        "Check the current state before retrying a change: it may have been applied.",
    ),
}


@dataclass
class VoiceError(Exception):
    """A failed AWS call, explained. `maybe_applied` is True when the change may have happened."""

    operation: str
    code: str
    message: str
    status: int | None = None
    request_id: str | None = None
    maybe_applied: bool = False

    @property
    def meaning(self) -> str:
        return _MEANINGS.get(self.code, ("AWS returned an error.", "Read the message and try again."))[0]

    @property
    def advice(self) -> str:
        return _MEANINGS.get(self.code, ("", "Read the message and try again."))[1]

    @property
    def retryable(self) -> bool:
        return (
            self.code in THROTTLED
            or self.code in SERVER_FAULTS
            or self.code in ("ConnectionFailed", "Timeout")
        )

    def __str__(self) -> str:
        return f"{self.operation} failed: {self.code}: {self.message}"


def explain(operation: str, error: ClientError | BotoCoreError) -> VoiceError:
    """Classify an exception raised by an aiobotocore call."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        metadata = error.response.get("ResponseMetadata", {})
        code = str(details.get("Code") or "Unknown")
        return VoiceError(
            operation=operation,
            code=code,
            message=str(details.get("Message") or ""),
            status=metadata.get("HTTPStatusCode"),
            request_id=metadata.get("RequestId"),
            maybe_applied=code in SERVER_FAULTS,
        )
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return VoiceError(operation, "NoCredentials", str(error))
    if isinstance(error, ConnectTimeoutError | EndpointConnectionError):
        # The request never reached AWS: nothing was applied.
        return VoiceError(operation, "ConnectionFailed", str(error))
    if isinstance(error, ReadTimeoutError | ConnectionClosedError):
        return VoiceError(operation, "Timeout", str(error), maybe_applied=True)
    return VoiceError(operation, type(error).__name__, str(error), maybe_applied=True)
