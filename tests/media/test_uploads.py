"""Proposals with photos, against both storages: what is accepted comes out re-encoded, upright
and without EXIF; what is not a photo is refused with 422, the form kept and nothing stored."""
import io
import re

import pytest
from PIL import Image

from app.audit import AuditEntry
from app.extensions import db
from app.media.models import MediaFile
from app.proposals.models import Proposal, Status
from tests.conftest import count
from tests.media.conftest import (
    fetch,
    image_bytes,
    jpeg_with_gps_rotated,
    media_rows,
    polyglot_jpeg,
)

VALID = {
    "title": "The sockets on floor 3 are broken",
    "problem": "Half of the sockets by the east windows on floor 3 give no power at all.",
    "suggestion": "Repair the sockets and put a sticker on the ones that are being fixed.",
    "category_id": "1",
    "branch_id": "1",
}


def with_photos(*files, alts=(), **fields) -> dict:
    return VALID | fields | {
        "photos": [(io.BytesIO(data), name, kind) for data, name, kind in files],
        "photo_alt": list(alts),
    }


def image_urls(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)" alt="[^"]*" width="\d+" height="\d+"', html)


def propose(client, *files, alts=(), **fields):
    return client.post("/proposals/new", data=with_photos(*files, alts=alts, **fields),
                       content_type="multipart/form-data")


def test_a_jpeg_with_gps_comes_out_upright_without_exif(client, login, make_user, stored):
    original = jpeg_with_gps_rotated()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it does carry GPS
    login(make_user())
    response = propose(client, (original, "lamp.jpg", "image/jpeg"),
                       alts=["The broken socket under desk 12"])
    assert response.status_code == 303, response.text
    page = client.get(response.location).text
    assert 'alt="The broken socket under desk 12"' in page
    full = fetch(client, f"{response.location}/photos/{db.session.scalar(db.select(MediaFile.id))}")
    assert full.status == 200
    assert full.headers["Content-Type"] == "image/webp"
    assert full.headers["Content-Disposition"].startswith("inline")
    served = Image.open(io.BytesIO(full.body))
    assert served.format == "WEBP" and served.size == (40, 60)  # turned upright
    assert not served.getexif() and b"Exif" not in full.body and b"SERIAL-123456" not in full.body
    top, bottom = served.convert("RGB").getpixel((20, 10)), served.convert("RGB").getpixel((20, 50))
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200  # red above blue: the right way up
    assert stored.count() == 2  # the display size and the thumbnail, nothing else


@pytest.mark.parametrize("data, name, kind", [
    (image_bytes("PNG", mode="RGBA"), "plan.png", "image/png"),
    (image_bytes("WEBP"), "shelf.webp", "image/webp"),
    (image_bytes("HEIF"), "IMG_0001.HEIC", "image/heic"),
    (image_bytes("PNG"), "no-extension", "application/octet-stream"),
])
def test_png_webp_and_heic_are_accepted_by_their_content(client, login, make_user, stored, data, name,
                                                    kind):
    login(make_user())
    response = propose(client, (data, name, kind), alts=["A floor plan"])
    assert response.status_code == 303, response.text
    urls = image_urls(client.get(response.location).text)
    assert len(urls) == 1
    thumb = fetch(client, urls[0])
    assert thumb.status == 200 and Image.open(io.BytesIO(thumb.body)).size == (64, 48)
    assert stored.count() == 2


REFUSED = {
    "html renamed .jpg": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "lamp.jpg",
                          "image/jpeg", "is not a JPEG, PNG, WebP or HEIC photo"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "icon.svg", "image/svg+xml", "is not a JPEG, PNG, WebP or HEIC photo"),
    "polyglot": (polyglot_jpeg(), "both.jpg", "image/jpeg",
                 "is not a JPEG, PNG, WebP or HEIC photo"),
    "1 x 60000 pixels": (image_bytes("PNG", size=(1, 60000), mode="RGB"), "strip.png",
                         "image/png", "is too large a picture (1 × 60000 pixels)"),
    "oversized": (b"\xff\xd8\xff\xe0" + bytes(10 * 1024 * 1024), "huge.jpg", "image/jpeg",
                  "is larger than 10 MB"),
    "undecodable": (b"\xff\xd8\xff\xe0" + bytes(2000), "broken.jpg", "image/jpeg",
                    "could not be read as a photo"),
    "pdf": (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", "report.pdf", "application/pdf",
            "is not a JPEG, PNG, WebP or HEIC photo"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_what_is_not_a_safe_photo_is_refused_keeping_the_form(client, login, make_user, stored,
                                                              case):
    data, name, kind, message = REFUSED[case]
    login(make_user())
    response = propose(client, (data, name, kind), alts=["What it shows"])
    assert response.status_code == 422
    assert message in response.text and 'id="photos-error"' in response.text
    assert f'value="{VALID["title"]}"' in response.text  # what the patron typed comes back
    assert count(Proposal) == 0 and media_rows() == 0 and stored.count() == 0


def test_a_good_photo_beside_a_bad_one_is_not_stored_either(client, login, make_user, stored):
    login(make_user())
    response = propose(client, (image_bytes("PNG"), "ok.png", "image/png"),
                       (REFUSED["svg"][0], "icon.svg", "image/svg+xml"), alts=["One", "Two"])
    assert response.status_code == 422 and media_rows() == 0 and stored.count() == 0


def test_a_form_refused_for_its_text_keeps_the_photos(client, login, make_user, stored):
    patron = make_user()
    login(patron)
    response = propose(client, (image_bytes("JPEG"), "lamp.jpg", "image/jpeg"),
                       alts=["The lamp by the stairs"], title="short")
    assert response.status_code == 422 and "between 8 and 140" in response.text
    held = db.session.query(MediaFile).one()
    assert held.proposal_id is None and held.owner_id == patron.id
    assert 'value="The lamp by the stairs"' in response.text
    assert f'name="keep" value="{held.id}" checked' in response.text
    assert fetch(client, f"/uploads/{held.id}/thumb").status == 200
    again = client.post("/proposals/new", data=VALID | {
        "shown": str(held.id), "keep": str(held.id), f"alt-{held.id}": "The lamp by the stairs"})
    assert again.status_code == 303
    proposal = db.session.query(Proposal).one()
    db.session.refresh(held)
    assert held.proposal_id == proposal.id and stored.count() == 2


def test_every_photo_needs_a_description(client, login, make_user, stored):
    login(make_user())
    response = propose(client, (image_bytes("JPEG"), "lamp.jpg", "image/jpeg"))
    assert response.status_code == 422
    assert "Describe photo 1 for people who cannot see it" in response.text
    assert count(Proposal) == 0
    held = db.session.query(MediaFile).one()  # kept: the patron only adds the words
    again = client.post("/proposals/new", data=VALID | {
        "shown": str(held.id), "keep": str(held.id), f"alt-{held.id}": "A dark corridor"})
    assert again.status_code == 303


def test_at_most_four_photos(client, login, make_user, stored):
    login(make_user())
    files = [(image_bytes("PNG"), f"{n}.png", "image/png") for n in range(5)]
    response = propose(client, *files, alts=["a", "b", "c", "d", "e"])
    assert response.status_code == 422 and "at most 4 photos" in response.text
    assert media_rows() == 0 and stored.count() == 0


def test_a_photo_on_a_submitted_proposal_is_seen_only_by_author_and_staff(
        client, login, make_user, stored):
    author = make_user()
    login(author)
    location = propose(client, (image_bytes("JPEG"), "lamp.jpg", "image/jpeg"),
                       alts=["Lamp"]).location
    assert db.session.query(Proposal).one().status == Status.SUBMITTED.value
    urls = image_urls(client.get(location).text)
    photo_id = db.session.scalar(db.select(MediaFile.id))
    urls.append(f"{location}/photos/{photo_id}")
    assert all(fetch(client, url).status == 200 for url in urls)
    own = client.get(urls[-1])
    if own.status_code == 200:  # local: the app serves it, kept privately
        assert own.headers["Cache-Control"].startswith("private")
        assert own.headers["X-Content-Type-Options"] == "nosniff"
    client.post("/auth/logout")
    assert all(client.get(url).status_code == 404 for url in urls)  # visitor
    login(make_user())
    assert all(client.get(url).status_code == 404 for url in urls)  # another patron
    assert client.get(f"/uploads/{photo_id}/thumb").status_code == 404
    client.post("/auth/logout")
    login(make_user(role="staff"))
    assert all(fetch(client, url).status == 200 for url in urls)


def test_staff_hide_one_photo_and_the_proposal_stays(client, login, make_user, make_proposal,
                                                      stored):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    login(author)
    client.post(f"/proposals/{proposal.id}/edit", content_type="multipart/form-data",
                data=with_photos((image_bytes("JPEG"), "a.jpg", "image/jpeg"),
                                 (image_bytes("PNG"), "b.png", "image/png"),
                                 alts=["First photo", "Second photo"]))
    proposal.status = Status.OPEN.value
    db.session.commit()
    first, second = db.session.query(MediaFile).order_by(MediaFile.position).all()
    public_url = f"/proposals/{proposal.id}/photos/{first.id}"
    client.post("/auth/logout")
    served = client.get(public_url)
    if served.status_code == 200:
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert fetch(client, public_url).status == 200
    login(author)
    assert client.post(f"{public_url}/hide").status_code == 403  # patrons do not moderate
    client.post("/auth/logout")
    login(make_user(role="staff"))
    assert client.post(f"{public_url}/hide", data={"hidden": "1"}).status_code == 303
    assert db.session.query(AuditEntry).filter_by(action="hide_photo").count() == 1
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200
    assert 'alt="Second photo"' in page.text and 'alt="First photo"' not in page.text
    assert client.get(public_url).status_code == 404
    assert fetch(client, f"/proposals/{proposal.id}/photos/{second.id}").status == 200


def test_the_author_removes_a_photo_when_editing(client, login, make_user, make_proposal, stored):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    login(author)
    client.post(f"/proposals/{proposal.id}/edit", content_type="multipart/form-data",
                data=with_photos((image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["Old"]))
    photo = db.session.query(MediaFile).one()
    assert photo.proposal_id == proposal.id and stored.count() == 2
    form = client.get(f"/proposals/{proposal.id}/edit").text
    assert 'value="Old"' in form and 'enctype="multipart/form-data"' in form
    response = client.post(f"/proposals/{proposal.id}/edit", data=VALID | {"shown": str(photo.id)})
    assert response.status_code == 303
    assert media_rows() == 0 and stored.count() == 0


def test_content_security_policy_names_the_storage_host(client, stored):
    policy = client.get("/proposals").headers["Content-Security-Policy"]
    images = next(part for part in policy.split("; ") if part.startswith("img-src"))
    if stored.kind == "s3":
        assert images == f"img-src 'self' data: {stored.endpoint}"
    else:
        assert images == "img-src 'self' data:"


def test_pending_uploads_are_forgotten_after_a_day(app, client, login, make_user, stored):
    from datetime import timedelta

    from app.media.tasks import forget_stale_uploads
    from app.timeutil import utcnow

    login(make_user())
    propose(client, (image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["x"], title="short")
    assert media_rows() == 1 and stored.count() == 2
    db.session.commit()  # the job's transaction is its own: this one must not hold the lock
    assert forget_stale_uploads.call_local() == 0  # not a day old yet
    db.session.query(MediaFile).update({"created_at": utcnow() - timedelta(days=1, minutes=1)})
    db.session.commit()
    assert forget_stale_uploads.call_local() == 1
    assert media_rows() == 0 and stored.count() == 0


def test_closing_an_account_deletes_its_photos(client, login, make_user, stored):
    from tests.conftest import PASSWORD

    login(make_user())
    location = propose(client, (image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["x"]).location
    propose(client, (image_bytes("PNG"), "b.png", "image/png"), alts=["y"], title="short")
    assert media_rows() == 2 and stored.count() == 4
    closed = client.post("/account/close", data={"password": PASSWORD, "understood": "y"})
    assert closed.status_code == 303
    assert media_rows() == 0 and stored.count() == 0
    login(make_user(role="staff"))
    assert client.get(location).status_code == 200  # the proposal stays, credited to no one


def test_a_backup_keeps_the_local_photos_and_gives_them_back(app, client, login, make_user,
                                                              tmp_path):
    from pathlib import Path

    from app import backup
    from tests.media.conftest import empty_local

    empty_local(app.config["MEDIA_FOLDER"])  # the local folder, whatever ran before
    login(make_user())
    propose(client, (image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["x"])
    target = tmp_path / "snapshot.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 0 and "Photos copied" in result.output and "(2 files)" in result.output
    folder = Path(app.config["MEDIA_FOLDER"])
    lost = sorted(path for path in folder.rglob("*") if path.is_file())
    for path in lost:
        path.unlink()
    assert backup.copy_files(backup.files_beside(target), folder) == 2
    assert all(path.is_file() for path in lost)
    photo = db.session.query(MediaFile).one()
    assert fetch(client, f"/proposals/{photo.proposal_id}/photos/{photo.id}").status == 200


def test_the_api_lists_public_photos_with_their_descriptions(client, login, make_user,
                                                             make_proposal, stored):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    login(author)
    client.post(f"/proposals/{proposal.id}/edit", content_type="multipart/form-data",
                data=with_photos((image_bytes("JPEG"), "a.jpg", "image/jpeg"),
                                 (image_bytes("PNG"), "b.png", "image/png"),
                                 alts=["Shown", "Hidden later"]))
    client.post("/auth/logout")
    assert client.get(f"/api/v1/proposals/{proposal.id}").status_code == 404  # not public yet
    proposal.status = Status.OPEN.value
    db.session.commit()
    _shown, hidden = db.session.query(MediaFile).order_by(MediaFile.position).all()
    login(make_user(role="staff"))
    client.post(f"/proposals/{proposal.id}/photos/{hidden.id}/hide", data={"hidden": "1"})
    client.post("/auth/logout")
    photos = client.get(f"/api/v1/proposals/{proposal.id}").json["photos"]
    assert [(p["alt"], p["width"], p["height"]) for p in photos] == [("Shown", 64, 48)]
    path = photos[0]["thumbnail_url"].removeprefix("http://127.0.0.1:5000")
    assert fetch(client, path).status == 200


def test_my_data_export_includes_my_photos(client, login, make_user, stored):
    import json
    import zipfile

    login(make_user())
    propose(client, (image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["My photo"])
    photo = db.session.query(MediaFile).one()
    assert client.get("/account/export").json["photos"][0]["alt_text"] == "My photo"
    response = client.get("/account/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("my-data.json"))["photos"][0]["id"] == photo.id
    assert Image.open(io.BytesIO(archive.read(f"photos/{photo.id}.webp"))).format == "WEBP"


def test_a_merge_carries_the_photos_to_the_proposal_it_joins(client, login, make_user,
                                                             make_proposal, stored):
    from app.proposals import lifecycle

    author = make_user()
    source = make_proposal(author=author, status=Status.SUBMITTED)
    target = make_proposal(status=Status.OPEN)
    login(author)
    client.post(f"/proposals/{source.id}/edit", content_type="multipart/form-data",
                data=with_photos((image_bytes("JPEG"), "a.jpg", "image/jpeg"), alts=["Carried"]))
    source.status = Status.OPEN.value
    db.session.commit()
    lifecycle.merge(source, target, by=make_user(role="staff"), note="The same request.")
    db.session.commit()
    client.post("/auth/logout")
    page = client.get(f"/proposals/{target.id}").text
    assert 'alt="Carried"' in page
    assert all(fetch(client, url).status == 200 for url in image_urls(page))


OUTCOME = {"summary": "The east room now opens on Sundays.",
           "indicators-0-name": "Quiet seats", "indicators-0-before": "180",
           "indicators-0-after": "300", "indicators-0-unit": "seats"}
PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def completing(project, client, login):
    from app.proposals.models import Status as ProposalStatus

    project.proposal.status = ProposalStatus.IN_PROGRESS.value
    db.session.commit()
    login(project.lead)
    return lambda document, **fields: client.post(
        f"/projects/{project.id}/complete", content_type="multipart/form-data",
        data=OUTCOME | fields | {"document": (io.BytesIO(document[0]), document[1],
                                              "application/pdf")})


def test_an_outcome_carries_a_pdf_with_its_title(client, login, make_project, stored):
    from app.projects.models import Outcome

    complete = completing(make_project(), client, login)
    assert complete((PDF, "survey.pdf"), document_title="Seat survey, May").status_code == 303
    client.post("/auth/logout")
    page = client.get("/outcomes").text
    link = re.search(r'<a href="([^"]+)" download>Seat survey, May</a>', page)
    assert link and "PDF, 1 KB" in page
    served = fetch(client, link.group(1))
    assert served.status == 200 and served.body == PDF
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert db.session.query(Outcome).count() == 1 and stored.count() == 1


@pytest.mark.parametrize("document, fields, message, held", [
    ((b"<html><script>alert(1)</script></html>", "report.pdf"), {"document_title": "Report"},
     "is not a PDF document", 0),
    ((PDF, "survey.pdf"), {}, "Give the document a title", 1),  # held: only the title to add
])
def test_what_is_not_a_titled_pdf_is_refused_keeping_the_form(client, login, make_project,
                                                              stored, document, fields, message,
                                                              held):
    from app.projects.models import Outcome

    response = completing(make_project(), client, login)(document, **fields)
    assert response.status_code == 422 and message in response.text
    assert "The east room now opens on Sundays." in response.text
    assert db.session.query(Outcome).count() == 0
    assert media_rows() == held and stored.count() == held
