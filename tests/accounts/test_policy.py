"""The policy layer's own promises: consent before sharing, deny by default, the system
administrator's grant, area scope over the area hierarchy."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts import policy
from lantern.accounts.models import Area, Role
from lantern.accounts.policy import rules
from lantern.cases.models import Case, Consent
from tests import factories
from tests.conftest import Store

pytestmark = pytest.mark.django_db


def _consent(case: Case, value: bool | None, given_by: str) -> None:
    Consent.objects.create(case=case, item="referral_sharing", value=value, given_by=given_by)


def test_sharing_needs_scope_and_a_recorded_yes(store: Store) -> None:
    cw, case = store.users["caseworker"], store.case_in
    decision = policy.may_share(cw, case, "referral")
    assert not decision and "no consent to referral_sharing" in decision.reason
    _consent(case, None, "child")  # unknown is not a yes
    assert not policy.may_share(cw, case, "referral")
    _consent(case, True, "guardian")
    assert policy.may_share(cw, case, "referral")
    assert not policy.may_share(cw, case, "family_tracing")  # a different item
    _consent(store.case_out, True, "child")
    out = policy.may_share(cw, store.case_out, "referral")
    assert not out and "not in your scope" in out.reason
    assert not policy.may_share(store.users["national_coordinator"], case, "referral")
    assert "unknown sharing purpose" in policy.may_share(cw, case, "gossip").reason


def test_a_refusal_outweighs_a_yes(store: Store) -> None:
    """A guardian may be the one who sold the child: the child's no is never overridden."""
    _consent(store.case_in, True, "guardian")
    _consent(store.case_in, False, "child")
    decision = policy.may_share(store.users["case_supervisor"], store.case_in, "referral")
    assert not decision and "refused" in decision.reason


def test_a_system_admin_sees_no_case_until_granted_and_then_only_reads(store: Store) -> None:
    plain, granted = store.users["system_admin"], store.users["system_admin+grant"]
    assert not policy.scope_cases(plain, "view").exists() and not policy.field_tiers(plain)
    assert not policy.requires_second_factor(plain)
    assert policy.scope_cases(granted, "view").count() == 2
    for action in ("create", "update", "import", "screen", "refer", "view_access_log"):
        assert not policy.allows(granted, "case", action), action
    assert policy.requires_second_factor(granted)


def test_second_factor_is_required_exactly_for_roles_that_see_identities(store: Store) -> None:
    sees_identity = {
        "caseworker",
        "case_supervisor",
        "cross_border_liaison",
        "system_admin+grant",
        "police_liaison",  # the perpetrator register's names and phones
        "prosecutor",
    }
    for column, user in store.users.items():
        assert policy.requires_second_factor(user) == (column in sees_identity), column


def test_unknown_actions_and_inactive_users_are_denied(store: Store) -> None:
    sup = store.users["case_supervisor"]
    assert not policy.allows(sup, "case", "delete") and not policy.allows(sup, "nuclear", "launch")
    sup.is_active = False
    assert not policy.scope_cases(sup, "view").exists() and not policy.field_tiers(sup)


def test_area_scope_covers_the_area_and_everything_below_it(store: Store) -> None:
    country = Area.objects.create(code="NPL", name="Nepal", level=0)
    province = Area.objects.create(code="NPL-3", name="Bagmati", level=1, parent=country)
    Area.objects.create(code="THA", name="Thailand", level=0)
    Case.objects.filter(pk=store.case_in.pk).update(area=province)
    user: Any = factories.user("area-user", Role.CASEWORKER, area=country)
    q = rules._case_filter(user, policy.Scope.AREA)
    assert q is not None and list(Case.objects.filter(q)) == [store.case_in]
    user.area = Area.objects.get(code="THA")
    assert not Case.objects.filter(rules._case_filter(user, policy.Scope.AREA)).exists()


def test_fields_are_standard_unless_classified() -> None:
    assert policy.tier_of("person.given_name") is policy.Tier.IDENTIFYING
    assert policy.tier_of("Case.sex_exploitation_types") is policy.Tier.HIGHLY_SENSITIVE
    assert policy.tier_of("case.primary_form") is policy.Tier.STANDARD


def test_agency_allows_answers_for_an_agency_as_scoped_does_for_its_records(store: Store) -> None:
    """Asked before a record exists (a report about to be queued), the answer is the one
    ``scoped`` would give once the agency holds it: the agency's own staff who hold the grant."""
    mine, other = store.case_in.agency_id, store.case_out.agency_id
    for column, user in store.users.items():
        may_take = policy.allows(user, "triage", "take")
        assert policy.agency_allows(user, "triage", "take", mine) == may_take, column
        assert not policy.agency_allows(user, "triage", "take", other), column
    assert policy.agency_allows(store.users["caseworker"], "triage", "take", mine)
    coordinator = store.users["national_coordinator"]  # a national scope: every agency's
    assert policy.agency_allows(coordinator, "campaign", "manage", other)
    assert not policy.agency_allows(store.users["caseworker"], "campaign", "manage", mine)


def test_a_domain_block_cannot_restate_a_grant_with_another_scope() -> None:
    """A block of grants added by a domain (``rules._merge``) that would widen (or narrow) a
    scope the table already gives is refused, and the table keeps its scope."""
    held = rules.RULES[Role.CASEWORKER][("case", "view")]
    with pytest.raises(ValueError, match="already granted with another scope"):
        rules._merge({Role.CASEWORKER: {("case", "view"): rules.Scope.NATIONAL}})
    assert rules.RULES[Role.CASEWORKER][("case", "view")] is held is not rules.Scope.NATIONAL
    rules._merge({Role.CASEWORKER: {("case", "view"): held}})  # the same grant again: no change
    assert rules.RULES[Role.CASEWORKER][("case", "view")] is held
