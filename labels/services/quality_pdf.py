"""PDF certificates of the National Quality Label (teacher) and pupil certificates (R26a)."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from labels.models.quality import PupilQualityCertificate, QualityLabelApplication

BLUE = colors.HexColor("#0b3d91")
YELLOW = colors.HexColor("#ffcc00")
GREY = colors.HexColor("#3b4357")

# DejaVu covers ș ț ă î â and the other letters of the portal's 28 languages;
# Helvetica (built in) is the fallback where the font is not installed.
_FONT_PATHS = (
    ("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ("DejaVuSans-Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        for name, path in _FONT_PATHS:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path))
    except Exception:  # font file missing on this machine
        return "Helvetica", "Helvetica-Bold"
    return "DejaVuSans", "DejaVuSans-Bold"


def _frame(pdf: canvas.Canvas, width: float, height: float) -> None:
    pdf.setFillColor(colors.white)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setStrokeColor(BLUE)
    pdf.setLineWidth(6)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setStrokeColor(YELLOW)
    pdf.setLineWidth(2)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFillColor(YELLOW)
    pdf.circle(width / 2, height - 90, 26, stroke=0, fill=1)
    pdf.setFillColor(BLUE)
    _regular, bold = _fonts()
    pdf.setFont(bold, 30)
    pdf.drawCentredString(width / 2, height - 100, "e")


def _centred(
    pdf, text: str, y: float, font: str, size: int, color=GREY, width=0
) -> None:
    pdf.setFillColor(color)
    pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


def teacher_certificate_pdf(application: QualityLabelApplication) -> bytes:
    """The certificate of an awarded National Quality Label, in the current language."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("National Quality Label"))
    _frame(pdf, width, height)
    country = application.school.country.name
    decided = formats.date_format(
        timezone.localtime(application.decided_at or timezone.now()), "DATE_FORMAT"
    )
    _centred(pdf, "eTwinning", height - 150, bold, 16, BLUE, width)
    _centred(pdf, _("National Quality Label"), height - 195, bold, 34, BLUE, width)
    _centred(pdf, _("is awarded to"), height - 235, regular, 14, GREY, width)
    _centred(pdf, application.teacher.display_name, height - 280, bold, 28, GREY, width)
    _centred(
        pdf,
        f"{application.school.name}, {application.school.city} ({country})",
        height - 310,
        regular,
        13,
        GREY,
        width,
    )
    _centred(pdf, _("for the project"), height - 350, regular, 14, GREY, width)
    _centred(pdf, application.project.title[:90], height - 385, bold, 20, BLUE, width)
    _centred(
        pdf,
        _("School year %(year)s · awarded on %(date)s")
        % {"year": application.school_year_label, "date": decided},
        height - 425,
        regular,
        12,
        GREY,
        width,
    )
    _centred(
        pdf,
        _("The National Support Organisation of %(country)s") % {"country": country},
        80,
        regular,
        11,
        GREY,
        width,
    )
    _centred(
        pdf,
        _("Certificate %(code)s · %(site)s")
        % {"code": application.certificate_code, "site": settings.SITE_URL},
        60,
        regular,
        8,
        GREY,
        width,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pupil_certificate_pdf(certificate: PupilQualityCertificate) -> bytes:
    """R26a: a pupil's certificate for a project whose teacher holds the NQL."""
    regular, bold = _fonts()
    application = certificate.application
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Pupil quality certificate"))
    _frame(pdf, width, height)
    _centred(pdf, "eTwinning", height - 150, bold, 16, BLUE, width)
    _centred(pdf, _("Pupil quality certificate"), height - 195, bold, 32, BLUE, width)
    _centred(pdf, _("is awarded to"), height - 235, regular, 14, GREY, width)
    _centred(pdf, certificate.pupil_name, height - 280, bold, 28, GREY, width)
    _centred(
        pdf,
        _("for taking part in the project, awarded the National Quality Label"),
        height - 320,
        regular,
        14,
        GREY,
        width,
    )
    _centred(pdf, application.project.title[:90], height - 355, bold, 20, BLUE, width)
    _centred(
        pdf,
        _("Teacher: %(teacher)s · %(school)s · school year %(year)s")
        % {
            "teacher": application.teacher.display_name,
            "school": application.school.name,
            "year": application.school_year_label,
        },
        height - 395,
        regular,
        12,
        GREY,
        width,
    )
    _centred(
        pdf,
        _("Certificate %(code)s") % {"code": certificate.code},
        60,
        regular,
        8,
        GREY,
        width,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
