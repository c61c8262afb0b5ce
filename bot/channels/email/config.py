"""OUTREACH_SMTP_URL read into an SmtpConfig, refusing what would send a password in clear.

Error messages never repeat the URL: it holds a password.
"""

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["DEFAULT_PORTS", "SmtpConfig", "TlsMode", "is_loopback"]

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class TlsMode(StrEnum):
    IMPLICIT = "implicit"  # smtps://: TLS from the first byte
    STARTTLS = "starttls"  # smtp:// that must upgrade, or fail
    OPPORTUNISTIC = "opportunistic"  # smtp:// that upgrades when the server offers it
    NONE = "none"  # smtp://...?starttls=never: plaintext (no credentials, or loopback only)


_URL_HINT = "percent-encode / ? # @ : and % in the user name and password"


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: TlsMode
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @classmethod
    def from_url(cls, url: str) -> "SmtpConfig":
        """Parse OUTREACH_SMTP_URL. Error messages never repeat the URL (it holds a password).

        smtp://user:pass@host:587 upgrades with STARTTLS; when it carries credentials for a
        host other than loopback the upgrade is mandatory (the password never goes out in
        clear). ?starttls=required makes it mandatory for any host, ?starttls=never turns
        it off (refused with credentials, except on loopback). smtps://user:pass@host:465
        is TLS from the start.
        """
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise ValueError(
                f"SMTP URL is malformed (is the port a number?); {_URL_HINT}"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ValueError("SMTP URL must start with smtp:// or smtps://")
        if not parts.hostname:
            raise ValueError("SMTP URL has no host name")
        if parts.path not in ("", "/") or parts.fragment:
            raise ValueError(f"SMTP URL has unexpected text after the host; {_URL_HINT}")
        if port == 0:
            raise ValueError("SMTP URL port must be from 1 to 65535")
        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if bool(username) != (password is not None):
            raise ValueError("SMTP URL must give both a user name and a password, or neither")
        host = parts.hostname
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - {"starttls"})
        if unknown:
            raise ValueError(f"SMTP URL has unknown options: {', '.join(unknown)} "
                             "(only starttls=auto|required|never is known)")
        starttls = options.get("starttls", "auto").lower()
        if starttls not in ("auto", "required", "never"):
            raise ValueError("SMTP URL: starttls must be auto, required or never")
        if scheme == "smtps":
            if starttls != "auto":
                raise ValueError("SMTP URL: smtps:// is TLS from the start; drop ?starttls=")
            tls = TlsMode.IMPLICIT
        elif starttls == "required" or (
            starttls == "auto" and username and not is_loopback(host)
        ):
            tls = TlsMode.STARTTLS
        elif starttls == "never":
            tls = TlsMode.NONE
        else:
            tls = TlsMode.OPPORTUNISTIC
        config = cls(host=host, port=port or DEFAULT_PORTS[scheme], tls=tls,
                     username=username or None, password=password if username else None)
        config.check()
        return config

    def check(self) -> None:
        """Refuse a configuration that would send the password unencrypted off this host."""
        if self.username and self.tls is TlsMode.NONE and not self.loopback:
            raise ValueError(
                "SMTP URL would send the password unencrypted to a host other than loopback: "
                "use smtps://, or smtp:// without ?starttls=never"
            )
