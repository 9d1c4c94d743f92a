"""Choice lists of the accounts app (SPEC R1, R3, R5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserKind(models.TextChoices):
    MEMBER = "member", _("Portal member")
    PUPIL = "pupil", _("Pupil")


class Role(models.TextChoices):
    """What a registered person is (actors table of SPEC)."""

    TEACHER = "teacher", _("Teacher")
    HEAD = "head", _("Head of school")
    FUTURE_TEACHER = "future_teacher", _("Future teacher (initial teacher education)")
    INSPECTOR = "inspector", _("School inspector")


# Roles that count as active teachers of a school (decision in the actors table).
TEACHING_ROLES = (Role.TEACHER, Role.HEAD)


class MembershipStatus(models.TextChoices):
    """A teacher's link to one school, confirmed on its own (R3a, R5)."""

    AWAITING_HEAD = "awaiting_head", _("Waiting for the head of school")
    PENDING = "pending", _("Waiting for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", pgettext_lazy("school membership", "Ended")


class HeadStatus(models.TextChoices):
    NONE = "", _("Not head of school")
    CLAIMED = "claimed", _("Head of school, waiting for NSO confirmation")
    CONFIRMED = "confirmed", _("Head of school")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("Pre-primary school")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school (general)")
    VOCATIONAL = "vocational", _("Vocational / technical school")
    SPECIAL_NEEDS = "special_needs", _("Special needs school")
    TEACHER_EDUCATION = "teacher_education", _("Initial teacher education institution")
    OTHER = "other", _("Other")


class Subject(models.TextChoices):
    ART = "art", _("Art")
    BIOLOGY = "biology", _("Biology")
    CHEMISTRY = "chemistry", _("Chemistry")
    CITIZENSHIP = "citizenship", _("Citizenship")
    COMPUTING = "computing", _("Informatics / ICT")
    CROSS_CURRICULAR = "cross_curricular", _("Cross-curricular")
    DRAMA = "drama", _("Drama")
    ECONOMICS = "economics", _("Economics")
    ENVIRONMENT = "environment", _("Environmental education")
    FOREIGN_LANGUAGES = "foreign_languages", _("Foreign languages")
    GEOGRAPHY = "geography", _("Geography")
    HISTORY = "history", _("History")
    LITERACY = "literacy", _("Language and literature")
    MATHEMATICS = "mathematics", _("Mathematics")
    MEDIA = "media", _("Media education")
    MUSIC = "music", _("Music")
    PHYSICAL_EDUCATION = "physical_education", _("Physical education")
    PHYSICS = "physics", _("Physics")
    PRIMARY_EDUCATION = "primary_education", _("Primary education")
    PRESCHOOL_EDUCATION = "preschool_education", _("Pre-school education")
    RELIGION = "religion", _("Religion / ethics")
    SCIENCE = "science", _("Natural sciences")
    SPECIAL_NEEDS = "special_needs", _("Special needs education")
    TECHNOLOGY = "technology", _("Technology / design")
    VOCATIONAL = "vocational", _("Vocational subjects")


class AgeGroup(models.TextChoices):
    AGE_0_3 = "0-3", _("0 to 3")
    AGE_4_6 = "4-6", _("4 to 6")
    AGE_7_11 = "7-11", _("7 to 11")
    AGE_12_15 = "12-15", _("12 to 15")
    AGE_16_19 = "16-19", _("16 to 19")
    AGE_20_PLUS = "20+", _("20 and over")


class Interest(models.TextChoices):
    CLIMATE = "climate", _("Climate and sustainability")
    CULTURE = "culture", _("Cultural heritage")
    DEMOCRACY = "democracy", _("Democratic participation")
    DIGITAL = "digital", _("Digital skills")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    HEALTH = "health", _("Health and well-being")
    INCLUSION = "inclusion", _("Inclusion and diversity")
    MEDIA_LITERACY = "media_literacy", _("Media literacy")
    ONLINE_SAFETY = "online_safety", _("Online safety")
    STEM = "stem", _("STEM")
    STORYTELLING = "storytelling", _("Storytelling and creativity")
    LANGUAGES = "languages", _("Language learning")


class Language(models.TextChoices):
    """Working languages of projects: the EU's 24 official languages by ISO 639-1 code,
    plus languages of eTwinning Plus and partner countries."""

    BG = "bg", _("Bulgarian")
    CS = "cs", _("Czech")
    DA = "da", _("Danish")
    DE = "de", _("German")
    EL = "el", _("Greek")
    EN = "en", _("English")
    ES = "es", _("Spanish")
    ET = "et", _("Estonian")
    FI = "fi", _("Finnish")
    FR = "fr", _("French")
    GA = "ga", _("Irish")
    HR = "hr", _("Croatian")
    HU = "hu", _("Hungarian")
    IT = "it", _("Italian")
    LT = "lt", _("Lithuanian")
    LV = "lv", _("Latvian")
    MT = "mt", _("Maltese")
    NL = "nl", _("Dutch")
    PL = "pl", _("Polish")
    PT = "pt", _("Portuguese")
    RO = "ro", _("Romanian")
    SK = "sk", _("Slovak")
    SL = "sl", _("Slovenian")
    SV = "sv", _("Swedish")
    SQ = "sq", _("Albanian")
    HY = "hy", _("Armenian")
    AZ = "az", _("Azerbaijani")
    KA = "ka", _("Georgian")
    IS = "is", _("Icelandic")
    MK = "mk", _("Macedonian")
    NO = "no", _("Norwegian")
    SR = "sr", _("Serbian")
    TR = "tr", _("Turkish")
    UK = "uk", _("Ukrainian")
    AR = "ar", _("Arabic")


class Experience(models.TextChoices):
    NONE = "none", _("No experience in projects yet")
    SOME = "some", _("One or two projects")
    EXPERIENCED = "experienced", _("Three or more projects")
