from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Loads the domains' models; their tables belong to the ``cases`` app (``app_label``)."""

    name = "lantern.protection"
    label = "protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A screening's findings are written back to the case's story (its receiver connects).
        from lantern.protection.story import writeback  # noqa: F401
