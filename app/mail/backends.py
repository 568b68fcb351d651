"""Where messages go: an ``.eml`` file per message (the embedded default) or an SMTP server.

A backend is opened once per sending run (one SMTP connection for the whole
run), sends messages one by one, and is closed. Failures are raised as
:class:`MailError` with a French text; ``connection`` tells a server that
cannot be reached (nothing was handed over: the messages simply wait) from a
message the server refused (``permanent`` for a 5xx answer: retrying is useless).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.header import Header
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from pathlib import Path

SECURITIES = ("starttls", "ssl", "none")


class MailError(Exception):
    """A send that failed, explained in French."""

    def __init__(self, text: str, *, connection: bool = False, permanent: bool = False):
        super().__init__(text)
        self.connection = connection
        self.permanent = permanent


def sender_address(value: str) -> Address:
    """``"OCCE 02 <ad02@occe.coop>"`` as an Address (raises ValueError in French)."""
    found = getaddresses([value or ""])
    name, addr = found[0] if found else ("", "")
    if not addr or "@" not in addr:
        raise ValueError(f"Adresse d'expédition invalide « {value} » (OCCE_MAIL_FROM), par exemple : OCCE 02 <ad02@occe.coop>.")
    username, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


#: headers are stored pre-encoded (RFC 2047 words, ASCII) with ``set_raw`` and written as they are:
#: the header registry would parse then refold each one, three times slower for a mailing
MESSAGE_POLICY = policy.SMTP.clone(refold_source="none")


def _encoded_address(name: str, addr_spec: str) -> str:
    return formataddr((" ".join((name or "").split()), addr_spec), charset="utf-8")


def _encoded_text(value: str, header_name: str) -> str:
    value = " ".join(value.split())  # one line: no header injection
    return Header(value, "us-ascii" if value.isascii() else "utf-8", header_name=header_name).encode()


def build_message(*, sender: Address, to_email: str, to_name: str, subject: str, body_text: str, body_html: str | None, message_id: int | None = None) -> EmailMessage:
    """An RFC 5322 message; non-ASCII headers (names, subjects) are encoded as UTF-8 words, bodies in UTF-8.

    Raises ValueError for an address that cannot be written (not ASCII, no domain).
    """
    if not to_email.isascii() or "@" not in to_email or any(char in to_email for char in " \r\n<>,;"):
        raise ValueError(f"adresse « {to_email} » invalide")
    message = EmailMessage(policy=MESSAGE_POLICY)
    message.set_raw("From", _encoded_address(sender.display_name, sender.addr_spec))
    message.set_raw("To", _encoded_address(to_name, to_email))
    message.set_raw("Subject", _encoded_text(subject, "Subject"))
    message.set_raw("Date", formatdate(localtime=True))
    message.set_raw("Message-ID", make_msgid(idstring=f"occe{message_id}" if message_id else None, domain=sender.domain))
    if message_id is not None:
        message.set_raw("X-OCCE-Outbox-Id", str(message_id))
    # quoted-printable: plain ASCII on the wire, whatever the server's 8BITMIME support
    message.set_content(body_text, charset="utf-8", cte="quoted-printable")
    if body_html:
        message.add_alternative(body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


class FileBackend:
    """Writes each message as ``<folder>/<date>-<id>.eml``: nothing leaves the machine."""

    name = "file"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MailError(f"Dossier des courriels inaccessible ({self.folder}) : {exc.strerror or exc}.", connection=True) from exc

    def send(self, message: EmailMessage, outbox_id: int | None = None) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{outbox_id or make_msgid().strip('<>').split('@')[0]}.eml"
        try:
            path.write_bytes(message.as_bytes())
        except OSError as exc:
            raise MailError(f"Écriture impossible de {path.name} : {exc.strerror or exc}.", connection=True) from exc

    def close(self) -> None:
        """Nothing stays open: each mail is a file written and closed at once."""


def _server_text(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return " ".join(text.split())


class SmtpBackend:
    """One SMTP connection per run: STARTTLS, implicit TLS (``ssl``) or plain, with an optional login."""

    name = "smtp"

    def __init__(self, host: str, port: int, *, security: str = "starttls", user: str = "", password: str = "", timeout: float = 20):
        if security not in SECURITIES:
            raise ValueError(f"Sécurité SMTP inconnue « {security} » (OCCE_MAIL_SMTP_SECURITY : {', '.join(SECURITIES)}).")
        self.host, self.port, self.security = host, int(port), security
        self.user, self.password, self.timeout = user, password, timeout
        self.connection: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def open(self) -> None:
        context = ssl.create_default_context()
        try:
            if self.security == "ssl":
                self.connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                self.connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    self.connection.starttls(context=context)
            if self.user:
                self.connection.login(self.user, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise MailError(f"Le serveur de courriel {self.where} refuse l'identifiant ou le mot de passe (code {exc.smtp_code}).", connection=True) from exc
        except smtplib.SMTPNotSupportedError as exc:
            self._drop()
            raise MailError(f"Le serveur de courriel {self.where} ne propose pas STARTTLS (ou la connexion) : vérifiez OCCE_MAIL_SMTP_SECURITY.", connection=True) from exc
        except ssl.SSLError as exc:
            self._drop()
            raise MailError(f"Échec du chiffrement TLS avec {self.where} : {exc.reason or exc}.", connection=True) from exc
        except (socket.timeout, TimeoutError) as exc:
            self._drop()
            raise MailError(f"Le serveur de courriel {self.where} ne répond pas (délai dépassé).", connection=True) from exc
        except smtplib.SMTPException as exc:
            self._drop()
            raise MailError(f"Le serveur de courriel {self.where} a refusé la connexion : {exc}.", connection=True) from exc
        except ConnectionRefusedError as exc:
            self._drop()
            raise MailError(f"Serveur de courriel injoignable ({self.where}) : connexion refusée, le serveur est arrêté ou l'adresse est fausse.", connection=True) from exc
        except socket.gaierror as exc:
            self._drop()
            raise MailError(f"Serveur de courriel introuvable : le nom « {self.host} » n'existe pas (OCCE_MAIL_SMTP_HOST).", connection=True) from exc
        except OSError as exc:
            self._drop()
            raise MailError(f"Serveur de courriel injoignable ({self.where}) : {exc.strerror or exc}.", connection=True) from exc

    def send(self, message: EmailMessage, outbox_id: int | None = None) -> None:
        if self.connection is None:
            raise MailError("Connexion au serveur de courriel fermée.", connection=True)
        try:
            self.connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
            raise MailError(f"Adresse refusée par le serveur (code {code} : {' '.join(text.split())}).", permanent=code >= 500) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise MailError(f"Adresse d'expédition refusée par le serveur (code {exc.smtp_code} : {_server_text(exc)}).", permanent=exc.smtp_code >= 500) from exc
        except smtplib.SMTPDataError as exc:
            raise MailError(f"Message refusé par le serveur (code {exc.smtp_code} : {_server_text(exc)}).", permanent=exc.smtp_code >= 500) from exc
        except smtplib.SMTPServerDisconnected as exc:
            self.connection = None
            raise MailError(f"Le serveur de courriel {self.where} a coupé la connexion.", connection=True) from exc
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"Réponse inattendue du serveur (code {exc.smtp_code} : {_server_text(exc)}).", permanent=exc.smtp_code >= 500) from exc
        except (socket.timeout, TimeoutError) as exc:
            self._drop()
            raise MailError(f"Le serveur de courriel {self.where} ne répond plus (délai dépassé).", connection=True) from exc
        except OSError as exc:
            self._drop()
            raise MailError(f"Connexion perdue avec le serveur de courriel {self.where} : {exc.strerror or exc}.", connection=True) from exc

    def _drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except OSError:
                pass  # the connection is being dropped anyway
        self.connection = None

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            pass  # a server that hangs up first has already ended the session
        self._drop()


def backend_from_config(config, instance_path: str | Path):
    """The backend named by ``OCCE_MAIL_BACKEND`` (raises ValueError in French for an unknown one)."""
    name = (config.get("OCCE_MAIL_BACKEND") or "file").strip().lower()
    if name == "file":
        return FileBackend(Path(instance_path) / "mail")
    if name == "smtp":
        return SmtpBackend(
            config.get("OCCE_MAIL_SMTP_HOST", "localhost"),
            int(config.get("OCCE_MAIL_SMTP_PORT", 587)),
            security=(config.get("OCCE_MAIL_SMTP_SECURITY") or "starttls").strip().lower(),
            user=config.get("OCCE_MAIL_SMTP_USER", ""),
            password=config.get("OCCE_MAIL_SMTP_PASSWORD", ""),
            timeout=float(config.get("OCCE_MAIL_SMTP_TIMEOUT", 20)),
        )
    raise ValueError(f"Mode d'envoi inconnu « {name} » (OCCE_MAIL_BACKEND : file ou smtp).")
