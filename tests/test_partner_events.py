"""What partner-led actions share through the core: the artists' planning and its clashes, hours per partner,
closing events (« Rencontres et bals »), the teachers' (in)formation for several actions.

The world: THEA and Bals en liance (test actions) in the current year; the
Théâtre de La Mascara works on THEA (the ``partenaire`` account acts for it),
the Caravane d'Art on both. Léa Martin (Mascara) has two overlapping sessions
(typed « Léa Martin » and « lea  MARTIN »), and one starting exactly when the
first ends (no clash).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, REFUSED, REQUESTED, WAITING, Registration
from app.association.models import Partner
from app.directory.models import Classroom, Cooperative, Person, School, Sector
from app.extensions import db
from app.mail.models import MailMessage
from app.partners.models import BALL, CANCELLED, HELD, MEETING, PLANNED, ActionPartner, PartnerAccount, PartnerEvent, PartnerSession
from app.partners.schedule import artist_schedule, clashes
from app.testing import csrf_token, login, post_form, schema_differences
from app.trainings.models import TrainingRegistration, TrainingSession
from app.years.service import current_year

# --- the schedule, pure ------------------------------------------------------------------------


def _s(pk, artist, start, hours, status=PLANNED):
    return SimpleNamespace(id=pk, artist=artist, starts_at=start, hours=Decimal(str(hours)), status=status)


def test_touching_sessions_do_not_clash():
    first, second = _s(1, "Léa", datetime(2026, 1, 12, 9), 1), _s(2, "Léa", datetime(2026, 1, 12, 10), 2)
    schedule = artist_schedule([second, first])
    assert list(schedule) == ["Léa"]
    assert [row.session.id for row in schedule["Léa"]] == [1, 2]  # by start
    assert [row.ends_at for row in schedule["Léa"]] == [datetime(2026, 1, 12, 10), datetime(2026, 1, 12, 12)]
    assert [row.clashes_with for row in schedule["Léa"]] == [[], []]
    assert clashes([first, second]) == []


def test_the_same_artist_typed_differently_clashes_and_is_shown_as_first_typed():
    first = _s(1, "Léa  Martin", datetime(2026, 1, 12, 14), 2)
    second = _s(2, "lea martin ", datetime(2026, 1, 12, 15, 30), Decimal("0.5"))
    other = _s(3, "Hugo Petit", datetime(2026, 1, 12, 14), 2)
    schedule = artist_schedule([second, other, first])
    assert list(schedule) == ["Hugo Petit", "Léa  Martin"]  # artists in alphabetical order, the spelling met first
    assert [(row.session.id, row.clashes_with) for row in schedule["Léa  Martin"]] == [(1, [2]), (2, [1])]
    assert schedule["Hugo Petit"][0].clashes_with == []  # another artist at the same time is no clash
    assert clashes([second, other, first]) == [(first, second)]


def test_a_cancelled_session_never_clashes():
    held = _s(1, "Léa", datetime(2026, 1, 12, 14), 2, HELD)
    cancelled = _s(2, "Léa", datetime(2026, 1, 12, 14), 2, CANCELLED)
    schedule = artist_schedule([held, cancelled])
    assert [row.clashes_with for row in schedule["Léa"]] == [[], []]
    assert clashes([held, cancelled]) == []


def test_a_three_way_overlap_gives_every_pair():
    a = _s(1, "Hugo", datetime(2026, 3, 2, 9), 3)
    b = _s(2, "Hugo", datetime(2026, 3, 2, 10), 1)
    c = _s(3, "HUGO", datetime(2026, 3, 2, 11), 1)  # overlaps a only (b ends at 11:00)
    d = _s(4, "Hugo", datetime(2026, 3, 2, 11, 30), 1)  # overlaps a and c
    rows = {row.session.id: sorted(row.clashes_with) for row in artist_schedule([d, c, b, a])["Hugo"]}
    assert rows == {1: [2, 3, 4], 2: [1], 3: [1, 4], 4: [1, 3]}
    assert [(x.id, y.id) for x, y in clashes([a, b, c, d])] == [(1, 2), (1, 3), (1, 4), (3, 4)]


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        year = current_year()
        y = year.start_date.year + 1
        sector = Sector(name="Chauny partenaires")
        school = School(uai="0020002S", name="École Jean Macé", commune="Chauny", sector=sector)
        other_school = School(uai="0020003T", name="École Paul Bert", commune="Laon", sector=sector)
        coop = Cooperative(affiliation_number="020901", school=school, sector=sector, status="active")
        other_coop = Cooperative(affiliation_number="020902", school=other_school, sector=sector, status="active")
        ines = Person(first_name="Inès", last_name="Garnier", email="Ines.Garnier@ac-amiens.example", school=school)
        paul = Person(first_name="Paul", last_name="Leroy", email="paul.leroy@ac-amiens.example", school=school)
        zoe = Person(first_name="Zoé", last_name="Caron", email="zoe.caron@ac-amiens.example", school=school)
        refused_teacher = Person(first_name="Rémi", last_name="Refusé", email="remi.refuse@ac-amiens.example", school=school)
        marc = Person(first_name="Marc", last_name="Roux", email="marc.roux@ac-amiens.example", school=other_school)
        nomail = Person(first_name="Sans", last_name="Adresse", school=other_school)
        rooms = {
            "cm1": Classroom(school_year=year, school=school, name="CM1 Jean Macé", levels="CM1", cycles="3", pupils=25, teacher=ines),
            "ce1": Classroom(school_year=year, school=school, name="CE1 Jean Macé", levels="CE1", cycles="2", pupils=22, teacher=paul),
            "cp": Classroom(school_year=year, school=school, name="CP Jean Macé", levels="CP", cycles="2", pupils=18, teacher=zoe),
            "ce2b": Classroom(school_year=year, school=school, name="CE2 Jean Macé", levels="CE2", cycles="2", pupils=20, teacher=refused_teacher),
            "ce2": Classroom(school_year=year, school=other_school, name="CE2 Paul Bert", levels="CE2", cycles="2", pupils=24, teacher=marc),
            "cm2": Classroom(school_year=year, school=school, name="CM2 Jean Macé", levels="CM2", cycles="3", pupils=27, teacher=ines),
            "gs": Classroom(school_year=year, school=other_school, name="GS Paul Bert", levels="GS", cycles="1", pupils=16, teacher=nomail),
        }
        thea = ensure_action(year, "thea_ev", "THEA 02 (essai)")
        bals = ensure_action(year, "bals_ev", "Bals en liance 02 (essai)")
        mascara = Partner(name="Théâtre de La Mascara (essai)", kind="compagnie")
        caravane = Partner(name="Caravane d'Art (essai)", kind="compagnie")
        db.session.add_all([sector, school, other_school, coop, other_coop, ines, paul, zoe, refused_teacher, marc, nomail, *rooms.values(), mascara, caravane])
        db.session.flush()
        db.session.add_all([ActionPartner(action=thea, partner=mascara), ActionPartner(action=thea, partner=caravane), ActionPartner(action=bals, partner=caravane)])

        def reg(action, room, status, cooperative=coop):
            registration = Registration(action=action, school_year=year, cooperative=cooperative, classroom=rooms[room], status=status)
            db.session.add(registration)
            return registration

        regs = {
            "thea_a": reg(thea, "cm1", ACCEPTED),
            "thea_b": reg(thea, "ce1", ACCEPTED),
            "thea_req": reg(thea, "cp", REQUESTED),
            "thea_refused": reg(thea, "ce2b", REFUSED),
            "bals_a": reg(bals, "ce2", ACCEPTED, other_coop),
            "bals_dup": reg(bals, "cm2", WAITING),
            "bals_nomail": reg(bals, "gs", ACCEPTED, other_coop),
        }
        db.session.flush()

        def session(partner, action, registration, artist, start, hours, status=PLANNED):
            row = PartnerSession(school_year_id=year.id, partner=partner, action=action, registration=regs[registration], artist=artist, starts_at=start, hours=Decimal(str(hours)), status=status)
            db.session.add(row)
            return row

        sessions = {
            "lea1": session(mascara, thea, "thea_a", "Léa Martin", datetime(y, 1, 12, 14), 2),
            "lea2": session(mascara, thea, "thea_b", "lea  MARTIN", datetime(y, 1, 12, 15), 1),
            "lea3": session(mascara, thea, "thea_a", "Léa Martin", datetime(y, 1, 12, 16), 1, HELD),
            "hugo1": session(caravane, bals, "bals_a", "Hugo Petit", datetime(y, 1, 12, 14), 2, HELD),
            "hugo2": session(caravane, thea, "thea_b", "Hugo Petit", datetime(y, 1, 13, 9), 1.5, HELD),
            "hugo3": session(caravane, bals, "bals_a", "Hugo Petit", datetime(y, 1, 12, 15), 1, CANCELLED),
        }
        sm = app.appbuilder.sm
        db.session.add(PartnerAccount(user_id=sm.find_user(username="partenaire").id, partner=mascara))
        db.session.flush()
        thea_event = PartnerEvent(school_year_id=year.id, action=thea, kind=MEETING, title="Rencontre théâtrale de Chauny", held_on=date(y, 5, 20), venue="Salle Marcel Pagnol, Chauny", registrations=[regs["thea_a"], regs["thea_b"]])
        bals_event = PartnerEvent(school_year_id=year.id, action=bals, kind=BALL, title="Grand bal de Laon", held_on=date(y, 6, 12), venue="Boulodrome de Laon", registrations=[regs["bals_a"]])
        db.session.add_all([thea_event, bals_event])
        db.session.commit()
        return {
            "y": y, "year": year.id, "thea": thea.id, "bals": bals.id, "mascara": mascara.id, "caravane": caravane.id,
            **{key: value.id for key, value in regs.items()}, **{key: value.id for key, value in sessions.items()},
            "thea_event": thea_event.id, "bals_event": bals_event.id,
        }  # fmt: skip


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture(scope="module")
def partner(app, world):
    return _client(app, "partenaire")


@pytest.fixture(scope="module")
def gestion(app, world):
    return _client(app, "gestion")


@pytest.fixture(scope="module")
def animation(app, world):
    return _client(app, "animation")


@pytest.fixture(scope="module")
def conseil(app, world):
    return _client(app, "conseil")


def test_the_migration_matches_the_new_tables(app):
    mine = [diff for diff in schema_differences(app) if "occe_partner_event" in repr(diff)]
    assert mine == []


# --- hours per partner -------------------------------------------------------------------------


def test_hours_by_partner_sums_held_and_planned_hours_in_one_query(app, world):
    from app.partners.service import hours_by_partner

    with app.app_context():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            rows = hours_by_partner(world["year"])
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        mine = [row for row in rows if row.action.id in (world["thea"], world["bals"])]
        assert [(row.partner.name, row.action.name, row.held_hours, row.planned_hours, row.sessions) for row in mine] == [
            ("Caravane d'Art (essai)", "Bals en liance 02 (essai)", Decimal("2.00"), Decimal("0.00"), 1),  # the cancelled one counts for nothing
            ("Caravane d'Art (essai)", "THEA 02 (essai)", Decimal("1.50"), Decimal("0.00"), 1),
            ("Théâtre de La Mascara (essai)", "THEA 02 (essai)", Decimal("1.00"), Decimal("3.00"), 3),
        ]
        assert len(statements) == 1
        only_bals = hours_by_partner(world["year"], action_ids=[world["bals"]])
        assert [(row.partner.name, row.held_hours) for row in only_bals] == [("Caravane d'Art (essai)", Decimal("2.00"))]


def test_the_hours_page_totals_per_partner_and_action_and_exports(gestion, world):
    page = gestion.get("/partenaires/heures/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Heures par partenaire" in text
    assert "Total par partenaire" in text and "Total par action" in text
    by_partner = text[text.index('id="hours-by-partner"') :]
    assert "Caravane d&#39;Art (essai)</td><td class=\"text-right\">3,5 h" in by_partner
    by_action = text[text.index('id="hours-by-action"') :]
    assert "THEA 02 (essai)</td><td class=\"text-right\">2,5 h</td><td class=\"text-right\">3 h" in by_action
    export = gestion.get("/partenaires/heures/export/csv")
    assert export.status_code == 200 and "heures-partenaires" in export.headers["Content-Disposition"]
    csv = export.get_data(as_text=True)
    assert "Partenaire;Action;Heures tenues;Heures prévues;Séances" in csv
    assert "Théâtre de La Mascara (essai);THEA 02 (essai);1,00;3,00;3" in csv


def test_only_gestion_exports_the_hours_and_partners_reach_no_hours(animation, conseil, partner):
    assert animation.get("/partenaires/heures/").status_code == 200
    assert "Exporter CSV" not in conseil.get("/partenaires/heures/").get_data(as_text=True)
    assert animation.get("/partenaires/heures/export/csv").status_code in (302, 403)
    assert conseil.get("/partenaires/heures/export/csv").status_code in (302, 403)
    assert partner.get("/partenaires/heures/").status_code in (302, 403)


def test_the_dashboard_card_shows_hours_held_per_partner(app, world):
    from app.partners import occe_dashboard_cards

    with app.test_request_context():
        (card,) = occe_dashboard_cards(db.session.get(type(current_year()), world["year"]))
        assert str(card.title) == "Heures des partenaires"
        bars = dict(card.bars)
        assert bars["Caravane d'Art (essai)"] == 3.5 and bars["Théâtre de La Mascara (essai)"] == 1.0
        assert card.bars_unit == "h" and card.url == "/partenaires/heures/"


# --- the artists' planning ---------------------------------------------------------------------


def test_the_staff_planning_shows_each_artist_and_the_clash_in_french(gestion, world):
    page = gestion.get("/partenaires/planning/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Planning des artistes" in text
    assert "Léa Martin</h2>" in text and "Hugo Petit</h2>" in text and "lea  MARTIN</h2>" not in text  # one artist, as first typed
    y = world["y"]
    assert f"Chevauche la séance du 12/01/{y} à 15:00 (CE1 Jean Macé, École Jean Macé, Chauny)" in text
    assert f"Chevauche la séance du 12/01/{y} à 14:00 (CM1 Jean Macé, École Jean Macé, Chauny)" in text
    assert "2 séance(s) en chevauchement" in text
    row = text[text.index(f'id="planning-session-{world["lea3"]}"') :]
    assert 'class=""' in row[:80]  # starting when the first ends: no clash
    assert f'id="planning-session-{world["hugo3"]}" class=""' in text  # cancelled: no clash


def test_the_staff_planning_filters_by_partner_and_artist(gestion, world):
    text = gestion.get(f"/partenaires/planning/?partenaire={world['caravane']}").get_data(as_text=True)
    assert "Hugo Petit</h2>" in text and "Léa Martin</h2>" not in text
    text = gestion.get("/partenaires/planning/?artiste=LEA").get_data(as_text=True)
    assert "Léa Martin</h2>" in text and "Hugo Petit</h2>" not in text


def test_a_partner_sees_only_its_own_planning(partner, world):
    page = partner.get("/partenaire/planning/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Mon planning" in text
    assert "Léa Martin</h2>" in text and "Hugo Petit" not in text and "CE2 Paul Bert" not in text
    assert partner.get("/partenaires/planning/").status_code in (302, 403)


def test_saving_a_clashing_session_warns_but_saves(app, partner, world):
    y = world["y"]
    response = post_form(
        partner, "/partenaire/seances/add",
        {"registration": str(world["thea_b"]), "artist": "LÉA martin", "starts_at": f"{y}-01-12 16:30:00", "hours": "1"},
        follow_redirects=True,
    )  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Attention, LÉA martin a déjà une séance à ce moment-là. Chevauche la séance du 12/01/{y} à 16:00 (CM1 Jean Macé, École Jean Macé, Chauny)." in text
    with app.app_context():
        assert db.session.query(PartnerSession).filter_by(artist="LÉA martin").count() == 1
    quiet = post_form(
        partner, "/partenaire/seances/add",
        {"registration": str(world["thea_b"]), "artist": "Hugo Petit", "starts_at": f"{y}-01-12 14:30:00", "hours": "1"},
        follow_redirects=True,
    )  # fmt: skip
    # Hugo Petit's session at that time is the Caravane's: the Mascara is told nothing of it
    assert "Attention" not in quiet.get_data(as_text=True)


# --- closing events ----------------------------------------------------------------------------


def test_create_event_refuses_another_actions_or_a_not_retained_class(app, world):
    from app.partners.service import EventRefused, create_event

    with app.app_context():
        thea = db.session.get(Registration, world["thea_a"]).action
        other = db.session.get(Registration, world["bals_a"])
        waiting = db.session.get(Registration, world["thea_req"])
        with pytest.raises(EventRefused, match="La classe « CE2 Paul Bert » est inscrite à une autre action : elle ne peut pas participer à cette rencontre."):
            create_event(thea, kind=MEETING, title="Essai", held_on=date(world["y"], 5, 2), venue="Soissons", registrations=[other])
        with pytest.raises(EventRefused, match="La classe « CP Jean Macé » n'est pas retenue pour « THEA 02 \\(essai\\) » : seules les classes retenues participent."):
            create_event(thea, kind=MEETING, title="Essai", held_on=date(world["y"], 5, 2), venue="Soissons", registrations=[waiting])
        assert db.session.query(PartnerEvent).filter_by(title="Essai").count() == 0
        made = create_event(thea, kind=MEETING, title="Essai", held_on=date(world["y"], 5, 2), venue="Soissons", registrations=[db.session.get(Registration, world["thea_a"])])
        assert (made.school_year_id, made.class_ids, made.total_pupils) == (world["year"], [world["thea_a"]], 25)
        db.session.delete(made)
        db.session.commit()


EVENT_FORM = {"kind": BALL, "title": "Bal de printemps", "venue": "Salle des fêtes de Soissons", "notes": "Orchestre à confirmer"}


def test_the_event_form_offers_only_retained_classes_and_refuses_a_forged_one_keeping_the_typing(app, animation, world):
    form = animation.get("/partenaires/rencontres/add").get_data(as_text=True)
    assert "CE2 Paul Bert" in form and "CM1 Jean Macé" in form
    assert "CP Jean Macé" not in form and "CE2 Jean Macé" not in form  # requested / refused: not offered
    data = {**EVENT_FORM, "action": str(world["bals"]), "held_on": f"{world['y']}-04-10"}
    forged = post_form(animation, "/partenaires/rencontres/add", {**data, "class_ids": [str(world["thea_req"])]})
    text = forged.get_data(as_text=True)
    assert forged.status_code == 200
    assert f"La classe n° {world['thea_req']} n&#39;est pas une classe retenue d&#39;une action avec partenaire de cette année." in text
    assert "Salle des fêtes de Soissons" in text and "Orchestre à confirmer" in text  # nothing typed is lost
    wrong_action = post_form(animation, "/partenaires/rencontres/add", {**data, "class_ids": [str(world["thea_a"])]})
    assert "La classe « CM1 Jean Macé » est inscrite à une autre action : elle ne peut pas participer à cette rencontre." in wrong_action.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    with app.app_context():
        assert db.session.query(PartnerEvent).filter_by(title="Bal de printemps").count() == 0
    saved = post_form(animation, "/partenaires/rencontres/add", {**data, "starts_at": "14:30", "class_ids": [str(world["bals_a"]), str(world["bals_nomail"])]})
    assert saved.status_code == 302
    with app.app_context():
        made = db.session.query(PartnerEvent).filter_by(title="Bal de printemps").one()
        assert (made.action_id, made.school_year_id, made.kind, made.starts_at, made.class_ids, made.total_pupils) == (
            world["bals"], world["year"], BALL, time(14, 30), sorted([world["bals_a"], world["bals_nomail"]]), 40,
        )  # fmt: skip


def test_editing_an_event_keeps_its_classes_checked_and_changes_them(app, animation, world):
    with app.app_context():
        pk = db.session.query(PartnerEvent).filter_by(title="Bal de printemps").one().id
    form = animation.get(f"/partenaires/rencontres/edit/{pk}").get_data(as_text=True)
    assert f'<option selected value="{world["bals_a"]}">' in form or f'value="{world["bals_a"]}" selected' in form
    data = {**EVENT_FORM, "action": str(world["bals"]), "held_on": f"{world['y']}-04-11", "starts_at": "", "class_ids": [str(world["bals_a"])]}
    assert post_form(animation, f"/partenaires/rencontres/edit/{pk}", data).status_code == 302
    with app.app_context():
        made = db.session.get(PartnerEvent, pk)
        assert (made.held_on, made.starts_at, made.class_ids, made.total_pupils) == (date(world["y"], 4, 11), None, [world["bals_a"]], 24)


def test_the_event_page_lists_the_classes_with_their_pupils_and_the_total(conseil, world):
    page = conseil.get(f"/partenaires/rencontres/show/{world['thea_event']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rencontre théâtrale de Chauny" in text and "Rencontre théâtrale</" in text
    assert "<td>CM1 Jean Macé</td><td>CM1</td><td>École Jean Macé (Chauny)</td><td>25</td>" in text
    assert "<td>CE1 Jean Macé</td><td>CE1</td><td>École Jean Macé (Chauny)</td><td>22</td>" in text
    assert "Total des élèves" in text and ">47<" in text.replace(" ", "").replace("\n", "")
    listed = conseil.get("/partenaires/rencontres/list/").get_data(as_text=True)
    assert "Grand bal de Laon" in listed and "Rencontre théâtrale de Chauny" in listed


def test_conseil_reads_events_but_cannot_add(conseil):
    assert conseil.get("/partenaires/rencontres/add").status_code in (302, 403)


def test_a_thea_partner_sees_its_events_but_not_a_bals_event(partner, world):
    listed = partner.get("/partenaire/rencontres/list/")
    text = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "Mes rencontres" in text
    assert "Rencontre théâtrale de Chauny" in text and "Grand bal de Laon" not in text and "Bal de printemps" not in text
    assert partner.get(f"/partenaire/rencontres/show/{world['thea_event']}").status_code == 200
    assert partner.get(f"/partenaire/rencontres/show/{world['bals_event']}").status_code == 404
    assert partner.get(f"/partenaires/rencontres/show/{world['bals_event']}").status_code in (302, 403)
    token = csrf_token(partner, "/partenaire/rencontres/list/")
    assert partner.post(f"/partenaire/rencontres/delete/{world['thea_event']}", data={"csrf_token": token}).status_code in (302, 403, 404, 405)
    assert partner.get("/api/v1/partnerevent/").status_code == 404


# --- the teachers' (in)formation ---------------------------------------------------------------


def _mails(app, session_id=None) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(select(MailMessage.recipient_email).where(MailMessage.template == "trainings:invitation")).scalars())


def test_the_training_page_previews_then_registers_and_invites_each_teacher_once(app, animation, world):
    y = world["y"]
    assert animation.get("/partenaires/formation-enseignants/").status_code == 200
    form = {"actions": [str(world["thea"]), str(world["bals"])], "day": f"{y}-01-14", "time": "14:00", "place": "laon", "hours": "", "capacity": "", "place_detail": ""}
    preview = post_form(animation, "/partenaires/formation-enseignants/", {**form, "preview": "1"}, token_from="/partenaires/formation-enseignants/")
    text = preview.get_data(as_text=True)
    assert "Aperçu : 4 enseignant·e(s) à inviter" in text
    for name in ("Inès Garnier", "Paul Leroy", "Zoé Caron", "Marc Roux"):
        assert name in text
    assert "Rémi Refusé" not in text  # refused registration
    assert "CM1 Jean Macé (École Jean Macé (Chauny)), CM2 Jean Macé (École Jean Macé (Chauny))" in text  # one teacher, two classes
    assert "GS Paul Bert (École Paul Bert (Laon)) : Sans Adresse n&#39;a pas d&#39;adresse de courriel valide." in text
    with app.app_context():
        assert db.session.query(TrainingSession).filter(TrainingSession.starts_at == datetime(y, 1, 14, 14)).count() == 0  # a preview changes nothing
    assert _mails(app) == []
    done = post_form(animation, "/partenaires/formation-enseignants/", {**form, "confirm": "1"}, token_from="/partenaires/formation-enseignants/", follow_redirects=True)
    assert "4 enseignant·e(s) inscrit·e(s) et invité·e(s) par courriel." in done.get_data(as_text=True)
    assert _mails(app) == ["ines.garnier@ac-amiens.example", "marc.roux@ac-amiens.example", "paul.leroy@ac-amiens.example", "zoe.caron@ac-amiens.example"]
    with app.app_context():
        session = db.session.query(TrainingSession).filter(TrainingSession.starts_at == datetime(y, 1, 14, 14)).one()
        assert (session.place, session.hours, session.plugin_code, str(session.training)) == ("laon", Decimal("2.00"), None, "(In)formation THEA et Bals en liance")
        assert db.session.query(TrainingRegistration).filter_by(session_id=session.id).count() == 4


def test_organising_again_is_idempotent_and_invites_only_newcomers(app, world):
    from app.actions.models import Action
    from app.partners.teachers_training import organise_teachers_training

    y = world["y"]
    with app.app_context():
        actions = [db.session.get(Action, world["thea"]), db.session.get(Action, world["bals"])]
        again, invited = organise_teachers_training(actions, starts_at=datetime(y, 1, 14, 14), place="laon")
        assert invited == 0 and len(_mails(app)) == 4
        newcomer = db.session.get(Registration, world["thea_refused"])
        newcomer.status = ACCEPTED
        db.session.commit()
        same, invited = organise_teachers_training(actions, starts_at=datetime(y, 1, 14, 14), place="laon")
        assert (same.id, invited) == (again.id, 1)
        assert "remi.refuse@ac-amiens.example" in _mails(app) and len(_mails(app)) == 5
        assert db.session.query(TrainingSession).filter(TrainingSession.starts_at == datetime(y, 1, 14, 14)).count() == 1
        newcomer.status = REFUSED
        db.session.commit()


def test_the_training_page_refuses_bad_input_in_french(animation, conseil):
    response = post_form(animation, "/partenaires/formation-enseignants/", {"day": "", "time": "", "place": "laon", "preview": "1"})
    text = response.get_data(as_text=True)
    assert "Cochez au moins une action." in text and "Indiquez la date de la formation." in text
    assert conseil.get("/partenaires/formation-enseignants/").status_code in (302, 403)


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_adds_one_clash_only_when_there_is_none(app, world):
    from app.partners.demo import DEMO_REPORT, add_demo_clash

    with app.app_context():
        year = db.session.get(type(current_year()), world["year"])
        assert add_demo_clash(year) is None  # Léa Martin's sessions clash already
        others = db.session.execute(select(PartnerSession).where(PartnerSession.school_year_id == year.id, PartnerSession.id.notin_((world["lea1"], world["hugo1"])))).scalars().all()
        for row in others:
            row.status = CANCELLED
        db.session.flush()
        made = add_demo_clash(year)
        assert made is not None and made.report == DEMO_REPORT
        db.session.commit()
        assert add_demo_clash(year) is None  # run twice: no duplicate
        assert db.session.query(PartnerSession).filter_by(report=DEMO_REPORT).count() == 1


def test_a_time_column_gets_no_filter_and_no_warning_at_start(app, caplog):
    """FAB warned « Filter type not supported » for each Time column (the events' start) at every start."""
    import logging

    from app.datamodel import OcceSQLAInterface
    from app.partners.models import PartnerEvent

    with app.app_context(), caplog.at_level(logging.WARNING):
        filters = OcceSQLAInterface(PartnerEvent).get_filters(["title", "starts_at"])
    assert "starts_at" not in filters.get_search_filters() and "title" in filters.get_search_filters()
    assert "Filter type not supported" not in caplog.text
