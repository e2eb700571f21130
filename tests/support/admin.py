"""Changing a setting as an administrator does: the admin's change form, submitted with some fields changed."""

from __future__ import annotations

from django.db.models import Model
from django.test import Client

from staff.models import User
from tests.support.pages import form_values


def change_in_admin(admin: User, instance: Model, **changes: object) -> None:
    """Submit ``instance``'s admin change form as ``admin``, its other fields as the form shows them.

    A checkbox is sent only when ticked: ``enabled=False`` leaves it out.
    """
    browser = Client()
    browser.force_login(admin)
    url = f"/admin/{instance._meta.app_label}/{instance._meta.model_name}/{instance.pk}/change/"
    page = browser.get(url)
    assert page.status_code == 200, url
    data = form_values(page.content, "")
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else str(value)
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
