"""An alert's e-mail digest (smtplib, email.message): its new matches, one line and link each.

SMTP settings come from the environment (KURULTAI_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM,
_STARTTLS) or the command line; without a host no mail is sent.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


class MailError(Exception):
    """The digest could not be handed to the SMTP server; says why."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "kurultai@localhost"
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_env(cls, **given) -> "Settings | None":
        """Settings from KURULTAI_SMTP_* where `given` does not set them; None without a host."""
        env = os.environ.get
        host = given.get("host") or env("KURULTAI_SMTP_HOST")
        if not host:
            return None
        port = given.get("port") or env("KURULTAI_SMTP_PORT") or 587
        starttls = given.get("starttls")
        if starttls is None:
            starttls = env("KURULTAI_SMTP_STARTTLS", "1").lower() not in ("0", "no", "false", "off")
        return cls(host=host, port=int(port), user=given.get("user") or env("KURULTAI_SMTP_USER"),
                   password=given.get("password") or env("KURULTAI_SMTP_PASSWORD"),
                   sender=given.get("sender") or env("KURULTAI_SMTP_FROM") or "kurultai@localhost", starttls=starttls)


def digest(settings: Settings, alert, found: list[dict], base_url: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"kurultai: {len(found)} new for {alert.describe()}"[:200]
    message["From"] = settings.sender
    message["To"] = alert.email
    base = base_url.rstrip("/")
    lines = [f"{len(found)} new document{'s' if len(found) != 1 else ''} match your alert {alert.describe()}:", ""]
    for m in found:
        date = m.get("page_date") or m.get("published") or ""
        lines.append(f"- {' '.join((m.get('title') or m.get('source') or '').split())} {date}".rstrip())
        lines.append(f"  {base}/doc/{m['id']}" + (f"  (from {m['url']})" if m.get("url") else ""))
    lines += ["", f"The same as a feed: {base}/alerts/{alert.id}.atom?token={alert.token}",
              "Stop it: kurultai alert remove " + str(alert.id)]
    message.set_content("\n".join(lines))
    return message


def send_digest(settings: Settings, alert, found: list[dict], base_url: str) -> None:
    message = digest(settings, alert, found, base_url)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{settings.host}:{settings.port}: {exc}") from None
