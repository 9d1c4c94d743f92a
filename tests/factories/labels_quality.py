"""Factories for the National and European Quality Label (R16-R26a).

Kept beside tests/factories/labels.py (the School Label part) so both labels can grow
without touching each other's lines.
"""

from __future__ import annotations

from accounts.models import User
from labels.enums import QUALITY_ELIGIBILITY_QUESTIONS, QualityCriterion
from labels.models.quality import QualityLabelApplication
from labels.services import quality as services
from projects.models import Project
from tests.factories.accounts import SchoolFactory, country, make_teacher
from tests.factories.projects import make_founded_project

FIVE_YES = {key: True for key, _q in QUALITY_ELIGIBILITY_QUESTIONS}

COMPLETE_ANSWERS = {
    "collaboration": "Pupils of both schools wrote a common e-book, chapter by chapter.",
    "technology": "A shared padlet and video calls every second week.",
    "pedagogy": "Pupils chose the topics and took roles: reporters, editors, artists.",
    "curriculum": "History and English lessons; most work in class time.",
    "results": "The e-book is online; the TwinSpace records every stage; GDPR forms signed.",
    "own_contribution": "I coordinated the e-book and the video calls.",
    "not_visible": "Classroom preparation, a local exhibition for parents.",
    "evidence_links": "https://example.org/ebook",
}


def ensure_countries() -> None:
    """Transactional tests flush the tables, taking the countries of the data migration
    with them: put them back when a test before this one did so."""
    from accounts.countries import COUNTRIES
    from accounts.models import Country

    if Country.objects.exists():
        return
    Country.objects.bulk_create(
        [
            Country(code=code, name_en=str(name), is_plus=is_plus)
            for code, name, is_plus, _weight in COUNTRIES
        ]
    )


def european_project(
    teacher_country: str = "RO", partner_country: str = "FR"
) -> tuple[Project, User, User]:
    """A founded European project: (project, teacher of `teacher_country`, partner)."""
    ensure_countries()
    a = make_teacher(SchoolFactory(country=country(teacher_country)))
    b = make_teacher(SchoolFactory(country=country(partner_country)))
    return make_founded_project(a, b), a, b


def national_project() -> tuple[Project, User, User]:
    ensure_countries()
    a = make_teacher(SchoolFactory(country=country("RO")))
    b = make_teacher(SchoolFactory(country=country("RO")))
    return make_founded_project(a, b), a, b


def make_draft(teacher: User, project: Project, **answers) -> QualityLabelApplication:
    application = services.start_application(teacher, project, answers=FIVE_YES)
    if answers:
        application = services.save_draft(
            application, actor=teacher, data=answers, base_version=application.version
        )
    return application


def make_submitted(teacher: User, project: Project) -> QualityLabelApplication:
    application = make_draft(teacher, project, **COMPLETE_ANSWERS)
    return services.submit_application(application, actor=teacher)


def scores(value: int = 5) -> dict[str, int]:
    return dict.fromkeys(QualityCriterion.values, value)


def subscores(value: int = 5) -> dict[str, int]:
    from labels.enums import QualitySubCriterion

    return dict.fromkeys(QualitySubCriterion.values, value)


def make_awarded(
    teacher: User, project: Project, evaluator: User, total_each: int = 5
) -> QualityLabelApplication:
    application = make_submitted(teacher, project)
    services.evaluate_application(
        application,
        evaluator=evaluator,
        scores=scores(total_each),
        subscores=subscores(5),
    )
    application.refresh_from_db()
    return application
