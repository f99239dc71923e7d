from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "earlyhelp"
    verbose_name = "Early help"

    def ready(self) -> None:
        # Early help follows social care in a generated authority; casework never
        # imports this app, so it registers its generation step instead.
        from casework.generator import hooks
        from earlyhelp.generator import generate

        hooks.register(generate)
