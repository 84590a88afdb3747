"""Many e-mails from one template, cheaply (the batched notices, ``scheduling.notices``).

Rendering a Django template and building a MIME message with Python's ``email`` package cost
about 0.3 ms and 2 ms of CPU per message; at 100 000 reminders that is minutes. So, for a batch:

- **Rendered once per language** (``BatchRenderer``): the values that differ from recipient to
  recipient (the application, its link, the recipient) are declared as *slots*; the templates are
  rendered once per language and group of equal other values with a marker in each slot's place,
  and each recipient's text is that skeleton with their values put in, escaped where the template
  escaped the marker. Slots may only be printed as they are (``{{ application }}``,
  ``{{ application.organisation.name }}``), not filtered or compared: to catch a template that does,
  the first recipient of every group is also rendered the ordinary way and compared; on any
  difference the group is rendered per recipient, as before.
- **Built as bytes** (``WireMessage``): the headers that are the same for every message (From,
  MIME-Version, Content-Type, Content-Language) are encoded once per language; per message only
  Subject (RFC 2047 encoded words), To, Date, Message-ID and the UTF-8 body, base64 in lines of 76
  (in C) are written. The result parses as what Django's SMTP backend would send for the same
  ``EmailMessage`` (``tests/test_mailbatch.py`` parses both and compares them). Django's would be
  quoted-printable here; base64 is as valid and has fewer lines, each of which costs the mail
  server (aiosmtpd reads a message line by line: a quarter less CPU there per reminder).
"""

import re
import smtplib
import uuid
from base64 import b64encode, encodebytes
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template import Context
from django.template.base import Variable, render_value_in_context
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.timezone import get_current_timezone

from .emails import TemplatedEmail
from .language import is_supported

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: never in a template's own text
_MARKER = re.compile(f"{_OPEN}(\\d+)(&|&amp;){_CLOSE}")


class _Slot:
    """Stands in for a per-recipient value while a skeleton is rendered: printed, it is a marker
    (its ``&`` shows whether the template escaped it); an attribute of it is a slot too."""

    def __init__(self, paths: list[str], path: str):
        self._paths, self._path = paths, path
        self._index = len(paths)
        paths.append(path)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # __html__, _meta …: a slot is plain text, not a model or safe string
            raise AttributeError(name)
        child = _Slot(self._paths, f"{self._path}.{name}")
        object.__setattr__(self, name, child)
        return child

    def __str__(self):
        return f"{_OPEN}{self._index}&{_CLOSE}"


class _Skeleton:
    """A rendered text with markers: its literal parts and, between them, (slot path, escaped)."""

    def __init__(self, text: str, paths: list[str]):
        self.parts: list[str] = []
        self.holes: list[tuple[Variable, bool]] = []
        position = 0
        for match in _MARKER.finditer(text):
            self.parts.append(text[position : match.start()])
            self.holes.append((Variable(paths[int(match.group(1))]), match.group(2) == "&amp;"))
            position = match.end()
        self.parts.append(text[position:])

    def fill(self, context: dict, plain: Context) -> str:
        out = [self.parts[0]]
        for (variable, escaped), part in zip(self.holes, self.parts[1:], strict=True):
            value = render_value_in_context(variable.resolve(context), plain)
            out.append(conditional_escape(value) if escaped else value)
            out.append(part)
        return "".join(out)


def _group_key(value):
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return (value._meta.label, value.pk)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class BatchRenderer:
    """``TemplatedEmail`` for many recipients: ``render`` gives (language, subject, body) for each
    context; ``slots`` are the context names that differ per recipient (see the module)."""

    def __init__(self, templates: TemplatedEmail, slots: Iterable[str] = ()):
        self.templates = templates
        self.slots = frozenset(slots)

    def render(self, items: list[tuple[str | None, dict]]) -> list[tuple[str, str, str]]:
        """``items``: (language, context) per recipient. Returns (language, subject, body) each, in
        order. An HTML alternative (``body.html``) is not supported: use ``TemplatedEmail``."""
        if self.templates.html is not None:
            raise ValueError("A batch has plain-text messages only.")
        groups: dict[tuple, list[int]] = {}
        languages = []
        for i, (language, context) in enumerate(items):
            language = language if is_supported(language or "") else settings.LANGUAGE_CODE
            languages.append(language)
            if not self.slots:
                groups[(i,)] = [i]
                continue
            key = tuple(sorted((k, _group_key(v)) for k, v in context.items() if k not in self.slots))
            groups.setdefault((language, key), []).append(i)
        out: list[tuple[str, str, str] | None] = [None] * len(items)
        plain = Context(autoescape=False)
        for members in groups.values():
            language = languages[members[0]]
            with translation.override(language):
                if len(members) == 1:
                    out[members[0]] = (language, *self._render_one(items[members[0]][1]))
                    continue
                paths: list[str] = []
                sample = items[members[0]][1]
                context = {k: (_Slot(paths, k) if k in self.slots else v) for k, v in sample.items()}
                subject, body = (_Skeleton(text, paths) for text in self._render_one(context))
                first = (" ".join(subject.fill(sample, plain).split()), body.fill(sample, plain))
                if first != self._render_one(sample):  # a slot was used otherwise than printed
                    for i in members:
                        out[i] = (language, *self._render_one(items[i][1]))
                    continue
                for i in members:
                    context = items[i][1]
                    out[i] = (language, " ".join(subject.fill(context, plain).split()), body.fill(context, plain))
        return out  # type: ignore[return-value]

    def _render_one(self, context: dict) -> tuple[str, str]:
        return " ".join(self.templates.subject.render(context).split()), self.templates.body.render(context)


def message(*, language: str, subject: str, body: str, to: str) -> EmailMultiAlternatives:
    """The ``EmailMessage`` ``TemplatedEmail.message`` would make (for a backend that is not SMTP)."""
    return EmailMultiAlternatives(subject, body, to=[to], headers={"Content-Language": language})


_LEADING_DOT = re.compile(rb"(?m)^\.")
_SIMPLE_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 base64 encoded words (UTF-8) of at most 75 characters, on folded lines."""
    data, words, start = text.encode(), [], 0
    while start < len(data):
        end = min(start + 45, len(data))  # 45 bytes: 60 base64 characters + 12 of =?utf-8?b?…?= ≤ 75
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        words.append(f"=?utf-8?b?{b64encode(data[start:end]).decode('ascii')}?=")
        start = end
    return "\r\n ".join(words)


def encode_header(name: str, value: str) -> bytes:
    """One header line (CRLF-terminated): as it is when ASCII and short, encoded words otherwise."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in the {name} header")
    if value.isascii() and len(name) + 2 + len(value) <= 78:
        return f"{name}: {value}\r\n".encode("ascii")
    if value.isascii():  # long: fold at spaces (RFC 5322 2.2.3)
        lines, line = [], f"{name}:"
        for word in value.split(" "):
            if len(line) + 1 + len(word) > 78 and line != f"{name}:":
                lines.append(line)
                line = ""
            line += f" {word}"
        lines.append(line)
        return ("\r\n".join(lines) + "\r\n").encode("ascii")
    return f"{name}: {_encoded_words(value)}\r\n".encode("ascii")


class WireMessages:
    """Messages as the bytes Django's SMTP backend would send, built cheaply (see the module).
    ``build`` returns None for a message it leaves to Django (a non-ASCII address)."""

    def __init__(self, connection: SMTPBackend, from_email: str | None = None):
        from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.envelope_from = connection.prep_address(from_email)
        self.tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
        self._from = encode_header("From", sanitize_address(from_email, settings.DEFAULT_CHARSET)
                                   if not from_email.isascii() else from_email)  # fmt: skip
        self._static: dict[str, tuple[bytes, bytes]] = {}
        self._ids = f"{uuid.uuid4().int:x}.{{}}@{DNS_NAME}"
        self._count = 0
        self._date = (0, b"")
        self._subjects: dict[str, bytes] = {}  # a batch's subjects repeat: the same call, three languages

    def _static_headers(self, language: str) -> tuple[bytes, bytes]:
        if language not in self._static:
            self._static[language] = (
                (
                    b'Content-Type: text/plain; charset="utf-8"\r\n'
                    b"Content-Transfer-Encoding: base64\r\n"
                    b"MIME-Version: 1.0\r\n"
                ),
                encode_header("Content-Language", language),
            )
        return self._static[language]

    def _date_header(self) -> bytes:
        now = datetime.now(self.tz)
        second = int(now.timestamp())
        if self._date[0] != second:
            self._date = (second, f"Date: {format_datetime(now)}\r\n".encode("ascii"))
        return self._date[1]

    def _subject(self, subject: str) -> bytes:
        if subject not in self._subjects:
            if len(self._subjects) > 1000:
                self._subjects.clear()
            self._subjects[subject] = encode_header("Subject", subject)
        return self._subjects[subject]

    def send(self, connection: smtplib.SMTP, to: str, message: bytes) -> None:
        """``smtplib.SMTP.sendmail`` for one prebuilt ASCII message to one simple address, without
        its address parsing, raising as ``sendmail`` does. When the server offers PIPELINING
        (RFC 2920; Postfix and the large providers do) MAIL, RCPT and DATA go in one write: two
        round trips per message instead of four."""
        connection.ehlo_or_helo_if_needed()
        if not connection.has_extn("pipelining"):
            self._reply(connection, connection.docmd("mail", f"FROM:<{self.envelope_from}>"), to, "mail")
            self._reply(connection, connection.docmd("rcpt", f"TO:<{to}>"), to, "rcpt")
            self._reply(connection, connection.data(message), to, "end")
            return
        connection.send(f"MAIL FROM:<{self.envelope_from}>\r\nRCPT TO:<{to}>\r\nDATA\r\n")
        replies = [connection.getreply() for _ in range(3)]
        if replies[2][0] != 354:
            for reply, step in zip(replies, ("mail", "rcpt", "data"), strict=True):
                self._reply(connection, reply, to, step)
        elif replies[0][0] != 250 or replies[1][0] not in (250, 251):  # DATA taken without a recipient
            connection.send(b".\r\n")
            connection.getreply()
            for reply, step in zip(replies[:2], ("mail", "rcpt"), strict=True):
                self._reply(connection, reply, to, step)
        body = _LEADING_DOT.sub(b"..", message)
        connection.send(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        self._reply(connection, connection.getreply(), to, "end")

    def _reply(self, connection: smtplib.SMTP, reply: tuple[int, bytes], to: str, step: str) -> None:
        code, response = reply
        if code in {"mail": (250,), "rcpt": (250, 251), "data": (354,), "end": (250,)}[step]:
            return
        connection._rset()
        if step == "mail":
            raise smtplib.SMTPSenderRefused(code, response, self.envelope_from)
        if step == "rcpt":
            raise smtplib.SMTPRecipientsRefused({to: (code, response)})
        raise smtplib.SMTPDataError(code, response)

    def build(self, *, language: str, subject: str, body: str, to: str) -> bytes | None:
        if not _SIMPLE_ADDRESS.fullmatch(to):
            return None
        self._count += 1
        top, language_header = self._static_headers(language)
        body_bytes = body.replace("\r\n", "\n").replace("\n", "\r\n").encode()
        if not body_bytes.endswith(b"\r\n"):
            body_bytes += b"\r\n"
        return b"".join((
            top, self._subject(subject), self._from, b"To: ", to.encode("ascii"), b"\r\n",
            self._date_header(), b"Message-ID: <", self._ids.format(self._count).encode("ascii"), b">\r\n",
            language_header, b"\r\n", encodebytes(body_bytes).replace(b"\n", b"\r\n"),
        ))  # fmt: skip
