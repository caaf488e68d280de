"""A Voice Connector's termination (outbound calling from the customer's SIP hosts), its health and
its SIP credentials. They live on the connector's record, so they go when the connector goes."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from typing import Any

from bot.sandbox.errors import bad_request, not_found
from bot.sandbox.handlers import Params, handles
from bot.sandbox.handlers.emergency import refuse_while_emergency_calling
from bot.sandbox.records import SipCredential, Termination, VoiceConnector
from bot.sandbox.state import SandboxState
from voice_domain.values import check_country

_COUNTRY = re.compile(r"[A-Z]{2}", re.ASCII)
# Credential: "RFC2617 compliant user name/password … in US-ASCII format". RFC 2617 Basic: the
# user-ID is TEXT without ':'; the password is TEXT (printable US-ASCII here).
_USERNAME = re.compile(r"[!-9;-~]+", re.ASCII)
_PASSWORD = re.compile(r"[ -~]+", re.ASCII)


@handles("GetVoiceConnectorTermination")
def get_termination(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"Termination": _wire(_termination(state.voice_connector(region, params["VoiceConnectorId"])))}


def _is_country(code: str) -> bool:
    """Two letters that name a country (not `XX`), as libphonenumber knows the ISO 3166-1 codes."""
    try:
        check_country(code)
    except ValueError:
        return False
    return True


@handles("PutVoiceConnectorTermination")
def put_termination(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """API reference, Termination: CallingRegions "in ISO 3166-1 alpha-2 format. Required.";
    CidrAllowedList "in CIDR format"; CpsLimit "Minimum value of 1 … Default value of 1" (the
    model's min, checked before this runs); DefaultPhoneNumber `^\\+?[1-9]\\d{1,14}$` (model)."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    settings = params["Termination"]
    regions = settings.get("CallingRegions") or []
    if not regions:
        raise bad_request("Termination.CallingRegions is required: give at least one country.")
    for index, country in enumerate(regions):
        if not _COUNTRY.fullmatch(country) or not _is_country(country):
            raise bad_request(
                f"Termination.CallingRegions[{index}] is not an ISO 3166-1 alpha-2 country code."
            )
    cidrs = settings.get("CidrAllowedList") or []
    for index, cidr in enumerate(cidrs):
        _check_cidr(index, cidr)
    if settings.get("Disabled", False):
        refuse_while_emergency_calling(connector, "termination")
    connector.termination = Termination(
        cps_limit=settings.get("CpsLimit", 1),
        calling_regions=regions,
        cidr_allowed_list=cidrs,
        default_phone_number=settings.get("DefaultPhoneNumber"),
        disabled=settings.get("Disabled", False),
    )
    return {"Termination": _wire(connector.termination)}


@handles("DeleteVoiceConnectorTermination")
def delete_termination(state: SandboxState, region: str, params: Params) -> None:
    """DeleteVoiceConnectorTermination lists NotFoundException: there must be settings to delete."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    _termination(connector)
    refuse_while_emergency_calling(connector, "termination")
    connector.termination = None


@handles("GetVoiceConnectorTerminationHealth")
def get_health(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """TerminationHealth is the last SIP OPTIONS ping's Timestamp and Source; no SIP host ever
    pings the sandbox, so a connector with termination answers with neither."""
    _termination(state.voice_connector(region, params["VoiceConnectorId"]))
    return {"TerminationHealth": {}}


@handles("ListVoiceConnectorTerminationCredentials")
def list_credentials(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """Usernames only: the API has no way to read a password back."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    return {"Usernames": [credential.username for credential in connector.credentials]}


@handles("PutVoiceConnectorTerminationCredentials")
def put_credentials(state: SandboxState, region: str, params: Params) -> None:
    """Adds each credential, replacing the password of a username already there (Put semantics)."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    given = params.get("Credentials") or []
    made = [_credential(index, credential) for index, credential in enumerate(given)]
    names = [credential.username for credential in made]
    if len(set(names)) != len(names):
        raise bad_request("Credentials names the same Username more than once.")
    kept = [credential for credential in connector.credentials if credential.username not in names]
    connector.credentials = kept + made


@handles("DeleteVoiceConnectorTerminationCredentials")
def delete_credentials(state: SandboxState, region: str, params: Params) -> None:
    """Usernames is required (model); the reference names no refusal for a user that is not there."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    gone = set(params["Usernames"])
    connector.credentials = [c for c in connector.credentials if c.username not in gone]


def _termination(connector: VoiceConnector) -> Termination:
    if connector.termination is None:
        raise not_found(f"Voice Connector {connector.id} has no termination settings.")
    return connector.termination


def _wire(termination: Termination) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "CpsLimit": termination.cps_limit,
        "CallingRegions": termination.calling_regions,
        "CidrAllowedList": termination.cidr_allowed_list,
        "Disabled": termination.disabled,
    }
    if termination.default_phone_number is not None:
        rendered["DefaultPhoneNumber"] = termination.default_phone_number
    return rendered


def _check_cidr(index: int, cidr: str) -> None:
    """ADDRESS/PREFIX, as the reference's "in CIDR format" means (IPv4 or IPv6)."""
    try:
        if "/" not in cidr:
            raise ValueError
        ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise bad_request(f"Termination.CidrAllowedList[{index}] is not in CIDR format.") from None


def _credential(index: int, credential: dict[str, Any]) -> SipCredential:
    """Both members are needed to authenticate a SIP host; the password is kept only as a salted hash
    (and never echoed in an error)."""
    username, password = credential.get("Username"), credential.get("Password")
    if not username or not _USERNAME.fullmatch(username):
        raise bad_request(f"Credentials[{index}].Username must be an RFC 2617 user name in US-ASCII.")
    if not password or not _PASSWORD.fullmatch(password):
        raise bad_request(f"Credentials[{index}].Password must be an RFC 2617 password in US-ASCII.")
    salt = secrets.token_hex(8)
    return SipCredential(username=username, salt=salt, password_sha256=password_digest(salt, password))


def password_digest(salt: str, password: str) -> str:
    return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()
