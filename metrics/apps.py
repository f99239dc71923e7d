from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"

    def ready(self) -> None:
        # KPIs follow the domain's writes; the domain never imports metrics, so metrics
        # listens for the records it announces (casework/signals.py).
        from casework.signals import record_dated
        from metrics.services import recompute_when_record_dated

        record_dated.connect(recompute_when_record_dated, dispatch_uid="metrics.recompute")
