"""The demo world's TwinSpaces (used by `manage.py seed_demo`; safe to run twice)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.demo import DemoWorld
from accounts.enums import UserKind
from accounts.models import User
from projects.enums import ProjectStatus
from twinspace import services
from twinspace.enums import MemberRole
from twinspace.models import Material, Page, TwinSpaceMember

SHOWCASE_PROJECT = "Bridges of Stories"

# Fixed demo pupils so the printed credentials stay the same run after run.
# (username, first name, initial, password)
DEMO_PUPILS = [
    ("maria.p.demo", "Maria", "P.", "sunny-otter-417"),
    ("emir.k.demo", "Emir", "K.", "brave-falcon-238"),
]

WELCOME_SOURCE = """Welcome to our shared TwinSpace! Pupils from Cluj-Napoca and İzmir collect the legends of their towns and retell them together.

<h2>How we work</h2>
<ul><li>Each class records one legend a month.</li><li>Partners illustrate the other school's legend.</li><li>We vote for the stories of our digital book in June.</li></ul>

Our kick-off video, recorded by both classes:
https://www.youtube.com/watch?v=aqz-KE-bpKQ

Questions? Write in the forum or see the project page at https://www.etwinning.net"""

LEGENDS_SOURCE = """<h3>The legend of the Cluj bridge</h3>
Told by Class 7B, illustrated by our partners in İzmir.

<h3>The Maiden's Tower</h3>
Told by 8A in İzmir; our drawing is in the materials."""


def _picture(
    title: str, colours: tuple[tuple[int, int, int], tuple[int, int, int]]
) -> bytes:
    image = Image.new("RGB", (960, 640), colours[0])
    draw = ImageDraw.Draw(image)
    for y in range(0, 640, 8):
        mix = y / 640
        colour = tuple(
            int(a * (1 - mix) + b * mix) for a, b in zip(*colours, strict=True)
        )
        draw.rectangle([0, y, 960, y + 8], fill=colour)
    draw.ellipse([380, 200, 580, 400], fill=(255, 204, 0))
    draw.text((40, 580), title, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _pupil(
    twinspace, username: str, first: str, initial: str, password: str, actor
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": initial,
            "kind": UserKind.PUPIL,
            "email": "",
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    TwinSpaceMember.objects.get_or_create(
        twinspace=twinspace,
        user=user,
        defaults={"role": MemberRole.PUPIL, "added_by": actor},
    )
    return user


def seed_twinspaces(world: DemoWorld) -> None:
    for project in world.projects.values():
        if project.status in (ProjectStatus.ACTIVE, ProjectStatus.CLOSED):
            services.ensure_twinspace(project)

    project = world.projects.get(SHOWCASE_PROJECT)
    if project is None:
        return
    twinspace = services.ensure_twinspace(project)
    admin = world.teachers["ana.popescu"]
    partner = world.teachers["ayse.yilmaz"]

    pupils = [
        _pupil(twinspace, username, first, initial, password, admin)
        for username, first, initial, password in DEMO_PUPILS
    ]
    for username, _first, _initial, password in DEMO_PUPILS:
        world.accounts.append(("pupil", username, password))

    welcome = Page.objects.filter(twinspace=twinspace, title="Welcome").first()
    if welcome is None:
        welcome = services.create_page(
            twinspace, title="Welcome", source=WELCOME_SOURCE, actor=admin
        )
        services.create_page(
            twinspace,
            title="Our legends",
            source=LEGENDS_SOURCE,
            parent=welcome,
            actor=pupils[0],
        )
        services.create_page(
            twinspace,
            title="Project plan",
            source="<h3>Autumn</h3>Getting to know each other.\n\n<h3>Winter</h3>Legends and drawings.\n\n<h3>Spring</h3>The digital book.",
            actor=partner,
        )
    if not Material.objects.filter(twinspace=twinspace).exists():
        for name, title, colours in [
            (
                "cluj-bridge.jpg",
                "The Cluj bridge, drawn by 7B",
                ((11, 61, 145), (43, 125, 233)),
            ),
            (
                "maidens-tower.jpg",
                "Maiden's Tower at sunset",
                ((200, 80, 40), (250, 180, 60)),
            ),
        ]:
            services.add_material(
                twinspace,
                SimpleUploadedFile(name, _picture(title, colours), "image/jpeg"),
                title=title,
                actor=admin,
            )
        services.add_material(
            twinspace,
            SimpleUploadedFile(
                "legend-worksheet.txt",
                b"Legend worksheet\n\n1. Who tells the legend?\n2. Where does it happen?\n",
                "text/plain",
            ),
            title="Legend worksheet",
            actor=partner,
        )
    if not twinspace.threads.exists():
        thread = services.start_thread(
            twinspace,
            title="Introduce yourselves!",
            body="Hello from Cluj! Tell us your favourite legend of your town.",
            actor=admin,
        )
        services.reply(
            thread,
            body="Merhaba! Our favourite is the Maiden's Tower in İzmir.",
            actor=partner,
        )
        services.reply(thread, body="I like the legend of the bridge!", actor=pupils[0])
