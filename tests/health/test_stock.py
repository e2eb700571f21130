"""The equipment stock: a ledger of deliveries, hand-outs and counts, never refusing clean equipment."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests.support.pages import marked_text, nb, t
from visits.models import EquipmentItem, HandOut, StockBalance, StockMovement
from visits.selectors.stock import ledger_level, stock_alerts, stock_lines
from visits.services.contacts import contact_record
from visits.services.stock import stock_count, stock_deliver, stock_take

pytestmark = pytest.mark.django_db


def syringes() -> EquipmentItem:
    return EquipmentItem.objects.get(name_en="Syringe 1 ml")


def level(item: EquipmentItem) -> int:
    return next(line.level for line in stock_lines() if line.item == item)


def hand_out(by, item, quantity):
    return contact_record(by=by, gender="M", items={item: quantity})


def test_it_computes_the_level_from_deliveries_hand_outs_and_counts(facility, cast):
    item = syringes()
    stock_deliver(item=item, quantity=500, by=cast["health"])
    hand_out(cast["reception"], item, 20)
    hand_out(cast["reception"], item, 5)
    assert level(item) == 475
    stock_count(item=item, counted=470, reason="Weekly count", by=cast["health"])
    assert level(item) == 470
    assert StockMovement.objects.get(kind="count").quantity == -5
    assert ledger_level(item) == level(item)


def test_it_hands_out_past_the_recorded_stock_and_flags_the_item_for_a_count(facility, cast):
    item = syringes()
    stock_count(item=item, counted=3, reason="Opening count", by=cast["health"])
    assert item not in [line.item for line in stock_alerts() if line.needs_count]
    hand_out(cast["reception"], item, 10)
    assert HandOut.objects.filter(item=item).count() == 1
    assert level(item) == -7
    assert [line.item for line in stock_alerts() if line.needs_count and not line.never_counted] == [item]
    stock_count(item=item, counted=40, reason="Found a box in the drawer", by=cast["health"])
    assert level(item) == 40
    assert item not in [line.item for line in stock_alerts() if line.needs_count]


def test_it_warns_below_the_threshold(facility, cast):
    item = syringes()
    EquipmentItem.objects.filter(pk=item.pk).update(low_stock_threshold=100)
    stock_count(item=item, counted=99, reason="Opening count", by=cast["health"])
    assert [line.item for line in stock_alerts() if line.low] == [item]


def test_it_refuses_impossible_deliveries_and_counts(facility, cast):
    item = syringes()
    for quantity in (0, -5, 10**9):
        with pytest.raises(ValidationError):
            stock_deliver(item=item, quantity=quantity, by=cast["health"])
    with pytest.raises(ValidationError):
        stock_count(item=item, counted=-1, reason="x", by=cast["health"])
    with pytest.raises(ValidationError):
        stock_count(item=item, counted=10, reason=" ", by=cast["health"])
    assert not StockMovement.objects.exists()


def test_it_shows_the_stock_page_and_records_a_delivery(facility, client_for):
    http = client_for("health")
    item = syringes()
    response = http.post("/health/stock/delivery/", {"item": item.pk, "quantity": 200, "note": ""})
    assert response.status_code == 302
    page = http.get("/health/stock/").content.decode()
    assert "200" in page and item.name in page


def test_it_answers_a_negative_delivery_with_a_form_error(facility, client_for):
    response = client_for("health").post("/health/stock/delivery/", {"item": syringes().pk, "quantity": -3})
    assert response.status_code == 400
    assert not StockMovement.objects.exists()


def test_it_needs_a_reason_for_a_count_on_the_page(facility, client_for):
    response = client_for("duty").post("/health/stock/count/", {"item": syringes().pk, "counted": 5, "reason": ""})
    assert response.status_code == 400
    assert nb("This field is required.") in response.content.decode()


@pytest.mark.parametrize("role,status", [("health", 200), ("duty", 200), ("coordinator", 200), ("reception", 403)])
def test_it_shows_the_stock_to_the_roles_that_keep_or_report_it(facility, client_for, role, status):
    assert client_for(role).get("/health/stock/").status_code == status


@pytest.mark.django_db(transaction=True)
def test_it_books_concurrent_hand_outs_each_exactly_once(facility, cast):
    item = syringes()
    stock_deliver(item=item, quantity=1000, by=cast["health"])
    workers, per_worker = 8, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_worker):
                hand_out(cast["reception"], item, 2)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert HandOut.objects.filter(item=item).count() == workers * per_worker
    assert level(item) == 1000 - workers * per_worker * 2
    assert ledger_level(item) == level(item)


def needs_count(item: EquipmentItem) -> bool:
    return next(line.needs_count for line in stock_lines() if line.item == item)


def test_it_flags_every_item_of_a_new_installation_as_never_counted_not_low(facility):
    lines = stock_lines()
    assert lines and all(line.needs_count and line.never_counted for line in lines)
    assert not [line for line in lines if line.low]
    assert [line.item for line in stock_alerts()] == [line.item for line in lines]


def test_it_gives_the_default_items_a_low_stock_warning(facility):
    thresholds = dict(EquipmentItem.objects.values_list("name_en", "low_stock_threshold"))
    assert thresholds["Syringe 1 ml"] == 200 and thresholds["Needle"] == 400
    assert all(thresholds.values())


def test_a_delivery_never_clears_count_needed(facility, cast):
    item = syringes()
    stock_deliver(item=item, quantity=500, by=cast["health"])
    assert needs_count(item) and level(item) == 500


def test_a_delivery_after_a_negative_level_keeps_the_flag(facility, cast):
    item = syringes()
    stock_count(item=item, counted=2, reason="Opening count", by=cast["health"])
    hand_out(cast["reception"], item, 5)
    stock_deliver(item=item, quantity=500, by=cast["health"])
    assert level(item) == 497 and needs_count(item)


def test_a_count_clears_count_needed_and_keeps_when(facility, cast):
    item = syringes()
    stock_count(item=item, counted=300, reason="Opening count", by=cast["health"])
    line = next(line for line in stock_lines() if line.item == item)
    assert not line.needs_count and line.counted_at is not None


def test_a_hand_out_to_zero_is_no_reason_to_count_but_below_zero_is(facility, cast):
    item = syringes()
    stock_count(item=item, counted=3, reason="Opening count", by=cast["health"])
    hand_out(cast["reception"], item, 3)
    assert level(item) == 0 and not needs_count(item)
    hand_out(cast["reception"], item, 1)
    assert level(item) == -1 and needs_count(item)


def test_the_database_refuses_a_negative_level_without_the_flag(facility, cast):
    item = syringes()
    stock_count(item=item, counted=3, reason="Opening count", by=cast["health"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(item=item).update(level=-1)


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_stocktake_at_once_count_once(facility, cast):
    item = syringes()
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(counted):
        try:
            barrier.wait()
            stock_take(counts={item: counted}, reason="Weekly count", token=token, by=cast["health"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (100, 90)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert StockMovement.objects.filter(stocktake=token).count() == 1
    assert level(item) in (100, 90)


@pytest.mark.parametrize(
    "role,url,testid", [("health", "/health/", "stock-alerts"), ("duty", "/floor/board/", "board-stock")]
)
def test_it_says_plainly_on_the_boards_that_a_new_installation_needs_counting(facility, client_for, role, url, testid):
    text = marked_text(client_for(role).get(url).content, testid)
    assert nb("never counted — count needed") in text and "Sprøyte 1 ml" in text
    assert "Sprøyte 1 ml 0" not in text and "Sprøyte 1 ml: 0" not in text


def test_the_floor_page_shows_a_count_made_since_the_page_before(facility, client_for, cast):
    duty = client_for("duty")
    before = marked_text(duty.get("/floor/").content, "board-stock")  # the stock's alerts kept from here
    assert "Sprøyte 1 ml" in before and "Sprøyte 1 ml 120" not in before

    stock_count(item=syringes(), counted=120, reason="Opening count", by=cast["health"])

    assert "Sprøyte 1 ml 120" in marked_text(duty.get("/floor/").content, "board-stock")


def test_it_shows_a_counted_item_below_its_warning_on_the_health_room_and_the_dashboard(facility, client_for, cast):
    stock_count(item=syringes(), counted=120, reason="Opening count", by=cast["health"])
    room = marked_text(client_for("health").get("/health/").content, "stock-alerts")
    dashboard = marked_text(client_for("coordinator").get("/dashboard/").content, "stock-alerts")
    for text in (room, dashboard):
        assert f"Sprøyte 1 ml: 120 ({t('below %(threshold)s', threshold=200)})" in text


def test_the_stock_page_says_never_counted_instead_of_low(facility, client_for):
    table = marked_text(client_for("health").get("/health/stock/").content, "stock-table")
    assert nb("Never counted — count needed") in table and nb("Low") not in table
