from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workforce"

    def ready(self) -> None:
        from casework.demo_work import register_demo_week_step
        from casework.generator import hooks
        from casework.selectors.caseload import register_absence_lookup
        from workforce.demo import colleague_on_leave
        from workforce.generator import generate_workforce
        from workforce.selectors import absent_until

        hooks.register(generate_workforce)
        register_absence_lookup(absent_until)
        register_demo_week_step(colleague_on_leave)
