from __future__ import annotations

from django.contrib import admin

from counseling.models import ReferralService, Topic


@admin.register(ReferralService)
class ReferralServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")
