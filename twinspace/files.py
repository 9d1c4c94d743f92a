"""Checking and preparing uploaded materials (R14).

Images: Pillow must decode the whole picture; PNG/GIF files with something hidden after
the image (a polyglot) are refused; the picture is re-encoded from its pixels, so EXIF
(GPS position, camera, date), comments and anything appended are gone, and a thumbnail
is made. Documents: an allow-list of extensions, each checked by its magic bytes (and for
Office/OpenDocument files, by what the zip holds).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; larger is a decompression bomb
MAX_IMAGE_SIDE = 2560  # stored pictures are scaled down to this
THUMBNAIL_SIZE = (480, 360)

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain; charset=utf-8",
}
_OOXML_FOLDER = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


@dataclass
class PreparedFile:
    content: ContentFile
    content_type: str
    thumbnail: ContentFile | None = None


def _read_all(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            params={"limit": filesizeformat(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _png_has_trailing_data(data: bytes) -> bool:
    end = data.rfind(b"IEND")
    # IEND chunk: 4 bytes type + 4 bytes CRC; nothing may follow it.
    return end == -1 or len(data) > end + 8


def _gif_has_trailing_data(data: bytes) -> bool:
    return not data.rstrip(b"\x00").endswith(b";")


def prepare_image(upload: UploadedFile) -> PreparedFile:
    """Decode, refuse what is not purely an image, re-encode without metadata, thumbnail."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Pictures must be JPEG, PNG, GIF or WebP files."), code="extension"
        )
    data = _read_all(upload, MAX_IMAGE_BYTES)
    not_an_image = ValidationError(
        _(
            "This file is not a picture we can read. Save it again as JPEG or PNG and upload it once more."
        ),
        code="not_image",
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in IMAGE_FORMATS:
                raise not_an_image
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The picture is too large (%(width)s × %(height)s pixels)."),
                    params={"width": width, "height": height},
                    code="too_many_pixels",
                )
            probe.verify()
        # verify() leaves the image unusable: open again and decode every pixel.
        image = Image.open(io.BytesIO(data))
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_an_image from error
    except Image.DecompressionBombError as error:
        raise not_an_image from error

    if (image_format == "PNG" and _png_has_trailing_data(data)) or (
        image_format == "GIF" and _gif_has_trailing_data(data)
    ):
        raise ValidationError(
            _(
                "This picture carries other content after the image, so it was refused. Save it again from an image editor."
            ),
            code="polyglot",
        )

    # Turn the picture upright by its EXIF orientation before the EXIF is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    keeps_alpha = image.mode in {"RGBA", "LA", "P"} and image_format != "JPEG"
    out = io.BytesIO()
    if keeps_alpha:
        clean = image.convert("RGBA")
        clean.save(out, format="PNG", optimize=True)
        content_type, suffix = "image/png", ".png"
    else:
        clean = image.convert("RGB")
        # No exif=, no icc_profile=, no comment=: Pillow writes only the pixels.
        clean.save(out, format="JPEG", quality=85, optimize=True)
        content_type, suffix = "image/jpeg", ".jpg"

    thumb = clean.convert("RGBA") if keeps_alpha else clean.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    if keeps_alpha:
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    thumb_out = io.BytesIO()
    thumb.convert("RGB").save(thumb_out, format="JPEG", quality=80, optimize=True)

    stem = Path(upload.name or "picture").stem[:80] or "picture"
    return PreparedFile(
        content=ContentFile(out.getvalue(), name=stem + suffix),
        content_type=content_type,
        thumbnail=ContentFile(thumb_out.getvalue(), name=stem + "-thumb.jpg"),
    )


def _check_zip_document(data: bytes, extension: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False  # macros: not in an allow-listed type
            if extension in _OOXML_FOLDER:
                return "[Content_Types].xml" in names and any(
                    name.startswith(_OOXML_FOLDER[extension]) for name in names
                )
            # OpenDocument: the first entry is `mimetype`, holding the exact type.
            if not names or names[0] != "mimetype":
                return False
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            return mimetype == DOCUMENT_TYPES[extension]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


def _looks_like(data: bytes, extension: str) -> bool:
    if extension == ".pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if extension == ".txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if data[:4] != b"PK\x03\x04":
        return False
    return _check_zip_document(data, extension)


def prepare_document(upload: UploadedFile) -> PreparedFile:
    extension = Path(upload.name or "").suffix.lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Documents must be one of: %(types)s."),
            params={"types": ", ".join(sorted(e[1:] for e in DOCUMENT_TYPES))},
            code="extension",
        )
    data = _read_all(upload, MAX_DOCUMENT_BYTES)
    if not _looks_like(data, extension):
        raise ValidationError(
            _(
                "The content of this file does not match its type (%(extension)s). Save it again in that format."
            ),
            params={"extension": extension[1:]},
            code="content_mismatch",
        )
    stem = Path(upload.name or "document").stem[:80] or "document"
    return PreparedFile(
        content=ContentFile(data, name=stem + extension),
        content_type=DOCUMENT_TYPES[extension],
    )


def is_image_name(name: str) -> bool:
    return Path(name or "").suffix.lower() in IMAGE_EXTENSIONS
