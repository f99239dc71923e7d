from django.apps import AppConfig


class CareConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "care"
    verbose_name = "Children in care"

    def ready(self) -> None:
        # Registers the care operations in the one permission table and the care
        # section of the child record; casework never imports this app.
        from care import permissions, sections  # noqa: F401
        from care.generator import generate_care
        from casework.generator import hooks

        hooks.register(generate_care)
