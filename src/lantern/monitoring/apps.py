from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lantern.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        """The mart refreshes after every committed change (``dashboard.autorefresh``)."""
        from lantern.monitoring.dashboard import autorefresh

        autorefresh.connect()
