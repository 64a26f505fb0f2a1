"""The W3C Nu Html Checker (vnu-jar from npm, pinned in package.json) as an HTTP service on a
loopback port: one JVM for the whole run, each page POSTed to it."""
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" \
    / "vnu.jar"
STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NuChecker:
    def __init__(self) -> None:
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("the Nu Html Checker needs Java (Debian: apt-get install -y "
                               "default-jre-headless; .ci/run installs it)")
        if not VNU_JAR.exists():
            raise RuntimeError(f"{VNU_JAR} is missing: run `make setup` (npm ci)")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/?out=json&level=error"
        self.process = subprocess.Popen(
            [java, "-Xss1m", "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Nu Html Checker exited with {self.process.returncode}")
            try:
                self.messages("<!doctype html><html lang=en><title>t</title></html>")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        self.close()
        raise RuntimeError(f"the Nu Html Checker did not answer within {STARTUP_SECONDS} s")

    def messages(self, html: str) -> list[dict]:
        request = urllib.request.Request(  # noqa: S310 - our own http:// loopback address
            self.url, data=html.encode("utf-8"), method="POST",
            headers={"Content-Type": "text/html; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - the same
            return json.load(answer)["messages"]

    def errors(self, html: str) -> list[dict]:
        """Errors only (warnings are "info"); a message about the check itself counts too."""
        return [m for m in self.messages(html) if m.get("type") != "info"]

    def report(self, html: str, where: str) -> str:
        """"" when the page is valid, else each error with its line and extract."""
        errors = self.errors(html)
        if not errors:
            return ""
        lines = [f"{len(errors)} HTML error(s) on {where}:"]
        for error in errors:
            line = error.get("lastLine", error.get("firstLine", "?"))
            lines.append(f"- line {line}: {error.get('message')}")
            if error.get("extract"):
                lines.append(f"    {error['extract'].strip()!r}")
        return "\n".join(lines)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
