"""``setup_facility``: the starting settings and an opening count, asked or given, or every item "count needed"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from visits.models import EquipmentItem, StockBalance, StockMovement
from visits.selectors.stock import stock_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_account(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x-very-long-password-1")


def setup(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = StringIO(stdin)
    call_command("setup_facility", *args, **options)
    return out.getvalue()


def needing_count() -> list[str]:
    return [line.item.name_en for line in stock_lines() if line.needs_count]


def test_it_leaves_every_item_plainly_count_needed_with_no_count(admin_account):
    output = setup("--no-count")

    items = list(EquipmentItem.objects.filter(enabled=True).values_list("name_en", flat=True))
    assert items and needing_count() == items
    assert all(line.never_counted and not line.low for line in stock_lines())
    assert not StockMovement.objects.exists()
    assert "Count needed (never counted): " in output


def test_it_records_the_opening_counts_given_as_options(admin_account):
    output = setup("--opening-count", "Needle=400", "--opening-count", "sprøyte 1 ml = 250")

    assert dict(StockBalance.objects.filter(count_needed=False).values_list("item__name_en", "level")) == {
        "Needle": 400,
        "Syringe 1 ml": 250,
    }
    assert set(StockMovement.objects.values_list("kind", "reason", "by__username")) == {
        ("count", "Opening count", "admin")
    }
    assert "Needle" not in needing_count() and "Cooker" in needing_count()
    assert "Opening count recorded for 2 item(s)" in output


def test_it_asks_for_each_item_and_skips_a_blank_answer(admin_account):
    answers = ["300", "", "abc", "150"]  # syringes, needles skipped, cookers: a wrong answer, then 150

    output = setup(stdin="\n".join(answers) + "\n")

    counted = dict(StockBalance.objects.filter(count_needed=False).values_list("item__name_en", "level"))
    assert counted == {"Syringe 1 ml": 300, "Cooker": 150}
    assert "Needle" in needing_count()
    assert "a whole number from 0 to 100000" in output


@pytest.mark.parametrize("given", ["Needle", "Needle=-1", "Needle=ten", "Spoon=3"])
def test_it_refuses_a_bad_opening_count_and_records_nothing(admin_account, given):
    with pytest.raises(CommandError):
        setup("--opening-count", given)
    assert not StockMovement.objects.exists()


def test_it_needs_an_account_to_record_a_count_under(db):
    with pytest.raises(CommandError, match="createsuperuser"):
        setup("--opening-count", "Needle=400")
    assert not StockMovement.objects.exists()


def test_it_asks_nothing_when_told_not_to_and_leaves_the_items_to_count(admin_account):
    setup("--no-input", stdin="300\n")

    assert not StockMovement.objects.exists()
    assert len(needing_count()) == EquipmentItem.objects.filter(enabled=True).count()


def test_it_counts_nothing_twice_when_run_again(admin_account):
    setup("--opening-count", "Needle=400")
    setup("--no-count")

    assert StockMovement.objects.count() == 1
