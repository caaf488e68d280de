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
# AWS did not accept the caller's identity: nothing will work until the credentials are fixed.
CREDENTIALS_REFUSED = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "InvalidClientTokenId",
        "ExpiredTokenException",
        "UnauthorizedClientException",
    }
)
_CHECK_STATE = "Try again; for a change, first check the current state: it may have been applied."
_CHECK_CREDENTIALS = (
    "Check the bot's AWS access key, secret key and session token (or its role), and the clock."
)

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
    "UnrecognizedClientException": ("AWS does not recognise the bot's access key.", _CHECK_CREDENTIALS),
    "InvalidSignatureException": ("AWS refused the request's signature.", _CHECK_CREDENTIALS),
    "SignatureDoesNotMatch": ("AWS refused the request's signature.", _CHECK_CREDENTIALS),
    "InvalidClientTokenId": ("AWS does not recognise the bot's access key.", _CHECK_CREDENTIALS),
    "ExpiredTokenException": ("The bot's AWS session token has expired.", _CHECK_CREDENTIALS),
    "500": (
        "AWS, or a load balancer in front of it, failed with HTTP 500 and no AWS error.",
        _CHECK_STATE,
    ),
    "502": (
        "A load balancer in front of AWS answered 502 Bad Gateway: the service behind it failed.",
        _CHECK_STATE,
    ),
    "503": (
        "A load balancer in front of AWS answered 503: the service is unavailable.",
        "Try again shortly; check the AWS Health Dashboard for Chime SDK.",
    ),
    "504": (
        "A load balancer in front of AWS gave up waiting (504): AWS may still be working on the request.",
        "Try again; for a change, check the current state in a minute first: it may have been applied.",
    ),
    "RegionDidNotAnswer": (
        "A configured region did not answer, so what it holds is unknown.",
        "Use the resource's ID instead of its name, or try again when the region answers "
        "(check the AWS Health Dashboard).",
    ),
    "RegionNotServed": (
        "The region is not one the bot searches (VOICE_REGIONS), so lookups would never find the result.",
        "Choose one of the configured regions, or ask an operator to add the region to VOICE_REGIONS.",
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

_NO_SUCH_NUMBER = (
    "The phone number is not in this account (numbers belong to the account, not to a region).",
    "See the account's numbers with `/voice numbers list`, or numbers to buy with `/voice numbers search`.",
)
# Where the code's usual meaning misleads: a missing phone number is no connector or group to look up.
_MEANINGS_BY_OPERATION: dict[tuple[str, str], tuple[str, str]] = {
    ("NotFoundException", "GetPhoneNumber"): _NO_SUCH_NUMBER,
    ("NotFoundException", "UpdatePhoneNumber"): _NO_SUCH_NUMBER,
    ("NotFoundException", "GetPhoneNumberOrder"): (
        "There is no phone number order with this ID in this account.",
        "Check the order ID that `/voice numbers order` answered.",
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

    def _explained(self) -> tuple[str, str]:
        return _MEANINGS_BY_OPERATION.get(
            (self.code, self.operation),
            _MEANINGS.get(self.code, ("AWS returned an error.", "Read the message and try again.")),
        )

    @property
    def meaning(self) -> str:
        return self._explained()[0]

    @property
    def advice(self) -> str:
        return self._explained()[1]

    @property
    def server_side(self) -> bool:
        """AWS (or a load balancer in front of it) failed: any 5xx, modeled or not (HTML, empty)."""
        return self.code in SERVER_FAULTS or (self.status is not None and self.status >= 500)

    @property
    def retryable(self) -> bool:
        return self.code in THROTTLED or self.server_side or self.code in ("ConnectionFailed", "Timeout")

    @property
    def may_still_land(self) -> bool:
        """Nobody waited for AWS's answer (a read timeout, a gateway's 504): the request may still
        be in progress, so a lookup right now cannot prove it had no effect."""
        return self.code == "Timeout" or self.status == 504

    @property
    def credentials_refused(self) -> bool:
        return self.code in CREDENTIALS_REFUSED

    def __str__(self) -> str:
        return f"{self.operation} failed: {self.code}: {self.message}"


def explain(operation: str, error: ClientError | BotoCoreError) -> VoiceError:
    """Classify an exception raised by an aiobotocore call."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        metadata = error.response.get("ResponseMetadata", {})
        status = metadata.get("HTTPStatusCode")
        explained = VoiceError(
            operation=operation,
            code=str(details.get("Code") or status or "Unknown"),
            message=_message(details, status),
            status=status,
            request_id=metadata.get("RequestId"),
        )
        explained.maybe_applied = explained.server_side
        return explained
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return VoiceError(operation, "NoCredentials", str(error))
    if isinstance(error, ConnectTimeoutError | EndpointConnectionError):
        # The request never reached AWS: nothing was applied.
        return VoiceError(operation, "ConnectionFailed", str(error))
    if isinstance(error, ReadTimeoutError | ConnectionClosedError):
        return VoiceError(operation, "Timeout", str(error), maybe_applied=True)
    return VoiceError(operation, type(error).__name__, str(error), maybe_applied=True)


def _message(details: dict[str, str], status: int | None) -> str:
    """AWS's message; for a bare 5xx (an HTML page or empty body) botocore has only the status
    phrase, so say where it came from: nobody should read "Bad Gateway" as AWS's verdict."""
    message = str(details.get("Message") or "")
    if status is not None and status >= 500 and details.get("Code") == str(status):
        return f"HTTP {status} {message} with no AWS error in the body (a load balancer or proxy answered)."
    return message
