"""The 46 countries of eTwinning and eTwinning Plus (SPEC, Scale), with translated names."""

from django.utils.translation import gettext_lazy as _

# (ISO 3166-1 alpha-2, name, eTwinning Plus, share of the network's schools in per mille)
# The weights follow the real network roughly (Turkey, Italy, Poland, Spain, Romania are the largest).
COUNTRIES: list[tuple[str, object, bool, int]] = [
    ("AT", _("Austria"), False, 12),
    ("BE", _("Belgium"), False, 14),
    ("BG", _("Bulgaria"), False, 20),
    ("HR", _("Croatia"), False, 18),
    ("CY", _("Cyprus"), False, 4),
    ("CZ", _("Czechia"), False, 25),
    ("DK", _("Denmark"), False, 6),
    ("EE", _("Estonia"), False, 5),
    ("FI", _("Finland"), False, 10),
    ("FR", _("France"), False, 70),
    ("DE", _("Germany"), False, 35),
    ("GR", _("Greece"), False, 55),
    ("HU", _("Hungary"), False, 15),
    ("IE", _("Ireland"), False, 8),
    ("IT", _("Italy"), False, 110),
    ("LV", _("Latvia"), False, 6),
    ("LT", _("Lithuania"), False, 12),
    ("LU", _("Luxembourg"), False, 2),
    ("MT", _("Malta"), False, 3),
    ("NL", _("Netherlands"), False, 10),
    ("PL", _("Poland"), False, 95),
    ("PT", _("Portugal"), False, 45),
    ("RO", _("Romania"), False, 75),
    ("SK", _("Slovakia"), False, 18),
    ("SI", _("Slovenia"), False, 8),
    ("ES", _("Spain"), False, 85),
    ("SE", _("Sweden"), False, 10),
    ("AL", _("Albania"), False, 8),
    ("BA", _("Bosnia and Herzegovina"), False, 6),
    ("IS", _("Iceland"), False, 2),
    ("LI", _("Liechtenstein"), False, 1),
    ("ME", _("Montenegro"), False, 2),
    ("MK", _("North Macedonia"), False, 8),
    ("NO", _("Norway"), False, 6),
    ("RS", _("Serbia"), False, 15),
    ("TR", _("Turkey"), False, 170),
    ("AM", _("Armenia"), True, 7),
    ("AZ", _("Azerbaijan"), True, 10),
    ("GE", _("Georgia"), True, 10),
    ("JO", _("Jordan"), True, 8),
    ("LB", _("Lebanon"), True, 4),
    ("MD", _("Moldova"), True, 10),
    ("MA", _("Morocco"), True, 6),
    ("TN", _("Tunisia"), True, 6),
    ("UA", _("Ukraine"), True, 45),
    ("EG", _("Egypt"), True, 6),
]

COUNTRY_NAMES = {code: name for code, name, _plus, _weight in COUNTRIES}


def ensure_countries() -> int:
    """Create the countries that are missing; returns how many were created.

    Run by a migration and after every `flush` (post_migrate): transactional tests flush
    the database, and the portal cannot work without its countries.
    """
    from accounts.models import Country

    existing = set(Country.objects.values_list("code", flat=True))
    missing = [
        Country(code=code, name_en=str(name), is_plus=is_plus)
        for code, name, is_plus, _weight in COUNTRIES
        if code not in existing
    ]
    Country.objects.bulk_create(missing)
    return len(missing)
