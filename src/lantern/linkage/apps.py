from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "lantern.linkage"
    label = "linkage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Intake's search before create uses record linkage once this app is installed.
        from lantern.linkage.intake_matcher import probabilistic_matches
        from lantern.protection.intake import service as intake

        intake.matcher = probabilistic_matches
