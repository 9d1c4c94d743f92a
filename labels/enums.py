"""Choice lists of the labels app.

Quality Label part first (SPEC R16-R26a); the School Label adds its own below.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- National and European Quality Label (R16-R26a) -------------------------


class NQLStatus(models.TextChoices):
    """Life of one teacher's National Quality Label application (R18-R23)."""

    DRAFT = "draft", pgettext_lazy("application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    AWARDED = "awarded", pgettext_lazy("label", "Awarded")
    REJECTED = "rejected", pgettext_lazy("application", "Not awarded")


# Which status may follow which; every change goes through
# labels.services.quality.transition_application and writes a QualityStatusChange.
NQL_ALLOWED: dict[str, tuple[str, ...]] = {
    NQLStatus.DRAFT: (NQLStatus.SUBMITTED,),
    NQLStatus.SUBMITTED: (
        NQLStatus.UNDER_EVALUATION,
        NQLStatus.AWARDED,
        NQLStatus.REJECTED,
    ),
    NQLStatus.UNDER_EVALUATION: (NQLStatus.AWARDED, NQLStatus.REJECTED),
    NQLStatus.AWARDED: (),
    NQLStatus.REJECTED: (),
}

# Statuses that count toward the four-per-school-year cap (R19): all but drafts.
NQL_COUNTED = (
    NQLStatus.SUBMITTED,
    NQLStatus.UNDER_EVALUATION,
    NQLStatus.AWARDED,
    NQLStatus.REJECTED,
)


class QualityCriterion(models.TextChoices):
    """The five criteria of R22, in the order of the seed."""

    COLLABORATION = "collaboration", _("Collaboration between partner schools")
    TECHNOLOGY = "technology", _("Use of technology")
    PEDAGOGY = "pedagogy", _("Pedagogical approaches")
    CURRICULUM = "curriculum", _("Curricular integration")
    RESULTS = "results", _("Results and documentation")


class QualitySubCriterion(models.TextChoices):
    """The three sub-criteria with a minimum score (R23)."""

    ONLINE_COLLABORATION = (
        "online_collaboration",
        _("Online collaboration strategies between pupils of the partner schools"),
    )
    ICT = "ict", _("Selection and use of ICT")
    SAFETY = "safety", _("GDPR, copyright and online safety")


class EvaluationResult(models.TextChoices):
    AWARD = "award", _("Award the label")
    REJECT = "reject", _("Do not award")


class EQLCandidateStatus(models.TextChoices):
    """A project's standing for the European Quality Label in one country (R26)."""

    CANDIDATE = "candidate", _("Candidate")
    NOMINATED = "nominated", _("Nominated by the NSO")


# R22: each criterion's checklist, shown beside its section of the form (guidance
# for the applicant) and on the review screen (the rubric for the evaluator).
QUALITY_CHECKLISTS: dict[str, tuple] = {
    QualityCriterion.COLLABORATION: (
        _("Collaboration goes beyond communication."),
        _("The partner schools carry out joint activities."),
        _("Partners are not only receivers of information."),
        _("Collaboration leads to a concrete common product."),
    ),
    QualityCriterion.TECHNOLOGY: (
        _("Technology serves the partners' pedagogical aims."),
        _("The tools help the partners collaborate better."),
    ),
    QualityCriterion.PEDAGOGY: (
        _("The theme is original."),
        _("A variety of pedagogical methods is used."),
        _("Pupils take the initiative."),
        _(
            "Pupils interact and collaborate with their partners: research, problem "
            "solving, comparison."
        ),
        _("Pupils take different roles: artists, journalists, scientists, actors..."),
    ),
    QualityCriterion.CURRICULUM: (
        _("The project is rooted in the school's curriculum."),
        _("Most of the project work happens during class time."),
        _("The curricular integration is evident."),
        _("Pupils develop their skills and competences."),
        _("The teacher explains and illustrates the project-based frame."),
    ),
    QualityCriterion.RESULTS: (
        _("The project's results are presented online."),
        _("Pupils are involved in TwinSpace."),
        _("All stages are recorded: planning, activities, evaluation, feedback."),
        _("The impact on pupils and teachers is evaluated and published."),
    ),
}

# R23: which criterion each minimum-score sub-criterion belongs to (shown beside it).
QUALITY_SUBCRITERION_OF: dict[str, str] = {
    QualitySubCriterion.ONLINE_COLLABORATION: QualityCriterion.COLLABORATION,
    QualitySubCriterion.ICT: QualityCriterion.TECHNOLOGY,
    QualitySubCriterion.SAFETY: QualityCriterion.RESULTS,
}

# R16: the five yes/no questions asked before the form.
QUALITY_ELIGIBILITY_QUESTIONS: tuple[tuple[str, object], ...] = (
    ("objectives", _("Does the project have common objectives and a plan?")),
    ("ending", _("Has the project ended, or is it ending?")),
    (
        "participation",
        _("Did you and your pupils take part in all the project's activities?"),
    ),
    (
        "collaborative",
        _("Did you organise collaborative activities with your partners?"),
    ),
    ("data_protection", _("Did you consider data protection and copyright?")),
)


# --- eTwinning School Label (R27-R36) ----------------------------------------


class PDKind(models.TextChoices):
    """Kinds of professional development activity (R36)."""

    WEBINAR = "webinar", _("Webinar")
    PODCAST = "podcast", _("Podcast")
    SHORT_COURSE = "short_course", _("Short online course")
    MOOC = "mooc", _("MOOC")
    ONLINE_WORKSHOP = "online_workshop", _("Online workshop")
    WORKSHOP = "workshop", _("Face-to-face workshop")
    GROUP = "group", _("eTwinning group")
    TEACHERS_ROOM = "teachers_room", _("Teachers' room")


# R36: the three courses offered to School Label candidates.
SCHOOL_LABEL_COURSES = (
    "Collaboration in Practice",
    "Students as Agents of Change",
    "Inclusive and Innovative Learning Organisations",
)


class SchoolLabelStatus(models.TextChoices):
    """Life of a school's stage-two application (R30-R34)."""

    DRAFT = "draft", pgettext_lazy("application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    REJECTED = "rejected", _("Returned for improvement")
    AWARDED = "awarded", pgettext_lazy("label", "Awarded")


# Every change goes through labels.services.school.transition_school_application
# and writes a SchoolLabelEvent; a rejected application is improved and resubmitted (R34).
SCHOOL_LABEL_ALLOWED: dict[str, tuple[str, ...]] = {
    SchoolLabelStatus.DRAFT: (SchoolLabelStatus.SUBMITTED,),
    SchoolLabelStatus.SUBMITTED: (
        SchoolLabelStatus.REJECTED,
        SchoolLabelStatus.AWARDED,
    ),
    SchoolLabelStatus.REJECTED: (SchoolLabelStatus.SUBMITTED,),
    SchoolLabelStatus.AWARDED: (),
}


class SchoolLabelSection(models.TextChoices):
    """The sections of the stage-two form: the online safety question, then the mission (R31, R32)."""

    ONLINE_SAFETY = "online_safety", _("Online safety policy")
    SHARED_LEADERSHIP = "shared_leadership", _("A commitment to shared leadership")
    COLLABORATION = "collaboration", _("A collaborative school")
    STUDENTS_AGENTS = "students_agents", _("Students as agents of change")
    MODEL_SCHOOL = "model_school", _("A model for other schools")
    INCLUSIVE_INNOVATIVE = (
        "inclusive_innovative",
        _("An inclusive and innovative learning organisation"),
    )


# R32 (seed 003): what each mission element asks, shown beside its section.
SCHOOL_LABEL_GUIDANCE: dict[str, object] = {
    SchoolLabelSection.ONLINE_SAFETY: _(
        "Does your school have an online safety policy? Describe it and show where it is "
        "published or how it is applied."
    ),
    SchoolLabelSection.SHARED_LEADERSHIP: _(
        "Leadership is shared: the head and teacher leaders understand what eTwinning offers "
        "and support all staff to take part in eTwinning activities."
    ),
    SchoolLabelSection.COLLABORATION: _(
        "Teachers plan their eTwinning activities together, share their practice inside and "
        "outside the school and drive change with an eTwinning action plan."
    ),
    SchoolLabelSection.STUDENTS_AGENTS: _(
        "Pupils promote eTwinning to teachers and parents and act as drivers and sounding "
        "boards for innovation in pedagogy and technology."
    ),
    SchoolLabelSection.MODEL_SCHOOL: _(
        "The school promotes eTwinning in its area through open days, information sessions "
        "and mentoring, and opens professional development to other schools."
    ),
    SchoolLabelSection.INCLUSIVE_INNOVATIVE: _(
        "The school includes pupils of every ability and culture, their parents and the wider "
        "community, and uses innovative pedagogy: collaborative learning, student-centred "
        "education, flexible learning times and spaces."
    ),
}


class OnlineSafetyAnswer(models.TextChoices):
    YES = "yes", _("Yes, the school has an online safety policy")
    IN_PREPARATION = "in_preparation", _("It is being prepared")
    NO = "no", _("No")


class ElementRating(models.TextChoices):
    """An evaluator's assessment of one section (R34)."""

    MEETS = "meets", _("Meets the mission element")
    PARTLY = "partly", _("Partly: needs improvement")
    NOT_MET = "not_met", _("Not met")
