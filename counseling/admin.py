from __future__ import annotations

from django.contrib import admin

from core.admin import LabelledListEditable
from counseling.models import ReferralService, Topic


@admin.register(ReferralService)
class ReferralServiceAdmin(LabelledListEditable):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")


@admin.register(Topic)
class TopicAdmin(LabelledListEditable):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")
