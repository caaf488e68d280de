"""Read commands → results. Reads never change anything, so they need no plan or confirmation."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

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
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a read command")
    return await handler(command, voice)


async def _connectors(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, ConnectorList)
    regions = [command.region] if command.region else None
    return results.ConnectorList(by_region=await voice.list_everywhere(voice.list_connectors, regions))


async def _connector(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, ConnectorShow)
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


async def _groups(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, GroupList)
    regions = [command.region] if command.region else None
    return results.GroupList(by_region=await voice.list_everywhere(voice.list_groups, regions))


async def _group(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, GroupShow)
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


async def _numbers(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, NumbersList)
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


async def _origination(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, OriginationShow)
    target = await voice.locate(Reference("connector", command.connector))
    return results.OriginationView(
        target=target, origination=await voice.get_origination(target.region, target.id)
    )


async def _proxy(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, ProxyShow)
    target = await voice.locate(Reference("connector", command.connector))
    proxy = await voice.get_proxy(target.region, target.id)
    return results.ProxyView(target=target, proxy=proxy, notice=command.notice)


async def _help(command: Any, voice: VoiceService) -> results.ReadResult:
    assert isinstance(command, Help)
    return results.HelpView(topic=command.topic)


_HANDLERS: dict[type[Command], Callable[[Any, VoiceService], Awaitable[results.ReadResult]]] = {
    ConnectorList: _connectors,
    ConnectorShow: _connector,
    GroupList: _groups,
    GroupShow: _group,
    NumbersList: _numbers,
    OriginationShow: _origination,
    ProxyShow: _proxy,
    Help: _help,
}
