"""Settings come from the environment; a value that cannot be right stops the app at start-up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bergen_injection.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("value", ["maybe", "2", "tru", "enabled"])
def test_it_rejects_a_value_that_is_not_a_boolean(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
    ],
)
def test_it_reads_a_boolean(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)

    assert env_bool("SOME_FLAG", not expected) is expected


@pytest.mark.parametrize("value", [None, ""])
def test_it_falls_back_to_the_default_boolean_when_unset_or_empty(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SOME_FLAG", raising=False)
    else:
        monkeypatch.setenv("SOME_FLAG", value)

    assert env_bool("SOME_FLAG", True) is True


@pytest.mark.parametrize("value", ["ten", "1.5", "10s", "0x10"])
def test_it_rejects_a_value_that_is_not_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("SOME_NUMBER", value)

    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        env_int("SOME_NUMBER", 5)


def test_it_rejects_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "-1")

    with pytest.raises(ImproperlyConfigured, match="below the smallest allowed value, 0"):
        env_int("SOME_NUMBER", 5, minimum=0)


def test_it_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", " 600 ")

    assert env_int("SOME_NUMBER", 5, minimum=0) == 600


def test_it_falls_back_to_the_default_number_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_NUMBER", raising=False)

    assert env_int("SOME_NUMBER", 5) == 5


def test_it_reads_a_comma_separated_list_without_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " facility.example, ,www.facility.example ,")

    assert env_list("SOME_HOSTS", []) == ["facility.example", "www.facility.example"]


def test_it_falls_back_to_a_copy_of_the_default_list(monkeypatch):
    monkeypatch.delenv("SOME_HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("SOME_HOSTS", default)
    hosts.append("changed")

    assert default == ["localhost"]


def test_it_rejects_a_missing_required_string(monkeypatch):
    monkeypatch.delenv("SOME_TEXT", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SOME_TEXT must be set"):
        env_str("SOME_TEXT", required=True)


def test_it_rejects_an_empty_required_string(monkeypatch):
    monkeypatch.setenv("SOME_TEXT", "")

    with pytest.raises(ImproperlyConfigured, match="SOME_TEXT must be set"):
        env_str("SOME_TEXT", required=True)


def test_it_reads_a_string(monkeypatch):
    monkeypatch.setenv("SOME_TEXT", "postgres://db/facility")

    assert env_str("SOME_TEXT", "sqlite://") == "postgres://db/facility"


def _load_settings(**environ: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only ``environ`` (and PATH) set."""
    return subprocess.run(
        [sys.executable, "-c", "import bergen_injection.settings"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _load_settings()

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_it_starts_with_a_secret_key_when_debug_is_off():
    result = _load_settings(SECRET_KEY="a-long-random-production-secret-0123456789")

    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_with_a_bad_debug_value():
    result = _load_settings(DEBUG="sometimes", SECRET_KEY="a-long-random-production-secret-0123456789")

    assert result.returncode != 0
    assert "DEBUG='sometimes' is not a boolean" in result.stderr
