"""The equipment stock: a ledger of deliveries, hand-outs and counts, never refusing clean equipment."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.support.pages import nb
from visits.models import EquipmentItem, HandOut, StockMovement
from visits.selectors.stock import ledger_level, stock_alerts, stock_lines
from visits.services.contacts import contact_record
from visits.services.stock import stock_count, stock_deliver

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
