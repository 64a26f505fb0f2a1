def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


def test_pages_render_for_a_visitor(client, make_proposal):
    proposal = make_proposal(title="Quieter evenings on the third floor")
    for url in ("/proposals", f"/proposals/{proposal.id}", "/auth/login", "/auth/register"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Quieter evenings" in client.get("/proposals").text
