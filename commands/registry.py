"""Every command class, in the order help lists them."""

from commands.audit import History, Undo
from commands.base import Command
from commands.connector import ConnectorCreate, ConnectorDelete, ConnectorList, ConnectorShow
from commands.group import GroupCreate, GroupDelete, GroupList, GroupShow
from commands.help import Help
from commands.numbers import NumbersAssociate, NumbersDisassociate, NumbersList
from commands.origination import (
    OriginationClear,
    OriginationDisable,
    OriginationEnable,
    OriginationSet,
    OriginationShow,
)
from commands.proxy import ProxyClear, ProxySet, ProxyShow

COMMANDS: tuple[type[Command], ...] = (
    Help,
    ConnectorList,
    ConnectorShow,
    ConnectorCreate,
    ConnectorDelete,
    GroupList,
    GroupShow,
    GroupCreate,
    GroupDelete,
    NumbersList,
    NumbersAssociate,
    NumbersDisassociate,
    OriginationShow,
    OriginationSet,
    OriginationEnable,
    OriginationDisable,
    OriginationClear,
    ProxyShow,
    ProxySet,
    ProxyClear,
    History,
    Undo,
)

_BY_WORDS = {command.words: command for command in COMMANDS}


def find(words: tuple[str, ...]) -> type[Command] | None:
    return _BY_WORDS.get(words)
