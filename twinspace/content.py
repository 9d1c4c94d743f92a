"""Page content (R12): what a member types becomes clean HTML; video links become players.

Two steps, both here so the whole safety story is in one file:

1. `clean_page_source(source)` turns the typed text (paragraphs, a little HTML) into HTML
   and passes it through nh3 with an allow-list: no script, no event handler, no style,
   no SVG, no iframe, and only http(s)/mailto links. A line holding only a YouTube or
   Vimeo link becomes a `[[video:<provider>:<id>]]` marker.
2. `render_page_html(body_html)` swaps the markers for players that THIS code builds from
   the video id (never a user's iframe), on the privacy-enhanced domains.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "hr",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_START = re.compile(
    r"^\s*<(p|h[2-4]|ul|ol|blockquote|table|pre|hr)\b", re.IGNORECASE
)
_BARE_URL = re.compile(r"(?<![\"'=>/\w])(https?://[^\s<>\"']+)")
_VIDEO_MARKER = re.compile(
    r"\[\[video:(youtube:[A-Za-z0-9_-]{11}|vimeo:[0-9]{1,12})\]\]"
)
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


def parse_video_url(url: str) -> tuple[str, str] | None:
    """`("youtube", id)` or `("vimeo", id)` for a link to one video, else None."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host.startswith("m."):
        host = host[2:]
    path = [segment for segment in parts.path.split("/") if segment]
    candidate = None
    if host == "youtu.be" and path:
        candidate = ("youtube", path[0])
    elif host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        if path == ["watch"]:
            video_ids = parse_qs(parts.query).get("v", [])
            candidate = ("youtube", video_ids[0]) if video_ids else None
        elif len(path) >= 2 and path[0] in {"embed", "shorts", "live", "v"}:
            candidate = ("youtube", path[1])
    elif host == "vimeo.com" and path:
        candidate = ("vimeo", path[0])
    elif host == "player.vimeo.com" and len(path) >= 2 and path[0] == "video":
        candidate = ("vimeo", path[1])
    if candidate is None:
        return None
    provider, video_id = candidate
    pattern = _YOUTUBE_ID if provider == "youtube" else _VIMEO_ID
    return candidate if pattern.match(video_id) else None


def video_embed_url(provider: str, video_id: str) -> str:
    """The privacy-enhanced player address, built only from a checked id."""
    if provider == "youtube" and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if provider == "vimeo" and _VIMEO_ID.match(video_id):
        return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    raise ValueError("not a video id")


def video_player_html(provider: str, video_id: str) -> SafeString:
    src = video_embed_url(provider, video_id)
    title = _("YouTube video") if provider == "youtube" else _("Vimeo video")
    return mark_safe(  # noqa: S308 - every part is a constant or a regex-checked id
        '<div class="ratio ratio-16x9 my-3 video-embed">'
        f'<iframe src="{src}" title="{html.escape(title)}" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin" '
        'allow="encrypted-media; picture-in-picture; fullscreen" allowfullscreen></iframe>'
        "</div>"
    )


def _linkify(text: str) -> str:
    return _BARE_URL.sub(r'<a href="\1">\1</a>', text)


def _chunk_to_html(chunk: str) -> str:
    stripped = chunk.strip()
    video = parse_video_url(stripped) if "\n" not in stripped else None
    if video:
        return f"<p>[[video:{video[0]}:{video[1]}]]</p>"
    if _BLOCK_START.match(stripped):
        return stripped
    return "<p>" + _linkify(stripped).replace("\n", "<br>\n") + "</p>"


def sanitize_html(value: str) -> str:
    """The allow-list sanitizer every stored page body goes through."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_page_source(source: str) -> str:
    """Typed text -> clean HTML with video markers (see the module docstring)."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    # Each line that is only a video link stands alone, so it becomes its own paragraph.
    lines = []
    for line in text.split("\n"):
        if parse_video_url(line):
            lines.extend(["", line.strip(), ""])
        else:
            lines.append(line)
    chunks = [c for c in re.split(r"\n\s*\n", "\n".join(lines)) if c.strip()]
    return sanitize_html("\n".join(_chunk_to_html(chunk) for chunk in chunks))


def render_page_html(body_html: str) -> SafeString:
    """Stored clean HTML -> HTML for the page, markers replaced by players."""

    def player(match: re.Match) -> str:
        provider, video_id = match.group(1).split(":", 1)
        return video_player_html(provider, video_id)

    # Cleaned again on the way out: a body written by other means (admin, a data fix)
    # is held to the same allow-list.
    body = sanitize_html(body_html)
    # A marker alone in its paragraph replaces the paragraph (no <div> inside <p>).
    body = re.sub(
        r"<p>\s*" + _VIDEO_MARKER.pattern + r"\s*</p>",
        player,
        body,
    )
    body = _VIDEO_MARKER.sub(player, body)
    return mark_safe(body)  # noqa: S308 - sanitized just above; players built from ids
