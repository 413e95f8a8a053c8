from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The directory's table belongs to the ``cases`` app (``app_label``), where it was made."""

    name = "lantern.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"
