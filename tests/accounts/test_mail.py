import copy

import pytest
from django.core import mail

from accounts.tasks import task_send_user_mail
from tests.factories.accounts import UserFactory


@pytest.mark.django_db
def test_mail_is_rendered_in_the_recipients_language(tmp_path, settings):
    # Assign the whole setting: an in-place edit would not reset the cached template
    # engines, and the test would depend on which test rendered a template first.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    (tmp_path / "t_subject.txt").write_text("{% load i18n %}{% translate 'Close' %}")
    (tmp_path / "t_body.txt").write_text("Hello {{ user.username }}")
    user = UserFactory(username="ro_user", language="en")
    assert task_send_user_mail.delay(user_id=user.pk, template="t").get() is True
    assert mail.outbox[-1].subject == "[eTwinning] Close"
    assert mail.outbox[-1].body == "Hello ro_user"


@pytest.mark.django_db
def test_mail_to_deleted_user_is_dropped():
    assert task_send_user_mail.delay(user_id=999999, template="t").get() is False
