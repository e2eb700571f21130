from django.apps import AppConfig


class OversightConfig(AppConfig):
    """No models of its own (it reads ``audit``'s and every app's); an app for its ``retention`` command."""

    name = "oversight"
