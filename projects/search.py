"""R7 partner search on one denormalised table (PartnerSearchEntry), as PERF.md measured.

All filters and the page order sit on one table; pages are fetched one row beyond the page
size to know whether a next page exists (never an exact COUNT). A search page runs the same
queries whatever the data size (see search_teachers).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from accounts.enums import TEACHING_ROLES, MembershipStatus
from accounts.models import School, SchoolMembership, User
from accounts.text import name_key
from projects.lookups import HasAllFacets  # noqa: F401 - registers facets__has_all_facets
from projects.models import PartnerSearchEntry

PAGE_SIZE = 20
MAX_PAGE = 250  # deep offsets get slow; nobody pages 5,000 results by hand


def tokens(values: Iterable[str] | None) -> str:
    """[“math”, “physics”] -> " math physics " (filter with contains " math ")."""
    cleaned = [str(v).strip() for v in values or [] if str(v).strip()]
    return " " + " ".join(cleaned) + " " if cleaned else " "


# A prefix per list: the facet of subject "music" is "smusic", of age group "7-11" "a7to11".
# Facets are letters and digits only, so that each is one word of PostgreSQL's text search
# ("simple" configuration); one GIN index on to_tsvector('simple', facets) then answers any
# combination of list filters by intersecting exact posting lists (see HasAllFacets).
FACET_PREFIX = {"subject": "s", "language": "lang", "age_group": "a", "interest": "i"}
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def facet(kind: str, code: str) -> str:
    code = str(code).lower().replace("-", "to").replace("+", "plus")
    return FACET_PREFIX[kind] + _NOT_ALNUM.sub("", code)


def facets(**lists: Iterable[str] | None) -> str:
    """facets(subject=["music"], language=["it"]) -> " smusic langit " """
    return tokens(
        facet(kind, code) for kind, codes in lists.items() for code in codes or []
    )


def _listable(user: User) -> bool:
    profile = getattr(user, "profile", None)
    return not (
        user.is_pupil
        or not user.is_active
        or user.is_anonymised
        or profile is None
        or profile.role not in TEACHING_ROLES
    )


def _entry_for(user: User) -> PartnerSearchEntry | None:
    """The search row a teacher should have, or None when they must not be found."""
    if not _listable(user):
        return None
    membership = (
        SchoolMembership.objects.filter(teacher=user, status=MembershipStatus.VALIDATED)
        .select_related("school")
        .order_by("-is_main", "joined_at")
        .first()
    )
    return None if membership is None else _build_entry(user, membership)


def _build_entry(user: User, membership: SchoolMembership) -> PartnerSearchEntry:
    profile, school = user.profile, membership.school
    text = name_key(
        " ".join(
            [
                user.first_name,
                user.last_name,
                user.username,
                school.name,
                school.city,
                profile.profession,
                profile.project_ideas[:1000],
            ]
        )
    )
    return PartnerSearchEntry(
        teacher=user,
        school=school,
        country_id=school.country_id,
        subjects=tokens(profile.subjects),
        languages=tokens(profile.languages),
        age_groups=tokens(profile.age_groups),
        interests=tokens(profile.interests),
        facets=facets(
            subject=profile.subjects,
            language=profile.languages,
            age_group=profile.age_groups,
            interest=profile.interests,
        ),
        text=text,
        registered_at=membership.validated_at or profile.created_at,
    )


def sync_teacher(user_id: int) -> bool:
    """Bring one teacher's search row up to date (create, refresh or delete). True if listed."""
    user = User.objects.select_related("profile").filter(pk=user_id).first()
    entry = _entry_for(user) if user else None
    if entry is None:
        PartnerSearchEntry.objects.filter(teacher_id=user_id).delete()
        return False
    entry.save()
    return True


def sync_teacher_on_commit(user_id: int) -> None:
    transaction.on_commit(lambda: sync_teacher(user_id))


def rebuild(*, batch_size: int = 2000, progress=None) -> int:
    """Rebuild the whole table from accounts (management command rebuild_partner_search).

    One streamed query over validated school links (teacher, profile and school joined),
    ordered so that each teacher's main link comes first; rows are inserted in batches.
    """
    PartnerSearchEntry.objects.all().delete()
    links = (
        SchoolMembership.objects.filter(status=MembershipStatus.VALIDATED)
        .select_related("teacher__profile", "school")
        .order_by("teacher_id", "-is_main", "joined_at")
    )
    total, last_teacher = 0, None
    batch: list[PartnerSearchEntry] = []
    for membership in links.iterator(chunk_size=batch_size):
        if membership.teacher_id == last_teacher:
            continue  # a further school of the same teacher: the first one counts
        last_teacher = membership.teacher_id
        if not _listable(membership.teacher):
            continue
        batch.append(_build_entry(membership.teacher, membership))
        if len(batch) >= batch_size:
            PartnerSearchEntry.objects.bulk_create(batch)
            total += len(batch)
            batch = []
            if progress:
                progress(total)
    if batch:
        PartnerSearchEntry.objects.bulk_create(batch)
        total += len(batch)
    return total


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page(qs: QuerySet, number: int) -> Page:
    number = max(1, min(number, MAX_PAGE))
    start = (number - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    return Page(rows=rows[:PAGE_SIZE], number=number, has_next=len(rows) > PAGE_SIZE)


def _words(q: str) -> list[str]:
    return [w for w in name_key(q).split() if w][:6]


def filter_entries(filters: dict[str, Any]) -> QuerySet[PartnerSearchEntry]:
    qs = PartnerSearchEntry.objects.all()
    if filters.get("country"):
        # Compared as bigint, the type of the column: PostgreSQL then answers the country
        # together with the facets and words in one GIN scan (btree_gin, migration 0007);
        # an integer literal would leave the country to a separate index.
        pk = getattr(filters["country"], "pk", filters["country"])
        qs = qs.filter(country_id=Cast(Value(int(pk)), BigIntegerField()))
    if filters.get("school"):
        qs = qs.filter(school=filters["school"])
    wanted = [facet(kind, filters[kind]) for kind in FACET_PREFIX if filters.get(kind)]
    if wanted:
        qs = qs.filter(facets__has_all_facets=wanted)
    for word in _words(filters.get("q") or ""):
        qs = qs.filter(text__contains=word)
    if filters.get("exclude_user"):
        qs = qs.exclude(teacher_id=filters["exclude_user"])
    return qs


def search_teachers(filters: dict[str, Any], page: int = 1) -> Page:
    """Two queries whatever the data size: the ids of the page (+1 row) on the search table
    alone, then those rows with user, school and country joined.

    Measured on 1.2 M rows: in one joined query PostgreSQL walked the page-order index and
    tested every row (7 s for three rare filters); alone, the ids query picks the GIN
    bitmap for rare filters (~60 ms) and the ordered walk for broad ones (~2 ms)."""
    ids_qs = (
        filter_entries(filters)
        .order_by("-registered_at", "-teacher_id")
        .values_list("teacher_id", flat=True)
    )
    ids_page = _page(ids_qs, page)
    if not ids_page.rows:
        return ids_page
    # Only the columns a card shows: a page of 20 full users, schools and search rows was a
    # quarter of this view's time.
    rows = (
        PartnerSearchEntry.objects.select_related("teacher", "school", "country")
        .only(*CARD_FIELDS, "country__name_en")
        .in_bulk(ids_page.rows)
    )
    ids_page.rows = [rows[pk] for pk in ids_page.rows if pk in rows]
    return ids_page


# What a teacher card shows (projects/_partner_cards.html): the columns a result page
# loads and what its cache key is made of. (The country's name comes from its code.)
CARD_FIELDS = (
    "teacher_id",
    "teacher__first_name",
    "teacher__last_name",
    "teacher__username",
    "school_id",
    "school__name",
    "school__city",
    "country_id",
    "country__code",
    "subjects",
    "age_groups",
    "languages",
)


def _shown(entry: PartnerSearchEntry, path: str):
    value = entry
    for name in path.split("__"):
        value = getattr(value, name)
    return value


def cards_key(rows: list[PartnerSearchEntry]) -> str:
    """A digest of everything a page of teacher cards shows (CARD_FIELDS, in page order), so
    that the rendered cards can be cached under it and never go stale: any change to a
    listed teacher changes the key. Empty pages are not worth caching."""
    if not rows:
        return ""
    shown = [tuple(_shown(e, path) for path in CARD_FIELDS) for e in rows]
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def search_schools(filters: dict[str, Any], page: int = 1) -> Page:
    """One query: schools by country and name/city words, and, for the list filters, that
    at least one listed teacher of the school matches them (a semi-join on the search table)."""
    qs = School.objects.select_related("country")
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    for word in _words(filters.get("q") or ""):
        qs = qs.filter(Q(name_key__contains=word) | Q(city_key__contains=word))
    list_filters = {
        k: filters.get(k) for k in ("subject", "language", "age_group", "interest")
    }
    if any(list_filters.values()):
        entries = filter_entries({**list_filters}).filter(school=OuterRef("pk"))
        qs = qs.filter(Exists(entries))
    else:
        qs = qs.filter(Exists(PartnerSearchEntry.objects.filter(school=OuterRef("pk"))))
    return _page(qs.order_by("-registered_at", "-id"), page)
