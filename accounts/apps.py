from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_evaluator_group(sender, **kwargs) -> None:
    # A fresh database has the NSO evaluators' group with its permissions at once.
    from accounts.countries import ensure_countries
    from accounts.services import ensure_evaluator_group

    # `flush` (run after every transactional test) empties the countries a migration loaded.
    ensure_countries()
    ensure_evaluator_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Teachers and schools")

    def ready(self) -> None:
        from accounts import personal_data

        personal_data.register_exporter("accounts", personal_data.export_accounts)
        # auth's own post_migrate handler (connected earlier) has created this app's
        # permissions by the time ours runs for sender=self.
        post_migrate.connect(
            _create_evaluator_group,
            sender=self,
            dispatch_uid="accounts.create_evaluator_group",
        )
