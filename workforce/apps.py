from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workforce"

    def ready(self) -> None:
        from casework.generator import hooks
        from workforce.generator import generate_workforce

        hooks.register(generate_workforce)
