"""Mail benchmark (issue 5): queueing personalised mails, and sending them to a loopback SMTP server.

500 classes (one per cooperative, each with its teacher's address) retained
for one action. Measures the preview (every message rendered, nothing
stored), the queueing of the 500 personalised messages (recipients query,
rendering, one bulk insert) and the sending of the 500 through one SMTP
connection to an aiosmtpd server on 127.0.0.1 (each message marked sent as
it goes). Budgets: queueing 500 under 2 s; sending at 50 mails/s or more.

    .venv/bin/python benchmarks/mail.py [--runs 3] [--mails 500]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUEUE_BUDGET = 2.0  # seconds for 500 mails
SEND_BUDGET = 50.0  # mails per second, at least


def populate(app, count: int) -> int:
    """``count`` cooperatives with a school, a mandataire, a class and its teacher, all retained for one action."""
    from app.actions.catalogue import ensure_action
    from app.actions.models import ACCEPTED, Registration
    from app.directory.models import Classroom, Cooperative, Person, School
    from app.directory.rules import uai_check_letter
    from app.extensions import db
    from app.years.service import current_year

    with app.app_context():
        year = current_year()
        action = ensure_action(year, "bench_courriels", "Écrits d'élèves", opens_on=date.today() - timedelta(days=5), closes_on=date.today() + timedelta(days=30))
        db.session.commit()
        action_id, year_id = action.id, year.id
        with db.engine.begin() as connection:
            schools, people, coops, classes, registrations = [], [], [], [], []
            for i in range(1, count + 1):
                digits = f"{i:07d}"
                schools.append({"id": i, "uai": digits + uai_check_letter(digits), "name": f"École Hélène Boucher n° {i}", "kind": "primaire", "commune": "Laon"})
                people.append({"id": 2 * i - 1, "civility": "M.", "first_name": "Jérôme", "last_name": f"Lefèvre{i}", "email": f"mandataire{i}@example.org", "function": "mandataire", "school_id": i})
                people.append({"id": 2 * i, "civility": "Mme", "first_name": "Zoé", "last_name": f"Dupré{i}", "email": f"enseignante{i}@example.org", "function": "enseignant", "school_id": i})
                coops.append({"id": i, "affiliation_number": f"02{i:05d}", "kind": "cooperative", "status": "active", "school_id": i, "mandataire_id": 2 * i - 1})
                classes.append({"id": i, "school_year_id": year_id, "school_id": i, "teacher_id": 2 * i, "name": f"CM1 n° {i}", "levels": "CM1", "cycles": "3", "pupils": 24})
                registrations.append({"action_id": action_id, "school_year_id": year_id, "cooperative_id": i, "classroom_id": i, "status": ACCEPTED})
            connection.execute(School.__table__.insert(), schools)
            connection.execute(Person.__table__.insert(), people)
            connection.execute(Cooperative.__table__.insert(), coops)
            connection.execute(Classroom.__table__.insert(), classes)
            connection.execute(Registration.__table__.insert(), registrations)
    return action_id


class Counter:
    """An aiosmtpd handler that only counts what it receives."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mails", type=int, default=500)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from app.actions.models import Action
    from app.extensions import db
    from app.mail import service
    from app.mail.backends import FileBackend
    from app.mail.models import MailBatch, MailMessage
    from app.mail.recipients import action_recipients
    from app.testing import build_test_app

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = Path(tempfile.mkdtemp(prefix="occe-bench-mail-"))
    app = build_test_app(
        folder, name="bench_mail", plugin_packages=[], OCCE_MAIL_BACKEND="smtp", OCCE_MAIL_SMTP_HOST="127.0.0.1",
        OCCE_MAIL_SMTP_PORT=controller.port, OCCE_MAIL_SMTP_SECURITY="none", OCCE_MAIL_FROM="OCCE 02 <ad02@occe.example.org>",
    )  # fmt: skip
    action_id = populate(app, args.mails)
    extras = {"title": "Réunion de préparation", "message": "Rendez-vous mercredi à 14 h à l'école, salle polyvalente.\n" * 5}
    previews, queues, sends, file_sends = [], [], [], []
    try:
        with app.app_context():
            backend_name = db.engine.dialect.name
            for _ in range(args.runs):
                db.session.query(MailMessage).delete()
                db.session.query(MailBatch).delete()
                db.session.commit()
                action = db.session.get(Action, action_id)

                start = time.perf_counter()
                preview = service.preview("mail:message_action", action_recipients(action), extras)
                previews.append(time.perf_counter() - start)
                assert preview.total == args.mails, preview.total

                start = time.perf_counter()
                batch = service.queue("mail:message_action", action_recipients(action), extras, label="Benchmark")
                queues.append(time.perf_counter() - start)
                assert batch.queued_count == args.mails

                before = counter.received
                start = time.perf_counter()
                report = service.send_pending()
                sends.append(time.perf_counter() - start)
                assert report.sent == args.mails and counter.received - before == args.mails, (report.summary(), counter.received - before)

                # the same 500 again, through the file backend
                db.session.query(MailMessage).update({"status": "en_attente", "attempts": 0, "sent_at": None})
                db.session.commit()
                start = time.perf_counter()
                report = service.send_pending(backend=FileBackend(folder / "mail"))
                file_sends.append(time.perf_counter() - start)
                assert report.sent == args.mails
    finally:
        controller.stop()

    queue_time, send_time = statistics.median(queues), statistics.median(sends)
    rate = args.mails / send_time
    file_rate = args.mails / statistics.median(file_sends)
    print(f"{args.mails} personalised mails, {args.runs} runs (median), {backend_name} database, aiosmtpd on 127.0.0.1")
    print()
    print("| step | time | rate | budget | within |")
    print("|---|---|---|---|---|")
    print(f"| preview ({args.mails} rendered, 3 shown, nothing stored) | {statistics.median(previews) * 1000:.0f} ms | {args.mails / statistics.median(previews):.0f} mails/s | | |")
    print(f"| queue {args.mails} personalised mails | {queue_time * 1000:.0f} ms | {args.mails / queue_time:.0f} mails/s | < {QUEUE_BUDGET:.0f} s | {'yes' if queue_time < QUEUE_BUDGET * args.mails / 500 else 'NO'} |")
    print(f"| send {args.mails} to loopback SMTP (one connection) | {send_time * 1000:.0f} ms | {rate:.0f} mails/s | ≥ {SEND_BUDGET:.0f} mails/s | {'yes' if rate >= SEND_BUDGET else 'NO'} |")
    print(f"| write {args.mails} .eml files (file backend) | {statistics.median(file_sends) * 1000:.0f} ms | {file_rate:.0f} mails/s | | |")


if __name__ == "__main__":
    main()
