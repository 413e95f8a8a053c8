"""A second Lantern installation, run in its own process with its own database and keys.

    python installation_b.py setup PUBKEY_OUT PARTNER_PUBKEY
                                                 migrate, create a receiving liaison, record the
                                                 agreement pinning the partner's (A's) public
                                                 keys, write this installation's public keys
    python installation_b.py dump                print the imported case as JSON (decrypted)

The environment's LANTERN_VAR points at this installation's own directory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from lantern.accounts.models import Agency, Role, User  # noqa: E402
from lantern.cases.models import Case  # noqa: E402
from lantern.exchange.keys import installation_keys  # noqa: E402
from lantern.exchange.packets import PublicKeys  # noqa: E402
from lantern.protection.transfers.models import Agreement  # noqa: E402
from lantern.protection.transfers.service import record_agreement  # noqa: E402

ALLOWED = json.loads(os.environ["AGREEMENT_FIELDS"])


def setup(pubkey_out: str, partner_pubkey: str) -> None:
    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(code="ind-shelter", name="Receiving shelter", type="ngo_shelter")
    User.objects.create_user("receiver", password=None, role=Role.LIAISON, agency=agency)
    with open(partner_pubkey) as fh:
        partner = PublicKeys.from_json(fh.read())
    record_agreement(
        "NPL-IND-2026-01",
        title="Return of child victims",
        partner_country="NPL",
        allowed_fields=ALLOWED,
        valid_from=dt.date(2020, 1, 1),
        partner=partner,
        confirm=partner.fingerprint,
        source="installation_b setup",
    )
    with open(pubkey_out, "w") as fh:
        fh.write(installation_keys().public().to_json())


def dump() -> None:
    case = Case.objects.select_related("person", "agency").get()
    p = case.person
    print(
        json.dumps(
            {
                "agency": case.agency.code,
                "status": case.status,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "birthdate": str(p.birthdate),
                "identity_number": p.identity_number,
                "gender": case.gender,
                "citizenship": p.citizenship,
                "trafficking_status": case.trafficking_status,
                "nickname": p.nickname,
                "home_city": p.home_city,
                "forms_of_exploitation": case.forms_of_exploitation,
                "events": case.events.count(),
                "transfers": list(case.transfers.values_list("direction", "status")),
                "partner_fingerprint": Agreement.objects.get().partner_fingerprint,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    else:
        dump()
