"""Public views of the labels app: home page, certificate verification, statistics."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import School
from labels.forms.school import VerifyCertificateForm
from labels.models import SchoolLabel


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the portal is, and the latest School Label holders."""
    label_holders = SchoolLabel.objects.select_related("school__country").order_by(
        "-awarded_at"
    )[:6]
    context = {"school_count": School.objects.count(), "label_holders": label_holders}
    return render(request, "home.html", context)


def verify_certificate(request: HttpRequest) -> HttpResponse:
    """Anyone checks a School Label certificate by its code (R35)."""
    label = None
    form = VerifyCertificateForm(request.GET or None)
    if form.is_valid():
        label = (
            SchoolLabel.objects.select_related("school__country", "campaign")
            .filter(code=form.cleaned_data["code"])
            .first()
        )
    return render(
        request,
        "labels/school/verify.html",
        {"form": form, "label": label, "checked": form.is_bound and form.is_valid()},
    )


def school_label_statistics(request: HttpRequest) -> HttpResponse:
    """Schools holding the label per country and campaign (one grouped query)."""
    rows = list(
        SchoolLabel.objects.values(
            "school__country__code", "school__country__name_en", "campaign__name"
        )
        .annotate(schools=Count("school", distinct=True))
        .order_by("campaign__name", "school__country__name_en")
    )
    campaigns = sorted({r["campaign__name"] for r in rows}, reverse=True)
    from accounts.countries import COUNTRY_NAMES

    table: dict[str, dict] = {}
    for r in rows:
        code = r["school__country__code"]
        entry = table.setdefault(
            code,
            {
                "country": str(COUNTRY_NAMES.get(code, r["school__country__name_en"])),
                "counts": {},
            },
        )
        entry["counts"][r["campaign__name"]] = r["schools"]
    countries = sorted(table.values(), key=lambda e: e["country"])
    for entry in countries:
        entry["cells"] = [entry["counts"].get(c, 0) for c in campaigns]
    totals = [sum(e["counts"].get(c, 0) for e in countries) for c in campaigns]
    return render(
        request,
        "labels/school/statistics.html",
        {"campaigns": campaigns, "countries": countries, "totals": totals},
    )
