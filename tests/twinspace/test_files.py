"""R14: uploads are what they claim to be; photos lose their EXIF (GPS); files reach
members only, through a view, with headers that stop browsers from guessing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from tests.factories.twinspace import jpeg_bytes, make_twinspace, png_bytes, upload
from twinspace import files, services
from twinspace.models import Material


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PupilPhone 9"  # Model
    exif[0x0132] = "2026:05:04 10:11:12"  # DateTime
    gps = {
        1: "N",  # GPSLatitudeRef
        2: (46.0, 46.0, 12.5),  # GPSLatitude: Cluj-Napoca
        3: "E",
        4: (23.0, 35.0, 1.0),
    }
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


def test_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_bytes(exif=gps_exif()))) as image:
        assert image.getexif().get_ifd(0x8825)


@pytest.mark.django_db
def test_photo_gps_is_gone_after_upload(client):
    world = make_twinspace()
    client.force_login(world.pupil)
    data = jpeg_bytes(size=(800, 600), exif=gps_exif())
    response = client.post(
        reverse("twinspace:materials", args=[world.twinspace.pk]),
        {
            "title": "Our school garden",
            "file": upload("garden.jpg", data, "image/jpeg"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    stored = material.file.read()
    assert b"PupilPhone" not in stored
    assert b"GPS" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert len(exif) == 0
        assert "exif" not in image.info
    # The thumbnail is small and clean too.
    with Image.open(material.thumbnail) as thumb:
        assert max(thumb.size) <= max(files.THUMBNAIL_SIZE)
        assert len(thumb.getexif()) == 0


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    prepared = files.prepare_image(
        upload("turned.jpg", jpeg_bytes(size=(80, 40), exif=exif))
    )
    with Image.open(io.BytesIO(prepared.content.read())) as image:
        assert image.size == (40, 80)


def _png_polyglot() -> bytes:
    """A real PNG with an HTML page glued after its end (a classic polyglot)."""
    return png_bytes() + b"<html><script>alert(document.cookie)</script></html>"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cat.png", _png_polyglot(), "polyglot"),
        ("cat.png", b"<html><script>alert(1)</script></html>", "not_image"),
        (
            "cat.png",
            b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20,
            "not_image",
        ),
        ("cat.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "not_image"),
        (
            "cat.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "not_image",
        ),
        ("cat.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "extension"),
        ("cat.gif", b"GIF89a" + b"\x00" * 10 + b"<script>", "not_image"),
    ],
)
def test_fake_or_polyglot_pictures_are_refused(name, data, code):
    prepare = (
        files.prepare_image if files.is_image_name(name) else files.prepare_document
    )
    with pytest.raises(ValidationError) as error:
        prepare(upload(name, data))
    assert error.value.code == code


@pytest.mark.django_db
def test_polyglot_png_is_refused_with_a_message_and_nothing_stored(client):
    world = make_twinspace()
    client.force_login(world.teacher)
    response = client.post(
        reverse("twinspace:materials", args=[world.twinspace.pk]),
        {"title": "Cat", "file": upload("cat.png", _png_polyglot(), "image/png")},
    )
    assert response.status_code == 200
    assert "carries other content after the image" in response.content.decode()
    assert 'value="Cat"' in response.content.decode()  # what was typed stays
    assert not Material.objects.exists()


def test_png_with_transparency_stays_png_without_text_chunks():
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info)
    prepared = files.prepare_image(upload("logo.png", out.getvalue()))
    assert prepared.content_type == "image/png"
    assert b"secret location" not in prepared.content.read()


def test_too_large_picture_gets_a_clear_message(monkeypatch):
    monkeypatch.setattr(files, "MAX_IMAGE_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        files.prepare_image(
            upload("big.jpg", jpeg_bytes(size=(400, 400)) + b"\0" * 1000)
        )
    assert error.value.code == "too_large"
    assert "limit" in str(error.value.messages[0])


def _zip(entries: dict[str, bytes], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if first:
            archive.writestr(first, entries.pop(first))
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
    first="mimetype",
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
        ("plan.docx", DOCX),
        ("plan.odt", ODT),
        ("notes.txt", "Ce mai faceți? Çok güzel!\n".encode()),
    ],
)
def test_allowed_documents_are_accepted(name, data):
    prepared = files.prepare_document(upload(name, data))
    assert prepared.content_type == files.DOCUMENT_TYPES[Path(name).suffix]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "extension"),
        ("page.html", b"<script>alert(1)</script>", "extension"),
        ("plan.pdf", b"<html><script>alert(1)</script>", "content_mismatch"),
        ("plan.docx", b"MZ\x90\x00 not a zip", "content_mismatch"),
        ("plan.docx", ODT, "content_mismatch"),
        (
            "plan.docx",
            _zip(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"macro",
                }
            ),
            "content_mismatch",
        ),
        ("plan.odt", DOCX, "content_mismatch"),
        ("notes.txt", b"MZ\x00\x00binary", "content_mismatch"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_documents_are_refused(name, data, code):
    with pytest.raises(ValidationError) as error:
        files.prepare_document(upload(name, data))
    assert error.value.code == code


@pytest.mark.django_db
def test_files_are_stored_outside_media_and_served_with_safe_headers(client):
    world = make_twinspace()
    document = services.add_material(
        world.twinspace,
        upload("plan.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n"),
        title="Plan",
        actor=world.teacher,
    )
    picture = services.add_material(
        world.twinspace, upload("p.jpg", jpeg_bytes()), title="Pic", actor=world.teacher
    )
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for material in (document, picture):
        assert media_root not in Path(material.file.path).resolve().parents
    client.force_login(world.visitor)
    response = client.get(
        reverse("twinspace:material_file", args=[world.twinspace.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(
        reverse("twinspace:material_file", args=[world.twinspace.pk, picture.pk])
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    # A material is not reachable through another TwinSpace's address.
    other = make_twinspace()
    client.force_login(other.admin)
    response = client.get(
        reverse("twinspace:material_file", args=[other.twinspace.pk, picture.pk])
    )
    assert response.status_code == 404
