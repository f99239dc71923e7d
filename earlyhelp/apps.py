from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "earlyhelp"
    verbose_name = "Early help"
