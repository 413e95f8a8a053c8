from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Loads the plan's models; their tables belong to the ``cases`` app (``app_label``)."""

    name = "lantern.response.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
