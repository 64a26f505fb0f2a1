"""Uploads are limited per patron: every post that carries files counts, refused or not."""
import io

from app.extensions import db
from app.media.models import MediaFile
from tests.media.conftest import image_bytes
from tests.media.test_uploads import VALID
from tests.test_rate_limits import assert_friendly_429, limits_on  # noqa: F401 - a fixture


def test_posts_carrying_photos_are_limited(client, login, make_user, limits_on):  # noqa: F811
    limits_on("UPLOADS", "2 per hour")
    login(make_user())

    def with_a_photo():
        return VALID | {"title": "short", "photo_alt": "x",
                        "photos": (io.BytesIO(image_bytes("PNG")), "a.png", "image/png")}

    for _ in range(2):  # refused for the title, yet the photos were stored: they count
        response = client.post("/proposals/new", data=with_a_photo(),
                               content_type="multipart/form-data")
        assert response.status_code == 422
    assert_friendly_429(client.post("/proposals/new", data=with_a_photo(),
                                    content_type="multipart/form-data"))
    assert db.session.query(MediaFile).count() == 2
    held = [str(photo.id) for photo in db.session.query(MediaFile)]
    done = client.post("/proposals/new", data=VALID | {"shown": held, "keep": held})
    assert done.status_code == 303  # what was held is used without uploading again
