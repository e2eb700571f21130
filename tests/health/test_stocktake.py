"""The stocktake page: every item counted in one form, the differences from the ledger shown afterwards."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.support.pages import marked_text, nb, text_of
from visits.models import EquipmentItem, StockBalance, StockMovement
from visits.selectors.stock import stock_lines
from visits.services.contacts import contact_record
from visits.services.stock import stock_count, stock_deliver

pytestmark = pytest.mark.django_db
URL = "/health/stock/stocktake/"


def item(name_en: str) -> EquipmentItem:
    return EquipmentItem.objects.get(name_en=name_en)


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f-]+)"', html)
    assert match, "the form carries no token"
    return match.group(1)


def submit(http, counts: dict[str, object], reason="Weekly count", token: str | None = None):
    data = {"token": token or str(uuid.uuid4()), "reason": reason}
    data.update({f"count_{item(name).pk}": value for name, value in counts.items()})
    return http.post(URL, data)


def level(name_en: str) -> int:
    return StockBalance.objects.get(item__name_en=name_en).level


def test_it_lists_every_enabled_item_with_its_ledger_level_and_status(facility, client_for, cast):
    stock_count(item=item("Needle"), counted=120, reason="Opening count", by=cast["health"])
    EquipmentItem.objects.filter(name_en="Condoms").update(enabled=False)

    html = client_for("health").get(URL).content.decode()
    table = marked_text(html, "stocktake-table")

    assert "Kanyle 120" in table
    assert "Sprøyte 1 ml – " in table and nb("Never counted — count needed") in table
    assert "Condoms" not in table and "Kondomer" not in table
    assert token_of(html)


def test_it_records_a_count_for_each_counted_item_and_shows_the_differences(facility, client_for, cast):
    stock_count(item=item("Needle"), counted=120, reason="Opening count", by=cast["health"])
    stock_count(item=item("Filter"), counted=80, reason="Opening count", by=cast["health"])
    http = client_for("health")

    response = submit(http, {"Needle": "100", "Filter": "80", "Cooker": "", "Syringe 1 ml": "250"})

    assert response.status_code == 302
    page = http.get(response["Location"])
    differences = marked_text(page.content, "stocktake-differences")
    assert t_difference("Kanyle", 120, 100, "-20") in differences
    assert t_difference("Sprøyte 1 ml", 0, 250, "+250") in differences
    assert "Filter" not in differences  # counted as the ledger said
    assert (level("Needle"), level("Filter"), level("Syringe 1 ml")) == (100, 80, 250)
    assert not StockMovement.objects.filter(item__name_en="Cooker").exists()
    assert set(StockMovement.objects.filter(stocktake__isnull=False).values_list("reason", flat=True)) == {
        "Weekly count"
    }


def t_difference(name: str, ledger: int, counted: int, difference: str) -> str:
    return nb("%(item)s: ledger %(ledger)s, counted %(counted)s, %(difference)s") % {
        "item": name,
        "ledger": ledger,
        "counted": counted,
        "difference": difference,
    }


def test_it_clears_count_needed_for_the_items_counted_only(facility, client_for):
    submit(client_for("duty"), {"Needle": "400"})

    needing = {line.item.name_en for line in stock_lines() if line.needs_count}
    assert "Needle" not in needing and "Syringe 1 ml" in needing


def test_it_counts_once_when_the_same_form_is_sent_twice(facility, client_for):
    http = client_for("health")
    token = token_of(http.get(URL).content.decode())

    first = submit(http, {"Needle": "400"}, token=token)
    second = submit(http, {"Needle": "390"}, token=token)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert list(StockMovement.objects.values_list("counted", flat=True)) == [400]
    assert level("Needle") == 400


@pytest.mark.parametrize(
    "counts,reason",
    [
        ({"Needle": "100", "Filter": "-3"}, "Weekly count"),
        ({"Needle": "100", "Filter": "many"}, "Weekly count"),
        ({"Needle": "100", "Filter": "100001"}, "Weekly count"),
        ({"Needle": "100", "Filter": "5"}, "   "),
        ({"Needle": "", "Filter": ""}, "Weekly count"),
    ],
)
def test_it_answers_bad_input_with_messages_and_writes_nothing(facility, client_for, counts, reason):
    response = submit(client_for("health"), counts, reason=reason)

    assert response.status_code == 400
    assert "alert-danger" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not StockMovement.objects.exists()
    assert not StockBalance.objects.filter(count_needed=False).exists()


def test_it_says_what_is_missing_when_nothing_was_counted(facility, client_for):
    response = submit(client_for("health"), {"Needle": ""})
    assert nb("Enter the count of at least one item.") in text_of(response.content)


def test_it_answers_a_form_without_its_token_with_a_message(facility, client_for):
    response = client_for("health").post(URL, {"reason": "Weekly count", f"count_{item('Needle').pk}": "5"})
    assert response.status_code == 400
    assert not StockMovement.objects.exists()


def test_a_delivery_between_opening_and_sending_the_form_is_in_the_difference(facility, client_for, cast):
    stock_count(item=item("Needle"), counted=100, reason="Opening count", by=cast["health"])
    http = client_for("health")
    token = token_of(http.get(URL).content.decode())
    stock_deliver(item=item("Needle"), quantity=50, by=cast["health"])

    response = submit(http, {"Needle": "150"}, token=token)

    assert nb("Every count matched the ledger.") in text_of(http.get(response["Location"]).content)


@pytest.mark.parametrize("role,status", [("health", 200), ("duty", 200), ("coordinator", 403), ("reception", 403)])
def test_it_lets_those_who_keep_the_stock_take_it(facility, client_for, role, status):
    http = client_for(role)
    assert http.get(URL).status_code == status
    assert submit(http, {"Needle": "5"}).status_code == (302 if status == 200 else 403)


def test_it_shows_a_recorded_stocktake_to_the_coordinator_and_404_for_an_unknown_one(facility, client_for, cast):
    response = submit(client_for("health"), {"Needle": "5"})
    coordinator = client_for("coordinator")
    assert coordinator.get(response["Location"]).status_code == 200
    assert coordinator.get(f"{URL}{uuid.uuid4()}/").status_code == 404


def test_it_is_reached_from_the_stock_page(facility, client_for):
    html = client_for("health").get("/health/stock/").content.decode()
    assert f'href="{URL}"' in html


def test_contact_hand_outs_keep_the_flag_until_counted(facility, client_for, cast):
    contact_record(by=cast["reception"], gender="M", items={item("Needle"): 2})
    assert "Needle" in {line.item.name_en for line in stock_lines() if line.needs_count}
