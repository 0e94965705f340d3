from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from alerts import receivers
        from reviews.events import desk_event

        desk_event.connect(receivers.on_desk_event, dispatch_uid="alerts.on_desk_event")
