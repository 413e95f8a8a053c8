"""Agreements and MoUs as records, and readmission requests in signed packets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lantern.accounts.models import Role
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.exchange.packets import InstallationKeys, PublicKeys
from lantern.protection.transfers.models import Agreement
from lantern.response.agreements import readmission
from lantern.response.agreements import service as agreements
from lantern.response.agreements.models import ReadmissionStatus
from lantern.response.agreements.service import Validity, validity
from tests import factories

pytestmark = pytest.mark.django_db
EXCHANGE = "NPL-IND-2026-01"


def _record(user, **over):
    values = dict(
        reference="MOU-NPL-IND-2023",
        title="MoU on the return and reintegration of child victims",
        type="readmission",
        is_mou=True,
        countries=["NPL", "IND"],
        forms=["sexual_exploitation", "forced_labour"],
        min_age=0,
        max_age=17,
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    )
    return agreements.save_agreement(user, **(values | over))


def test_an_agreement_records_parties_type_coverage_and_validity(coordinator, ministry):
    row = _record(coordinator, parties=[ministry.pk])
    assert row.countries == ["NPL", "IND"] and list(row.parties.all()) == [ministry]
    assert agreements.form_labels(row) == ["Sexual exploitation", "Forced labour"]
    assert validity(row, dt.date(2025, 1, 1)) is Validity.IN_FORCE
    assert validity(row, dt.date(2028, 11, 1)) is Validity.EXPIRING
    assert validity(row, dt.date(2029, 1, 1)) is Validity.EXPIRED
    assert validity(row, dt.date(2022, 1, 1)) is Validity.NOT_YET


def test_bad_agreements_are_refused_naming_the_field(coordinator):
    for over, field in [
        ({"countries": ["NPL"]}, "countries"),
        ({"countries": ["NPL", "XXX"]}, "countries"),
        ({"type": "friendship"}, "type"),
        ({"valid_until": dt.date(2020, 1, 1)}, "valid_until"),
        ({"min_age": 18, "max_age": 10}, "max_age"),
        ({"forms": ["juggling"]}, "forms"),
        ({"exchange": "NONE"}, "exchange"),
    ]:
        with pytest.raises(Invalid) as exc:
            _record(coordinator, **over)
        assert exc.value.field == field, over
    _record(coordinator)
    with pytest.raises(Invalid) as exc:
        _record(coordinator)
    assert exc.value.field == "reference"


def test_a_liaison_reads_agreements_but_does_not_record_them(coordinator):
    liaison = factories.user("lia", Role.LIAISON)
    row = _record(coordinator)
    assert agreements.get_agreement(liaison, row.pk) == row
    with pytest.raises(NotAllowed):
        _record(liaison, reference="OTHER")
    assert list(agreements.agreements(liaison)) == [row]
    caseworker = factories.user("cw", Role.CASEWORKER)
    with pytest.raises(NotAllowed):  # the service refuses the list, not only the page or API
        agreements.agreements(caseworker)


# --- readmission between two installations ---------------------------------------------------


def _pin(ag: Agreement, keys: PublicKeys) -> None:
    ag.partner_name = keys.name
    ag.partner_sign_key, ag.partner_box_key = keys.b64()
    ag.partner_fingerprint = keys.fingerprint
    ag.save()


@pytest.fixture
def two_sides(db):
    """Nepal's and India's installations, sharing one database: the exchange agreement is
    re-pinned to the other side's keys when the packet changes hands (as each side's own
    copy of the agreement pins the other's)."""
    npl, ind = InstallationKeys.generate("npl"), InstallationKeys.generate("ind")
    ag = Agreement.objects.create(
        reference=EXCHANGE,
        title="Return of child victims",
        partner_country="IND",
        allowed_fields=["prs_Gender"],
        valid_from=dt.date(2020, 1, 1),
    )
    _pin(ag, ind.public())
    return npl, ind, ag


def test_a_request_is_acknowledged_and_the_answer_comes_back(two_sides):
    npl, ind, ag = two_sides
    liaison = factories.user("lia", Role.LIAISON)
    sent, blob = readmission.send_request(
        liaison,
        exchange=EXCHANGE,
        proposed_date=dt.date.today() + dt.timedelta(days=10),
        crossing_point="Raxaul - Birgunj border post",
        escort="Officer Test Escort, +977 1 000000",
        keys=npl,
    )
    assert sent.status == ReadmissionStatus.SENT and b"Escort" not in blob  # sealed
    # India's side: its agreement pins Nepal's key
    _pin(ag, npl.public())
    received = readmission.receive(liaison, blob, keys=ind)
    assert received.direction == "incoming" and received.escort == sent.escort
    assert received.crossing_point == "Raxaul - Birgunj border post"
    answer = readmission.answer(
        liaison, received, accepted=True, note="Reception by CWIN", keys=ind
    )
    assert received.status == ReadmissionStatus.ACCEPTED
    # back on Nepal's side
    _pin(ag, ind.public())
    done = readmission.receive(liaison, answer, keys=npl)
    assert done.pk == sent.pk and done.status == ReadmissionStatus.ACCEPTED
    assert done.answer_note == "Reception by CWIN"
    with pytest.raises(Refused, match="already answered"):
        readmission.receive(liaison, answer, keys=npl)


def test_a_tampered_or_foreign_packet_is_refused(two_sides):
    npl, ind, ag = two_sides
    liaison = factories.user("lia", Role.LIAISON)
    _sent, blob = readmission.send_request(
        liaison,
        exchange=EXCHANGE,
        proposed_date=dt.date.today() + dt.timedelta(days=3),
        crossing_point="Border post",
        escort="Officer Escort",
        keys=npl,
    )
    _pin(ag, npl.public())
    envelope = json.loads(blob)
    envelope["header"]["created"] = "2000-01-01T00:00:00+00:00"  # altered after signing
    with pytest.raises(Invalid, match="signature does not verify"):
        readmission.receive(liaison, json.dumps(envelope).encode(), keys=ind)
    _pin(ag, InstallationKeys.generate("impostor").public())  # not the key pinned
    with pytest.raises(Invalid, match="not signed by the partner"):
        readmission.receive(liaison, blob, keys=ind)
    with pytest.raises(Invalid, match="not a Lantern referral packet"):
        readmission.receive(liaison, b"hello", keys=ind)


def test_readmission_is_the_liaisons_work(two_sides):
    npl, _ind, _ag = two_sides
    caseworker = factories.user("cw", Role.CASEWORKER)
    with pytest.raises(NotAllowed):
        readmission.send_request(
            caseworker,
            exchange=EXCHANGE,
            proposed_date=dt.date.today(),
            crossing_point="x",
            escort="y",
            keys=npl,
        )
    with pytest.raises(NotAllowed):
        readmission.requests(caseworker)
    liaison = factories.user("lia", Role.LIAISON)
    assert list(readmission.requests(liaison)) == []
    with pytest.raises(Invalid) as exc:
        readmission.send_request(
            liaison,
            exchange=EXCHANGE,
            proposed_date=dt.date.today(),
            crossing_point="x",
            escort="y",
            case_reference="C-NOPE",
            keys=npl,
        )
    assert exc.value.field == "case_reference"
