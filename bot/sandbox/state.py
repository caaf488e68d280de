"""The live sandbox account and the rules AWS enforces between its resources.

Voice Connectors and groups are regional (callers only see their own region); phone numbers are
account-wide, and a number has at most one association (a connector or a group).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from bot.sandbox.errors import bad_request, conflict, not_found, resource_limit_exceeded
from bot.sandbox.ids import VOICE_CONNECTOR_GROUP_ID_LENGTH, VOICE_CONNECTOR_ID_LENGTH, new_id
from bot.sandbox.inventory import VOICE_CONNECTOR, account_numbers, order_id, product_type
from bot.sandbox.quotas import Quotas
from bot.sandbox.records import (
    Association,
    AssociationKind,
    GroupItem,
    Origination,
    PhoneNumberOrderRecord,
    PhoneNumberRecord,
    Proxy,
    SipMediaApplication,
    SipRule,
    StateSnapshot,
    Tag,
    VoiceConnector,
    VoiceConnectorGroup,
    now,
)
from bot.sandbox.seed import seeded_snapshot

MAX_GROUP_ITEMS = 3
MAX_ORIGINATION_ROUTES = 20
_TARGET_LABEL: dict[AssociationKind, str] = {
    "VoiceConnectorId": "Voice Connector",
    "VoiceConnectorGroupId": "Voice Connector group",
}


@dataclass(frozen=True)
class NumberError:
    """One entry of a PhoneNumberErrors list: the batch goes on, this number did not."""

    phone_number_id: str
    code: str
    message: str


def listing_key(resource: VoiceConnector | VoiceConnectorGroup) -> str:
    """Creation order, which never changes, so pagination cursors stay valid across deletes."""
    return f"{resource.serial:012d}"


def e164(number: str) -> str:
    """The E.164 form used as PhoneNumberId (the model lets callers omit the leading +)."""
    return number if number.startswith("+") else f"+{number}"


def number_status(association: Association | None) -> str:
    return "Unassigned" if association is None else "Assigned"


def describe(association: Association) -> str:
    return f"{_TARGET_LABEL[association.kind]} {association.target_id}"


class SandboxState:
    """Resources of one fictional account (123456789012); every method applies one API rule set."""

    def __init__(self, snapshot: StateSnapshot, quotas: Quotas | None = None) -> None:
        self.quotas = quotas or Quotas()
        self.restore(snapshot)

    @classmethod
    def seeded(cls, inventory_size: int, quotas: Quotas | None = None) -> SandboxState:
        return cls(seeded_snapshot(inventory_size), quotas)

    def restore(self, snapshot: StateSnapshot) -> None:
        """Replace everything in place, so holders of this object keep seeing the live state."""
        self._orders = {order.id: order for order in snapshot.phone_number_orders}
        numbers = tuple(sorted(account_numbers(snapshot.inventory_size) + self._acquired()))
        strays = {record.e164 for record in snapshot.phone_numbers} - set(numbers)
        if strays:
            raise ValueError(f"state lists numbers outside the inventory: {sorted(strays)[:5]}")
        self.inventory_size = snapshot.inventory_size
        self._inventory_created = snapshot.inventory_created
        self._numbers = numbers
        self._number_set = frozenset(numbers)
        self._connectors = {connector.id: connector for connector in snapshot.voice_connectors}
        self._groups = {group.id: group for group in snapshot.voice_connector_groups}
        self._touched = {record.e164: record for record in snapshot.phone_numbers}
        # SIP rules and applications: their rules live with their handlers (handlers/sip.py).
        self.sip_media_applications: dict[str, SipMediaApplication] = {
            app.id: app for app in snapshot.sip_media_applications
        }
        self.sip_rules: dict[str, SipRule] = {rule.id: rule for rule in snapshot.sip_rules}
        serials = [c.serial for c in self._connectors.values()] + [g.serial for g in self._groups.values()]
        self._serial = max(serials, default=0)

    def reset(self) -> None:
        """Back to the built-in fixtures, keeping the inventory size."""
        self.restore(seeded_snapshot(self.inventory_size))

    def snapshot(self) -> StateSnapshot:
        """A detached copy: later requests do not change a snapshot already taken."""
        return StateSnapshot(
            inventory_size=self.inventory_size,
            inventory_created=self._inventory_created,
            voice_connectors=list(self._connectors.values()),
            voice_connector_groups=list(self._groups.values()),
            phone_numbers=[self._touched[number] for number in sorted(self._touched)],
            sip_media_applications=list(self.sip_media_applications.values()),
            sip_rules=list(self.sip_rules.values()),
            phone_number_orders=list(self._orders.values()),
        ).model_copy(deep=True)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    # Voice Connectors

    def create_voice_connector(
        self,
        region: str,
        *,
        name: str,
        require_encryption: bool,
        aws_region: str | None = None,
        tags: list[Tag] | None = None,
        integration_type: str | None = None,
        network_type: str | None = None,
    ) -> VoiceConnector:
        if aws_region is not None and aws_region != region:
            raise bad_request(
                f"AwsRegion {aws_region} does not match the region of this endpoint ({region}); "
                f"create the Voice Connector through the {aws_region} endpoint."
            )
        in_region = sum(1 for connector in self._connectors.values() if connector.region == region)
        if in_region >= self.quotas.voice_connectors:
            raise resource_limit_exceeded(
                f"The account already has {in_region} Voice Connectors in {region}, its quota "
                f"({self.quotas.voice_connectors}); delete one or ask AWS for a higher quota."
            )
        connector_id = new_id(VOICE_CONNECTOR_ID_LENGTH, self._connectors)
        moment = now()
        connector = VoiceConnector(
            id=connector_id,
            serial=self._next_serial(),
            region=region,
            name=name,
            require_encryption=require_encryption,
            tags=tags or [],
            integration_type=integration_type,
            network_type=network_type or "IPV4_ONLY",
            created=moment,
            updated=moment,
        )
        self._connectors[connector_id] = connector
        return connector

    def voice_connector(self, region: str, connector_id: str) -> VoiceConnector:
        connector = self._connectors.get(connector_id)
        if connector is None or connector.region != region:
            raise not_found(f"Voice Connector {connector_id} does not exist in {region}.")
        return connector

    def voice_connectors(self, region: str, after: str | None) -> list[VoiceConnector]:
        """The region's connectors in listing order, starting after a pagination cursor."""
        mine = [c for c in self._connectors.values() if c.region == region]
        return [c for c in sorted(mine, key=listing_key) if after is None or listing_key(c) > after]

    def update_voice_connector(
        self, region: str, connector_id: str, *, name: str, require_encryption: bool
    ) -> VoiceConnector:
        connector = self.voice_connector(region, connector_id)
        connector.name = name
        connector.require_encryption = require_encryption
        connector.updated = now()
        return connector

    def delete_voice_connector(self, region: str, connector_id: str) -> None:
        """ConflictException while numbers are associated (API reference DeleteVoiceConnector: "Any
        phone numbers associated with the Amazon Chime SDK Voice Connector must be disassociated from
        it before it can be deleted"; ConflictException is in the operation's modeled errors).

        Also refused while the connector is a group member. The API reference does not say so; it is
        kept because DeleteVoiceConnectorGroup refuses a group with members (so AWS keeps groups free
        of dangling members) and the model's ErrorCode enum has VoiceConnectorGroupAssociationsExist.
        Streaming or termination settings do not block a delete: AWS documents no such rule."""
        self.voice_connector(region, connector_id)
        self._refuse_while_numbers_associated("VoiceConnectorId", connector_id)
        member_of = sorted(
            group.id
            for group in self._groups.values()
            if any(item.voice_connector_id == connector_id for item in group.items)
        )
        if member_of:
            raise conflict(
                f"Voice Connector {connector_id} is a member of Voice Connector group(s) "
                f"{', '.join(member_of)}; remove it from them before deleting it."
            )
        del self._connectors[connector_id]

    # Origination and proxy

    def put_origination(self, region: str, connector_id: str, origination: Origination) -> Origination:
        connector = self.voice_connector(region, connector_id)
        if len(origination.routes) > MAX_ORIGINATION_ROUTES:
            raise bad_request(
                f"Origination.Routes has {len(origination.routes)} routes; "
                f"a Voice Connector allows at most {MAX_ORIGINATION_ROUTES}."
            )
        connector.origination = origination
        return origination

    def origination(self, region: str, connector_id: str) -> Origination:
        origination = self.voice_connector(region, connector_id).origination
        if origination is None:
            raise not_found(f"Voice Connector {connector_id} has no origination settings.")
        return origination

    def delete_origination(self, region: str, connector_id: str) -> None:
        self.voice_connector(region, connector_id).origination = None

    def put_proxy(self, region: str, connector_id: str, proxy: Proxy) -> Proxy:
        connector = self.voice_connector(region, connector_id)
        if proxy.default_session_expiry_minutes <= 0:
            raise bad_request("DefaultSessionExpiryMinutes must be a positive number of minutes.")
        if "" in proxy.countries:
            raise bad_request("PhoneNumberPoolCountries entries must be ISO 3166-1 alpha-2 country codes.")
        connector.proxy = proxy
        return proxy

    def proxy(self, region: str, connector_id: str) -> Proxy:
        proxy = self.voice_connector(region, connector_id).proxy
        if proxy is None:
            raise not_found(f"Voice Connector {connector_id} has no proxy configuration.")
        return proxy

    def delete_proxy(self, region: str, connector_id: str) -> None:
        self.voice_connector(region, connector_id).proxy = None

    # Voice Connector groups

    def create_voice_connector_group(
        self, region: str, *, name: str, items: list[GroupItem], call_distribution_type: str | None
    ) -> VoiceConnectorGroup:
        in_region = sum(1 for group in self._groups.values() if group.region == region)
        if in_region >= self.quotas.voice_connector_groups:
            raise resource_limit_exceeded(
                f"The account already has {in_region} Voice Connector groups in {region}, its quota "
                f"({self.quotas.voice_connector_groups}); delete one or ask AWS for a higher quota."
            )
        self._check_group_items(items)
        moment = now()
        group = VoiceConnectorGroup(
            id=new_id(VOICE_CONNECTOR_GROUP_ID_LENGTH, self._groups),
            serial=self._next_serial(),
            region=region,
            name=name,
            items=items,
            call_distribution_type=call_distribution_type,
            created=moment,
            updated=moment,
        )
        self._groups[group.id] = group
        return group

    def voice_connector_group(self, region: str, group_id: str) -> VoiceConnectorGroup:
        group = self._groups.get(group_id)
        if group is None or group.region != region:
            raise not_found(f"Voice Connector group {group_id} does not exist in {region}.")
        return group

    def voice_connector_groups(self, region: str, after: str | None) -> list[VoiceConnectorGroup]:
        mine = [g for g in self._groups.values() if g.region == region]
        return [g for g in sorted(mine, key=listing_key) if after is None or listing_key(g) > after]

    def update_voice_connector_group(
        self,
        region: str,
        group_id: str,
        *,
        name: str,
        items: list[GroupItem],
        call_distribution_type: str | None,
    ) -> VoiceConnectorGroup:
        group = self.voice_connector_group(region, group_id)
        self._check_group_items(items)
        group.name = name
        group.items = items
        if call_distribution_type is not None:
            group.call_distribution_type = call_distribution_type
        group.updated = now()
        return group

    def delete_voice_connector_group(self, region: str, group_id: str) -> None:
        """ConflictException (409, in the operation's modeled errors) while the group has numbers or
        members: API reference DeleteVoiceConnectorGroup, "Any VoiceConnectorItems and phone numbers
        associated with the group must be removed before it can be deleted". Members are removed with
        UpdateVoiceConnectorGroup and an empty VoiceConnectorItems list, which the model allows."""
        group = self.voice_connector_group(region, group_id)
        self._refuse_while_numbers_associated("VoiceConnectorGroupId", group_id)
        if group.items:
            members = ", ".join(item.voice_connector_id for item in group.items)
            raise conflict(
                f"Voice Connector group {group_id} still has {len(group.items)} VoiceConnectorItems "
                f"({members}); remove them with UpdateVoiceConnectorGroup before deleting it."
            )
        del self._groups[group_id]

    def _check_group_items(self, items: list[GroupItem]) -> None:
        """Groups exist to span regions, so members are looked up account-wide."""
        if len(items) > MAX_GROUP_ITEMS:
            raise bad_request(
                f"VoiceConnectorItems has {len(items)} entries; a group allows at most {MAX_GROUP_ITEMS}."
            )
        ids = [item.voice_connector_id for item in items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise bad_request(
                f"VoiceConnectorItems lists Voice Connector {', '.join(repeated)} more than once."
            )
        for connector_id in ids:
            if connector_id not in self._connectors:
                raise not_found(f"Voice Connector {connector_id} does not exist.")

    # Phone numbers

    def associate_phone_numbers(
        self, region: str, kind: AssociationKind, target_id: str, numbers: list[str], *, force: bool
    ) -> list[NumberError]:
        """Per-number outcome: unknown numbers and foreign associations (without force) are reported."""
        self._require_target(region, kind, target_id)
        errors: list[NumberError] = []
        moment = now()
        for number in map(e164, numbers):
            if number not in self._number_set:
                errors.append(
                    NumberError(number, "NotFound", f"Phone number {number} is not in this account.")
                )
                continue
            if product_type_of(self._record(number)) != VOICE_CONNECTOR:
                errors.append(_wrong_product_type(self._record(number), kind))
                continue
            record = self._record(number)
            current = record.association
            if current is not None and (current.kind, current.target_id) == (kind, target_id):
                continue
            if current is not None and not force:
                errors.append(
                    NumberError(
                        number,
                        "PhoneNumberAssociationsExist",
                        f"Phone number {number} is already associated with {describe(current)}; "
                        "set ForceAssociate to move it.",
                    )
                )
                continue
            record.association = Association(kind=kind, target_id=target_id, associated=moment)
            record.updated = moment
            self._touched[number] = record
        return errors

    def disassociate_phone_numbers(
        self, region: str, kind: AssociationKind, target_id: str, numbers: list[str]
    ) -> list[NumberError]:
        self._require_target(region, kind, target_id)
        target = f"{_TARGET_LABEL[kind]} {target_id}"
        errors: list[NumberError] = []
        moment = now()
        for number in map(e164, numbers):
            if number not in self._number_set:
                errors.append(
                    NumberError(number, "NotFound", f"Phone number {number} is not in this account.")
                )
                continue
            record = self._record(number)
            current = record.association
            if current is None or (current.kind, current.target_id) != (kind, target_id):
                errors.append(
                    NumberError(number, "NotFound", f"Phone number {number} is not associated with {target}.")
                )
                continue
            record.association = None
            record.updated = moment
            self._touched[number] = record
        return errors

    def phone_number(self, number: str) -> PhoneNumberRecord:
        number = e164(number)
        if number not in self._number_set:
            raise not_found(f"Phone number {number} is not in this account.")
        return self._record(number)

    def phone_numbers(
        self,
        after: str | None,
        *,
        status: str | None = None,
        association: tuple[str, str] | None = None,
        product: str | None = None,
    ) -> Iterator[PhoneNumberRecord]:
        """Lazily, in E.164 order after the cursor, so huge inventories page without building every record."""
        start = 0 if after is None else bisect_right(self._numbers, after)
        for number in self._numbers[start:]:
            current = self._touched.get(number)
            if product is not None and product != product_type_of(current or self._record(number)):
                continue
            linked = current.association if current is not None else None
            if status is not None and status != number_status(linked):
                continue
            if association is not None and (linked is None or (linked.kind, linked.target_id) != association):
                continue
            yield self._record(number)

    # Phone number orders (rules in handlers/phone_number_orders.py)

    def _acquired(self) -> tuple[str, ...]:
        """Numbers that orders added to the account."""
        return tuple(
            ordered.e164
            for order in self._orders.values()
            for ordered in order.numbers
            if ordered.status == "Acquired"
        )

    def owns(self, number: str) -> bool:
        return number in self._number_set

    def save_record(self, record: PhoneNumberRecord) -> None:
        """Keep a changed number record, adding the number to the account if an order bought it."""
        if record.e164 not in self._number_set:
            self._numbers = tuple(sorted((*self._numbers, record.e164)))
            self._number_set = frozenset(self._numbers)
        self._touched[record.e164] = record

    def touched(self) -> list[PhoneNumberRecord]:
        """The records that differ from the pristine inventory."""
        return list(self._touched.values())

    @property
    def orders(self) -> dict[str, PhoneNumberOrderRecord]:
        return self._orders

    def record(self, number: str) -> PhoneNumberRecord:
        """The stored record of a number the account holds (pristine if never touched)."""
        return self._record(number)

    def _record(self, number: str) -> PhoneNumberRecord:
        """The stored record, or a pristine one for a number no association has touched yet."""
        record = self._touched.get(number)
        if record is not None:
            return record
        return PhoneNumberRecord(
            e164=number,
            order_id=order_id(number),
            created=self._inventory_created,
            updated=self._inventory_created,
        )

    def _require_target(self, region: str, kind: AssociationKind, target_id: str) -> None:
        if kind == "VoiceConnectorId":
            self.voice_connector(region, target_id)
        else:
            self.voice_connector_group(region, target_id)

    def _refuse_while_numbers_associated(self, kind: AssociationKind, target_id: str) -> None:
        linked = [
            number
            for number, record in self._touched.items()
            if record.association is not None
            and (record.association.kind, record.association.target_id) == (kind, target_id)
        ]
        if linked:
            raise conflict(
                f"{_TARGET_LABEL[kind]} {target_id} still has {len(linked)} phone number(s) associated "
                f"(e.g. {min(linked)}); disassociate them before deleting it."
            )


def product_type_of(record: PhoneNumberRecord) -> str:
    """The number's PhoneNumberProductType: as UpdatePhoneNumber or its order set it, else the
    inventory's."""
    return record.product_type or product_type(record.e164)


def _wrong_product_type(record: PhoneNumberRecord, kind: AssociationKind) -> NumberError:
    """Only Voice Connector product-type numbers go to connectors or groups (Administrator Guide,
    "Assigning numbers to a Voice Connector or Voice Connector group": "The phone numbers must have
    the Voice Connector product type"). The code is BadRequest from the model's ErrorCode enum; AWS
    does not document which code it uses for this case."""
    return NumberError(
        record.e164,
        "BadRequest",
        f"Phone number {record.e164} has product type {product_type_of(record)}; only VoiceConnector numbers "
        f"can be associated with a {_TARGET_LABEL[kind]}.",
    )
