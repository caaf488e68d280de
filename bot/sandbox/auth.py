"""SigV4 authentication as AWS's front door applies it, before any operation runs.

Checked always: an Authorization header (else MissingAuthenticationTokenException), its form
(IncompleteSignatureException), a credential scope naming service `chime` (the model's signingName)
and a Region botocore's endpoint data lists for chime-sdk-voice, and an X-Amz-Date within 15 minutes
of the sandbox's clock (InvalidSignatureException "Signature expired"). Checked when the sandbox is
given credentials: the access key (UnrecognizedClientException) and the signature itself, recomputed
with botocore's own SigV4Auth (InvalidSignatureException). All are 403 with the error type in
x-amzn-ErrorType and a `message` body, as AWS's REST-JSON services answer them (AWS General
Reference, "Signature Version 4 signing process" and its troubleshooting page; the messages are the
ones AWS sends).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.session import Session

from bot.sandbox.errors import FrontDoorError
from bot.sandbox.model import SERVICE_MODEL, SERVICE_NAME

ALGORITHM = "AWS4-HMAC-SHA256"
SIGNING_NAME: str = SERVICE_MODEL.metadata["signingName"]
REGIONS = frozenset(Session().get_available_regions(SERVICE_NAME))
MAX_SKEW = timedelta(minutes=15)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class SignedRequest:
    """What the signature covers, exactly as it arrived (raw, still percent-encoded path and query)."""

    method: str
    raw_path: str
    raw_query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class _Authorization:
    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def _incomplete(message: str) -> FrontDoorError:
    return FrontDoorError("IncompleteSignatureException", message, 403)


def _invalid(message: str) -> FrontDoorError:
    return FrontDoorError("InvalidSignatureException", message, 403)


def _parse(header: str) -> _Authorization:
    algorithm, _, rest = header.partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(f"Unsupported AWS 'algorithm': '{algorithm}'. Use {ALGORITHM}.")
    fields = dict(part.strip().partition("=")[::2] for part in rest.split(","))
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)]
    if missing:
        raise _incomplete(" ".join(f"Authorization header requires '{name}' parameter." for name in missing))
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise _incomplete(
            "Credential should have the form AKID/DATE/REGION/SERVICE/aws4_request, "
            f"not '{fields['Credential']}'."
        )
    return _Authorization(
        access_key=scope[0],
        date=scope[1],
        region=scope[2],
        service=scope[3],
        signed_headers=tuple(fields["SignedHeaders"].split(";")),
        signature=fields["Signature"],
    )


def _check_date(authorization: _Authorization, amz_date: str | None, now: datetime) -> None:
    if amz_date is None:
        raise _incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    try:
        signed_at = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=UTC)
    except ValueError:
        raise _incomplete(f"X-Amz-Date '{amz_date}' is not an ISO-8601 basic timestamp.") from None
    if authorization.date != amz_date[:8]:
        raise _invalid(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{authorization.date}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if signed_at < now - MAX_SKEW:
        earliest = (now - MAX_SKEW).strftime(_AMZ_DATE)
        raise _invalid(
            f"Signature expired: {amz_date} is now earlier than {earliest} "
            f"({now.strftime(_AMZ_DATE)} - 15 min.)"
        )
    if signed_at > now + MAX_SKEW:
        latest = (now + MAX_SKEW).strftime(_AMZ_DATE)
        raise _invalid(
            f"Signature not yet current: {amz_date} is still later than {latest} "
            f"({now.strftime(_AMZ_DATE)} + 15 min.)"
        )


def expected_signature(
    request: SignedRequest,
    signed_headers: tuple[str, ...],
    access_key: str,
    secret: str,
    region: str,
    signing_name: str = SIGNING_NAME,
) -> str:
    """The signature botocore's SigV4Auth computes for this request, over the headers it signed."""
    query = f"?{request.raw_query}" if request.raw_query else ""
    host = request.headers.get("Host", "")
    rebuilt = AWSRequest(
        method=request.method,
        url=f"http://{host}{request.raw_path}{query}",
        headers={name: request.headers.get(name, "") for name in signed_headers},
        data=request.body,
    )
    rebuilt.context["timestamp"] = request.headers.get("X-Amz-Date", "")
    signer = SigV4Auth(Credentials(access_key, secret), signing_name, region)
    canonical = signer.canonical_request(rebuilt)
    signature: str = signer.signature(signer.string_to_sign(rebuilt, canonical), rebuilt)
    return signature


def authenticate(
    request: SignedRequest,
    credentials: Mapping[str, str] | None,
    now: datetime,
    signing_name: str = SIGNING_NAME,
    regions: frozenset[str] = REGIONS,
) -> str:
    """The Region the caller signed for (the endpoint it believes it called), or a front-door error.
    `signing_name` and `regions` are another service's (the CloudTrail emulation) where given."""
    header = request.headers.get("Authorization")
    if not header:
        raise FrontDoorError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
    authorization = _parse(header)
    if authorization.service != signing_name:
        raise _invalid(f"Credential should be scoped to correct service: '{signing_name}'.")
    if authorization.region not in regions:
        raise _invalid(f"Credential should be scoped to a valid region, not '{authorization.region}'.")
    _check_date(authorization, request.headers.get("X-Amz-Date"), now)
    if credentials is None:
        return authorization.region
    secret = credentials.get(authorization.access_key)
    if secret is None:
        raise FrontDoorError(
            "UnrecognizedClientException", "The security token included in the request is invalid.", 403
        )
    expected = expected_signature(
        request,
        authorization.signed_headers,
        authorization.access_key,
        secret,
        authorization.region,
        signing_name,
    )
    if not hmac.compare_digest(expected, authorization.signature):
        raise _invalid(
            "The request signature we calculated does not match the signature you provided. Check your "
            "AWS Secret Access Key and signing method. Consult the service documentation for details."
        )
    return authorization.region


def access_key(headers: Mapping[str, str]) -> str:
    """The access key a request authenticated with (call after `authenticate` accepted it)."""
    return _parse(headers["Authorization"]).access_key
