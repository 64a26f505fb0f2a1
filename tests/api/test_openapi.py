"""The OpenAPI document describes every path, and real responses match its schemas."""
import json
import re

import pytest
from jsonschema import Draft202012Validator

from app.api import params
from tests.api.test_proposals import get_json


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.data)  # valid JSON, whatever the client library thinks


def validator(document, name):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_it_is_openapi_3_1_with_every_api_path(app, document):
    assert document["openapi"].startswith("3.1")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert set(document["paths"]) == routes
    for path, operations in document["paths"].items():
        assert set(operations) == {"get"}, path
        for name in re.findall(r"{(\w+)}", path):
            assert name in {p["name"] for p in operations["get"]["parameters"]}


def test_every_schema_is_valid_json_schema(document):
    for name in document["components"]["schemas"]:
        validator(document, name)


def test_listing_parameters_are_documented(document):
    for path, query in [("/api/v1/proposals", {"q", "category", "branch", "status", "sort",
                                               "call"}),
                        ("/api/v1/outcomes", {"category", "branch", "year"}),
                        ("/api/v1/projects", {"status", "category", "branch"}),
                        ("/api/v1/calls", set())]:
        documented = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert documented == query | {"limit", "cursor"}


def test_real_responses_match_the_schemas(client, world, document):
    pages = [("/api/v1/proposals?limit=2", "ProposalPage"), ("/api/v1/outcomes", "OutcomePage"),
             ("/api/v1/projects", "ProjectPage"),
             (f"/api/v1/proposals/{world['open'].id}", "Proposal"),
             (f"/api/v1/proposals/{world['anonymous'].id}", "Proposal"),
             (f"/api/v1/proposals/{world['outcome'].proposal_id}", "Proposal"),
             ("/api/v1/proposals?limit=abc", "Error"), ("/api/v1/proposals/999999", "Error")]
    for url, schema in pages:
        body = client.get(url).get_json()
        errors = [error.message for error in validator(document, schema).iter_errors(body)]
        assert not errors, (url, errors)
    page = get_json(client, "/api/v1/proposals?limit=2")
    assert page["next"] and page["items"][0]["category"]["name_zh"]


def parameter(document, path: str, name: str) -> dict:
    (found,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


@pytest.mark.parametrize("path, name", [
    (path, name) for path in ("/api/v1/proposals", "/api/v1/outcomes", "/api/v1/projects")
    for name in ("category", "branch", "cursor")] + [("/api/v1/proposals", "q")])
def test_text_parameters_state_what_the_server_accepts(document, path, name):
    declared = parameter(document, path, name)
    assert declared["type"] == "string" and declared["pattern"] == params.PRINTABLE
    assert declared["maxLength"] == {"cursor": params.MAX_CURSOR, "q": params.MAX_TEXT}.get(
        name, params.MAX_SLUG)


SAMPLES = ["spaces", "座位 不够", "a b", "", "x\x00", "\t", "x\n", "\x7f", "\x85x", "\x9f",
           "\u3000座位", "\u200b", "\u00a0", "😀"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[repr(s) for s in SAMPLES])
def test_the_printable_pattern_and_the_server_agree(client, document, sample):
    """The pattern as JSON Schema reads it, and the server's answer to the same text. (Its `$` is
    ECMA-262's, the end of the text; Python's re.search also lets it match before a final
    newline, re.fullmatch does not.)"""
    fits = re.fullmatch(parameter(document, "/api/v1/proposals", "q")["pattern"], sample) is not None
    response = client.get("/api/v1/proposals", query_string={"q": sample})
    assert response.status_code == (200 if fits else 400), response.text
    assert fits == (not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in sample))


@pytest.mark.parametrize("query, sort", [("", "trending"), ("?sort=newest", "newest")])
def test_an_absent_sort_is_the_default_and_an_empty_one_is_refused(client, make_proposal, query,
                                                                   sort):
    make_proposal()
    assert client.get(f"/api/v1/proposals{query}").status_code == 200
    refused = client.get("/api/v1/proposals?sort=")
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "sort"
    assert parameter(client.get("/api/v1/openapi.json").get_json(), "/api/v1/proposals",
                     "sort")["default"] == "trending"
