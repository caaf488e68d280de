"""Read commands → results. Reads never change anything, so they need no plan or confirmation."""

import asyncio

from bot import results
from bot.models import VoiceConnectorGroup
from bot.voice import VoiceService
from commands import Command, Reference
from commands.connector import ConnectorList, ConnectorShow
from commands.group import GroupList, GroupShow
from commands.help import Help
from commands.numbers import NumbersList
from commands.origination import OriginationShow
from commands.proxy import ProxyShow


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
    return results.ConnectorList(by_region=await voice.list_everywhere(voice.list_connectors, regions))


async def _connector(command: ConnectorShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector))
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
    )


async def _groups(command: GroupList, voice: VoiceService) -> results.ReadResult:
    regions = [command.region] if command.region else None
    return results.GroupList(by_region=await voice.list_everywhere(voice.list_groups, regions))


async def _group(command: GroupShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("group", command.group))
    connectors, numbers = await asyncio.gather(
        voice.list_everywhere(voice.list_connectors),
        voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id),
    )
    known = {
        connector.voice_connector_id: (connector.name, region)
        for region, listed in connectors.items()
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
    return results.GroupDetail(group=group, region=target.region, members=members, number_count=len(numbers))


async def _numbers(command: NumbersList, voice: VoiceService) -> results.ReadResult:
    if command.group is not None:
        target = await voice.locate(Reference("group", command.group))
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
        scope = f"associated with group {target.name} ({target.id})"
    elif command.connector is not None:
        target = await voice.locate(Reference("connector", command.connector))
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id)
        scope = f"associated with connector {target.name} ({target.id})"
    elif command.unassigned:
        numbers = await voice.list_phone_numbers(status="Unassigned")
        scope = "not associated with anything"
    else:
        numbers = await voice.list_phone_numbers()
        scope = "in the account"
    return results.NumberList(scope=scope, numbers=numbers)


async def _origination(command: OriginationShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector))
    return results.OriginationView(
        target=target, origination=await voice.get_origination(target.region, target.id)
    )


async def _proxy(command: ProxyShow, voice: VoiceService) -> results.ReadResult:
    target = await voice.locate(Reference("connector", command.connector))
    proxy = await voice.get_proxy(target.region, target.id)
    return results.ProxyView(target=target, proxy=proxy, notice=command.notice)
