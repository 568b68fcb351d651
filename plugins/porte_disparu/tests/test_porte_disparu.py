"""« Porté Disparu »: the action, its loan kinds, the relay of federal mails and the import of the federation's recap."""

from __future__ import annotations

import io
import re

import pytest

from app.actions import service as registrations
from app.actions.models import ACCEPTED, Action, Registration
from app.directory.models import Classroom, Cooperative, Person, School
from app.extensions import db
from app.plugins.switches import current_manager, is_on, set_switch
from app.testing import build_test_app, csrf_token, login, post_form, schema_differences
from app.years.service import current_year, get_or_create_year

from ..models import PorteDisparuFederalLine, PorteDisparuRelayedMail
from ..services import add_demo, count_for, ensure_year_action

PACKAGE = __package__.rsplit(".", 2)[0]
IMPORT_URL = "/porte-disparu/recapitulatif/"
HEADER = "N° affiliation;UAI;École;Commune;Enseignant;Classe;Niveau;Effectif"
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("porte_disparu"), plugin_packages=[PACKAGE])


@pytest.fixture(scope="module")
def world(app):
    """Two cooperatives with classes this year (teachers with addresses) and the year's action."""
    with app.app_context():
        year = current_year()
        first, second = School(uai="0020001R", name="École des Marais", commune="Marle"), School(uai="0021234F", name="École du Bois", commune="Sains-Richaumont")
        coop_a = Cooperative(affiliation_number="020901", school=first, status="active")
        coop_b = Cooperative(affiliation_number="020902", school=second, status="active")
        martin = Person(civility="Mme", first_name="Claire", last_name="Martin", email="claire.martin@example.org", school=first)
        durand = Person(civility="M.", first_name="Luc", last_name="Durand", email="luc.durand@example.org", school=second)
        petit = Person(civility="Mme", first_name="Anne", last_name="Petit", email="anne.petit@example.org", school=second)
        classes = {
            "cm1a": Classroom(school_year=year, school=first, teacher=martin, name="CM1 A", levels="CM1", cycles="3", pupils=24),
            "ce2": Classroom(school_year=year, school=first, teacher=martin, name="CE2", levels="CE2", cycles="2", pupils=22),
            "cp": Classroom(school_year=year, school=second, teacher=durand, name="CP", levels="CP", cycles="2", pupils=18),
            "cm2": Classroom(school_year=year, school=second, teacher=petit, name="CM2", levels="CM2", cycles="3", pupils=26),
        }
        db.session.add_all([first, second, coop_a, coop_b, martin, durand, petit, *classes.values()])
        action = ensure_year_action(year)
        db.session.commit()
        return {"action": action.id, "year": year.id, "coop_a": coop_a.id, "coop_b": coop_b.id, **{key: c.id for key, c in classes.items()}}


def _csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode("utf-8")


def _preview(client, data: bytes, filename: str):
    token = csrf_token(client, IMPORT_URL)
    return client.post(
        IMPORT_URL + "apercu", data={"csrf_token": token, "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def _confirm(client, preview_page: str, filename: str):
    token = csrf_token(client, IMPORT_URL)
    return client.post(IMPORT_URL + "confirmer", data={"csrf_token": token, "token": _TOKEN.search(preview_page).group(1), "filename": filename})


def _counts(world):
    registered = db.session.query(Registration).filter_by(action_id=world["action"]).count()
    lines = db.session.query(PorteDisparuFederalLine).filter_by(school_year_id=world["year"]).count()
    return registered, lines


@pytest.fixture()
def animation(app):
    client = app.test_client()
    login(client, "animation")
    return client


def test_plugin_is_loaded_on_and_its_migrations_match(app):
    with app.app_context():
        plugin = current_manager().get("porte_disparu")
        assert plugin.ok, plugin.errors
        assert is_on(plugin, current_year())
        assert set(plugin.hooks) >= {"occe_loan_item_kinds", "occe_plugin_switched", "occe_demo_data", "occe_dashboard_cards"}
    assert schema_differences(app, "porte_disparu") == []


def test_switching_the_plugin_on_declares_the_year_action_once(app):
    with app.app_context():
        year = get_or_create_year("2018-2019")
        db.session.commit()
        plugin = current_manager().get("porte_disparu")
        set_switch(current_manager(), plugin, year, True)
        set_switch(current_manager(), plugin, year, False)
        set_switch(current_manager(), plugin, year, True)
        (action,) = db.session.query(Action).filter_by(school_year_id=year.id, plugin_code="porte_disparu").all()
        assert (action.code, action.name, action.audience) == ("porte_disparu", "Porté Disparu", "classe")


def test_loan_kinds_are_offered_by_the_loans_service(app):
    from app.loans.kinds import item_kinds

    with app.app_context():
        kinds = item_kinds()
        assert kinds["kit_especes"].label == "Kits d'espèces menacées"
        assert kinds["malle_ecocoop"].label == "Malle Ecocoop"
        assert "malle_thematique" in kinds  # the core's own kinds stay


def test_preview_reports_unmatched_lines_and_writes_nothing(app, world, animation):
    data = _csv(
        "020901;;École des Marais;Marle;Mme Martin;CM1 A;CM1;24",
        ";0021234F;École du Bois;Sains-Richaumont;M. Durand;;CP;18",
        "029999;0029999Z;École des Tilleuls;Hirson;Mme Roux;CE2;CE2;24",
        "020901;;École des Marais;Marle;M. Leroy;CM2 B;CM2;25",
        ";;École du Centre;Vervins;Mme Noël;CM1;CM1;27",
    )
    response = _preview(animation, data, "recap-federation.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "5 ligne(s) : 2 à inscrire, 0 déjà inscrite(s), 0 déjà importée(s), 3 non rapprochée(s)" in page
    assert "Ligne 4 : coopérative introuvable dans l&#39;annuaire (n° d&#39;affiliation « 029999 » et UAI « 0029999Z » inconnus)." in page
    assert "Ligne 5 : coopérative 020901 reconnue, mais la classe (classe « CM2 B », enseignant·e « M. Leroy ») n&#39;a pas été identifiée" in page
    assert "Ligne 6 : ni n° d&#39;affiliation ni UAI : impossible de retrouver la coopérative." in page
    with app.app_context():
        assert _counts(world) == (0, 0)


def test_confirmed_csv_import_registers_matched_classes_and_keeps_every_line(app, world, animation):
    data = _csv(
        "020901;;École des Marais;Marle;Mme Martin;CM1 A;CM1;24",
        ";0021234F;École du Bois;Sains-Richaumont;M. Durand;;CP;18",
        "029999;0029999Z;École des Tilleuls;Hirson;Mme Roux;CE2;CE2;24",
    )
    preview = _preview(animation, data, "recap.csv").get_data(as_text=True)
    response = _confirm(animation, preview, "recap.csv")
    assert response.status_code == 302
    listing = animation.get("/portedisparulineview/list/").get_data(as_text=True)
    assert "Récapitulatif importé : 2 classe(s) inscrite(s), 0 déjà inscrite(s), 0 ligne(s) déjà importée(s), 1 ligne(s) non rapprochée(s)." in listing
    assert "029999" in listing and "Non rapprochée" in listing
    with app.app_context():
        assert _counts(world) == (2, 3)
        by_class = {r.classroom_id: r for r in db.session.query(Registration).filter_by(action_id=world["action"])}
        assert set(by_class) == {world["cm1a"], world["cp"]}
        assert {r.status for r in by_class.values()} == {ACCEPTED}
        assert by_class[world["cp"]].pupils == 18 and by_class[world["cp"]].cooperative_id == world["coop_b"]
        unmatched = db.session.query(PorteDisparuFederalLine).filter_by(registration_id=None).one()
        assert (unmatched.line_number, unmatched.cooperative_id) == (4, None)
        assert unmatched.reason == "coopérative introuvable dans l'annuaire (n° d'affiliation « 029999 » et UAI « 0029999Z » inconnus)."
        unmatched_id = unmatched.id
    show = animation.get(f"/portedisparulineview/show/{unmatched_id}").get_data(as_text=True)
    assert "École des Tilleuls" in show and "coopérative introuvable dans l&#39;annuaire" in show
    # the same file again: recognised, nothing doubled
    preview = _preview(animation, data, "recap.csv").get_data(as_text=True)
    assert "3 ligne(s) : 0 à inscrire, 0 déjà inscrite(s), 2 déjà importée(s), 1 non rapprochée(s)" in preview
    assert _confirm(animation, preview, "recap.csv").status_code == 302
    with app.app_context():
        assert _counts(world) == (2, 3)
        assert count_for(current_year()) == 2


def test_xlsx_import_links_a_class_already_registered(app, world, animation):
    import openpyxl

    with app.app_context():
        action = db.session.get(Action, world["action"])
        registrations.register(action, db.session.get(Cooperative, world["coop_b"]), db.session.get(Classroom, world["cm2"]))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["N° d'affiliation", "UAI", "Nom de l'école", "Commune", "Enseignant", "Classe", "Niveau", "Nombre d'élèves"])
    sheet.append([20901, "0020001R", "École des Marais", "Marle", "Mme Martin", "CE2", "CE2", 22])
    sheet.append(["020902", "0021234F", "École du Bois", "Sains-Richaumont", "Mme Petit", "CM2", "CM2", 26])
    sheet.append(["020902", "", "École du Bois", "Sains-Richaumont", "", "CM2", "CM2", "vingt"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _preview(animation, buffer.getvalue(), "recap.xlsx").get_data(as_text=True)
    # 20901 (a number in Excel) is not 020901: the UAI finds the cooperative
    assert "3 ligne(s) : 1 à inscrire, 1 déjà inscrite(s), 0 déjà importée(s), 1 non rapprochée(s)" in preview
    assert "Ligne 4 : effectif « vingt » illisible : un nombre entier est attendu." in preview
    assert _confirm(animation, preview, "recap.xlsx").status_code == 302
    with app.app_context():
        ce2 = db.session.query(Registration).filter_by(action_id=world["action"], classroom_id=world["ce2"]).one()
        assert ce2.status == ACCEPTED and ce2.cooperative_id == world["coop_a"]
        linked = db.session.query(PorteDisparuFederalLine).filter_by(class_name="CM2", registration_id=None).count()
        assert linked == 1  # the unreadable line; the other CM2 line points at the existing registration
        cm2 = db.session.query(Registration).filter_by(classroom_id=world["cm2"]).one()
        assert db.session.query(PorteDisparuFederalLine).filter_by(registration_id=cm2.id).count() == 1


def test_bad_files_get_a_french_message(app, world, animation):
    page = _preview(animation, b"hello", "notes.txt").get_data(as_text=True)
    assert "« notes.txt » n&#39;est ni un CSV ni un XLSX : seuls ces deux formats sont acceptés." in page
    page = _preview(animation, "Nom;Prénom\nMartin;Claire\n".encode(), "autre.csv").get_data(as_text=True)
    assert "Le récapitulatif doit avoir une colonne « N° affiliation » ou « UAI » pour retrouver les coopératives ; colonnes trouvées : Nom, Prénom." in page
    page = _preview(animation, HEADER.encode() + b"\n", "vide.csv").get_data(as_text=True)
    assert "ne contient que la ligne des intitulés" in page
    page = _preview(animation, b"x" * (5 * 1024 * 1024 + 10), "gros.csv").get_data(as_text=True)
    assert "« gros.csv » dépasse 5 Mo" in page
    page = _preview(animation, b"PK\x03\x04 pas un classeur", "faux.xlsx").get_data(as_text=True)
    assert "ce n&#39;est pas un classeur Excel (.xlsx) valide" in page


def test_relaying_a_federal_mail_queues_one_message_per_registered_class_address(app, world, animation):
    from app.mail.models import PENDING, MailMessage

    with app.app_context():
        # the registered classes' addresses: Martin (CM1 A and CE2: one message), Durand (CP), Petit (CM2)
        expected = {"claire.martin@example.org", "luc.durand@example.org", "anne.petit@example.org"}
        assert {r.classroom.teacher.email for r in db.session.query(Registration).filter_by(action_id=world["action"])} == expected
    response = post_form(animation, "/portedisparurelayview/add", {"subject": "Porté Disparu : le défi du printemps", "message": "Observez les oiseaux de la cour."})
    assert response.status_code == 302
    listing = animation.get("/portedisparurelayview/list/").get_data(as_text=True)
    assert "3 courriel(s) personnalisé(s) mis en file d&#39;attente" in listing
    with app.app_context():
        messages = db.session.query(MailMessage).filter_by(module="porte_disparu").all()
        assert sorted(m.recipient_email for m in messages) == sorted(expected)
        assert {m.status for m in messages} == {PENDING}
        martin = next(m for m in messages if m.recipient_email == "claire.martin@example.org")
        assert martin.subject == "[Porté Disparu] Porté Disparu : le défi du printemps"
        assert "Observez les oiseaux de la cour." in martin.body_text and "CE2" in martin.body_text and "CM1 A" in martin.body_text
        relayed = db.session.query(PorteDisparuRelayedMail).one()
        assert (relayed.recipients, relayed.action_id, relayed.relayed_by.username) == (3, world["action"], "animation")
    # without a message the form is refused and what was typed is kept
    page = post_form(animation, "/portedisparurelayview/add", {"subject": "Sans texte", "message": ""}).get_data(as_text=True)
    assert "Collez le texte du courriel de la fédération." in page and "Sans texte" in page
    with app.app_context():
        assert db.session.query(MailMessage).filter_by(module="porte_disparu").count() == 3


def test_relay_with_preview_opens_the_core_mailing_page_with_the_action_chosen(app, world, animation):
    response = animation.get(IMPORT_URL + "relayer")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courriels/envoi/?template=mail:relais_federal&action={world['action']}")
    page = animation.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option selected value="{world["action"]}">Porté Disparu</option>' in page or f'value="{world["action"]}" selected' in page


def test_dashboard_card_compares_with_last_year(app, world):
    with app.app_context():
        assert count_for(current_year()) == 4  # CM1 A, CP, CE2, CM2; none the year before
    client = app.test_client()
    login(client, "conseil")
    home = client.get("/").get_data(as_text=True)
    assert "Porté Disparu : classes inscrites" in home
    assert "+4 par rapport à l&#39;année précédente (0)" in home or "+4 par rapport à l'année précédente (0)" in home


def test_board_and_management_read_but_cannot_import_nor_relay(app, world):
    for username in ("conseil", "gestion"):
        client = app.test_client()
        login(client, username)
        assert client.get("/portedisparulineview/list/").status_code == 200
        assert client.get("/portedisparurelayview/list/").status_code == 200
        assert client.get(IMPORT_URL).status_code in (302, 403)
        assert client.get("/portedisparurelayview/add").status_code in (302, 403)
        token = csrf_token(client, "/portedisparulineview/list/")
        refused = client.post(IMPORT_URL + "apercu", data={"csrf_token": token, "file": (io.BytesIO(_csv("020901;;;;;CM1 A;;")), "r.csv")}, content_type="multipart/form-data")
        assert refused.status_code in (302, 403)


def test_posts_without_csrf_token_are_refused(app, world, animation):
    with app.app_context():
        before = _counts(world)
    response = animation.post(IMPORT_URL + "apercu", data={"file": (io.BytesIO(_csv("020901;;;;;CM1 A;;")), "r.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert animation.post(IMPORT_URL + "confirmer", data={"token": "abc"}).status_code == 400
    assert animation.post("/portedisparurelayview/add", data={"subject": "x", "message": "y"}).status_code == 400
    with app.app_context():
        assert _counts(world) == before
        assert db.session.query(PorteDisparuRelayedMail).filter_by(subject="x").count() == 0


def test_demo_data_is_deterministic_and_never_doubled(app, world):
    from app.loans.models import LoanItem

    with app.app_context():
        year = get_or_create_year("2019-2020")
        school = db.session.get(Cooperative, world["coop_a"]).school
        db.session.add_all(
            [Classroom(school_year=year, school=school, name=f"Classe {n}", levels="CM1", cycles="3", pupils=20 + n) for n in range(3)]
        )
        db.session.commit()
        set_switch(current_manager(), current_manager().get("porte_disparu"), year, True)

        def counts():
            actions = db.session.query(Action).filter_by(school_year_id=year.id, plugin_code="porte_disparu").count()
            registered = db.session.query(Registration).join(Action).filter(Action.school_year_id == year.id, Action.plugin_code == "porte_disparu").count()
            lines = db.session.query(PorteDisparuFederalLine).filter_by(school_year_id=year.id).count()
            unmatched = db.session.query(PorteDisparuFederalLine).filter_by(school_year_id=year.id, registration_id=None).count()
            items = db.session.query(LoanItem).filter(LoanItem.kind.in_(("kit_especes", "malle_ecocoop"))).count()
            return actions, registered, lines, unmatched, items

        add_demo(year)
        db.session.commit()
        assert counts() == (1, 3, 5, 2, 5)
        add_demo(year)
        db.session.commit()
        assert counts() == (1, 3, 5, 2, 5)
        assert db.session.query(LoanItem).filter_by(code="PD-E01").one().checklist_items[0] == "12 albums sur l'environnement"


def test_migrations_go_down_and_up_again(app):
    """Last of the module: drops the plugin's tables, then creates them again."""
    from sqlalchemy import inspect

    from app.plugins import migrations

    with app.app_context():
        plugin = current_manager().get("porte_disparu")
        migrations.downgrade_plugin(plugin, "base")
        db.session.remove()
        assert not {"porte_disparu_federal_line", "porte_disparu_relayed_mail"} & set(inspect(db.engine).get_table_names())
        migrations.upgrade_plugin(plugin)
        assert {"porte_disparu_federal_line", "porte_disparu_relayed_mail"} <= set(inspect(db.engine).get_table_names())
    assert schema_differences(app, "porte_disparu") == []
