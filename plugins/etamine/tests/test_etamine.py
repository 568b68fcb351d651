"""Étamine: registrations through the core, trunks through the loans, copies and binding capped at one per pupil."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from app.actions import service as registrations
from app.actions.models import Action, Registration
from app.directory.models import Classroom, Cooperative, School
from app.extensions import db
from app.plugins.switches import current_manager, is_on, set_switch
from app.testing import build_test_app, csrf_token, login, post_form, schema_differences
from app.years.service import current_year, get_or_create_year

from ..models import EtamineCopyRequest
from ..services import CopyRequestRefused, add_demo, advance, registration_count, request_copies

PACKAGE = __package__.rsplit(".", 2)[0]
PLUGIN_FOLDER = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("etamine"), plugin_packages=[PACKAGE])


def etamine_action(year) -> Action:
    return db.session.query(Action).filter_by(school_year_id=year.id, plugin_code="etamine").one()


@pytest.fixture(scope="module")
def world(app):
    """A cooperative with three classes of this year, two of them registered to Étamine."""
    with app.app_context():
        year = current_year()
        school = School(uai="0020001R", name="École Jean Macé", commune="Laon")
        cooperative = Cooperative(affiliation_number="020901", school=school, status="active")
        cm1 = Classroom(school=school, school_year=year, name="CM1 B", levels="CM1", cycles="3", pupils=24)
        ce2 = Classroom(school=school, school_year=year, name="CE2", levels="CE2", cycles="2", pupils=22)
        cp = Classroom(school=school, school_year=year, name="CP", levels="CP", cycles="2", pupils=20)
        db.session.add_all([school, cooperative, cm1, ce2, cp])
        db.session.flush()
        action = etamine_action(year)
        today = action.opens_on
        first = registrations.register(action, cooperative, cm1, today=today, commit=False)
        # the registration's own pupils count (18 pupils take part) caps the request, not the class's 22
        second = registrations.register(action, cooperative, ce2, pupils=18, today=today, commit=False)
        db.session.commit()
        return {"cooperative": cooperative.id, "cm1": first.id, "ce2": second.id, "cp": cp.id, "action": action.id}


def test_plugin_is_loaded_on_with_its_action_and_migrations_match(app):
    with app.app_context():
        plugin = current_manager().get("etamine")
        assert plugin.ok, plugin.errors
        assert plugin.info.kind == "federale" and plugin.info.label == "Étamine"
        assert is_on(plugin, current_year())
        # switched on by the first upgrade: the year's action exists, for classes
        action = etamine_action(current_year())
        assert (action.code, action.name, action.audience) == ("etamine", "Étamine", "classe")
        assert action.opens_on == date(current_year().start_date.year, 9, 1)
    assert schema_differences(app, "etamine") == []


def test_classes_register_through_the_core_service(app, world):
    with app.app_context():
        assert registration_count(current_year()) == 2
        action = db.session.get(Action, world["action"])
        cooperative = db.session.get(Cooperative, world["cooperative"])
        cm1 = db.session.get(Registration, world["cm1"]).classroom
        reasons = registrations.refusal_reasons(action, cooperative, cm1, today=action.opens_on)
        assert reasons == ["La classe « CM1 B » est déjà inscrite à « Étamine » (statut : Demandée)."]


def test_the_trunks_are_loan_item_kinds(app):
    from app.loans.kinds import item_kinds

    with app.test_request_context():
        kinds = item_kinds()
        assert kinds["malle_etamine"].label == "Malles Étamine (livres des classes)"
        assert kinds["malle_lecture"].label == "Malle lecture"


def test_the_service_caps_copies_at_one_per_pupil(app, world):
    with app.app_context():
        cm1 = db.session.get(Registration, world["cm1"])
        with pytest.raises(CopyRequestRefused) as refused:
            request_copies(cm1, "Le voyage de la petite graine", 30)
        assert str(refused.value) == "30 exemplaires demandés : au plus 24, un par élève de la classe « CM1 B »."
        ce2 = db.session.get(Registration, world["ce2"])
        with pytest.raises(CopyRequestRefused) as refused:
            request_copies(ce2, "Contes de l'Oise", 19)
        assert str(refused.value) == "19 exemplaires demandés : au plus 18, un par élève de la classe « CE2 »."
        with pytest.raises(CopyRequestRefused) as refused:
            request_copies(cm1, "Rien", 0)
        assert str(refused.value) == "Indiquez le nombre d'exemplaires demandés (1 au moins)."
        request = request_copies(ce2, "Contes de l'Oise", 18)
        db.session.commit()
        assert (request.status, request.cooperative_id, request.school_year_id, request.classroom.name) == ("demande", world["cooperative"], current_year().id, "CE2")


def test_the_form_refuses_too_many_copies_in_french_and_keeps_what_was_typed(app, world):
    client = app.test_client()
    login(client, "animation")
    fields = {"registration": str(world["cm1"]), "book_title": "Les secrets de la forêt <i>magique</i>", "copies": "30", "notes": "Pour la fête de l'école"}
    response = post_form(client, "/copyrequestview/add", fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "30 exemplaires demandés : au plus 24, un par élève de la classe « CM1 B »." in page
    assert "Les secrets de la forêt &lt;i&gt;magique&lt;/i&gt;" in page and "Pour la fête de l&#39;école" in page
    with app.app_context():
        assert db.session.query(EtamineCopyRequest).filter_by(registration_id=world["cm1"]).count() == 0
    response = post_form(client, "/copyrequestview/add", {**fields, "copies": "24"})
    assert response.status_code == 302
    with app.app_context():
        request = db.session.query(EtamineCopyRequest).filter_by(registration_id=world["cm1"]).one()
        assert (request.copies, request.status, request.classroom.name, request.requested_on) == (24, "demande", "CM1 B", date.today())
    listing = client.get("/copyrequestview/list/").get_data(as_text=True)
    assert "Les secrets de la forêt" in listing and "demandé" in listing and "020901" in listing
    # editing keeps the cap too
    with app.app_context():
        pk = db.session.query(EtamineCopyRequest).filter_by(registration_id=world["cm1"]).one().id
    show = client.get(f"/copyrequestview/show/{pk}").get_data(as_text=True)
    assert "Demandé le" in show and "Exemplaires" in show and "CM1 B" in show
    export = client.get("/copyrequestview/export/csv").get_data(as_text=True)
    assert "Titre du livre" in export and "Contes de l'Oise" in export and "demandé" in export
    edited = post_form(client, f"/copyrequestview/edit/{pk}", {"book_title": "Les secrets de la forêt", "copies": "25", "notes": ""})
    assert "25 exemplaires demandés : au plus 24, un par élève de la classe « CM1 B »." in edited.get_data(as_text=True)


def _step(client, action_name, *pks):
    token = csrf_token(client, "/copyrequestview/list/")
    data = {"action": action_name, "rowid": [str(pk) for pk in pks], "csrf_token": token}
    client.post("/copyrequestview/action_post", data=data)
    return client.get("/copyrequestview/list/").get_data(as_text=True)


def test_statuses_move_forward_one_step_at_a_time(app, world):
    with app.app_context():
        pks = [r.id for r in db.session.query(EtamineCopyRequest).order_by(EtamineCopyRequest.id)]
    assert len(pks) == 2
    client = app.test_client()
    login(client, "animation")
    page = _step(client, "mark_bound", pks[0])
    assert "La demande « Contes de l&#39;Oise » (CE2) est « demandé » : elle ne peut pas passer à « relié » (étape suivante : « imprimé »)." in page
    page = _step(client, "mark_printed", *pks)  # a multiple selection
    assert "2 demande(s) imprimée(s)." in page
    _step(client, "mark_bound", pks[0])
    page = _step(client, "mark_delivered", pks[0])
    assert "1 demande(s) livrée(s)." in page
    page = _step(client, "mark_delivered", pks[0])
    assert "La demande « Contes de l&#39;Oise » (CE2) est déjà « livré » : plus rien à faire." in page
    with app.app_context():
        first, second = (db.session.get(EtamineCopyRequest, pk) for pk in pks)
        assert (first.status, first.printed_on, first.bound_on, first.delivered_on) == ("livre", date.today(), date.today(), date.today())
        # every step is in the history of changes, with who did it
        from app.audit.models import AuditEntry

        steps = db.session.query(AuditEntry).filter_by(table_name="etamine_copy_request", row_id=str(pks[0])).filter(AuditEntry.changes.like("%livre%")).all()
        assert [entry.user.username for entry in steps] == ["animation"]
        assert (second.status, second.bound_on) == ("imprime", None)
        with pytest.raises(ValueError, match="ne peut pas passer à « demandé »"):
            advance(second, "demande")


def test_the_board_reads_but_cannot_add_nor_move_a_step(app, world):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/copyrequestview/list/").status_code == 200
    assert client.get("/copyrequestview/add").status_code in (302, 403)
    with app.app_context():
        pk = db.session.query(EtamineCopyRequest).filter_by(status="imprime").one().id
    token = csrf_token(client, "/copyrequestview/list/")
    client.post("/copyrequestview/action_post", data={"action": "mark_bound", "rowid": str(pk), "csrf_token": token})
    with app.app_context():
        assert db.session.get(EtamineCopyRequest, pk).status == "imprime"


def test_dashboard_card_and_cooperative_tab(app, world):
    client = app.test_client()
    login(client, "animation")
    home = client.get("/").get_data(as_text=True)
    assert "Étamine : classes inscrites" in home and "+2 par rapport à l&#39;année précédente (0)" in home
    from .. import occe_cooperative_tabs

    with app.test_request_context():
        (tab,) = occe_cooperative_tabs(db.session.get(Cooperative, world["cooperative"]))
        assert tab.title == "Étamine : copies et reliures"
        assert sorted(row[1:] for row in tab.rows) == [("CE2", "Contes de l'Oise", 18, "livré"), ("CM1 B", "Les secrets de la forêt <i>magique</i>", 24, "imprimé")]


def test_the_list_shows_only_the_viewed_year(app, world):
    with app.app_context():
        other = get_or_create_year("2018-2019")
        db.session.commit()
        other_id = other.id
    client = app.test_client()
    login(client, "animation")
    assert "Contes de l" in client.get("/copyrequestview/list/").get_data(as_text=True)
    with client.session_transaction() as session:
        session["occe_year_id"] = other_id
    assert "Contes de l" not in client.get("/copyrequestview/list/").get_data(as_text=True)


def test_demo_data_is_deterministic_idempotent_and_covers_every_status(app, world):
    from app.loans.models import LoanItem

    with app.app_context():
        year = get_or_create_year("2019-2020")
        school = db.session.get(Cooperative, world["cooperative"]).school
        db.session.add_all(Classroom(school=school, school_year=year, name=f"Classe {n}", levels="CM2", cycles="3", pupils=20 + n) for n in range(24))
        db.session.flush()
        set_switch(current_manager(), current_manager().get("etamine"), year, True)

        def snapshot():
            rows = db.session.query(EtamineCopyRequest).filter_by(school_year_id=year.id).order_by(EtamineCopyRequest.id)
            return (
                registration_count(year),
                [(r.classroom.name, r.book_title, r.copies, r.status) for r in rows],
                db.session.query(LoanItem).filter(LoanItem.code.in_(["ET-2023", "ET-2024", "LECTURE-01"])).count(),
            )

        add_demo(year)
        db.session.commit()
        first = snapshot()
        assert first[0] == 20 and first[2] == 3
        assert {status for *_, status in first[1]} == {"demande", "imprime", "relie", "livre"}
        assert all(copies <= int(name.split()[1]) + 20 for name, _title, copies, _status in first[1])
        add_demo(year)
        db.session.commit()
        assert snapshot() == first


def test_demo_of_the_current_year_switches_etamine_on_for_last_year(app, world):
    from app.years.service import get_year, previous_label

    with app.app_context():
        year = current_year()
        previous = get_or_create_year(previous_label(year.label))
        db.session.commit()
        plugin = current_manager().get("etamine")
        assert not is_on(plugin, previous)
        add_demo(year)
        db.session.commit()
        previous = get_year(previous_label(year.label))
        assert is_on(plugin, previous)
        assert etamine_action(previous).opens_on == date(previous.start_date.year, 9, 1)
        # this year's registrations were there already: the demo adds none
        assert registration_count(year) == 2


def test_switched_off_for_a_year_its_menu_and_card_hide_and_registrations_refuse(app, world):
    from app.years.service import get_year, previous_label

    with app.app_context():
        previous = get_year(previous_label(current_year().label))
        plugin = current_manager().get("etamine")
        set_switch(current_manager(), plugin, previous, False)
        previous_id = previous.id
        action = etamine_action(previous)
        reasons = registrations.refusal_reasons(action, db.session.get(Cooperative, world["cooperative"]), None, today=action.opens_on)
        assert f"« Étamine » n'est pas proposée en {previous.label} : son module est désactivé." in reasons
    client = app.test_client()
    login(client, "animation")
    with client.session_transaction() as session:
        session["occe_year_id"] = previous_id
    home = client.get("/").get_data(as_text=True)
    assert 'href="/copyrequestview/list/"' not in home and "Étamine : classes inscrites" not in home
    assert client.get("/copyrequestview/list/").status_code == 200  # the view stays registered: past data stays readable
    with app.app_context():
        set_switch(current_manager(), current_manager().get("etamine"), db.session.get(type(previous), previous_id), True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/copyrequestview/list/"' in home and "Étamine : classes inscrites" in home


@pytest.mark.filterwarnings("ignore:This declarative base already contains:sqlalchemy.exc.SAWarning")
def test_uninstalling_keeps_the_tables_and_reinstalling_brings_everything_back(tmp_path, monkeypatch):
    """Issue 6: delete the folder, the console starts and upgrades, the tables stay; put it back, all reappears."""
    package = tmp_path / "etamine_removable"
    package.mkdir()
    (package / "__init__.py").write_text("")
    copy_ignore = shutil.ignore_patterns("__pycache__", "tests")
    shutil.copytree(PLUGIN_FOLDER, package / "etamine", ignore=copy_ignore)
    monkeypatch.syspath_prepend(str(tmp_path))

    def forget_modules():
        for name in [name for name in sys.modules if name.startswith("etamine_removable")]:
            del sys.modules[name]

    installed = build_test_app(tmp_path / "db", name="etamine_removal", plugin_packages=["etamine_removable"])
    url = installed.config["SQLALCHEMY_DATABASE_URI"]
    with installed.app_context():
        year = current_year()
        school = School(uai="0021234F", name="École Victor Hugo", commune="Soissons")
        cooperative = Cooperative(affiliation_number="020902", school=school, status="active")
        classroom = Classroom(school=school, school_year=year, name="CM2 A", levels="CM2", cycles="3", pupils=26)
        db.session.add_all([school, cooperative, classroom])
        db.session.flush()
        action = etamine_action(year)
        registration = registrations.register(action, cooperative, classroom, today=action.opens_on, commit=False)
        db.session.flush()
        module = sys.modules["etamine_removable.etamine.services"]
        module.request_copies(registration, "Mon école en 2050", 26)
        db.session.commit()

    shutil.rmtree(package / "etamine")
    forget_modules()
    try:
        without = build_test_app(tmp_path / "db", name="etamine_removal", plugin_packages=["etamine_removable"], migrate=False, SQLALCHEMY_DATABASE_URI=url)
        result = without.test_cli_runner().invoke(args=["occe", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "Plugin etamine : absent du disque, ses tables sont conservées (etamine_alembic_version, etamine_copy_request)." in result.output
        with without.app_context():
            assert current_manager().get("etamine") is None
            assert db.session.execute(db.text("SELECT book_title, copies, status FROM etamine_copy_request")).all() == [("Mon école en 2050", 26, "demande")]
            assert db.session.execute(db.text("SELECT count(*) FROM occe_registration")).scalar_one() == 1
        client = without.test_client()
        login(client, "animation")
        assert client.get("/").status_code == 200
        assert client.get("/copyrequestview/list/").status_code == 404
    finally:
        shutil.copytree(PLUGIN_FOLDER, package / "etamine", ignore=copy_ignore, dirs_exist_ok=True)
        forget_modules()

    back = build_test_app(tmp_path / "db", name="etamine_removal", plugin_packages=["etamine_removable"], migrate=False, SQLALCHEMY_DATABASE_URI=url)
    result = back.test_cli_runner().invoke(args=["occe", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Plugin etamine : à jour." in result.output and "absent du disque" not in result.output
    client = back.test_client()
    login(client, "animation")
    listing = client.get("/copyrequestview/list/").get_data(as_text=True)
    assert "Mon école en 2050" in listing and "020902" in listing
    assert "Étamine : classes inscrites" in client.get("/").get_data(as_text=True)
    forget_modules()
