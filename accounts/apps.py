from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import record_sign_in

        # Starts the absolute session clock (infrastructure, not a domain rule).
        user_logged_in.connect(record_sign_in, dispatch_uid="caseflow_record_sign_in")
