from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from accounts.db_roles import grant_after_migrate
        from accounts.middleware import record_sign_in

        # Starts the absolute session clock (infrastructure, not a domain rule).
        user_logged_in.connect(record_sign_in, dispatch_uid="caseflow_record_sign_in")
        # The app's own database role gets its rights on every table after each migrate.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="caseflow_db_grants")
