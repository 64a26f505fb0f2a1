from flask import Flask, Response, redirect, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def see_other(url: str) -> Response:
    """After a POST that worked: 303 to the page. htmx is told HX-Redirect instead, so the
    browser loads the page itself (its request would follow a 303 unseen, taking the flash)."""
    if is_htmx():
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url, code=303)


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        response.vary.add("HX-Request")
        return response
