"""The API reference's sample requests, reproduced by console commands and seen in the sandbox's record.

The console runs as a real subprocess (`switchboard console -c … --yes`) against the sandbox over
HTTP, so parsing, planning, signing and serialisation are all the shipped ones.
"""

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.parsers import create_parser

from bot.ops import number_orders
from bot.render.blockkit import to_messages
from bot.render.terminal import to_text
from bot.render.views import outcome_view
from bot.results import ApiCall, Outcome, Plan
from bot.sandbox import RunningSandbox
from tests.helpers.blockkit import block_kit_problems
from tests.helpers.console_process import run_console
from tests.helpers.samples import SAMPLES
from tests.helpers.sandbox_fixtures import recorded_requests
from voice_domain.shapes import Origination, PhoneNumberError, Proxy, VoiceConnector, VoiceConnectorGroup

SEED_COMMANDS = {
    "CreateVoiceConnectorGroup": "/voice group create myGroup --member abcdef1ghij2klmno3pqr4:2",
    "CreateVoiceConnector": "/voice connector create newVoiceConnector --region us-west-2",
    "AssociatePhoneNumbersWithVoiceConnectorGroup": (
        "/voice numbers associate 123a456b-c7d8-90e1-fg23-4h567jkl8901 +12065550100 +12065550101 --force"
    ),
    "PutVoiceConnectorOrigination": (
        "/voice origination set abcdef1ghij2klmno3pqr4 --route 10.24.34.0:1234/tcp,priority=1,weight=5"
    ),
    "PutVoiceConnectorProxy": "/voice proxy set abcdef1ghij2klmno3pqr4 --expiry 60 --countries US",
    "AssociatePhoneNumbersWithVoiceConnector": (
        "/voice numbers associate abcdef1ghij2klmno3pqr4 +12065550100 +12065550101 --force"
    ),
    "SearchAvailablePhoneNumbers": "/voice numbers search --area-code 206",
}


@pytest.mark.parametrize("operation", list(SEED_COMMANDS))
async def test_console_command_sends_the_seed_sample_request(
    operation: str, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(SEED_COMMANDS[operation], cwd=tmp_path)
    assert code == 0, output
    sample = SAMPLES[operation]
    sent = [record for record in recorded_requests(sandbox) if record["operation"] == operation]
    assert len(sent) == 1, output
    assert (sent[0]["method"], sent[0]["path"], sent[0]["body"]) == (
        sample["method"],
        sample["path"],
        sample["request"],
    )
    assert sample.get("query", {}).items() <= sent[0]["query"].items()
    if sample["method"] == "GET":  # a read: its query is the whole request, and nothing is applied
        assert sent[0]["query"] == sample["query"]
    else:
        assert "Applied" in output


def _parse_sample(operation: str) -> dict[str, Any]:
    """The sample response as aiobotocore would hand it to the service layer (botocore's own parser)."""
    model = botocore.session.get_session().get_service_model("chime-sdk-voice").operation_model(operation)
    sample = SAMPLES[operation]
    body = json.dumps(sample["response"]).encode()
    response_dict = {"status_code": sample["status"], "headers": {}, "body": body}
    parsed: dict[str, Any] = create_parser("rest-json").parse(response_dict, model.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


READS_WITH_SAMPLES = {"SearchAvailablePhoneNumbers"}


def test_search_sample_response_renders_through_the_search_view() -> None:
    parsed = _parse_sample("SearchAvailablePhoneNumbers")
    doc = number_orders.view_search(
        number_orders.AvailableNumbers(numbers=parsed["E164PhoneNumbers"], more=False)
    )
    assert all(number in to_text(doc) for number in parsed["E164PhoneNumbers"])
    for message in to_messages(doc):
        assert block_kit_problems({"text": message.text, "blocks": message.blocks}) == []


@pytest.mark.parametrize(
    "operation", [operation for operation in SEED_COMMANDS if operation not in READS_WITH_SAMPLES]
)
def test_seed_sample_response_renders(operation: str) -> None:
    parsed = _parse_sample(operation)
    plan = Plan(
        command_text=SEED_COMMANDS[operation],
        summary=operation,
        permission="x",
        calls=[ApiCall(operation=operation, region="us-east-1", params=SAMPLES[operation]["request"])],
    )
    created: VoiceConnector | VoiceConnectorGroup | None = None
    if "VoiceConnectorGroup" in parsed:
        created = VoiceConnectorGroup.model_validate(parsed["VoiceConnectorGroup"])
    if "VoiceConnector" in parsed:
        created = VoiceConnector.model_validate(parsed["VoiceConnector"])
    errors = [PhoneNumberError.model_validate(e) for e in parsed.get("PhoneNumberErrors", [])]
    outcome = Outcome(plan=plan, status="applied", created=created, number_errors=errors, responses=[parsed])
    text = to_text(outcome_view(outcome))
    assert "Applied" in text
    for message in to_messages(outcome_view(outcome)):
        assert block_kit_problems({"text": message.text, "blocks": message.blocks}) == []
    if operation == "PutVoiceConnectorOrigination":
        assert Origination.model_validate(parsed["Origination"]).routes[0].describe() == (
            "10.24.34.0:1234/tcp,priority=1,weight=5"
        )
    if operation == "PutVoiceConnectorProxy":
        assert Proxy.model_validate(parsed["Proxy"]).phone_number_countries == ["US"]
    if operation == "CreateVoiceConnectorGroup":
        assert "123a456b-c7d8-90e1-fg23-4h567jkl8901" in text


def test_create_connector_sample_response_has_a_typo_botocore_drops() -> None:
    """The reference page's sample says "Voice Connector" (with a space); botocore keeps nothing of it.

    The service layer therefore must not trust a create response to carry the connector: it looks the
    connector up by name instead (see test_voice.py), which this documents.
    """
    assert _parse_sample("CreateVoiceConnector") == {}
