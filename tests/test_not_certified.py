"""Why a product is no longer certified is told alike everywhere: the partner API's 410, the change
feed's ``delisted`` event and the verdict on a stamp scanned by a shopper."""
from __future__ import annotations

import datetime as dt

import pytest

from catalog.kernel import calendar, recognitions
from catalog.kernel.visibility import PublicStatus
from catalog.partners.api import schemas
from catalog.trace import stamps
from tests import factories
from tests.api_helpers import auth, conforms, partner_key
from tests.factories import DECISION, REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
LATER = calendar.start_of_day(dt.date(2026, 6, 20)) + dt.timedelta(hours=9)


@pytest.fixture()
def ended(session, frozen_clock):
    """Three stamped products certified at NOW; by LATER one was revoked, one expired, and one was
    re-recognised (its first decision superseded) and then let its new decision lapse."""
    frozen_clock(NOW)
    revoked = factories.recognised_product(decision_date=dt.date(2024, 12, 20))
    expired = factories.recognised_product(decision_date=dt.date(2023, 6, 10))         # valid until 10/6/2026
    renewed = factories.recognised_product(decision_date=dt.date(2020, 6, 20))         # valid until 20/6/2023
    recognitions.re_recognise(renewed, actor="test", **{**DECISION, "decision_number": "77/QĐ-UBND",
                                                        "decision_date": dt.date(2023, 6, 15)})  # until 15/6/2026
    made = {"revoked": revoked, "expired": expired, "superseded_then_expired": renewed}
    codes = {name: stamps.stamps_of(stamps.issue_batch(item, 1, actor="test"))[0].code for name, item in made.items()}
    factories.index_now()
    frozen_clock(NOW + dt.timedelta(hours=25))
    recognitions.revoke(revoked.recognitions[0], actor="test", revoked_on="2026-06-02", **REVOCATION)
    factories.index_now()
    frozen_clock(LATER)
    return made, codes


def test_the_api_the_feed_and_the_scan_give_the_same_reason(client, ended):
    made, codes = ended
    key = partner_key()
    delisted, after = {}, "0"
    while page := client.get(f"/api/v1/changes?after={after}&limit=100", headers=auth(key)).get_json()["events"]:
        for event in page:
            if event["kind"] == "delisted":
                delisted[event["product_id"]] = event["reason"]
        after = page[-1]["position"]
    expected = {"revoked": ("revoked", "2026-06-02"), "expired": ("expired", "2026-06-10"),
                "superseded_then_expired": ("expired", "2026-06-15")}
    for name, (reason, since) in expected.items():
        product = made[name]
        gone = client.get(f"/api/v1/products/{product.id}", headers=auth(key))
        assert gone.status_code == 410
        conforms(gone.get_json(), schemas.GoneSchema)
        verdict = client.get(f"/s/{codes[name]}", headers={"Accept": "application/json"}).get_json()
        assert (gone.get_json()["reason"], gone.get_json()["since"]) == (reason, since), name
        assert delisted[product.id] == reason, name
        assert verdict["verdict"] == reason, name


def test_the_api_says_never_recognised_and_not_yet_in_force(client, session, frozen_clock):
    frozen_clock(NOW)
    key = partner_key()
    never = factories.product(name="Chưa công nhận")
    future = factories.recognised_product(decision_date=dt.date(2026, 7, 1))
    factories.index_now()
    for product, reason, since in ((never, "never_recognised", None), (future, "not_yet_in_force", "2026-07-01")):
        gone = client.get(f"/api/v1/products/{product.id}", headers=auth(key))
        assert gone.status_code == 410
        body = gone.get_json()
        conforms(body, schemas.GoneSchema)
        assert (body["reason"], body["since"]) == (reason, since)
        assert f"({reason})" in body["detail"]


@pytest.mark.parametrize(("visible", "status", "reason", "ending"), [
    (True, "in_force", None, None),
    (False, "revoked", "revoked", "revoked"),
    (False, "expired", "expired", "expired"),
    (False, "superseded", "expired", "expired"),
    (False, "never_recognised", "never_recognised", "expired"),
    (False, "not_yet_in_force", "not_yet_in_force", "expired"),
])
def test_one_definition_of_why_not_certified(visible, status, reason, ending):
    public = PublicStatus(visible, status, None, None)
    assert (public.reason, public.ending) == (reason, ending)
