"""Files on project updates and outcomes (photos with descriptions, PDFs with titles), held when
a form is refused; who may see a file, asked in one place for every kind of carrier; and the
sweep of stored files no row names. Against both storages where storage is touched."""
import io
import os
import re
import time
from datetime import timedelta

import pytest

from app.extensions import db
from app.media import services as media
from app.media import storage
from app.media.models import IMAGE, PDF, MediaFile
from app.projects.models import Outcome, ProjectUpdate
from app.proposals.models import Status
from app.timeutil import utcnow
from tests.conftest import count
from tests.media.conftest import empty_local, fetch, image_bytes, media_rows

PDF_BYTES = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OUTCOME = {"summary": "The east room now opens on Sundays.",
           "indicators-0-name": "Quiet seats", "indicators-0-before": "180",
           "indicators-0-after": "300", "indicators-0-unit": "seats"}


def photo(name="lamp.jpg"):
    return (io.BytesIO(image_bytes("JPEG")), name, "image/jpeg")


def post_update(client, project, **data):
    return client.post(f"/projects/{project.id}/updates", content_type="multipart/form-data",
                       data=data)


def complete(client, project, **data):
    return client.post(f"/projects/{project.id}/complete", content_type="multipart/form-data",
                       data=OUTCOME | data)


def in_progress(project):
    project.proposal.status = Status.IN_PROGRESS.value
    db.session.commit()
    return project


def test_a_project_update_carries_a_described_photo(client, login, make_project, stored):
    project = make_project()
    login(project.lead)
    response = post_update(client, project, body="The new lamps are in.", photos=[photo()],
                           photo_alt=["Three new lamps over the long table"])
    assert response.status_code == 303
    update = db.session.query(ProjectUpdate).one()
    held = db.session.query(MediaFile).one()
    assert held.update_id == update.id and held.held_for == "" and stored.count() == 2
    client.post("/auth/logout")
    page = client.get(f"/projects/{project.id}").text
    thumb = re.search(r'<img src="([^"]+)" alt="Three new lamps over the long table" '
                      r'width="\d+" height="\d+"', page)
    assert thumb
    served = fetch(client, thumb.group(1))
    assert served.status == 200 and served.headers["Content-Type"] == "image/webp"
    assert fetch(client, f"/uploads/{held.id}").status == 200  # the display size, for visitors


def test_an_update_refused_for_its_text_keeps_its_photo(client, login, make_project, stored):
    project = make_project()
    login(project.lead)
    response = post_update(client, project, body="x", photos=[photo()], photo_alt=["A lamp"])
    assert response.status_code == 422 and count(ProjectUpdate) == 0
    held = db.session.query(MediaFile).one()
    assert held.is_pending and held.held_for == f"update-{project.id}"
    assert f'name="keep" value="{held.id}" checked' in response.text
    assert 'value="A lamp"' in response.text
    assert fetch(client, f"/uploads/{held.id}/thumb").status == 200
    again = post_update(client, project, body="The new lamps are in.", shown=str(held.id),
                        keep=str(held.id), **{f"alt-{held.id}": "A lamp"})
    assert again.status_code == 303
    db.session.refresh(held)
    assert held.update_id == db.session.query(ProjectUpdate).one().id and stored.count() == 2


def test_an_update_photo_needs_a_description(client, login, make_project, stored):
    project = make_project()
    login(project.lead)
    response = post_update(client, project, body="The new lamps are in.", photos=[photo()])
    assert response.status_code == 422
    assert "Describe photo 1 for people who cannot see it" in response.text
    assert count(ProjectUpdate) == 0 and media_rows() == 1


def test_a_patron_cannot_post_an_update_with_a_photo(client, login, make_user, make_project,
                                                     stored):
    project = make_project()
    login(make_user())
    response = post_update(client, project, body="The new lamps are in.", photos=[photo()],
                           photo_alt=["A lamp"])
    assert response.status_code == 403 and media_rows() == 0 and stored.count() == 0


def test_an_outcome_carries_photos_and_a_titled_pdf(client, login, make_project, stored):
    project = in_progress(make_project())
    login(project.lead)
    response = complete(client, project, photos=[photo("before.jpg"), photo("after.jpg")],
                        photo_alt=["The room before", "The room after"],
                        document=(io.BytesIO(PDF_BYTES), "survey.pdf", "application/pdf"),
                        document_title="Seat survey, May")
    assert response.status_code == 303
    outcome = db.session.query(Outcome).one()
    files = db.session.query(MediaFile).order_by(MediaFile.position).all()
    assert [file.kind for file in files] == [IMAGE, IMAGE, PDF]
    assert all(file.outcome_id == outcome.id for file in files) and stored.count() == 5
    client.post("/auth/logout")
    page = client.get("/outcomes").text
    assert 'alt="The room before"' in page and 'alt="The room after"' in page
    link = re.search(r'<a href="([^"]+)" download>Seat survey, May</a>', page)
    served = fetch(client, link.group(1))
    assert served.status == 200 and served.body == PDF_BYTES
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_an_outcome_refused_keeps_its_photo_and_document(client, login, make_project, stored):
    project = in_progress(make_project())
    login(project.lead)
    response = complete(client, project, summary="short", photos=[photo()],
                        photo_alt=["The room after"],
                        document=(io.BytesIO(PDF_BYTES), "survey.pdf", "application/pdf"),
                        document_title="Seat survey, May")
    assert response.status_code == 422 and count(Outcome) == 0
    image, document = db.session.query(MediaFile).order_by(MediaFile.kind).all()
    assert image.is_pending and document.is_pending and document.title == "Seat survey, May"
    assert f'name="title-{document.id}" value="Seat survey, May"' in response.text
    assert f'name="keep" value="{image.id}" checked' in response.text
    again = complete(client, project, shown=[str(image.id), str(document.id)],
                     keep=[str(image.id), str(document.id)],
                     **{f"alt-{image.id}": "The room after",
                        f"title-{document.id}": "Seat survey, June"})
    assert again.status_code == 303
    outcome = db.session.query(Outcome).one()
    db.session.refresh(document)
    assert document.outcome_id == outcome.id and document.title == "Seat survey, June"
    assert stored.count() == 3


def test_a_pdf_on_a_proposal_form_is_not_taken(client, login, make_user, stored):
    login(make_user())
    response = client.post("/proposals/new", content_type="multipart/form-data", data={
        "title": "short", "document": (io.BytesIO(PDF_BYTES), "a.pdf", "application/pdf"),
        "document_title": "A report"})
    assert response.status_code == 422 and media_rows() == 0 and stored.count() == 0


def test_what_is_held_for_one_form_is_not_offered_in_another(client, login, make_project, stored):
    project = make_project()
    login(project.lead)
    post_update(client, project, body="x", photos=[photo()], photo_alt=["A lamp"])
    held = db.session.query(MediaFile).one()
    box = f'name="keep" value="{held.id}"'
    assert box in client.get(f"/projects/{project.id}").text
    assert box not in client.get("/proposals/new").text
    in_progress(project)
    assert box not in client.get(f"/projects/{project.id}/complete").text


# Who may see a file: one rule (media.services.visible) for every kind of carrier and role.

def file_on(kind: str, carrier_id: int | None, owner, *, hidden=False) -> MediaFile:
    file = MediaFile(owner_id=owner.id, kind=IMAGE, key=storage.new_key(),
                     content_type="image/webp", byte_size=1, alt_text="a photo",
                     hidden_at=utcnow() if hidden else None,
                     **({f"{kind}_id": carrier_id} if carrier_id else {}))
    db.session.add(file)
    db.session.flush()
    return file


@pytest.fixture
def people(make_user):
    return {"visitor": None, "patron": make_user(), "owner": make_user(),
            "staff": make_user(role="staff")}


@pytest.fixture
def staff(people):  # who completes the outcomes make_outcome makes
    return people["staff"]


@pytest.fixture
def carriers(people, make_proposal, make_outcome, make_project):
    """Each kind of carrier, once public and once not (its proposal hidden by flags)."""
    def make(kind: str, public: bool) -> int:
        if kind == "proposal":
            proposal = make_proposal(author=people["owner"],
                                     status=Status.OPEN if public else Status.SUBMITTED)
            return proposal.id
        if kind == "update":
            project = make_project()
            update = ProjectUpdate(project_id=project.id, author_id=project.lead_id,
                                   body="Lamps are in.")
            db.session.add(update)
            proposal = project.proposal
            carrier = update
        else:
            carrier = make_outcome()
            proposal = carrier.proposal
        if not public:
            proposal.hidden_at = utcnow()
        db.session.flush()
        return carrier.id
    return make


@pytest.mark.parametrize("kind", ["proposal", "update", "outcome"])
@pytest.mark.parametrize("public, hidden, seen_by", [
    (True, False, {"visitor", "patron", "owner", "staff"}),
    (True, True, {"owner", "staff"}),  # staff hid this one photo
    (False, False, {"staff"}),  # the carrier is not public: not even the photo's owner
])
def test_who_sees_a_file_by_carrier_and_role(app, people, carriers, kind, public, hidden,
                                             seen_by):
    file = file_on(kind, carriers(kind, public), people["owner"], hidden=hidden)
    if kind == "proposal" and not public:
        seen_by = {"owner", "staff"}  # the author of a submitted proposal sees it
    seen = {role for role, viewer in people.items() if media.visible(file, viewer)}
    assert seen == seen_by


def test_a_pending_upload_is_seen_by_its_owner_alone(app, people):
    file = file_on("proposal", None, people["owner"])
    seen = {role for role, viewer in people.items() if media.visible(file, viewer)}
    assert seen == {"owner"}


@pytest.mark.parametrize("role, expected", [("visitor", 404), ("patron", 404), ("staff", 200)])
def test_the_file_route_asks_the_same_rule(client, login, people, carriers, stored, role,
                                           expected):
    update_id = carriers("update", public=False)
    file = file_on("update", update_id, people["staff"])
    storage.current().put(file.key, image_bytes("WEBP"), "image/webp")
    db.session.commit()
    if people[role]:
        login(people[role])
    assert fetch(client, f"/uploads/{file.id}").status == expected


# A file written to storage whose row never committed (the process killed in between).

def test_files_no_row_names_are_swept_after_a_day(client, login, make_project, stored):
    project = make_project()
    login(project.lead)
    post_update(client, project, body="The new lamps are in.", photos=[photo()],
                photo_alt=["A lamp"])
    orphan = storage.new_key()
    storage.current().put(orphan, b"written, then the process was killed", "image/webp")
    assert stored.count() == 3
    assert media.sweep_unreferenced() == 0  # written just now: a form may still be sending
    assert media.sweep_unreferenced(now=utcnow() + timedelta(days=1, minutes=1)) == 1
    assert stored.count() == 2 and storage.current().read(orphan) is None
    kept = db.session.query(MediaFile).one()
    assert fetch(client, f"/uploads/{kept.id}").status == 200


def test_the_hourly_task_sweeps_a_day_old_orphan_on_local_storage(app):
    from app.media.tasks import forget_stale_uploads

    assert app.config["MEDIA_STORAGE"] == "local"  # the file's age is set in the folder
    empty_local(app.config["MEDIA_FOLDER"])
    old, new = storage.new_key(), storage.new_key()
    for key in (old, new):
        storage.current().put(key, b"orphan", "image/webp")
    day_ago = time.time() - 86400 - 60
    os.utime(storage.current()._path(old), (day_ago, day_ago))
    db.session.commit()
    assert forget_stale_uploads.call_local() == 1
    assert storage.current().read(old) is None and storage.current().read(new) == b"orphan"


# With htmx the forms that take files are sent by it (the upload's progress shows); without
# JavaScript they are the plain multipart forms, answered 303 and 422 as before.

def test_htmx_is_told_where_to_go_after_an_update_with_a_photo(client, login, make_project,
                                                                stored):
    project = make_project()
    login(project.lead)
    form = client.get(f"/projects/{project.id}").text
    assert re.search(r'<form method="post" action="/projects/\d+/updates" [^>]*'
                     r'enctype="multipart/form-data"[^>]*data-hx-post="/projects/\d+/updates"',
                     form)
    assert '<progress id="upload-progress" max="100" value="0">' in form
    sent = client.post(f"/projects/{project.id}/updates", content_type="multipart/form-data",
                       headers={"HX-Request": "true"},
                       data={"body": "The new lamps are in.", "photos": [photo()],
                             "photo_alt": ["A lamp"]})
    assert sent.status_code == 204 and sent.headers["HX-Redirect"] == f"/projects/{project.id}"
    assert "The update is posted" in client.get(f"/projects/{project.id}").text  # the flash
    refused = client.post(f"/projects/{project.id}/updates", content_type="multipart/form-data",
                          headers={"HX-Request": "true"}, data={"body": "x"})
    assert refused.status_code == 422 and 'id="main"' in refused.text


def test_htmx_is_told_where_to_go_after_proposing_with_a_photo(client, login, make_user, stored):
    login(make_user())
    sent = client.post("/proposals/new", content_type="multipart/form-data",
                       headers={"HX-Request": "true"}, data={
                           "title": "The sockets on floor 3 are broken",
                           "problem": "Half of the sockets by the east windows give no power.",
                           "suggestion": "Repair the sockets and mark the ones being fixed.",
                           "category_id": "1", "branch_id": "1", "photos": [photo()],
                           "photo_alt": ["A dead socket"]})
    assert sent.status_code == 204 and re.fullmatch(r"/proposals/\d+", sent.headers["HX-Redirect"])
