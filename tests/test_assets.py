"""Fingerprinted static files (app/assets.py): built with their manifest, used when it exists."""
import hashlib
import shutil

from flask import render_template_string

from app import assets, create_app
from app.extensions import db


def built_copy(tmp_path):
    root = tmp_path / "static"
    shutil.copytree(assets.STATIC, root, ignore=shutil.ignore_patterns(assets.BUILD))
    return root, assets.build(root)


def test_build_copies_each_file_under_a_name_carrying_its_hash(tmp_path):
    root, manifest = built_copy(tmp_path)
    css = (root / "css/commons.css").read_bytes()
    fingerprinted = manifest["css/commons.css"]
    assert fingerprinted == f"build/css/commons.{hashlib.sha256(css).hexdigest()[:12]}.css"
    assert (root / fingerprinted).read_bytes() == css
    assert (root / "build/manifest.json").is_file()
    assert not any(name.startswith("build/") for name in manifest)


def test_a_changed_file_gets_a_new_name_and_the_old_one_stays(tmp_path):
    root, before = built_copy(tmp_path)
    (root / "js/commons.js").write_text("// changed\n")
    after = assets.build(root)
    assert after["js/commons.js"] != before["js/commons.js"]
    assert (root / before["js/commons.js"]).exists()  # pages of a host not yet restarted
    assert after["css/commons.css"] == before["css/commons.css"]


def test_url_for_gives_fingerprinted_names_when_the_manifest_exists(tmp_path, database_url):
    root, manifest = built_copy(tmp_path)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "STATIC_MANIFEST": str(root / "build/manifest.json")})
    with app.test_request_context():
        page = render_template_string(
            "{{ url_for('static', filename='css/commons.css') }} "
            "{{ url_for('static', filename='not/in/manifest.txt') }}")
        db.engine.dispose()
    assert page == f"/static/{manifest['css/commons.css']} /static/not/in/manifest.txt"


def test_without_a_manifest_plain_names_are_served(client):
    page = client.get("/auth/login").text
    assert 'href="/static/css/commons.css"' in page
    assert client.get("/static/css/commons.css").status_code == 200
