from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Loads the domains' models; their tables belong to the ``cases`` app (``app_label``)."""

    name = "lantern.protection"
    label = "protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A screening's findings are written back to the case's story (its receiver connects).
        # What a re-import replaces of an edited story is kept in the history (its receiver).
        from lantern.protection.story import imports, writeback  # noqa: F401
