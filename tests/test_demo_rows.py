"""tests/demo_rows.py: the copy of the demo data is the database seed_demo() left, and it is
written only into a database like the one seed_demo() ran in."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from negotiations.models import Negotiation, Round
from tests import demo_rows

pytestmark = pytest.mark.django_db


def everything() -> dict:
    return {model._meta.label: demo_rows._rows(model, "default") for model in demo_rows._models()}


def test_the_copy_holds_every_row_seed_demo_wrote_and_new_rows_get_keys_of_their_own(
    monkeypatch,
):
    monkeypatch.setattr(demo_rows, "_noted", {})
    with transaction.atomic():
        demo_rows.seed_demo_rows()  # seed_demo() runs
        seeded = everything()
        transaction.set_rollback(True)
    assert len(demo_rows._noted) == 1

    def no_seeding():
        raise AssertionError("seed_demo() ran instead of the copy")

    monkeypatch.setattr(demo_rows, "seed_demo", no_seeding)
    for _ in range(2):
        with transaction.atomic():
            demo_rows.seed_demo_rows()
            assert everything() == seeded
            User.objects.create_user("uusi-kayttaja")
            negotiation = Negotiation.objects.order_by("pk").last()
            Negotiation.objects.create(
                round=Round.objects.create(
                    name_fi="Uusi kierros",
                    kind=Round.Kind.COUNTY_NEGOTIATIONS,
                    period_start="2030-02-01",
                    period_end="2030-03-31",
                ),
                region=negotiation.region,
            )
            transaction.set_rollback(True)


def test_a_database_with_other_rows_gets_seed_demo_itself(monkeypatch):
    before = {model: demo_rows._rows(model, "default") for model in demo_rows._models()}
    monkeypatch.setattr(demo_rows, "_noted", {demo_rows._key(before): []})  # this database's
    calls = []
    monkeypatch.setattr(demo_rows, "seed_demo", lambda: calls.append("seed_demo"))

    demo_rows.seed_demo_rows()
    assert calls == []  # the noted copy (of nothing here)

    User.objects.create_user("ensin-luotu")
    demo_rows.seed_demo_rows()
    assert calls == ["seed_demo"]
