from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "earlyhelp"
    verbose_name = "Early help"

    def ready(self) -> None:
        # Early help follows social care in a generated authority; casework never
        # imports this app, so it registers its generation step instead.
        from casework.generator import hooks
        from casework.signals import assessment_authorised, contact_screened
        from earlyhelp import services
        from earlyhelp.generator import generate
        from earlyhelp.views import register_steps

        hooks.register(generate)
        register_steps()
        # Early help follows the front door's and the assessment's decisions the same way.
        contact_screened.connect(services.request_when_screened, dispatch_uid="earlyhelp")
        assessment_authorised.connect(
            services.request_when_assessment_authorised, dispatch_uid="earlyhelp"
        )
