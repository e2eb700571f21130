"""An existing installation's stock after the upgrade: never counted or below zero, count needed; the default
warnings on default items still without one."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.support.migrations import migrate, migrated_back

BEFORE = [("visits", "0012_closing")]
AFTER = [("visits", "0014_low_stock_thresholds")]


@pytest.fixture
def before(transactional_db):
    with migrated_back(BEFORE) as old:
        yield old


def test_it_flags_the_uncounted_and_the_negative_and_sets_default_warnings_where_none(before):
    old = before
    now = timezone.now()
    user = old.get_model("staff", "User").objects.create(username="health-worker")
    Item = old.get_model("visits", "EquipmentItem")
    Balance = old.get_model("visits", "StockBalance")
    Movement = old.get_model("visits", "StockMovement")
    syringes = Item.objects.create(name="Sprøyte 1 ml", name_en="Syringe 1 ml", low_stock_threshold=0)
    needles = Item.objects.create(name="Kanyle", name_en="Needle", low_stock_threshold=150)
    swabs = Item.objects.create(name="Spritserviett", name_en="Alcohol swab")
    Item.objects.create(name="Skje", name_en="Spoon")
    # Syringes: counted, then delivered: trusted. Needles: counted, then below zero. Swabs: delivered only.
    Movement.objects.create(item=syringes, kind="count", quantity=40, counted=40, reason="r", at=now, by=user)
    Movement.objects.create(item=syringes, kind="delivery", quantity=100, at=now, by=user)
    Balance.objects.create(item=syringes, level=140)
    Movement.objects.create(item=needles, kind="count", quantity=5, counted=5, reason="r", at=now, by=user)
    Balance.objects.create(item=needles, level=-3)
    Movement.objects.create(item=swabs, kind="delivery", quantity=500, at=now, by=user)
    Balance.objects.create(item=swabs, level=500)

    new = migrate(AFTER)

    Balance = new.get_model("visits", "StockBalance")
    flags = dict(Balance.objects.values_list("item__name_en", "count_needed"))
    assert flags == {"Syringe 1 ml": False, "Needle": True, "Alcohol swab": True}
    assert Balance.objects.get(item__name_en="Syringe 1 ml").counted_at == now
    assert Balance.objects.get(item__name_en="Alcohol swab").counted_at is None
    thresholds = dict(new.get_model("visits", "EquipmentItem").objects.values_list("name_en", "low_stock_threshold"))
    assert thresholds == {"Syringe 1 ml": 200, "Needle": 150, "Alcohol swab": 400, "Spoon": 0}
