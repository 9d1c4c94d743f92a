"""One mixin that scopes every evaluator-facing ModelAdmin to the evaluator's countries.

An NSO evaluator (staff user with `evaluator_countries`) sees, searches, filters, opens, acts
on and exports only rows of their own countries; a direct URL to another country's row
answers 404 (the object is simply not in the queryset). Superusers (central staff) see all.

    class LabelApplicationAdmin(CountryScopedAdmin, admin.ModelAdmin):
        country_field = "school__country"
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def evaluator_country_ids(user) -> list[int]:
    """The countries a user evaluates (cached on the user object for the request)."""
    cached = getattr(user, "_evaluator_country_ids", None)
    if cached is None:
        cached = list(user.evaluator_countries.values_list("pk", flat=True))
        user._evaluator_country_ids = cached
    return cached


def scope_to_countries(qs: QuerySet, user, country_field: str) -> QuerySet:
    """Rows of `qs` that `user` may see: all for superusers, their countries' for evaluators."""
    if user.is_superuser:
        return qs
    ids = evaluator_country_ids(user)
    if not ids:
        return qs.none()
    qs = qs.filter(**{f"{country_field}__in": ids})
    return qs.distinct() if _is_multi(qs, country_field) else qs


def _is_multi(qs: QuerySet, path: str) -> bool:
    """Does the lookup path cross a to-many relation (so that .distinct() is needed)?"""
    model = qs.model
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            break
        model = field.related_model
    return False


class CountryScopedAdmin(admin.ModelAdmin):
    """Base for evaluator-facing admins: set `country_field` to the lookup path of the country."""

    country_field: str = "country"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_to_countries(
            super().get_queryset(request), request.user, self.country_field
        )

    # A row of another country answers 404 (Django's admin would redirect with a "does not
    # exist" message, which still confirms nothing but reads like a glitch).
    def _hidden(self, request: HttpRequest, object_id: str | None) -> None:
        if (
            object_id is not None
            and self.get_object(request, unquote(object_id)) is None
        ):
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._hidden(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._hidden(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._hidden(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or (
            super().has_module_permission(request)
            and bool(evaluator_country_ids(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # Country choices in forms stay within the evaluator's countries.
        if db_field.name == "country" and not request.user.is_superuser:
            from accounts.models import Country

            kwargs["queryset"] = Country.objects.filter(
                pk__in=evaluator_country_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CountryListFilter(admin.SimpleListFilter):
    """A "country" list filter that offers only the evaluator's own countries (all for
    superusers); filters on the admin's `country_field`. Use in `list_filter`."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        from accounts.models import Country

        countries = Country.objects.all()
        if not request.user.is_superuser:
            countries = countries.filter(pk__in=evaluator_country_ids(request.user))
        return sorted(((c.code, c.name) for c in countries), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        field = getattr(self, "_country_field", None) or "country"
        return queryset.filter(**{f"{field}__code": value})

    def __init__(self, request, params, model, model_admin) -> None:
        self._country_field = getattr(model_admin, "country_field", "country")
        super().__init__(request, params, model, model_admin)


def coloured_status(obj, colours: dict[str, str], default: str = "#b35c00") -> str:
    """An admin list cell: the object's status label in its colour (amber while waiting)."""
    return format_html(
        '<strong style="color:{}">{}</strong>',
        colours.get(obj.status, default),
        obj.get_status_display(),
    )
