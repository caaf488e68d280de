"""The service layer against real failures, through aiobotocore and the sandbox (no mocks):

load balancers' bare 5xx (an HTML page, an empty body), a region that is down, a create aimed at a
region the bot does not search, and credentials that resolve but that AWS refuses.
"""

from collections.abc import AsyncIterator

import pytest

from bot.aws_errors import VoiceError
from bot.engine import Engine
from bot.render.doc import Doc, Notice
from bot.sandbox import PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox, ScriptedFault
from bot.settings import AwsSettings
from bot.voice import VoiceService
from commands import ChangeCommand, parse
from tests.helpers.bot_harness import BotHarness
from tests.helpers.sandbox_fixtures import recorded_requests
from voice_domain.located import Reference


@pytest.fixture
async def voice(sandbox: RunningSandbox) -> AsyncIterator[VoiceService]:
    async with VoiceService(AwsSettings(), retry_base_delay=0.001) as service:
        yield service


def sent(sandbox: RunningSandbox, operation: str) -> int:
    return [record["operation"] for record in recorded_requests(sandbox)].count(operation)


def warnings_of(doc: Doc) -> list[str]:
    return [part.text for part in doc.parts if isinstance(part, Notice) and part.level == "warning"]


def change(text: str) -> ChangeCommand:
    command = parse(text)
    assert isinstance(command, ChangeCommand)
    return command


# 1. Bare 5xx from a load balancer ---------------------------------------------------------


async def test_html_and_empty_5xx_answers_to_a_read_are_retried(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(
        ScriptedFault(operation="ListVoiceConnectors", fault="bad_gateway"),
        ScriptedFault(operation="ListVoiceConnectors", fault="gateway_timeout"),
        ScriptedFault(operation="ListVoiceConnectors", fault="server_error_html"),
    )
    connectors = await voice.list_connectors("us-east-1")
    assert [c.name for c in connectors] == ["pstn-primary"]
    assert sent(sandbox, "ListVoiceConnectors") == 4


async def test_a_bare_502_is_named_as_a_load_balancer_answer_and_a_failed_read_applied_nothing(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-east-1"]})
    with pytest.raises(VoiceError) as caught:
        await voice.list_connectors("us-east-1")
    error = caught.value
    assert (error.code, error.status) == ("502", 502)
    assert error.retryable and error.server_side
    assert "load balancer" in error.message and "load balancer" in error.meaning
    assert not error.maybe_applied  # a read changes nothing, whatever failed
    assert sent(sandbox, "ListVoiceConnectors") == voice.settings.max_attempts


async def test_an_idempotent_change_is_resent_after_an_empty_504(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(ScriptedFault(operation="PutVoiceConnectorProxy", fault="gateway_timeout"))
    params = {
        "VoiceConnectorId": PRIMARY_CONNECTOR_ID,
        "DefaultSessionExpiryMinutes": 60,
        "PhoneNumberPoolCountries": ["US"],
    }
    response = await voice.apply("PutVoiceConnectorProxy", "us-east-1", params)
    assert response["Proxy"]["DefaultSessionExpiryMinutes"] == 60
    assert sent(sandbox, "PutVoiceConnectorProxy") == 2


async def test_a_delete_whose_first_answer_was_a_504_is_not_reported_as_not_applied(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    """The first delete worked behind the gateway's 504, so the resend answers NotFound: that must
    read as "may have been applied", never as "nothing happened"."""
    created = await voice.call(
        "us-east-1", "CreateVoiceConnector", {"Name": "doomed", "RequireEncryption": True}
    )
    connector_id = created["VoiceConnector"]["VoiceConnectorId"]
    sandbox.faults.push(
        ScriptedFault(operation="DeleteVoiceConnector", fault="lost_response", gateway="gateway_timeout")
    )
    with pytest.raises(VoiceError) as caught:
        await voice.apply("DeleteVoiceConnector", "us-east-1", {"VoiceConnectorId": connector_id})
    assert caught.value.code == "NotFoundException"
    assert caught.value.maybe_applied
    assert "earlier attempt failed with 504" in caught.value.message
    assert sent(sandbox, "DeleteVoiceConnector") == 2
    assert "doomed" not in [c.name for c in await voice.list_connectors("us-east-1")]


@pytest.mark.parametrize("gateway", ["bad_gateway", "gateway_timeout"])
async def test_a_create_applied_behind_a_gateway_error_is_reconciled_by_name_not_resent(
    sandbox: RunningSandbox, voice: VoiceService, gateway: str
) -> None:
    sandbox.faults.push(
        ScriptedFault(operation="CreateVoiceConnectorGroup", fault="lost_response", gateway=gateway)
    )
    response = await voice.apply("CreateVoiceConnectorGroup", "us-east-1", {"Name": "behind-the-lb"})
    assert response["Reconciled"] and response["VoiceConnectorGroup"]["Name"] == "behind-the-lb"
    assert sent(sandbox, "CreateVoiceConnectorGroup") == 1
    assert [g.name for g in await voice.list_groups("us-east-1")].count("behind-the-lb") == 1


async def test_a_create_refused_by_a_502_before_acting_is_checked_and_said_to_be_safe(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="bad_gateway"))
    with pytest.raises(VoiceError, match="safe to try again") as caught:
        await voice.create_connector("us-east-1", {"Name": "not-made", "RequireEncryption": True})
    assert not caught.value.maybe_applied
    assert sent(sandbox, "CreateVoiceConnector") == 1
    assert sent(sandbox, "ListVoiceConnectors") == 1  # the reconciling read


async def test_a_create_after_an_empty_504_with_nothing_visible_yet_may_still_land(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    """A 504 means nobody waited for AWS: an empty listing right after proves nothing."""
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="gateway_timeout"))
    with pytest.raises(VoiceError, match="may still be working") as caught:
        await voice.create_connector("us-east-1", {"Name": "in-flight", "RequireEncryption": True})
    assert caught.value.maybe_applied and caught.value.code == "504"
    assert sent(sandbox, "CreateVoiceConnector") == 1


async def test_a_create_whose_reconciling_read_fails_is_reported_as_unknown(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(
        ScriptedFault(operation="CreateVoiceConnector", fault="lost_response", gateway="bad_gateway"),
        *[ScriptedFault(operation="ListVoiceConnectors", fault="gateway_timeout")]
        * voice.settings.max_attempts,
    )
    with pytest.raises(VoiceError, match="could not check") as caught:
        await voice.create_connector("us-east-1", {"Name": "unknown", "RequireEncryption": True})
    assert caught.value.code == "OutcomeUnknown" and caught.value.maybe_applied
    assert sent(sandbox, "CreateVoiceConnector") == 1


# 2. A region that is down ------------------------------------------------------------------


async def test_a_region_scoped_fault_hits_only_that_region(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(
        ScriptedFault(operation="ListVoiceConnectors", fault="unavailable", region="us-west-2")
    )
    assert [c.name for c in await voice.list_connectors("us-east-1")] == ["pstn-primary"]
    assert sandbox.faults.settings.script  # us-east-1 did not consume it
    assert [c.name for c in await voice.list_connectors("us-west-2")] == ["pstn-secondary"]
    assert not sandbox.faults.settings.script
    assert sent(sandbox, "ListVoiceConnectors") == 3


async def test_lists_answer_with_the_other_regions_and_name_the_silent_one(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-west-2"]})
    engine = Engine(voice)
    for text, name in (("connectors", "pstn-primary"), ("groups", None)):
        doc = await engine.read(parse(text))
        assert doc.level == "warning", doc
        [warning] = warnings_of(doc)
        assert warning.startswith("us-west-2 did not answer: 502: HTTP 502 Bad Gateway")
        assert "us-east-1" in doc.title and "us-west-2" not in doc.title
        if name:
            assert name in repr(doc.parts)


async def test_a_name_found_while_a_region_is_silent_is_shown_with_the_ambiguity_named(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-west-2"]})
    doc = await Engine(voice).read(parse("connector show pstn-primary"))
    assert PRIMARY_CONNECTOR_ID in doc.title
    warnings = warnings_of(doc)
    assert warnings[0].startswith("us-west-2 did not answer")
    assert "named 'pstn-primary' could also exist in us-west-2" in warnings[1]


async def test_a_change_is_not_planned_against_a_name_a_silent_region_might_also_hold(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-west-2"]})
    engine = Engine(voice)
    route = "--route 10.24.34.0:1234/tcp,priority=1,weight=5"
    text = f"origination set pstn-primary {route}"
    planned = await engine.plan(change(text), text)
    assert planned.plan is None and planned.problem is not None
    problem = repr(planned.problem)
    assert "RegionDidNotAnswer" in problem and "us-west-2 did not answer" in problem
    assert f"use the ID {PRIMARY_CONNECTOR_ID}" in problem
    # The ID is certain whichever regions answer, so the same change by ID is planned.
    by_id = f"origination set {PRIMARY_CONNECTOR_ID} {route}"
    assert (await engine.plan(change(by_id), by_id)).plan is not None


async def test_a_name_not_found_while_a_region_is_silent_says_it_may_be_there(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-west-2"]})
    with pytest.raises(VoiceError, match="so it may be there") as caught:
        await voice.locate(Reference("connector", "pstn-secondary"), partial_ok=True)
    assert caught.value.code == "RegionDidNotAnswer"
    with pytest.raises(VoiceError, match="so it may be there"):
        await voice.locate(Reference("connector", SECONDARY_CONNECTOR_ID))


async def test_with_every_region_down_the_error_is_the_regions_own(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-east-1", "us-west-2"]})
    doc = await Engine(voice).read(parse("connectors"))
    assert doc.level == "error"
    [error] = [part.text for part in doc.parts if isinstance(part, Notice) and part.level == "error"]
    assert error.startswith("502: HTTP 502 Bad Gateway")
    assert error.endswith("(no configured region answered: us-east-1, us-west-2)")


# 3. Creates only where lookups will find them -------------------------------------------------


async def test_a_create_outside_the_served_regions_is_refused_naming_them(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    with pytest.raises(
        VoiceError, match=r"not one of the regions this bot searches \(us-east-1, us-west-2\)"
    ):
        voice.require_served_region("eu-central-1")
    voice.require_served_region("us-west-2")
    with pytest.raises(VoiceError) as caught:
        await voice.apply(
            "CreateVoiceConnector", "eu-central-1", {"Name": "orphan", "RequireEncryption": True}
        )
    assert caught.value.code == "RegionNotServed" and not caught.value.maybe_applied
    assert sent(sandbox, "CreateVoiceConnector") == 0


async def test_the_preview_of_a_create_outside_the_served_regions_is_refused(voice: VoiceService) -> None:
    text = "connector create orphan --region eu-central-1"
    planned = await Engine(voice).plan(change(text), text)
    assert planned.plan is None and "RegionNotServed" in repr(planned.problem)


# 4. Credentials present vs accepted ----------------------------------------------------------


async def test_the_credential_check_is_one_cheap_call_remembered(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    first = await voice.check_credentials()
    assert (first.state, first.problem) == ("accepted", None)
    assert await voice.check_credentials() == first
    [probe] = [r for r in recorded_requests(sandbox) if r["operation"] == "ListVoiceConnectors"]
    assert probe["query"] == {"max-results": "1"}


async def test_refused_credentials_are_named_and_rechecked_once_the_cache_expires(
    sandbox: RunningSandbox,
) -> None:
    sandbox.faults.push(ScriptedFault(operation="ListVoiceConnectors", fault="signature_rejected"))
    async with VoiceService(AwsSettings(), credential_check_ttl=0) as voice:
        refused = await voice.check_credentials()
        assert refused.state == "refused"
        assert refused.problem == (
            "AWS credentials refused: UnrecognizedClientException: "
            "The security token included in the request is invalid."
        )
        assert (await voice.check_credentials()).state == "accepted"


async def test_aws_not_answering_the_check_is_reported_but_not_a_readiness_problem(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.configure({"down_regions": ["us-east-1"]})
    check = await voice.check_credentials()
    assert check.state == "unverified" and check.problem is None
    assert sent(sandbox, "ListVoiceConnectors") == 1  # no retries in a readiness probe


async def test_readyz_fails_with_the_named_reason_when_aws_refuses_the_signature(bot: BotHarness) -> None:
    bot.sandbox.faults.push(ScriptedFault(operation="ListVoiceConnectors", fault="signature_rejected"))
    for _ in range(2):  # the second answer comes from the cache: still refused, no new call
        async with bot.http.get(bot.url + "/readyz") as response:
            assert response.status == 503
            body = await response.json()
        assert body["problems"] == [
            "AWS credentials refused: UnrecognizedClientException: "
            "The security token included in the request is invalid."
        ]
        assert body["checks"]["aws_credentials"]["state"] == "refused"
        assert body["checks"]["store"] == "ok"
    assert sent(bot.sandbox, "ListVoiceConnectors") == 1


async def test_readyz_reports_accepted_credentials(bot: BotHarness) -> None:
    async with bot.http.get(bot.url + "/readyz") as response:
        assert response.status == 200
        body = await response.json()
    assert body["checks"]["aws_credentials"]["state"] == "accepted"
