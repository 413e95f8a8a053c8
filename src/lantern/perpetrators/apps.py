from django.apps import AppConfig


class PerpetratorsConfig(AppConfig):
    """Loads the register's models (tables in the ``cases`` app) and its receivers."""

    name = "lantern.perpetrators"
    label = "perpetrators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every suspected trafficker a case names (import, story) gets its register record.
        from lantern.perpetrators import enrol  # noqa: F401
