"""Logging, SIP rule, emergency calling and streaming commands through the console process,
against the sandbox over HTTP: what they send, what they keep, and what they refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.sandbox.seed import MAIN_IVR_RULE_ID
from tests.helpers.console_process import run_console
from tests.helpers.sandbox_fixtures import recorded_requests


def sent(sandbox: RunningSandbox, operation: str) -> list[dict[str, Any]]:
    return [record["body"] for record in recorded_requests(sandbox) if record["operation"] == operation]


async def test_logging_set_keeps_the_setting_it_was_not_told(
    voice: Any, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Turning SIP logs on mid-incident must not turn media metrics off (the Put replaces both)."""
    await voice.put_voice_connector_logging_configuration(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, LoggingConfiguration={"EnableMediaMetricLogs": True}
    )
    code, output = await run_console("/voice logging set pstn-primary --sip-logs on", cwd=tmp_path)
    assert code == 0 and "Applied" in output, output
    assert "SIP message logs: off → on" in output and "media metric" not in output, output

    got = await voice.get_voice_connector_logging_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert got["LoggingConfiguration"] == {"EnableSIPLogs": True, "EnableMediaMetricLogs": True}
    _setup, command = sent(sandbox, "PutVoiceConnectorLoggingConfiguration")
    assert command == {"LoggingConfiguration": {"EnableSIPLogs": True, "EnableMediaMetricLogs": True}}


async def test_sip_rule_disable_sends_the_rule_back_with_only_disabled_changed(
    voice: Any, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    before = (await voice.get_sip_rule(SipRuleId=MAIN_IVR_RULE_ID))["SipRule"]
    code, output = await run_console("/voice sip-rule disable main-ivr-number --incident INC-9", cwd=tmp_path)
    assert code == 0 and "Applied" in output, output
    assert "Calls to +18335550197 will no longer run" in output, output

    [body] = sent(sandbox, "UpdateSipRule")
    assert body == {
        "Name": "main-ivr-number",
        "Disabled": True,
        "TargetApplications": before["TargetApplications"],
    }
    after = (await voice.get_sip_rule(SipRuleId=MAIN_IVR_RULE_ID))["SipRule"]
    assert after == before | {"Disabled": True, "UpdatedTimestamp": after["UpdatedTimestamp"]}

    code, output = await run_console("/voice sip-rule disable main-ivr-number", cwd=tmp_path)
    assert "already disabled" in output, output
    assert len(sent(sandbox, "UpdateSipRule")) == 1


async def test_sip_reads_name_the_applications_a_rule_runs(sandbox: RunningSandbox, tmp_path: Path) -> None:
    code, output = await run_console(
        "/voice sip-rules",
        "/voice sip-rule show main-ivr-number",
        "/voice sip-app show ivr-backup",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert "ivr-main, ivr-backup" in output, output  # the rules list, targets by priority
    assert "after-hours-number" in output and "disabled" in output, output
    assert "SIP rules that run it" in output, output


ROUTE = "--route 10.24.34.7:5060/udp,priority=1,weight=10"


async def test_turning_origination_or_termination_off_under_emergency_calling_is_refused_at_preview(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """AWS refuses these until emergency calling is deleted, so the preview refuses them and names
    that command, rather than offering an Apply that fails."""
    code, output = await run_console(
        f"/voice origination set pstn-primary {ROUTE}",
        "/voice termination set pstn-primary --calling-regions US",
        "/voice emergency set pstn-primary --dnis +12065550150:+12065550151:US",
        cwd=tmp_path,
    )
    assert code == 0 and output.count("Applied") == 3, output
    puts_before = len(recorded_requests(sandbox))

    for command, setting in (
        ("origination disable pstn-primary", "origination"),
        ("origination clear pstn-primary", "origination"),
        (f"origination set pstn-primary {ROUTE} --disabled", "origination"),
        ("termination set pstn-primary --disabled", "termination"),
        ("termination clear pstn-primary", "termination"),
    ):
        code, output = await run_console(f"/voice {command}", cwd=tmp_path)
        assert code != 0, output
        assert (
            f"[!] pstn-primary ({PRIMARY_CONNECTOR_ID}, us-east-1) has emergency calling configured (US), "
            f"and AWS refuses to turn off or delete {setting} until it is deleted"
        ) in output, output
        assert f"Clear it first with `/voice emergency clear {PRIMARY_CONNECTOR_ID}`" in output, output
        assert "Preview" not in output and "Apply" not in output and "Failed" not in output, output

    # Draining the last route points to disabling origination, which emergency calling blocks too:
    # the refusal names what has to happen first.
    code, output = await run_console("/voice origination drain pstn-primary 10.24.34.7", cwd=tmp_path)
    assert code != 0, output
    assert "without any route, which AWS does not allow" in output, output
    assert f"Clear it first with `/voice emergency clear {PRIMARY_CONNECTOR_ID}`" in output, output
    assert f"Then `/voice origination disable {PRIMARY_CONNECTOR_ID}` stops its calls" in output, output
    changes = {"PutVoiceConnectorOrigination", "DeleteVoiceConnectorOrigination"}
    changes |= {"PutVoiceConnectorTermination", "DeleteVoiceConnectorTermination"}
    assert not [r for r in recorded_requests(sandbox)[puts_before:] if r["operation"] in changes]

    # A change that keeps origination on is planned and applied as before.
    code, output = await run_console(
        f"/voice origination set pstn-primary {ROUTE.replace('.7:', '.8:')}", cwd=tmp_path
    )
    assert "Applied" in output and "emergency" not in output, output

    # Once emergency calling is cleared, the same change is planned and applied.
    code, output = await run_console(
        "/voice emergency clear pstn-primary", "/voice termination set pstn-primary --disabled", cwd=tmp_path
    )
    assert code == 0 and output.count("Applied") == 2, output


async def test_emergency_set_is_refused_until_origination_and_termination_are_enabled(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    dnis = "--dnis +12065550150:+12065550151:US"
    code, output = await run_console(f"/voice emergency set pstn-primary {dnis}", cwd=tmp_path)
    assert code != 0 and "Preview" not in output, output
    assert (
        f"First run `/voice origination set {PRIMARY_CONNECTOR_ID} --route HOST[:PORT]/tcp|udp,priority=N,"
        f"weight=N` and `/voice termination set {PRIMARY_CONNECTOR_ID} --calling-regions COUNTRY[,COUNTRY]`."
    ) in output, output

    code, output = await run_console(
        f"/voice origination set pstn-primary {ROUTE} --disabled",
        "/voice termination set pstn-primary --calling-regions US --disabled",
        f"/voice emergency set pstn-primary {dnis}",
        cwd=tmp_path,
    )
    assert output.count("Applied") == 2, output
    assert (
        f"First run `/voice origination enable {PRIMARY_CONNECTOR_ID}` and "
        f"`/voice termination set {PRIMARY_CONNECTOR_ID} --enabled`."
    ) in output, output

    code, output = await run_console(
        "/voice origination enable pstn-primary",
        f"/voice emergency set pstn-primary {dnis}",
        cwd=tmp_path,
    )
    assert f"First run `/voice termination set {PRIMARY_CONNECTOR_ID} --enabled`." in output, output
    assert not sent(sandbox, "PutVoiceConnectorEmergencyCallingConfiguration")

    code, output = await run_console(
        "/voice termination set pstn-primary --enabled",
        f"/voice emergency set pstn-primary {dnis}",
        cwd=tmp_path,
    )
    assert code == 0 and "Applied: Emergency set" in output, output


ANALYTICS = "arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/analytics"


async def test_streaming_set_on_a_connector_that_does_not_stream_asks_for_the_retention(
    voice: Any, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console("/voice streaming set pstn-primary --notify EventBridge", cwd=tmp_path)
    assert code == 1 and "does not stream yet: give --retention HOURS" in output, output
    assert sent(sandbox, "PutVoiceConnectorStreamingConfiguration") == []


async def test_streaming_set_keeps_notifications_and_call_analytics_not_given(
    voice: Any, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice streaming set pstn-primary --retention 24 --notify eventbridge,SNS "
        f"--media-insights {ANALYTICS}",
        "/voice streaming set pstn-primary --retention 48",
        cwd=tmp_path,
    )
    assert code == 0 and output.count("Applied") == 2, output
    got = (await voice.get_voice_connector_streaming_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID))[
        "StreamingConfiguration"
    ]
    assert got["DataRetentionInHours"] == 48
    assert got["StreamingNotificationTargets"] == [
        {"NotificationTarget": "EventBridge"},
        {"NotificationTarget": "SNS"},
    ]
    assert got["MediaInsightsConfiguration"] == {"Disabled": False, "ConfigurationArn": ANALYTICS}

    code, output = await run_console(
        "/voice streaming set pstn-primary --notify none --media-insights off", cwd=tmp_path
    )  # the retention not given is kept, as the notifications were
    assert "Applied" in output, output
    got = (await voice.get_voice_connector_streaming_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID))[
        "StreamingConfiguration"
    ]
    assert got == {"DataRetentionInHours": 48, "Disabled": False}
