"""Phone numbers through the console as a person types them: where a number routes, numbers on a
connector, a target named by both a group and a connector, per-number errors of a batch update,
and buying numbers."""

from pathlib import Path

from bot.policy import Subject, load_policy
from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.console_process import run_console
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client

ON_GROUP, ON_CONNECTOR, FREE = "+12065550130", "+12065550131", "+12065550132"


async def _route_two_numbers(sandbox: RunningSandbox) -> None:
    async with voice_client(sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=[ON_GROUP]
        )
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[ON_CONNECTOR]
        )
        await voice.update_phone_number(PhoneNumberId=ON_CONNECTOR, CallingName="Example Corp")


async def test_number_show_names_the_group_or_connector_a_number_routes_to(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _route_two_numbers(sandbox)
    code, output = await run_console(
        f"/voice number show {ON_GROUP}", "/voice number show +1 (206) 555-0131", cwd=tmp_path
    )
    assert code == 0, output
    flowing = " ".join(output.split())  # field values wrap within 80 columns
    on_group, on_connector = flowing.split(f"Phone number +1 206-555-0131 ({ON_CONNECTOR})")
    assert f"group pstn-failover ({FAILOVER_GROUP_ID}, us-east-1)" in on_group
    assert f"connector pstn-primary ({PRIMARY_CONNECTOR_ID}, us-east-1)" in on_connector
    for field in ("Product type", "VoiceConnector", "Status", "Assigned", "Order ID", "Created", "Updated"):
        assert field in on_group and field in on_connector
    assert "Example Corp" in on_connector and "UpdateSucceeded" in on_connector
    assert "(none)" in on_group and "Unassigned" in on_group  # no calling name


async def test_a_number_not_in_the_account_says_so_and_points_to_the_number_commands(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console("/voice number show +12125550199", cwd=tmp_path)
    assert code == 1, output
    flowing = " ".join(output.split())
    assert "+12125550199 is not in this account" in flowing
    assert "`/voice numbers list`" in flowing and "`/voice numbers search`" in flowing
    assert "/voice connectors" not in flowing and "region the bot does not search" not in flowing


async def test_numbers_list_says_where_each_number_routes(sandbox: RunningSandbox, tmp_path: Path) -> None:
    await _route_two_numbers(sandbox)
    code, output = await run_console(
        "/voice numbers list --connector pstn-primary", "/voice numbers list", cwd=tmp_path
    )
    assert code == 0, output
    reaching, everything = output.split("Phone numbers in the account")
    assert f"connector pstn-primary ({PRIMARY_CONNECTOR_ID})" in reaching
    assert f"group pstn-failover ({FAILOVER_GROUP_ID})" in reaching  # pstn-primary is its member
    assert FREE not in reaching
    lines = {line.split()[0]: line for line in everything.splitlines() if line.strip().startswith("+1")}
    assert lines[ON_GROUP].endswith(f"group pstn-failover ({FAILOVER_GROUP_ID})")
    assert lines[ON_CONNECTOR].endswith(f"connector pstn-primary ({PRIMARY_CONNECTOR_ID})")
    assert lines[FREE].endswith("-")


async def test_a_disassociate_of_numbers_none_of_which_is_there_is_refused_saying_where_they_are(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _route_two_numbers(sandbox)
    _, output = await run_console(
        f"/voice numbers disassociate pstn-failover {ON_CONNECTOR} {FREE} +12125550199",
        f"/voice numbers disassociate pstn-failover {ON_GROUP} {FREE}",
        cwd=tmp_path,
    )
    refused, partly = output.split("Preview: ")
    assert (
        f"No number given is associated with group pstn-failover ({FAILOVER_GROUP_ID}, us-east-1), so there "
        f"is nothing to disassociate: {ON_CONNECTOR} is on connector pstn-primary ({PRIMARY_CONNECTOR_ID}); "
        f"{FREE} is not associated with anything; +12125550199 is not in this account. "
        f"`/voice numbers list --group {FAILOVER_GROUP_ID}` lists the numbers on it."
    ) in " ".join(refused.split()), refused
    # When some are there, the change goes ahead and the others are noted, number by number.
    assert "Partly applied: Disassociate 2 number(s)" in partly, partly
    assert "not associated with this group: AWS will refuse it" in partly, partly
    [sent] = [
        r["body"]
        for r in recorded_requests(sandbox)
        if r["operation"] == "DisassociatePhoneNumbersFromVoiceConnectorGroup"
    ]
    assert sent["E164PhoneNumbers"] == [ON_GROUP, FREE]


async def test_a_name_shared_by_a_group_and_a_connector_must_say_which(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    _, output = await run_console(
        "/voice connector create shared --region us-west-2",
        "/voice group create shared --member pstn-primary",
        f"/voice numbers associate shared {FREE}",
        f"/voice numbers associate connector:shared {FREE}",
        cwd=tmp_path,
    )
    assert "names both group shared" in output and "write group:shared or connector:shared" in output
    [sent] = [
        r for r in recorded_requests(sandbox) if r["operation"] == "AssociatePhoneNumbersWithVoiceConnector"
    ]
    assert sent["body"] == {"E164PhoneNumbers": [FREE]}
    assert "Applied: Associate 1 number(s) with connector shared" in output, output


async def test_an_update_preview_names_the_value_it_changes_and_an_associate_preview_where_numbers_route(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _route_two_numbers(sandbox)
    code, output = await run_console(
        f"/voice number update {ON_GROUP} {ON_CONNECTOR} --calling-name Acme --dry-run",
        f"/voice number update {ON_GROUP} --product-type SipMediaApplicationDialIn --dry-run",
        f"/voice numbers associate pstn-failover {ON_CONNECTOR} --force --dry-run",
        cwd=tmp_path,
    )
    assert code == 0, output
    calling, product, associate = (preview.split("Numbers:")[1] for preview in output.split("Preview: ")[1:])

    def header(table: str) -> str:
        return " ".join(table.splitlines()[1].split())

    assert header(calling) == "Number Readable Calling name now Note"
    rows = {line.split()[0]: line.split()[3:] for line in calling.splitlines() if line.startswith("  +1")}
    assert rows == {ON_GROUP: ["(none)"], ON_CONNECTOR: ["Example", "Corp"]}
    assert header(product) == "Number Readable Product type now Note"
    assert product.splitlines()[2].split()[-1] == "VoiceConnector"
    assert header(associate) == "Number Readable Now associated with Note"
    assert f"connector pstn-primary ({PRIMARY_CONNECTOR_ID})" in associate


async def test_a_batch_update_reports_each_number_aws_refused(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _route_two_numbers(sandbox)
    code, output = await run_console(
        f"/voice number update {FREE} {ON_GROUP} --product-type SipMediaApplicationDialIn", cwd=tmp_path
    )
    assert code == 1, output  # partly applied
    assert "BatchUpdatePhoneNumber" in output
    assert "1 of 2 number(s) succeeded; 1 failed" in output
    assert "BadRequest (1)" in output and "disassociate it first" in output
    assert FREE in output[output.index("Succeeded (1)") :]


async def test_a_refused_single_number_update_counts_the_number_as_failed(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _route_two_numbers(sandbox)
    code, output = await run_console(
        f"/voice number update {ON_GROUP} --product-type SipMediaApplicationDialIn", cwd=tmp_path
    )
    assert code == 1, output
    assert "Sends UpdatePhoneNumber" in output and "Failed: Set the product type" in output
    assert "0 of 1 number(s) succeeded; 1 failed" in output
    assert ON_GROUP in output[output.index("BadRequestException (1)") :]


async def test_an_order_says_what_it_buys_and_its_id_shows_the_outcome(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice numbers search --area-code 212 --max 2",
        "/voice numbers order +12125550100 +12125550101 --product-type VoiceConnector",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert "This buys 2 phone number(s)" in output and "charges" in output
    order_id = output.split("Order ID")[1].split()[0]
    code, shown = await run_console(f"/voice numbers order show {order_id}", cwd=tmp_path)
    assert code == 0, shown
    assert "Successful" in shown and shown.count("Acquired") == 2


def test_the_example_policy_lets_only_admins_order_numbers_and_with_approval() -> None:
    policy = load_policy(Path(__file__).parent.parent / "deploy" / "policy.example.yaml")
    oncall = Subject("U0CAROL", "C0TELEPHONY", frozenset({"S0ONCALL"}))
    admin = Subject("U0ALICE", "C0TELEPHONY")

    assert not policy.decide(oncall, "numbers.order").allowed
    assert policy.decide(oncall, "number.read").allowed and not policy.decide(oncall, "number.update").allowed
    assert policy.decide(admin, "numbers.order").allowed and policy.decide(admin, "number.update").allowed
    assert policy.needs("numbers.order")[0], "a second person must approve spending money"
