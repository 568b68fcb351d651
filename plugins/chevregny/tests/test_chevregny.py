"""Musée de Chevregny days: eligibility, days and workshops, selection, rotation, timetables, transport aid, entries, switch, demo."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.actions import service as registrations
from app.actions.models import ACCEPTED, WAITING, Action, Registration
from app.aid import service as aid
from app.aid.models import TRANSPORT, AidRequest
from app.directory.models import Classroom, Cooperative, Person, School, Sector
from app.association.models import Partner
from app.extensions import db
from app.partners.models import ActionPartner
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import build_test_app, login, post_form, schema_differences
from app.years.rollover import open_next_year
from app.years.service import current_year, get_or_create_year, previous_label

from ..models import ChevregnyApplication, ChevregnyDay, ChevregnyWorkshop
from ..rotation import rotation, slot_count, slot_times, time_label
from ..services import (
    ACTION_CODE,
    CODE,
    action_of,
    add_demo,
    classes_of,
    day_plan,
    entries_of,
    ensure_action,
    figures,
    retained_applications,
)

PACKAGE = __package__.rsplit(".", 2)[0]


def _pdf_bytes() -> bytes:
    from app.documents.render import PdfDocument

    doc = PdfDocument("Devis")
    doc.add_page()
    doc.heading("Devis Cars Darche : aller-retour Laon – Chevregny")
    return bytes(doc.to_bytes())


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("chevregny"), plugin_packages=[PACKAGE])


def _school(n: int, commune: str, sector: Sector, year, levels: str = "CE2", pupils: int = 20):
    school = School(uai=f"00299{n:02d}A", name=f"École {commune} {n}", commune=commune, kind="elementaire")
    coop = Cooperative(affiliation_number=f"0299{n:02d}", school=school, status="active", sector=sector)
    teacher = Person(civility="Mme", first_name=f"Prénom{n}", last_name=f"Nom{n}", email=f"ens{n}@example.org", function="enseignant")
    classroom = Classroom(school_year=year, school=school, name=f"{levels} {commune} {n}", levels=levels, cycles="2", pupils=pupils, teacher=teacher)
    db.session.add_all([school, coop, teacher, classroom])
    return coop, classroom


@pytest.fixture(scope="module")
def world(app):
    """14 schools with one CE2 class each (8 in the Laon sector, 6 in Soissons); the 8th Laon cooperative came to the museum last year."""
    with app.app_context():
        year = current_year()
        plugin = current_manager().get(CODE)
        if not is_on(plugin, year):
            set_switch(current_manager(), plugin, year, True)
        action = action_of(year)
        action.opens_on, action.closes_on = date.today() - timedelta(days=10), date.today() + timedelta(days=60)
        laon, soissons = Sector(name="Laon"), Sector(name="Soissons")
        db.session.add_all([laon, soissons])
        coops = [_school(n, "Laon", laon, year, pupils=20 + n) for n in range(1, 9)] + [_school(n, "Soissons", soissons, year, pupils=20 + n) for n in range(9, 15)]
        first_school = coops[0][0].school
        kindergarten = Classroom(school_year=year, school=first_school, name="GS-CP Laon 1", levels="GS-CP", cycles="1-2", pupils=24)
        db.session.add(kindergarten)
        db.session.flush()
        # the 8th Laon cooperative took part last year: it is « déjà accompagnée »
        last_year = get_or_create_year(previous_label(year.label))
        old_action = ensure_action(last_year)
        helped_coop, _ = coops[7]
        old_class = Classroom(school_year=last_year, school=helped_coop.school, name="CM1 ancien", levels="CM1", cycles="3", pupils=22)
        db.session.add(old_class)
        db.session.flush()
        db.session.add(Registration(action=old_action, school_year_id=last_year.id, cooperative=helped_coop, classroom=old_class, status=ACCEPTED))
        db.session.commit()
        registered = []
        for coop, classroom in coops:
            registered.append(registrations.register(action, coop, classroom).id)
        return {
            "action": action.id, "year": year.id, "registrations": registered, "classes": [c.id for _, c in coops],
            "kindergarten": kindergarten.id, "first_coop": coops[0][0].id, "helped": registered[7],
        }  # fmt: skip


def test_plugin_is_loaded_on_and_its_migrations_match(app, world):
    with app.app_context():
        plugin = current_manager().get(CODE)
        assert plugin.ok, plugin.errors
        assert is_on(plugin, current_year())
        assert set(plugin.hooks) >= {"occe_registration_eligibility", "occe_dashboard_cards", "occe_demo_data", "occe_plugin_switched"}
        action = db.session.get(Action, world["action"])
        assert (action.code, action.plugin_code, action.capacity, action.audience) == (ACTION_CODE, CODE, 12, "classe")
        assert action.name == "Journées coopératives au Musée de Chevregny"
    assert schema_differences(app, CODE) == []


def test_only_classes_from_cp_to_cm2_apply(app, world):
    with app.app_context():
        action = db.session.get(Action, world["action"])
        coop = db.session.get(Cooperative, world["first_coop"])
        with pytest.raises(registrations.RegistrationRefused) as refused:
            registrations.register(action, coop, db.session.get(Classroom, world["kindergarten"]))
        assert refused.value.reasons == [
            "La classe « GS-CP Laon 1 » (GS-CP) n'est pas une classe du CP au CM2 : les journées au Musée de Chevregny s'adressent aux classes du CP au CM2."
        ]
        with pytest.raises(registrations.RegistrationRefused) as whole:
            registrations.register(action, coop, None)
        assert "Les journées au Musée de Chevregny s'adressent aux classes : inscrivez une classe, pas la coopérative entière." in whole.value.reasons
        assert db.session.query(Registration).filter_by(action_id=action.id).count() == 14


@pytest.mark.parametrize("classes", range(1, 9))
def test_the_rotation_never_clashes_for_every_size_up_to_8_by_8(classes):
    for workshops in range(1, 9):
        names = [f"C{i}" for i in range(classes)]
        places = [f"A{j}" for j in range(workshops)]
        slots = rotation(names, places)
        count = slot_count(classes, workshops)
        assert count == max(classes, workshops)
        assert len(slots) == classes * count
        for name in names:
            mine = [slot for slot in slots if slot.klass == name]
            visited = [slot.workshop for slot in mine if slot.workshop is not None]
            assert sorted(visited) == sorted(places), (classes, workshops, name)  # every workshop exactly once
            assert sorted(slot.index for slot in mine) == list(range(count))  # one place per slot
            assert sum(slot.is_pause for slot in mine) == count - workshops
        for index in range(count):
            busy = [slot.workshop for slot in slots if slot.index == index and slot.workshop is not None]
            assert len(busy) == len(set(busy)), (classes, workshops, index)  # never two classes in one workshop
    assert rotation([], ["A"]) == [] and rotation(["C"], []) == []


def test_slot_times_leave_room_for_lunch():
    times = slot_times(time(9, 30), 40, 6, lunch_after_slot=3, lunch_minutes=75)
    assert [time_label(span) for span in times] == [
        "9 h 30 – 10 h 10", "10 h 10 – 10 h 50", "10 h 50 – 11 h 30", "12 h 45 – 13 h 25", "13 h 25 – 14 h 05", "14 h 05 – 14 h 45",
    ]  # fmt: skip


def test_animation_adds_a_day_with_the_six_workshops(app, world):
    client = app.test_client()
    login(client, "animation")
    with app.app_context():
        year = current_year()
        second = date(year.start_date.year + 1, 5, 12)
    fields = {"label": "Journée 1", "day": second.isoformat(), "capacity": "6", "starts_at": "09:30", "slot_minutes": "40", "lunch_after_slot": "3", "lunch_minutes": "75", "entry_price": "3.50"}
    refused = post_form(client, "/chevregnydayview/add", {**fields, "capacity": "20", "label": "Journée trop pleine"})
    page = refused.get_data(as_text=True)
    assert "Une journée accueille de 1 à 12 classes." in page and "Journée trop pleine" in page
    outside = post_form(client, "/chevregnydayview/add", {**fields, "day": "2001-05-12", "label": "Journée hors année"})
    assert "Le 12/05/2001 n&#39;est pas dans l&#39;année scolaire" in outside.get_data(as_text=True)
    assert post_form(client, "/chevregnydayview/add", fields).status_code == 302
    assert post_form(client, "/chevregnydayview/add", {**fields, "label": "Journée 2", "day": (second + timedelta(days=7)).isoformat(), "entry_price": ""}).status_code == 302
    with app.app_context():
        days = db.session.query(ChevregnyDay).filter_by(school_year_id=world["year"]).order_by(ChevregnyDay.day).all()
        assert [(d.label, d.starts_at, d.entry_price) for d in days] == [("Journée 1", time(9, 30), Decimal("3.50")), ("Journée 2", time(9, 30), None)]
        names = [w.name for w in db.session.query(ChevregnyWorkshop).filter_by(day_id=days[0].id).order_by(ChevregnyWorkshop.position)]
        assert names == [
            "Visite du musée", "Écritures coopératives", "Monument aux morts", "Chasse au trésor / herbier",
            "Jeux coopératifs physiques", "Activités de l'agenda coop (ou discussion philo)",
        ]  # fmt: skip
        assert days[1].price == Decimal("3.00")  # the configured default
        workshop_id = db.session.query(ChevregnyWorkshop).filter_by(day_id=days[0].id, position=1).one().id
    # the workshops stay editable: the museum's guide leads the visit
    edit = post_form(client, f"/chevregnyworkshopview/edit/{workshop_id}", {"day": days[0].id, "position": "1", "name": "Visite du musée", "leader": "Mme Delattre, guide", "place": "Salle 1900"})
    assert edit.status_code == 302
    listing = client.get("/chevregnyworkshopview/list/").get_data(as_text=True)
    assert "Mme Delattre, guide" in listing and "Monument aux morts" in listing


def test_the_selection_page_explains_each_class_points(app, world):
    client = app.test_client()
    login(client, "animation")
    page = client.get("/chevregny/selection").get_data(as_text=True)
    assert "Sélection des classes — Musée de Chevregny" in page
    assert "Coopérative jamais accompagnée (+100) : Aucune intervention réalisée jusqu&#39;ici pour cette coopérative : elle passe en priorité." in page
    assert "Regroupement par secteur (+30) : 8 demandes dans le secteur Laon : une même journée peut les regrouper (plafonné à 30 points)." in page
    assert "6 demandes dans le secteur Soissons" in page
    rows = re.findall(r'<tr id="candidate-(\d+)">\s*<td>(\d+)</td>', page)
    ranks = {int(reg): int(rank) for reg, rank in rows}
    assert ranks[world["helped"]] == 14  # came last year: no +100, last
    assert ranks[world["registrations"][0]] == 1 and ranks[world["registrations"][8]] == 8  # Laon (130) before Soissons (125)


def test_a_manual_bonus_needs_a_reason_and_records_who_and_when(app, world):
    client = app.test_client()
    login(client, "animation")
    url = f"/chevregny/selection/bonus/{world['helped']}"
    refused = post_form(client, url, {"points": "200", "reason": " "}, token_from="/chevregny/selection")
    assert refused.status_code == 400
    assert "Indiquez pourquoi vous modifiez le classement." in refused.get_data(as_text=True)
    assert 'value="200"' in refused.get_data(as_text=True)  # what was typed stays
    not_a_number = post_form(client, url, {"points": "deux cents", "reason": "Projet patrimoine"}, token_from="/chevregny/selection")
    assert not_a_number.status_code == 400 and "« deux cents » n&#39;est pas un nombre entier de points" in not_a_number.get_data(as_text=True)
    assert 'value="Projet patrimoine"' in not_a_number.get_data(as_text=True)
    done = post_form(client, url, {"points": "200", "reason": "Projet patrimoine avec le musée"}, token_from="/chevregny/selection")
    assert done.status_code == 302
    page = client.get("/chevregny/selection").get_data(as_text=True)
    assert "Décision manuelle (+200) : Décision manuelle : Projet patrimoine avec le musée" in page
    assert re.search(rf'<tr id="candidate-{world["helped"]}">\s*<td>1</td>', page)
    with app.app_context():
        application = db.session.query(ChevregnyApplication).filter_by(registration_id=world["helped"]).one()
        assert (application.override_points, application.overridden_by.username) == (200, "animation")
        assert application.overridden_at is not None and application.pupils == 28 and application.adults == 2


def test_board_and_management_cannot_select(app, world):
    for username in ("conseil", "gestion"):
        client = app.test_client()
        login(client, username)
        assert client.get("/chevregny/selection").status_code == 200
        assert client.get("/chevregny/selection/retenir").status_code in (302, 403)
        response = post_form(client, "/chevregny/selection/retenir", {}, token_from="/")
        assert response.status_code in (302, 403)
        assert client.get("/chevregnydayview/add").status_code in (302, 403)
    with app.app_context():
        assert db.session.query(Registration).filter_by(action_id=world["action"], status=ACCEPTED).count() == 0


def test_retaining_the_first_twelve_fills_the_days_by_sector(app, world):
    client = app.test_client()
    login(client, "animation")
    confirm = client.get("/chevregny/selection/retenir")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Confirmez : les 12 classes ci-dessous passeront « Retenue »" in page
    with app.app_context():
        assert db.session.query(Registration).filter_by(action_id=world["action"], status=ACCEPTED).count() == 0  # a GET changes nothing
    done = post_form(client, "/chevregny/selection/retenir", {})
    assert done.status_code == 302
    assert "12 classe(s) retenue(s) et réparties dans les journées ; 2 mise(s) en liste d&#39;attente." in client.get("/chevregny/").get_data(as_text=True)
    with app.app_context():
        regs = world["registrations"]
        statuses = {r.id: r.status for r in db.session.query(Registration).filter_by(action_id=world["action"])}
        assert [statuses[r] for r in regs] == [ACCEPTED] * 12 + [WAITING] * 2  # 8 Laon (one with its bonus), then 4 Soissons
        days = db.session.query(ChevregnyDay).filter_by(school_year_id=world["year"]).order_by(ChevregnyDay.day).all()
        first, second = [[a.registration_id for a in classes_of(day)] for day in days]
        # the bonus puts the 8th Laon class first; Laon fills day 1, its last 2 classes open day 2 with Soissons
        assert len(first) == 6 and len(second) == 6
        sectors_first = {db.session.get(Registration, r).cooperative.sector.name for r in first}
        assert sectors_first == {"Laon"}
        assert sorted(r for r in first + second) == sorted(regs[:12])
        db.session.get(Registration, regs[0])
        assert db.session.query(ChevregnyApplication).filter_by(registration_id=regs[12]).one().day_id is None
    # nothing left to place: a second run says so
    again = post_form(client, "/chevregny/selection/retenir", {}, token_from="/chevregny/")
    assert again.status_code == 302
    assert "Plus aucune place libre" in client.get("/chevregny/selection").get_data(as_text=True)


def test_the_day_page_shows_the_rotation_and_prints_the_timetables(app, world):
    client = app.test_client()
    login(client, "animation")
    with app.app_context():
        day = db.session.query(ChevregnyDay).filter_by(school_year_id=world["year"], label="Journée 1").one()
        plan = day_plan(day)
        assert len(plan.times) == 6 and len(plan.slots) == 36
        for index in range(6):
            busy = [slot.workshop.id for slot in plan.slots if slot.index == index]
            assert len(set(busy)) == 6
        first_class = plan.classes[0].classroom_name
        day_id = day.id
    page = client.get(f"/chevregny/journee/{day_id}").get_data(as_text=True)
    assert "Journée 1 au Musée de Chevregny" in page and 'id="rotation"' in page and "9 h 30 – 10 h 10" in page
    assert "Emplois du temps (PDF)" in page and first_class in page
    response = client.get(f"/chevregny/journee/{day_id}/emplois-du-temps")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 12  # 6 classes, then 6 workshops
    first_page = " ".join(reader.pages[0].extract_text().replace("\u00a0", " ").split())
    assert f"classe {first_class}" in first_page and "Visite du musée" in first_page and "Mme Delattre, guide" in first_page
    workshop_page = " ".join(reader.pages[6].extract_text().replace("\u00a0", " ").split())
    assert "atelier « Visite du musée »" in workshop_page and first_class in workshop_page and "Salle 1900" in workshop_page
    assert "14 h 05 – 14 h 45" in workshop_page
    assert client.get("/chevregny/journee/999999").status_code == 404


def test_entries_count_pupils_and_adults_at_the_day_price(app, world):
    client = app.test_client()
    login(client, "gestion")
    with app.app_context():
        day = db.session.query(ChevregnyDay).filter_by(school_year_id=world["year"], label="Journée 1").one()
        count, amount = entries_of(day)
        expected = sum(a.pupils + 2 for a in classes_of(day))
        assert (count, amount) == (expected, Decimal("3.50") * expected)
        application = classes_of(day)[0]
        app_id, pupils = application.id, application.pupils
    refused = post_form(client, f"/chevregnyapplicationview/edit/{app_id}", {"pupils": "0", "adults": "3", "day": day.id, "transport_quote": "410.00"})
    assert "Une classe compte de 1 à 40 élèves." in refused.get_data(as_text=True) and 'value="410.00"' in refused.get_data(as_text=True)
    quote = (io.BytesIO(_pdf_bytes()), "devis-cars-darche.pdf")
    saved = post_form(
        client, f"/chevregnyapplicationview/edit/{app_id}", {"pupils": str(pupils), "adults": "4", "day": day.id, "transport_quote": "410.00", "quote_upload": quote},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert saved.status_code == 302
    shown = client.get(f"/chevregnyapplicationview/show/{app_id}").get_data(as_text=True)
    assert "devis-cars-darche.pdf" in shown and "410,00" in shown
    download = client.get(f"/chevregnyapplicationview/fichier/{app_id}/quote_file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    with app.app_context():
        day = db.session.get(ChevregnyDay, day.id)
        assert entries_of(day)[0] == expected + 2
        total, _total_amount = figures(current_year())["entries"], figures(current_year())["entries_amount"]
        assert total == expected + 2 + sum(a.entries for a in classes_of(db.session.query(ChevregnyDay).filter_by(label="Journée 2", school_year_id=world["year"]).one()))
    page = client.get(f"/chevregny/journee/{day.id}").get_data(as_text=True)
    assert f"{expected + 2} entrée(s) au musée à 3,50 €" in page
    assert "Total de l'année" in client.get("/chevregny/").get_data(as_text=True)


def test_transport_aid_requests_are_created_once_and_follow_the_aid_workflow(app, world):
    client = app.test_client()
    login(client, "gestion")
    confirm = client.get("/chevregny/aides").get_data(as_text=True)
    assert "12 demande(s) d'aide au transport seront créées" in confirm and "410,00 €" in confirm and "300,00 €" in confirm
    assert post_form(client, "/chevregny/aides", {}).status_code == 302
    assert post_form(client, "/chevregny/aides", {}, token_from="/chevregny/").status_code == 302  # twice: nothing more
    assert "Chaque classe retenue a déjà sa demande" in client.get("/chevregny/aides").get_data(as_text=True)
    with app.app_context():
        year = current_year()
        requests = db.session.query(AidRequest).filter_by(school_year_id=year.id, kind=TRANSPORT).all()
        assert len(requests) == 12
        applications = retained_applications(year)
        assert all(a.aid_request_id for a in applications) and len({a.aid_request_id for a in applications}) == 12
        quoted = next(a for a in applications if a.transport_quote == Decimal("410.00"))
        assert quoted.aid_request.amount_requested == Decimal("410.00") and quoted.aid_request.classroom_id == quoted.registration.classroom_id
        assert quoted.aid_request.request_file.filename == "devis-cars-darche.pdf"  # the bus quote goes with the request
        request = quoted.aid_request
        aid.decide(request, Decimal("400.00"), date.today(), note="Transport pris en charge")
        aid.pay(request, Decimal("400.00"), date.today(), aid.TRANSFER)
        found = figures(year)["aid"]
        assert (found["count"], found["granted"], found["paid"]) == (12, Decimal("400.00"), Decimal("400.00"))
    page = client.get("/chevregny/").get_data(as_text=True)
    assert "accordé : 400,00 € ; versé : 400,00 €" in page.replace("\u202f", " ")
    home = client.get("/").get_data(as_text=True)
    assert "Musée de Chevregny : classes retenues" in home and "12 / 14" in home


def test_lists_and_pages_answer_in_french_for_each_role(app, world):
    for username in ("animation", "gestion", "conseil"):
        client = app.test_client()
        login(client, username)
        days = client.get("/chevregnydayview/list/")
        assert days.status_code == 200 and "Journées au Musée de Chevregny" in days.get_data(as_text=True) and "Voir la rotation" in days.get_data(as_text=True)
        applications = client.get("/chevregnyapplicationview/list/").get_data(as_text=True)
        assert "Classes candidates aux journées au musée" in applications and "Entrées au musée" in applications
        assert "Ateliers des journées au musée" in client.get("/chevregnyworkshopview/list/").get_data(as_text=True)
        hub = client.get("/chevregny/").get_data(as_text=True)
        assert "Journées coopératives au Musée de Chevregny" in hub and "12 classe(s) retenue(s) sur 12 places" in hub
    # the board reads but neither edits, exports, prints nor creates aid requests
    assert client.get("/chevregnyapplicationview/export/csv").status_code in (302, 403)
    assert client.get("/chevregnyworkshopview/edit/1").status_code in (302, 403)
    assert client.get("/chevregny/aides").status_code in (302, 403)
    assert client.get("/chevregny/journee/1/emplois-du-temps").status_code in (302, 403)
    animation = app.test_client()
    login(animation, "animation")
    export = animation.get("/chevregnyapplicationview/export/csv")
    exported = export.get_data(as_text=True)
    assert export.status_code == 200 and "Aide au transport : statut" in exported and "Retenue" in exported and "Versée" in exported


def test_switched_off_next_year_its_menu_is_gone_and_this_year_is_intact(app, world):
    with app.app_context():
        year = current_year()
        report = open_next_year(year)
        plugin = current_manager().get(CODE)
        set_switch(current_manager(), plugin, report.year, False)
        assert CODE not in enabled_codes(report.year) and CODE in enabled_codes(year)
        next_id, this_id = report.year.id, year.id
    client = app.test_client()
    login(client, "animation")
    assert "Journées au musée : tableau de bord" in client.get("/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": next_id}, token_from="/")
    page = client.get("/").get_data(as_text=True)
    assert "Journées au musée : tableau de bord" not in page and "Musée de Chevregny : classes retenues" not in page
    assert "Journée 1" not in client.get("/chevregnydayview/list/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": this_id}, token_from="/")
    assert "Journée 1" in client.get("/chevregnydayview/list/").get_data(as_text=True)
    with app.app_context():
        year = current_year()
        days = db.session.query(ChevregnyDay).filter_by(school_year_id=year.id).order_by(ChevregnyDay.day).all()
        assert [len(day_plan(day).slots) for day in days] == [36, 36]
        assert len(retained_applications(year)) == 12 and all(a.aid_request is not None for a in retained_applications(year))
        assert db.session.query(AidRequest).filter_by(school_year_id=year.id, kind=TRANSPORT).count() == 12


def test_demo_data_is_deterministic_and_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        sector = db.session.query(Sector).filter_by(name="Laon").one()
        for n in range(15, 32):
            _school(n, "Chauny" if n % 2 else "Hirson", sector, year, levels="CM1-CM2" if n % 3 else "CP")
        db.session.add(Classroom(school_year=year, school=db.session.query(School).filter_by(uai="0029915A").one(), name="PS", levels="PS", cycles="1", pupils=20))
        db.session.add(Partner(name="Musée de l'École publique de Chevregny", kind="musee"))
        db.session.commit()
        set_switch(current_manager(), current_manager().get(CODE), year, True)

        def counts():
            action = action_of(year)
            days = db.session.query(ChevregnyDay).filter_by(school_year_id=year.id).all()
            workshops = db.session.query(ChevregnyWorkshop).filter_by(school_year_id=year.id).count()
            applied = db.session.query(Registration).filter_by(action_id=action.id).count()
            retained = db.session.query(Registration).filter_by(action_id=action.id, status=ACCEPTED).count()
            aids = db.session.query(AidRequest).filter_by(school_year_id=year.id, kind=TRANSPORT).all()
            return len(days), workshops, applied, retained, len(aids), sorted(a.status for a in aids).count("versee")

        add_demo(year)
        db.session.commit()
        first = counts()
        assert first == (2, 12, 15, 12, 12, 1)
        assert {d.day.month for d in db.session.query(ChevregnyDay).filter_by(school_year_id=year.id)} == {5}
        assert all(w.leader for w in db.session.query(ChevregnyWorkshop).filter_by(school_year_id=year.id))
        add_demo(year)
        db.session.commit()
        assert counts() == first
        (tie,) = db.session.query(ActionPartner).filter_by(action_id=action_of(year).id).all()
        assert tie.partner.name == "Musée de l'École publique de Chevregny"  # the museum's accounts see the retained classes
