from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lantern.monitoring"
    label = "monitoring"
