"""What every answer of the service's HTTP endpoint carries, and what its logs leave out.

Headers (SafeHeaders, the base of every handler of ours, the 404 of unknown paths too):
    X-Content-Type-Options: nosniff      a browser takes the page for what we say it is
    Referrer-Policy: no-referrer         a signed link never leaks to another site
    Cache-Control: no-store              a shared computer's cache keeps no PoC's page
    Content-Security-Policy              nothing loads but the pages' one style sheet
                                         (templates/web/page.css.j2, allowed by its hash)
                                         and their icon, a data: URI inside the page;
                                         no framing; forms post back here only
    no Server header                     the version helps only an attacker

Logs: a signed link is a key (whoever holds it can unsubscribe or answer for a PoC), so a
logged path has its signature cut out (`loggable_path`), and an uncaught error is logged
with that path, not with tornado's dump of the request.
"""

import base64
import hashlib
import re
from functools import cache
from types import TracebackType

from tornado.httputil import HTTPServerRequest
from tornado.log import app_log, gen_log
from tornado.web import HTTPError, RequestHandler

from bot.render.templates import environment

__all__ = ["PAGE_CSS", "NotFoundHandler", "SafeHeaders", "content_security_policy",
           "loggable_path"]

PAGE_CSS = "web/page.css.j2"  # included in every page as its one <style> element

# A link's signature is 32 hex digits; a mistyped or cut one still gives most of it away.
_SIGNATURE_LIKE = re.compile(r"[0-9A-Fa-f]{16,}")


@cache
def content_security_policy() -> str:
    """The CSP of every answer: the pages' style sheet is allowed by its SHA-256 (CSP 3),
    so no inline style or script anyone could inject would run."""
    css = environment().get_template(PAGE_CSS).render()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
            "frame-ancestors 'none'; "
            "form-action 'self'; base-uri 'none'")


def loggable_path(request: HTTPServerRequest) -> str:
    """The request's path without its query and with anything like a signature cut out:
    the route and the ids stay readable."""
    return _SIGNATURE_LIKE.sub("<signature>", request.path)


class SafeHeaders(RequestHandler):
    def set_default_headers(self) -> None:
        # tornado sets Server before this runs, and again on every error page: cleared here
        self.clear_header("Server")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", content_security_policy())

    def _request_summary(self) -> str:
        return f"{self.request.method} {loggable_path(self.request)} ({self.request.remote_ip})"

    def log_exception(self, typ: type[BaseException] | None, value: BaseException | None,
                      tb: TracebackType | None) -> None:
        # tornado's own would log repr(request): the whole URL, signature included
        if isinstance(value, HTTPError):
            if value.log_message:  # as tornado's, with our summary of the request
                gen_log.warning("%d %s: " + value.log_message, value.status_code,
                                self._request_summary(), *value.args)
            return
        if typ is not None and value is not None:
            app_log.error("Uncaught exception %s", self._request_summary(),
                          exc_info=(typ, value, tb))


class NotFoundHandler(SafeHeaders):
    """Any path of no route: tornado's 404, with our headers."""

    def prepare(self) -> None:
        raise HTTPError(404)
