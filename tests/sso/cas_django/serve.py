"""`python -m tests.sso.cas_django.serve PORT SERVICES_JSON`: migrates the CAS server's
database, registers the services (django-cas-server's ServicePattern, with the attributes each
may receive), then serves django-cas-server on 127.0.0.1:PORT and prints "ready"."""
import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.cas_django.settings"

import django  # noqa: E402 - after its settings module is named

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def register(services: list[dict]) -> None:
    for position, service in enumerate(services, start=1):
        pattern = ServicePattern.objects.create(
            pos=position, name=service["name"], pattern=service["pattern"],
            single_log_out=service.get("single_log_out", False))
        for attribute in service.get("attributes", []):
            ReplaceAttributName.objects.create(name=attribute, service_pattern=pattern)


def main(port: int, services: list[dict]) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    register(services)
    with make_server("127.0.0.1", port, get_wsgi_application(),
                     server_class=ThreadingServer, handler_class=QuietHandler) as server:
        print("ready", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), json.loads(sys.argv[2]))
