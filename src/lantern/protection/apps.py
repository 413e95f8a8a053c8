from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Loads the domains' models; their tables belong to the ``cases`` app (``app_label``)."""

    name = "lantern.protection"
    label = "protection"
    default_auto_field = "django.db.models.BigAutoField"
