"""DéfiMaths: edition, rounds, per-cycle problems, personalised mails, answers, ranking, diplomas, per-year switch."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.actions import service as registrations
from app.actions.models import ACCEPTED, Action, Registration
from app.directory.models import Classroom, Cooperative, Person, School
from app.extensions import db
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import build_test_app, login, post_form, schema_differences
from app.years.rollover import open_next_year
from app.years.service import current_year, get_or_create_year, get_year

from ..models import DefimathsAnswer, DefimathsEdition, DefimathsProblem, DefimathsRound
from ..services import add_demo, class_cycle, count_for, edition_of, ensure_edition, totals

PACKAGE = __package__.rsplit(".", 2)[0]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("defimaths"), plugin_packages=[PACKAGE])


def _person(first, last, email):
    return Person(civility="Mme", first_name=first, last_name=last, email=email, function="enseignant")


@pytest.fixture(scope="module")
def world(app):
    """A school with classes of cycles 1, 2, 2-3 and a collège class; the edition open today with round 1's problems."""
    with app.app_context():
        year = current_year()
        if not is_on(current_manager().get("defimaths"), year):
            set_switch(current_manager(), current_manager().get("defimaths"), year, True)
        school = School(uai="0020001R", name="École des Arts", commune="Laon")
        coop = Cooperative(affiliation_number="020901", school=school, status="active", mandataire=_person("Anne", "Caisse", "anne.caisse@example.org"))
        martin = _person("Julie", "Martin", "julie.martin@example.org")
        classes = {
            "ps": Classroom(school_year=year, school=school, name="PS-MS", levels="PS-MS", cycles="1", pupils=24, teacher=_person("Léa", "Petit", "lea.petit@example.org")),
            "ce1": Classroom(school_year=year, school=school, name="CE1", levels="CE1", cycles="2", pupils=22, teacher=martin),
            "cm": Classroom(school_year=year, school=school, name="CE2-CM1", levels="CE2-CM1", cycles="2-3", pupils=25, teacher=martin),
            "col": Classroom(school_year=year, school=school, name="6e B", levels="6e", cycles="3-4", pupils=28),
            "college": Classroom(school_year=year, school=school, name="4e A", levels="4e", cycles="4", pupils=28),
        }
        db.session.add_all([school, coop, *classes.values()])
        db.session.flush()
        edition = edition_of(year)
        action = db.session.get(Action, edition.action_id)
        action.opens_on, action.closes_on = date.today() - timedelta(days=3), date.today() + timedelta(days=30)
        edition.theme, edition.resource_url = "Les arts", "https://www.occe02.fr/defimaths"
        round1 = db.session.query(DefimathsRound).filter_by(edition_id=edition.id, number=1).one()
        round1.answers_due = date(year.start_date.year + 1, 1, 15)
        for cycle in (1, 2, 3):
            for number in (1, 2):
                db.session.add(
                    DefimathsProblem(
                        round_id=round1.id, school_year_id=year.id, cycle=cycle, number=number, title=f"Épreuve {number} du cycle {cycle}",
                        statement=f"Énoncé C{cycle}E{number}", author_department={1: "Somme", 2: "Oise", 3: "Aisne"}[cycle], max_points=10,
                    )
                )  # fmt: skip
        db.session.commit()
        ids = {key: c.id for key, c in classes.items()}
        return {"coop": coop.id, "action": action.id, "edition": edition.id, "round1": round1.id, **ids}


def _register(world, key):
    action = db.session.get(Action, world["action"])
    registration = registrations.register(action, db.session.get(Cooperative, world["coop"]), db.session.get(Classroom, world[key]), commit=False)
    db.session.flush()
    registrations.change_status(registration, ACCEPTED, commit=False)
    db.session.commit()
    return registration


def test_plugin_loaded_on_with_three_empty_rounds_and_migrations_match(app, world):
    with app.app_context():
        plugin = current_manager().get("defimaths")
        assert plugin.ok, plugin.errors
        assert is_on(plugin, current_year())
        edition = db.session.get(DefimathsEdition, world["edition"])
        assert (edition.action.plugin_code, edition.action.code, edition.action.audience) == ("defimaths", "defimaths", "classe")
        assert [r.number for r in db.session.query(DefimathsRound).filter_by(edition_id=edition.id).order_by(DefimathsRound.number)] == [1, 2, 3]
    assert schema_differences(app, "defimaths") == []


def test_cycle_rules():
    assert [class_cycle(c) for c in ("1", "2", "1-2", "2-3", "3-4", "4", "", None)] == [1, 2, 2, 3, 3, None, None, None]


def test_only_classes_of_cycles_1_to_3_register(app, world):
    with app.app_context():
        action = db.session.get(Action, world["action"])
        with pytest.raises(registrations.RegistrationRefused) as refused:
            registrations.register(action, db.session.get(Cooperative, world["coop"]), db.session.get(Classroom, world["college"]))
        assert refused.value.reasons == ["La classe « 4e A » est de cycle 4 : le DéfiMaths s'adresse aux cycles 1, 2 et 3."]
        for key in ("ps", "ce1", "cm"):
            _register(world, key)
        assert count_for(current_year()) == 3


def test_sending_a_round_previews_then_queues_one_personalised_mail_per_teacher(app, world):
    from app.mail.models import PENDING, MailMessage

    client = app.test_client()
    login(client, "animation")
    response = client.get(f"/defimathsroundview/envoyer/{world['round1']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 courriel(s) personnalisé(s) seront mis en file d'attente" in page
    assert "dont 1 regroupant plusieurs classes" in page
    with app.app_context():
        assert db.session.get(DefimathsRound, world["round1"]).sent_on is None  # GET changes nothing
        assert db.session.query(MailMessage).filter_by(module="defimaths").count() == 0
    assert client.post(f"/defimathsroundview/envoyer/{world['round1']}", data={}).status_code == 400  # no CSRF token, nothing sent
    response = post_form(client, f"/defimathsroundview/envoyer/{world['round1']}", {})
    assert response.status_code == 302
    with app.app_context():
        messages = {m.recipient_email: m for m in db.session.query(MailMessage).filter_by(module="defimaths")}
        assert set(messages) == {"lea.petit@example.org", "julie.martin@example.org"}
        petit, martin = messages["lea.petit@example.org"], messages["julie.martin@example.org"]
        assert petit.status == PENDING
        assert petit.subject == f"DéfiMaths {current_year().label} : manche 1 pour la classe PS-MS"
        assert "=== Cycle 1 (épreuves inventées par l'OCCE Somme) ===" in petit.body_text
        assert "Énoncé C1E1" in petit.body_text and "Énoncé C2E1" not in petit.body_text
        assert "(thème : « Les arts »)" in petit.body_text and "https://www.occe02.fr/defimaths" in petit.body_text
        assert "avant le 15/01/" in petit.body_text
        # a teacher of a cycle 2 and a cycle 2-3 class gets both cycles' problems, never cycle 1's
        assert "Cycle 2 (épreuves inventées par l'OCCE Oise)" in martin.body_text and "Cycle 3 (épreuves inventées par l'OCCE Aisne)" in martin.body_text
        assert "Énoncé C1E1" not in martin.body_text
        assert db.session.get(DefimathsRound, world["round1"]).sent_on == date.today()


def test_a_round_without_its_problems_cannot_be_sent(app, world):
    with app.app_context():
        round2 = db.session.query(DefimathsRound).filter_by(edition_id=world["edition"], number=2).one().id
    client = app.test_client()
    login(client, "animation")
    page = client.get(f"/defimathsroundview/envoyer/{round2}").get_data(as_text=True)
    assert "Cycle 1 : 0 épreuve(s) saisie(s) pour la manche 2 (il en faut 2 ou 3)." in page
    post_form(client, f"/defimathsroundview/envoyer/{round2}", {}, token_from=f"/defimathsroundview/envoyer/{world['round1']}")
    with app.app_context():
        assert db.session.get(DefimathsRound, round2).sent_on is None


def test_a_problem_gets_its_cycles_author_department_by_default(app, world):
    with app.app_context():
        round2 = db.session.query(DefimathsRound).filter_by(edition_id=world["edition"], number=2).one().id
    client = app.test_client()
    login(client, "animation")
    fields = {"round": round2, "cycle": "2", "number": "1", "title": "Le musée", "statement": "Combien de tableaux ?", "author_department": "", "max_points": "12"}
    assert post_form(client, "/defimathsproblemview/add", fields).status_code == 302
    with app.app_context():
        problem = db.session.query(DefimathsProblem).filter_by(title="Le musée").one()
        assert (problem.author_department, problem.cycle, problem.school_year_id) == ("Oise", 2, current_year().id)
    again = post_form(client, "/defimathsproblemview/add", {**fields, "title": "Le double"}).get_data(as_text=True)
    assert "La manche 2 a déjà une épreuve n° 1 pour le cycle 2." in again and "Le double" in again


def test_the_problems_export_has_one_line_per_problem_with_its_round(app, world):
    """The round is a relation exported whole: joined, never crossed with every round (one line per round and problem)."""
    with app.app_context():
        count = db.session.query(DefimathsProblem).filter_by(school_year_id=current_year().id).count()
        rounds = db.session.query(DefimathsRound).count()
    assert rounds > 1
    client = app.test_client()
    login(client, "admin")
    lines = client.get("/defimathsproblemview/export/csv").get_data(as_text=True).strip().splitlines()
    assert len(lines) == count + 1  # the header, then each problem once
    assert sum("Énoncé C2E1" in line for line in lines) == 1


def test_answers_points_are_capped_and_the_ranking_sums_them(app, world):
    with app.app_context():
        registration = {r.classroom.name: r.id for r in db.session.query(Registration).filter_by(action_id=world["action"])}
        problems = {(p.cycle, p.number): p.id for p in db.session.query(DefimathsProblem).filter_by(round_id=world["round1"])}
    client = app.test_client()
    login(client, "animation")
    too_many = post_form(client, "/defimathsanswerview/add", {"registration": registration["CE1"], "problem": problems[(2, 1)], "answer": "24 tableaux", "points": "11"})
    page = too_many.get_data(as_text=True)
    assert "11 points : l&#39;épreuve « Épreuve 1 du cycle 2 » est notée sur 10 au plus." in page and "24 tableaux" in page
    wrong_cycle = post_form(client, "/defimathsanswerview/add", {"registration": registration["CE2-CM1"], "problem": problems[(2, 1)], "answer": "x", "points": "5"})
    assert "Cette épreuve est du cycle 2 ; la classe « CE2-CM1 » travaille celles du cycle 3." in wrong_cycle.get_data(as_text=True)
    for name, key, points in (("CE1", (2, 1), 8), ("CE1", (2, 2), 7), ("CE2-CM1", (3, 1), 10), ("PS-MS", (1, 1), 4)):
        assert post_form(client, "/defimathsanswerview/add", {"registration": registration[name], "problem": problems[key], "answer": "ok", "points": str(points)}).status_code == 302
    duplicate = post_form(client, "/defimathsanswerview/add", {"registration": registration["CE1"], "problem": problems[(2, 1)], "answer": "bis", "points": "1"})
    assert "La classe a déjà une réponse à cette épreuve : modifiez-la dans la liste." in duplicate.get_data(as_text=True)
    with app.app_context():
        answer = db.session.query(DefimathsAnswer).filter_by(registration_id=registration["PS-MS"]).one()
        assert db.session.query(DefimathsAnswer).count() == 4
    edit = post_form(client, f"/defimathsanswerview/edit/{answer.id}", {"answer": "ok", "points": "15"})
    assert "15 points : l&#39;épreuve « Épreuve 1 du cycle 1 » est notée sur 10 au plus." in edit.get_data(as_text=True)
    with app.app_context():
        rows = totals(current_year())
        assert [(r["rank"], r["classroom"], r["rounds"], r["total"]) for r in rows] == [
            (1, "CE1", [15, 0, 0], 15), (2, "CE2-CM1", [10, 0, 0], 10), (3, "PS-MS", [4, 0, 0], 4),
        ]  # fmt: skip
    page = client.get("/defimaths/").get_data(as_text=True)
    assert "Classement des classes" in page and "Envoyer la manche" in page and "Dossier ressource en ligne" in page


def test_diplomas_one_pdf_page_per_class_taking_part(app, world):
    client = app.test_client()
    login(client, "animation")
    response = client.get("/defimaths/diplomes")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 3
    assert "CE2-CM1" in "".join(page.extract_text() for page in reader.pages)


def test_dashboard_card_compares_with_last_year(app, world):
    client = app.test_client()
    login(client, "animation")
    page = client.get("/").get_data(as_text=True)
    assert "DéfiMaths : classes inscrites" in page


def test_board_reads_but_neither_sends_nor_scores(app, world):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/defimaths/").status_code == 200
    assert client.get("/defimathsanswerview/list/").status_code == 200
    assert client.get(f"/defimathsroundview/envoyer/{world['round1']}").status_code in (302, 403)
    assert client.get("/defimathsanswerview/add").status_code in (302, 403)
    assert client.get("/defimaths/diplomes").status_code in (302, 403)


def test_rollover_carries_the_edition_shell(app, world):
    with app.app_context():
        report = open_next_year(current_year())
        edition = edition_of(report.year)
        assert edition is not None and edition.theme is None and edition.resource_url == "https://www.occe02.fr/defimaths"
        assert db.session.query(DefimathsRound).filter_by(edition_id=edition.id).count() == 3
        assert db.session.query(DefimathsProblem).filter_by(school_year_id=report.year.id).count() == 0


def test_switched_off_next_year_its_menu_is_hidden_and_this_year_is_intact(app, world):
    with app.app_context():
        year = current_year()
        next_year = get_year(f"{year.start_date.year + 1}-{year.start_date.year + 2}")
        plugin = current_manager().get("defimaths")
        set_switch(current_manager(), plugin, next_year, False)
        set_switch(current_manager(), plugin, year, True)
        assert "defimaths" not in enabled_codes(next_year) and "defimaths" in enabled_codes(year)
        next_id, next_label, this_id = next_year.id, next_year.label, year.id
    client = app.test_client()
    login(client, "animation")
    assert "Réponses et points" in client.get("/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": next_id}, token_from="/")
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'id="occe-year-toggle">\s*<span class="fa fa-calendar"></span> ' + next_label, page)  # viewing next year
    assert "Réponses et points" not in page and "DéfiMaths : classes inscrites" not in page
    # the views stay reachable for the archive, filtered to the viewed year
    assert "Épreuve 1 du cycle" not in client.get("/defimathsanswerview/list/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": this_id}, token_from="/")
    assert "Épreuve 1 du cycle 2" in client.get("/defimathsanswerview/list/").get_data(as_text=True)
    with app.app_context():
        assert count_for(current_year()) == 3
        assert db.session.query(DefimathsAnswer).filter_by(school_year_id=current_year().id).count() == 4
        assert totals(current_year())[0]["total"] == 15


def test_demo_data_is_deterministic_and_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        school = School(uai="0020002S", name="École Démo", commune="Soissons")
        db.session.add_all([school, Cooperative(affiliation_number="020902", school=school, status="active")])
        db.session.add_all([Classroom(school_year=year, school=school, name=f"Classe {n}", levels="CE1", cycles=str(1 + n % 3), pupils=20) for n in range(6)])
        db.session.add(Classroom(school_year=year, school=school, name="4e", levels="4e", cycles="4", pupils=20))
        db.session.commit()
        set_switch(current_manager(), current_manager().get("defimaths"), year, True)

        def counts():
            edition = edition_of(year)
            regs = db.session.query(Registration).filter_by(action_id=edition.action_id, status=ACCEPTED).count()
            problems = db.session.query(DefimathsProblem).filter_by(school_year_id=year.id).count()
            answers = db.session.query(DefimathsAnswer).filter_by(school_year_id=year.id).count()
            return edition.theme, regs, problems, answers

        add_demo(year)
        db.session.commit()
        first = counts()
        assert first == ("Les arts", 6, 18, 6 * 2 * 2)  # 3 rounds × 3 cycles × 2 problems; rounds 1-2 scored
        scores = [r["total"] for r in totals(year)]
        add_demo(year)
        db.session.commit()
        assert counts() == first and [r["total"] for r in totals(year)] == scores
        assert ensure_edition(year).id == edition_of(year).id
