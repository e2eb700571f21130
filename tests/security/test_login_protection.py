"""Shared station computers: lockout after failed logins, the idle timeout, switching user, the CSP header."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import ngettext, override

from tests.support.cast import PASSWORD
from tests.support.pages import nb

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def attempt(client, username: str, password: str, ip: str = "10.0.0.5"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def clock(facility):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


# Lockout ----------------------------------------------------------------------------------------------


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_the_username_after_repeated_failures_with_a_clear_message(client, cast, clock):
    for _ in range(2):
        assert attempt(client, "reception", "wrong").status_code == 200

    response = attempt(client, "reception", "wrong")

    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_refuses_even_the_right_password_while_locked(client, cast, clock):
    for _ in range(3):
        attempt(client, "reception", "wrong")

    response = attempt(client, "reception", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_only_that_username_at_that_address(client, cast, clock):
    for _ in range(3):
        attempt(client, "reception", "wrong")

    assert attempt(client, "health", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "reception", PASSWORD, ip="10.0.0.6").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=dt.timedelta(minutes=15))
def test_it_lets_the_user_in_again_after_the_cooloff(client, cast, clock):
    for _ in range(3):
        attempt(client, "reception", "wrong")

    clock.shift(dt.timedelta(minutes=16))

    assert attempt(client, "reception", PASSWORD).status_code == 302


# Idle timeout -----------------------------------------------------------------------------------------


@override_settings(IDLE_TIMEOUT_MINUTES=15)
def test_it_keeps_a_session_that_is_used(client_for, clock):
    http = client_for("reception")
    for _ in range(4):
        assert http.get("/reception/").status_code == 200
        clock.shift(dt.timedelta(minutes=10))

    assert http.get("/reception/").status_code == 200


@override_settings(IDLE_TIMEOUT_MINUTES=15)
def test_it_logs_out_after_the_idle_timeout_and_says_why(client_for, clock):
    http = client_for("reception")
    http.get("/reception/")
    clock.shift(dt.timedelta(minutes=16))

    response = http.get("/reception/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?")
    assert "idle=1" in response["Location"]
    assert "_auth_user_id" not in http.session
    page = http.get(response["Location"]).content.decode()
    assert 'data-testid="idle-logged-out"' in page


@override_settings(IDLE_TIMEOUT_MINUTES=15)
def test_the_boards_polling_does_not_keep_the_session_alive(client_for, clock):
    http = client_for("duty")
    http.get("/floor/")
    for _ in range(3):
        clock.shift(dt.timedelta(minutes=5))
        assert http.get("/floor/board/", HTTP_HX_REQUEST="true").status_code == 200

    clock.shift(dt.timedelta(minutes=1))
    response = http.get("/floor/board/", HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"].startswith("/login/?")
    assert "_auth_user_id" not in http.session


@override_settings(IDLE_TIMEOUT_MINUTES=15)
def test_a_search_typed_at_reception_is_activity(client_for, clock):
    http = client_for("reception")
    http.get("/reception/")
    clock.shift(dt.timedelta(minutes=10))
    http.get("/reception/search/", {"q": "AB"}, HTTP_HX_REQUEST="true")
    clock.shift(dt.timedelta(minutes=10))

    assert http.get("/reception/").status_code == 200


@override_settings(IDLE_TIMEOUT_MINUTES=15)
def test_stay_logged_in_starts_the_timeout_again(client_for, clock):
    http = client_for("health")
    http.get("/injection/")
    clock.shift(dt.timedelta(minutes=14))

    assert http.post("/session/ping/").json() == {"idle_timeout_seconds": 900}
    clock.shift(dt.timedelta(minutes=14))
    assert http.get("/injection/").status_code == 200


def test_the_ping_rejects_get(client_for):
    assert client_for("health").get("/session/ping/").status_code == 405


def test_every_page_carries_the_timeout_for_the_warning(client_for):
    html = client_for("reception").get("/reception/").content.decode()

    assert 'data-idle-timeout="' in html
    assert "js/idle.js" in html
    assert 'data-testid="idle-warning"' in html


# Switching user ---------------------------------------------------------------------------------------


def test_switch_user_ends_the_session_and_shows_the_login_form(client_for):
    http = client_for("health")
    http.get("/injection/")
    old_key = http.session.session_key

    response = http.post("/switch-user/", follow=True)

    assert response.redirect_chain[-1][0] == "/login/?switched=1"
    html = response.content.decode()
    assert 'name="password"' in html
    assert 'data-testid="switched"' in html
    assert http.session.session_key != old_key
    assert http.get("/injection/").status_code == 302


def test_switch_user_is_on_every_station_page(client_for):
    html = client_for("reception").get("/reception/").content.decode()

    assert nb("Switch user") in html


def test_switch_user_rejects_get(client_for):
    assert client_for("reception").get("/switch-user/").status_code == 405


# Headers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/login/", "/reception/", "/healthz"])
def test_every_response_carries_the_content_security_policy(client_for, url):
    response = client_for("reception").get(url)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_session_cookie_is_httponly_and_samesite(client, cast):
    response = attempt(client, "reception", PASSWORD)

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# Behind reverse proxies ------------------------------------------------------------------------------


def proxied(client, username: str, password: str, forwarded_for: str):
    """A login through the load balancer: every request reaches the app from the proxy's address."""
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_it_locks_the_username_at_the_station_not_at_the_proxy(client, cast, clock):
    for _ in range(3):
        proxied(client, "reception", "wrong", "192.168.1.20")

    assert proxied(client, "reception", PASSWORD, "192.168.1.20").status_code == 429
    assert proxied(client, "reception", PASSWORD, "192.168.1.21").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_address_does_not_escape_the_lock(client, cast, clock):
    for n in range(3):
        # The sender writes an address of its own; the proxy appends the one it really came from.
        proxied(client, "reception", "wrong", f"172.16.0.{n}, 192.168.1.20")

    assert proxied(client, "reception", PASSWORD, "172.16.0.99, 192.168.1.20").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_it_ignores_the_forwarded_header(client, cast, clock):
    for n in range(3):
        proxied(client, "reception", "wrong", f"192.168.1.{n}")

    assert proxied(client, "reception", PASSWORD, "192.168.1.50").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_header_that_is_no_address_counts_as_the_proxy(client, cast, clock):
    for _ in range(3):
        proxied(client, "reception", "wrong", "<script>alert(1)</script>")

    assert proxied(client, "reception", PASSWORD, "not-an-address").status_code == 429
    assert proxied(client, "reception", PASSWORD, "192.168.1.21").status_code == 302


# Guessing spread over many addresses -------------------------------------------------------------------


def locked_everywhere_message(minutes: int) -> str:
    """What the login page says, in bokmål, when a username is locked at every computer."""
    singular = (
        "Too many failed logins for this username, from several computers: it is locked at every computer. "
        "Try again in %(minutes)s minute, or ask an administrator to lift the lock."
    )
    with override("nb"):
        return ngettext(singular, singular.replace("minute,", "minutes,"), minutes) % {"minutes": minutes}


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6, AXES_COOLOFF_TIME=dt.timedelta(minutes=15))
def test_it_locks_the_username_at_every_address_after_the_higher_limit(client, cast, clock):
    for n in range(5):
        # Never more than one guess from any address: the limit per address is never reached.
        assert attempt(client, "reception", "wrong", ip=f"10.1.0.{n}").status_code == 200

    response = attempt(client, "reception", "wrong", ip="10.1.0.99")

    assert response.status_code == 429
    html = response.content.decode()
    assert 'data-scope="username"' in html
    assert locked_everywhere_message(15) in html


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6)
def test_the_username_lock_shuts_out_the_right_password_at_another_address_too(client, cast, clock):
    for n in range(6):
        attempt(client, "reception", "wrong", ip=f"10.1.0.{n}")

    response = attempt(client, "reception", PASSWORD, ip="10.0.0.77")

    assert response.status_code == 429
    assert 'data-scope="username"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6)
def test_the_username_lock_leaves_other_usernames_alone(client, cast, clock):
    for n in range(6):
        attempt(client, "reception", "wrong", ip=f"10.1.0.{n}")

    assert attempt(client, "health", PASSWORD, ip="10.1.0.1").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_guessing_from_many_stations_locks_the_username(client, cast, clock):
    for n in range(6):
        proxied(client, "reception", "wrong", f"192.168.1.{n}")

    response = proxied(client, "reception", PASSWORD, "192.168.1.200")

    assert response.status_code == 429
    assert 'data-scope="username"' in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6, AXES_COOLOFF_TIME=dt.timedelta(minutes=15))
def test_the_username_lock_lifts_after_the_cooloff(client, cast, clock):
    for n in range(6):
        attempt(client, "reception", "wrong", ip=f"10.1.0.{n}")

    clock.shift(dt.timedelta(minutes=16))

    assert attempt(client, "reception", PASSWORD, ip="10.0.0.77").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6)
def test_resetting_the_username_lifts_the_lock_at_once(client, cast, clock):
    for n in range(6):
        attempt(client, "reception", "wrong", ip=f"10.1.0.{n}")

    call_command("axes_reset_username", "reception", stdout=io.StringIO())

    assert attempt(client, "reception", PASSWORD, ip="10.0.0.77").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, AXES_USERNAME_FAILURE_LIMIT=6)
def test_the_limit_at_one_address_still_comes_first(client, cast, clock):
    for _ in range(3):
        attempt(client, "reception", "wrong")

    response = attempt(client, "reception", PASSWORD)

    assert response.status_code == 429
    assert 'data-scope="username"' not in response.content.decode()
    assert attempt(client, "reception", PASSWORD, ip="10.0.0.6").status_code == 302


def test_the_username_limit_is_higher_than_the_one_per_address_by_default():
    assert settings.AXES_USERNAME_FAILURE_LIMIT == 20
    assert settings.AXES_USERNAME_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
