from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Loads the agreements' models; their tables belong to the ``cases`` app (``app_label``)."""

    name = "lantern.response.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"
