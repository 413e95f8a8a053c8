from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Loads community prevention's models (their tables belong to the ``cases`` app) and
    finds its templates."""

    name = "lantern.response.community"
    label = "community"
    default_auto_field = "django.db.models.BigAutoField"
