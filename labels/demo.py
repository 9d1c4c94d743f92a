"""The demo world's labels (used by `manage.py seed_demo`); safe to run twice.

Quality Label part: seed_quality_labels. The School Label adds its own function below.
"""

from __future__ import annotations

from accounts.demo import DemoWorld
from labels.enums import QUALITY_ELIGIBILITY_QUESTIONS, EQLCandidateStatus
from labels.models.quality import (
    EuropeanQualityLabelCandidate,
    QualityLabelApplication,
    school_year_of,
)
from labels.services import quality as services

# --- National and European Quality Label (R16-R26a) -------------------------

_FIVE_YES = {key: True for key, _q in QUALITY_ELIGIBILITY_QUESTIONS}


def _answers(project_title: str) -> dict[str, str]:
    return {
        "collaboration": (
            f"In “{project_title}” the two classes met online every second week, split "
            "into mixed teams and produced one common product, chapter by chapter."
        ),
        "technology": (
            "We chose a shared whiteboard and the TwinSpace forum because pupils could "
            "comment on each other's work; video calls were planned by the pupils."
        ),
        "pedagogy": (
            "Pupils chose the topics, worked in mixed-country teams and took roles: "
            "reporters, illustrators, editors and presenters."
        ),
        "curriculum": (
            "The project ran in history, language and ICT lessons, mostly in class time, "
            "following the curriculum goals for grades 6 and 7."
        ),
        "results": (
            "The results are online in the TwinSpace; pupils documented every stage and "
            "answered an evaluation survey. Parents signed image consent forms; we used "
            "only our own or openly licensed images."
        ),
        "own_contribution": (
            "I coordinated the teams of my school, prepared the lessons and moderated "
            "the forum with my partner."
        ),
        "not_visible": (
            "A local exhibition for parents, the classroom preparation of each online "
            "meeting, and the pupils' reflection journals."
        ),
        "evidence_links": "https://example.org/demo-project-book",
    }


def _application(teacher, project) -> QualityLabelApplication:
    existing = QualityLabelApplication.objects.filter(
        teacher=teacher, project=project
    ).first()
    if existing is not None:
        return existing
    application = services.start_application(teacher, project, answers=_FIVE_YES)
    return services.save_draft(
        application,
        actor=teacher,
        data=_answers(project.title),
        base_version=application.version,
    )


def _award(application, evaluator, each: int) -> None:
    if application.is_draft:
        application = services.submit_application(
            application, actor=application.teacher
        )
    if application.status in ("submitted", "under_evaluation"):
        services.evaluate_application(
            application,
            evaluator=evaluator,
            scores=dict.fromkeys(
                ("collaboration", "technology", "pedagogy", "curriculum", "results"),
                each,
            ),
            subscores=dict.fromkeys(("online_collaboration", "ict", "safety"), 5),
            comments="A model of collaboration between the partner schools.",
        )


def seed_quality_labels(world: DemoWorld) -> None:
    """An awarded European project (NQL in two countries, then the EQL), an application
    awaiting evaluation, and a draft."""
    t, ev = world.teachers, world.evaluators
    bridges = world.projects.get("Bridges of Stories")
    if bridges is not None and bridges.is_european:
        ana = _application(t["ana.popescu"], bridges)
        _award(ana, ev["RO"], 5)
        ayse = _application(t["ayse.yilmaz"], bridges)
        _award(ayse, ev["TR"], 5)
        ana.refresh_from_db()
        if ana.is_awarded and not ana.pupil_certificates.exists():
            services.issue_pupil_certificates(
                ana, actor=ana.teacher, names=["Maria Pop", "Andrei Rusu"]
            )
        year = school_year_of()
        services.find_european_candidates(year)
        candidate = EuropeanQualityLabelCandidate.objects.filter(
            project=bridges, school_year=year, country__code="RO"
        ).first()
        if candidate is not None and candidate.status != EQLCandidateStatus.NOMINATED:
            services.nominate_for_european_label(candidate, actor=ev["RO"])
        from accounts.models import User

        central = User.objects.filter(username="central.support").first()
        if central is not None:
            services.award_european_label(bridges, year, actor=central)

    climate = world.projects.get("Climate Detectives")
    if climate is not None and climate.is_european:
        elena = _application(t["elena.dumitru"], climate)
        if elena.is_draft:
            services.submit_application(elena, actor=elena.teacher)

    songs = world.projects.get("Songs Without Borders")
    if songs is not None and songs.is_european:
        draft = _application(t["piotr.nowak"], songs)
        if draft.is_draft and draft.not_visible:
            # A draft half written: the last two sections are still empty.
            services.save_draft(
                draft,
                actor=draft.teacher,
                data={"own_contribution": "", "not_visible": ""},
                base_version=draft.version,
            )
