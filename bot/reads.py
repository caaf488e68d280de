"""Read commands → results. Reads never change anything, so they need no plan or confirmation.

A read answers with what the reachable regions hold when one region is down, plus a warning
naming it: during a regional outage the other regions' view is exactly what on-call needs.
"""

import asyncio

from bot import results
from bot.voice import VoiceService
from commands import Command
from commands.connector import ConnectorList, ConnectorShow
from commands.group import GroupList, GroupShow
from commands.help import Help
from commands.numbers import NumbersList
from commands.origination import OriginationShow
from commands.proxy import ProxyShow
from voice_domain.located import Reference
from voice_domain.shapes import VoiceConnectorGroup


async def run_read(command: Command, voice: VoiceService) -> results.ReadResult:
    match command:
        case ConnectorList():
            return await _connectors(command, voice)
        case ConnectorShow():
            return await _connector(command, voice)
        case GroupList():
            return await _groups(command, voice)
        case GroupShow():
            return await _group(command, voice)
        case NumbersList():
            return await _numbers(command, voice)
        case OriginationShow():
            return await _origination(command, voice)
        case ProxyShow():
            return await _proxy(command, voice)
        case Help():
            return results.HelpView(topic=command.topic)
    raise TypeError(f"{type(command).__name__} is not a read command")


async def _connectors(command: ConnectorList, voice: VoiceService) -> results.ReadResult:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(voice.list_connectors, regions)
    return results.ConnectorList(by_region=across.found, warnings=across.warnings())


async def _connector(command: ConnectorShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    origination, proxy, numbers = await asyncio.gather(
        voice.get_origination(target.region, target.id),
        voice.get_proxy(target.region, target.id),
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
    )
    return results.ConnectorDetail(
        connector=target.resource,
        region=target.region,
        origination=origination,
        proxy=proxy,
        number_count=len(numbers),
        warnings=target.warnings,
    )


async def _groups(command: GroupList, voice: VoiceService) -> results.ReadResult:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(voice.list_groups, regions)
    return results.GroupList(by_region=across.found, warnings=across.warnings())


async def _group(command: GroupShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("group", command.group), partial_ok=True)
    connectors, numbers = await asyncio.gather(
        voice.list_reachable(voice.list_connectors),
        voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id),
    )
    known = {
        connector.voice_connector_id: (connector.name, region)
        for region, listed in connectors.found.items()
        for connector in listed
    }
    group = target.resource
    assert isinstance(group, VoiceConnectorGroup)
    members = [
        results.GroupMember(
            connector_id=item.voice_connector_id,
            priority=item.priority,
            name=known.get(item.voice_connector_id, (None, None))[0],
            region=known.get(item.voice_connector_id, (None, None))[1],
        )
        for item in sorted(group.voice_connector_items, key=lambda item: item.priority or 0)
    ]
    # Members in a region that did not answer show without a name; the warnings say why.
    warnings = list(dict.fromkeys([*target.warnings, *connectors.warnings()]))
    return results.GroupDetail(
        group=group, region=target.region, members=members, number_count=len(numbers), warnings=warnings
    )


async def _numbers(command: NumbersList, voice: VoiceService) -> results.ReadResult:
    warnings: list[str] = []
    if command.group is not None:
        target = await voice.locate(Reference("group", command.group), partial_ok=True)
        warnings = target.warnings
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
        scope = f"associated with group {target.name} ({target.id})"
    elif command.connector is not None:
        target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
        warnings = target.warnings
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id)
        scope = f"associated with connector {target.name} ({target.id})"
    elif command.unassigned:
        numbers = await voice.list_phone_numbers(status="Unassigned")
        scope = "not associated with anything"
    else:
        numbers = await voice.list_phone_numbers()
        scope = "in the account"
    return results.NumberList(scope=scope, numbers=numbers, warnings=warnings)


async def _origination(command: OriginationShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return results.OriginationView(
        target=target, origination=await voice.get_origination(target.region, target.id)
    )


async def _proxy(command: ProxyShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    proxy = await voice.get_proxy(target.region, target.id)
    return results.ProxyView(target=target, proxy=proxy, notice=command.notice)
