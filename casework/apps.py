from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"

    def ready(self):
        from django.db.models.signals import post_save

        from casework import scope

        # Every save of an event or an allocation keeps the events' stored scope right.
        for model in scope.stamped_models():
            post_save.connect(
                scope.stamp_after_save, sender=model, dispatch_uid=f"scope.{model._meta.label}"
            )
