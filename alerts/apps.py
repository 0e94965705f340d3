from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        """Alerts follow what the desk announces (reviews.events)."""
        from alerts import receivers
        from reviews import events

        events.on_desk_event.subscribe(receivers.on_desk_event)
