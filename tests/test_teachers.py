"""Teachers' online answers: signed links (issue, resolve, revoke, expire), the public page and its
forms (registration, new class, intervention, cancellation, mail), its defences (CSRF, honeypot, rate
limit, foreign ids, headers), the staff page and its grants, demo data, query budget."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, CANCELLED, REQUESTED, Registration
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector
from app.extensions import db
from app.interventions.models import InterventionRequest, InterventionTheme
from app.interventions.service import ensure_default_themes
from app.mail.models import MailMessage
from app.teachers import service
from app.teachers.models import TeacherLink
from app.testing import build_test_app, csrf_token, login
from app.years.service import current_year

TODAY = date.today()
TEACHER = {"teacher_name": "Claire Lefèvre", "teacher_email": "claire.lefevre@ac-amiens.fr"}


@pytest.fixture(scope="module")
def world(app):
    """Two schools (Laon, Soissons) with their classes, four actions (three open), the themes."""
    with app.app_context():
        year = current_year()
        sector = Sector(name="Laon enseignants")
        school = School(uai="0020123B", name="École Jean Macé", kind="primaire", commune="Laon", sector=sector)
        other_school = School(uai="0020456K", name="École Victor Hugo", kind="primaire", commune="Soissons", sector=sector)
        mandataire = Person(first_name="Anne", last_name="Roussel", email="anne.roussel@ac-amiens.fr", function="mandataire", school=school)
        coop = Cooperative(affiliation_number="027001", school=school, sector=sector, status="active", mandataire=mandataire)
        other = Cooperative(affiliation_number="027002", school=other_school, sector=sector, status="active")
        lone = Cooperative(affiliation_number="027003", school=other_school, sector=sector, status="active")
        db.session.add_all([sector, school, other_school, mandataire, coop, other, lone])
        db.session.flush()
        db.session.add_all([Membership(cooperative_id=c.id, school_year_id=year.id, pupils=100, adults=5) for c in (coop, other)])
        classes = {
            "ce2": Classroom(school_year=year, school=school, name="CE2 Macé", levels="CE2", cycles="2", pupils=25),
            "cm1": Classroom(school_year=year, school=school, name="CM1 Macé", levels="CM1", cycles="3", pupils=23),
            "cm2": Classroom(school_year=year, school=school, name="CM2 Macé", levels="CM2", cycles="3", pupils=21),
            "hugo": Classroom(school_year=year, school=other_school, name="CP Hugo", levels="CP", cycles="2", pupils=19),
        }
        db.session.add_all(classes.values())
        window = {"opens_on": TODAY - timedelta(days=10), "closes_on": TODAY + timedelta(days=40)}
        consom = ensure_action(year, "consom_ens", "Consom'acteur enseignants", **window)
        philo = ensure_action(year, "philo_ens", "Discussions philo enseignants", asks_motivation=True, **window)
        musee = ensure_action(year, "musee_ens", "Journées au Musée de Chevregny", capacity=10, **window)
        ensure_action(year, "close_ens", "Action déjà close", opens_on=TODAY - timedelta(days=60), closes_on=TODAY - timedelta(days=2))
        ensure_default_themes()
        db.session.commit()
        ids = {name: c.id for name, c in classes.items()}
        ids.update(coop=coop.id, other=other.id, lone=lone.id, consom=consom.id, philo=philo.id, musee=musee.id, year=year.id)
        ids["theme"] = db.session.execute(select(InterventionTheme.id).order_by(InterventionTheme.id)).scalars().first()
        ids["path"] = service.issue_link(db.session.get(Cooperative, coop.id), year)
        ids["other_path"] = service.issue_link(db.session.get(Cooperative, other.id), year)
        return ids


def _client(app):
    return app.test_client()


def _token(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _post(client, url, data, page):
    """POST ``data`` with the CSRF token of the page at ``page``."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def _count(model, **filters) -> int:
    return db.session.execute(select(func.count(model.id)).filter_by(**filters)).scalar_one()


def _registration(world, **fields):
    data = {"action_id": world["consom"], "classroom_id": world["ce2"], "pupils": "25", **TEACHER}
    data.update(fields)
    return data


# --- links --------------------------------------------------------------------------------------


def test_the_migration_matches_the_model(app):
    from app.testing import schema_differences

    assert [diff for diff in schema_differences(app) if "occe_teacher_link" in repr(diff)] == []


def test_a_link_is_signed_hashed_and_stable_until_revoked(app, world):
    with app.test_request_context():
        year = db.session.get(type(current_year()), world["year"])
        coop = db.session.get(Cooperative, world["coop"])
        assert service.issue_link(coop, year) == world["path"]  # one live link per cooperative and year
        assert world["path"].startswith("/enseignants/")
        link = service.resolve(_token(world["path"]))
        assert link.cooperative_id == world["coop"] and link.school_year_id == world["year"]
        secret = service._serializer().loads(_token(world["path"]))[1]
        assert secret not in (link.token_hash, link.nonce) and len(link.token_hash) == 64
        assert service.proposal_link_for(coop, year) == "http://localhost" + world["path"]
        assert service.links_for([coop], year) == {world["coop"]: "http://localhost" + world["path"]}
        assert _count(TeacherLink, cooperative_id=world["coop"]) == 1


def test_forged_altered_or_foreign_tokens_are_unknown(app, world):
    from itsdangerous import URLSafeSerializer

    token = _token(world["path"])
    with app.test_request_context():
        link_id, secret = service._serializer().loads(token)
        forged = [
            token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
            "n-importe-quoi",
            URLSafeSerializer("une-autre-cle", salt=service.SALT).dumps([link_id, secret]),
            service._serializer().dumps([link_id + 999, secret]),
            service._serializer().dumps(["x", secret]),
        ]
        for bad in forged:
            with pytest.raises(service.LinkProblem) as problem:
                service.resolve(bad)
            assert problem.value.kind == service.UNKNOWN and problem.value.status == 404
    client = _client(app)
    response = client.get("/enseignants/" + forged[0])
    assert response.status_code == 404
    assert "Ce lien n&#39;existe pas" in response.get_data(as_text=True) or "Ce lien n'existe pas" in response.get_data(as_text=True)


def test_revoking_kills_the_link_and_reissuing_makes_a_new_one(app, world):
    with app.test_request_context():
        year = current_year()
        lone = db.session.get(Cooperative, world["lone"])
        first = service.issue_link(lone, year)
        link = service.resolve(_token(first))
        assert service.revoke(link, user_id=None) is True
        assert service.revoke(link, user_id=None) is False
        with pytest.raises(service.LinkProblem) as problem:
            service.resolve(_token(first))
        assert problem.value.kind == service.REVOKED and problem.value.status == 410
    response = _client(app).get(first)
    assert response.status_code == 410 and "désactivé par l&#39;OCCE" in response.get_data(as_text=True)
    with app.test_request_context():
        second = service.issue_link(db.session.get(Cooperative, world["lone"]), current_year())
        assert second != first
        assert service.resolve(_token(second)).revoked_at is None
        with pytest.raises(service.LinkProblem) as problem:
            service.resolve(_token(first))  # the old token stays dead after the re-issue
        assert problem.value.kind == service.REVOKED
        assert _count(TeacherLink, cooperative_id=world["lone"]) == 1


def test_an_expired_link_answers_410_and_saves_nothing(app, world):
    with app.test_request_context():
        year = current_year()
        path = service.issue_link(db.session.get(Cooperative, world["lone"]), year)
        link = service.resolve(_token(path))
        link.expires_on = TODAY - timedelta(days=1)
        db.session.commit()
    client = _client(app)
    response = client.get(path)
    text = response.get_data(as_text=True)
    assert response.status_code == 410
    assert f"Ce lien a expiré le {TODAY - timedelta(days=1):%d/%m/%Y}" in text and "Lien expiré" in text
    with app.app_context():
        before = _count(Registration)
    response = client.post(path + "/inscrire", data=_registration(world, csrf_token=csrf_token(client, world["path"])))
    assert response.status_code == 410
    with app.app_context():
        assert _count(Registration) == before
        assert service.expiry_for(current_year()) == TODAY + timedelta(days=40)  # the latest closing date


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_school_its_open_actions_and_classes_only(app, world):
    client = _client(app)
    with app.app_context():
        before = (_count(Registration), _count(InterventionRequest), _count(Classroom))
    response = client.get(world["path"])
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "École Jean Macé" in text and "Consom&#39;acteur enseignants" in text and "Journées au Musée de Chevregny" in text
    assert "Action déjà close" not in text
    assert "CE2 Macé" in text and "CP Hugo" not in text and "École Victor Hugo" not in text
    assert "anne.roussel" not in text  # no directory data beyond the school's own classes
    assert "Demandes de l'école" in text and "Demander une intervention en classe" in text
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    assert "/login" not in text and "cdn" not in text.lower() and "appbuilder" not in text.lower()
    assert client.get("/enseignants/static/teachers.css").status_code == 200
    with app.app_context():
        assert (_count(Registration), _count(InterventionRequest), _count(Classroom)) == before  # a GET changes nothing...
        link = db.session.execute(select(TeacherLink).filter_by(cooperative_id=world["coop"])).scalar_one()
        assert link.last_used_at is not None  # ...but the link's last use


def test_a_teacher_registers_a_class_and_gets_a_confirmation_mail(app, world):
    client = _client(app)
    response = _post(client, world["path"] + "/inscrire", _registration(world, action_id=world["musee"], classroom_id=world["cm1"], pupils="23"), world["path"])
    assert response.status_code == 302 and response.headers["Location"].endswith("#demandes")
    with app.app_context():
        registration = db.session.execute(select(Registration).filter_by(action_id=world["musee"], classroom_id=world["cm1"])).scalar_one()
        assert registration.status == REQUESTED and registration.pupils == 23 and registration.cooperative_id == world["coop"]
        assert registration.notes == "Demande en ligne de Claire Lefèvre <claire.lefevre@ac-amiens.fr>"
        mail = db.session.execute(select(MailMessage).filter_by(recipient_email="claire.lefevre@ac-amiens.fr")).scalars().first()
        assert mail is not None and mail.module == "teachers"
        assert "Journées au Musée de Chevregny" in mail.subject and "classe « CM1 Macé », 23 élèves" in mail.body_text
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Votre demande est bien enregistrée" in page
    demandes = page.split('id="demandes"', 1)[1]
    assert "Journées au Musée de Chevregny" in demandes and "CM1 Macé" in demandes and "Demandée" in demandes


def test_a_refused_registration_gives_the_service_reason_and_keeps_what_was_typed(app, world):
    client = _client(app)
    with app.app_context():
        before = _count(Registration)
    data = _registration(world, action_id=world["philo"], classroom_id=world["cm2"], teacher_name="Marc <b>Dupont</b>")
    response = _post(client, world["path"] + "/inscrire", data, world["path"])
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "« Discussions philo enseignants » demande quelques mots de motivation." in text
    assert 'value="Marc &lt;b&gt;Dupont&lt;/b&gt;"' in text and 'value="claire.lefevre@ac-amiens.fr"' in text
    assert f'<option value="{world["philo"]}" selected>' in text
    with app.app_context():
        assert _count(Registration) == before
    # the same class twice: the service's own sentence
    _post(client, world["path"] + "/inscrire", _registration(world, classroom_id=world["cm2"]), world["path"])
    again = _post(client, world["path"] + "/inscrire", _registration(world, classroom_id=world["cm2"]), world["path"])
    assert again.status_code == 422
    assert "La classe « CM2 Macé » est déjà inscrite à « Consom&#39;acteur enseignants » (statut : Demandée)." in again.get_data(as_text=True)


def test_bad_fields_are_explained_in_french(app, world):
    client = _client(app)
    data = _registration(world, teacher_email="pas-une-adresse", pupils="0")
    text = _post(client, world["path"] + "/inscrire", data, world["path"]).get_data(as_text=True)
    assert "Adresse de courriel invalide « pas-une-adresse »" in text and "Entre 1 et 60 élèves." in text
    text = _post(client, world["path"] + "/inscrire", _registration(world, classroom_id="0"), world["path"]).get_data(as_text=True)
    assert "Choisissez la classe inscrite : « Consom&#39;acteur enseignants » s&#39;adresse aux classes." in text
    text = _post(client, world["path"] + "/inscrire", _registration(world, action_id="999999"), world["path"]).get_data(as_text=True)
    assert "Choisissez une des actions ouvertes aux inscriptions." in text


def test_another_schools_class_is_refused(app, world):
    client = _client(app)
    with app.app_context():
        before = _count(Registration)
    response = _post(client, world["path"] + "/inscrire", _registration(world, classroom_id=world["hugo"]), world["path"])
    assert response.status_code == 422
    assert "Cette classe n&#39;est pas une classe de votre école cette année." in response.get_data(as_text=True)
    response = _post(client, world["path"] + "/intervention", {"theme_id": world["theme"], "iclassroom_id": world["hugo"], **TEACHER}, world["path"])
    assert response.status_code == 422
    with app.app_context():
        assert _count(Registration) == before and _count(InterventionRequest, classroom_id=world["hugo"]) == 0


def test_a_class_missing_from_the_directory_is_created_for_the_year(app, world):
    client = _client(app)
    bad = _registration(world, classroom_id="-1", new_class_name="CE1 de Mme Lefèvre", new_class_levels="CE1 XY")
    text = _post(client, world["path"] + "/inscrire", bad, world["path"]).get_data(as_text=True)
    assert "Niveau inconnu « XY »" in text and 'value="CE1 de Mme Lefèvre"' in text
    good = _registration(world, classroom_id="-1", new_class_name="CE1 de Mme Lefèvre", new_class_levels="ce1", pupils="22")
    assert _post(client, world["path"] + "/inscrire", good, world["path"]).status_code == 302
    with app.app_context():
        created = db.session.execute(select(Classroom).filter_by(name="CE1 de Mme Lefèvre")).scalar_one()
        school_id = db.session.get(Cooperative, world["coop"]).school_id
        assert (created.school_id, created.school_year_id, created.levels, created.cycles, created.pupils) == (school_id, world["year"], "CE1", "2", 22)
        assert _count(Registration, classroom_id=created.id, action_id=world["consom"], status=REQUESTED) == 1


def test_a_filled_honeypot_is_silently_discarded(app, world):
    client = _client(app)
    with app.app_context():
        before = (_count(Registration), _count(MailMessage))
    response = _post(client, world["path"] + "/inscrire", _registration(world, classroom_id=world["cm1"], site_web="http://spam.example"), world["path"])
    assert response.status_code == 302 and response.headers["Location"].endswith("#demandes")
    assert "Votre demande est bien enregistrée" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = _post(client, world["path"] + "/intervention", {"theme_id": world["theme"], "iclassroom_id": world["cm1"], "site_web": "x", **TEACHER}, world["path"])
    assert response.status_code == 302
    with app.app_context():
        assert (_count(Registration), _count(MailMessage)) == before


def test_every_post_needs_its_csrf_token(app, world):
    client = _client(app)
    client.get(world["path"])
    with app.app_context():
        before = (_count(Registration), _count(InterventionRequest))
    for url, data in (
        ("/inscrire", _registration(world, classroom_id=world["cm1"])),
        ("/intervention", {"theme_id": world["theme"], "iclassroom_id": world["cm1"], **TEACHER}),
        ("/annuler", {"kind": "inscription", "item_id": "1", "confirm": "oui"}),
    ):
        response = client.post(world["path"] + url, data=data)
        assert response.status_code == 400 and "Le formulaire a expiré" in response.get_data(as_text=True)
    with app.app_context():
        assert (_count(Registration), _count(InterventionRequest)) == before


def test_a_teacher_asks_for_an_intervention_once_per_theme(app, world):
    client = _client(app)
    data = {"theme_id": world["theme"], "iclassroom_id": world["ce2"], "imotivation": "Des tensions en récréation.", **TEACHER}
    response = _post(client, world["path"] + "/intervention", data, world["path"])
    assert response.status_code == 302
    with app.app_context():
        request_row = db.session.execute(select(InterventionRequest).filter_by(classroom_id=world["ce2"])).scalar_one()
        assert request_row.status == REQUESTED and request_row.cooperative_id == world["coop"] and request_row.school_year_id == world["year"]
        assert request_row.motivation == "Des tensions en récréation.\n(Demande en ligne de Claire Lefèvre <claire.lefevre@ac-amiens.fr>)"
        theme = db.session.get(InterventionTheme, world["theme"]).name
    again = _post(client, world["path"] + "/intervention", data, world["path"])
    assert again.status_code == 422
    assert f"La classe « CE2 Macé » a déjà demandé une intervention « {theme} » cette année." in again.get_data(as_text=True).replace("&#39;", "'")
    demandes = client.get(world["path"]).get_data(as_text=True).split('id="demandes"', 1)[1]
    assert f"Intervention : {theme}" in demandes.replace("&#39;", "'")


def test_cancelling_asks_first_and_only_touches_the_schools_own_requests(app, world):
    client = _client(app)
    with app.app_context():
        mine = db.session.execute(select(Registration).filter_by(action_id=world["musee"], classroom_id=world["cm1"])).scalar_one().id
    data = {"kind": "inscription", "item_id": str(mine)}
    confirm = _post(client, world["path"] + "/annuler", data, world["path"])
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Annuler cette demande ?" in text and "Oui, annuler la demande" in text
    with app.app_context():
        assert db.session.get(Registration, mine).status == REQUESTED  # asked, not done
    done = _post(client, world["path"] + "/annuler", {**data, "confirm": "oui"}, world["path"])
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Registration, mine).status == CANCELLED
    # another school's link reaches nothing of this school
    other = _post(client, world["other_path"] + "/annuler", {**data, "confirm": "oui"}, world["other_path"])
    assert other.status_code == 404
    # a request the staff already retained is not cancelled online
    with app.test_request_context():
        from app.actions import service as registrations

        registration = db.session.execute(select(Registration).filter_by(action_id=world["consom"], classroom_id=world["cm2"])).scalar_one()
        registrations.change_status(registration, ACCEPTED)
        retained = registration.id
    response = _post(client, world["path"] + "/annuler", {"kind": "inscription", "item_id": str(retained), "confirm": "oui"}, world["path"])
    assert response.status_code == 302
    assert "seule une demande encore « Demandée » s&#39;annule ici" in client.get(world["path"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Registration, retained).status == ACCEPTED


def test_the_page_needs_a_handful_of_queries(app, world):
    client = _client(app)
    client.get(world["path"])
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(world["path"]).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 12, statements


# --- the staff's page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def staff(app):
    clients = {}
    for role in ("animation", "gestion", "conseil", "partenaire"):
        clients[role] = app.test_client()
        login(clients[role], role)
    return clients


def test_staff_list_create_missing_and_revoke(app, world, staff):
    animation = staff["animation"]
    page = animation.get("/liens-enseignants/list/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Liens des enseignants" in text and "027001" in text and "Créer les liens manquants" in text
    assert animation.get("/liens-enseignants/creer-manquants").status_code == 405  # no change on GET
    with app.app_context():
        db.session.execute(TeacherLink.__table__.delete().where(TeacherLink.cooperative_id == world["other"]))
        db.session.commit()
    token = csrf_token(animation, "/liens-enseignants/list/")
    assert animation.post("/liens-enseignants/creer-manquants", data={}).status_code == 400
    response = animation.post("/liens-enseignants/creer-manquants", data={"csrf_token": token})
    assert response.status_code == 302
    assert "1 lien(s) créé(s)" in animation.get("/liens-enseignants/list/").get_data(as_text=True)
    with app.app_context():
        link = db.session.execute(select(TeacherLink).filter_by(cooperative_id=world["other"])).scalar_one()
        pk = link.id
    show = animation.get(f"/liens-enseignants/show/{pk}").get_data(as_text=True)
    match = re.search(r'id="teacher-url" readonly value="http://localhost(/enseignants/[^"]+)"', show)
    assert match and "Copier le lien" in show
    assert _client(app).get(match.group(1)).status_code == 200
    response = animation.post("/liens-enseignants/action_post", data={"action": "revoke", "rowid": str(pk), "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TeacherLink, pk).revoked_at is not None
        assert db.session.get(TeacherLink, pk).revoked_by_id is not None
    assert _client(app).get(match.group(1)).status_code == 410
    assert "Révoqué" in animation.get("/liens-enseignants/list/?_flt_0_status=revoque").get_data(as_text=True)
    assert "ce lien est révoqué" in animation.get(f"/liens-enseignants/show/{pk}").get_data(as_text=True).lower()


def test_grants_per_role(app, world, staff):
    with app.app_context():
        pk = db.session.execute(select(TeacherLink.id).filter_by(cooperative_id=world["coop"])).scalar_one()
    assert staff["gestion"].get(f"/liens-enseignants/show/{pk}").status_code == 200
    assert staff["conseil"].get("/liens-enseignants/list/").status_code == 200
    assert "Créer les liens manquants" not in staff["conseil"].get("/liens-enseignants/list/").get_data(as_text=True)
    assert staff["conseil"].get(f"/liens-enseignants/show/{pk}").status_code in (302, 403)  # the link itself is not for reading
    token = csrf_token(staff["conseil"], "/liens-enseignants/list/")
    staff["conseil"].post("/liens-enseignants/action_post", data={"action": "revoke", "rowid": str(pk), "csrf_token": token})
    assert staff["conseil"].post("/liens-enseignants/creer-manquants", data={"csrf_token": token}).status_code in (302, 403)
    with app.app_context():
        assert db.session.get(TeacherLink, pk).revoked_at is None
    assert staff["partenaire"].get("/liens-enseignants/list/").status_code in (302, 403)
    assert _client(app).get("/liens-enseignants/list/").status_code in (302, 403)


def test_dashboard_card_and_demo_data(app, world, capsys):
    import app.teachers as teachers

    with app.test_request_context():
        year = current_year()
        (card,) = teachers.occe_dashboard_cards(year)
        assert card.title == "Liens des enseignants" and card.url == "/liens-enseignants/list/"
        assert int(card.value) >= 1
        teachers.occe_demo_data(year)
        first = _count(TeacherLink)
        teachers.occe_demo_data(year)
        assert _count(TeacherLink) == first
    assert capsys.readouterr().out == ""


def test_the_confirmation_template_renders_for_any_mailing(app, world):
    """Listed among the staff's templates, it renders with a plain recipient too (no « demande »)."""
    from app.mail import service as mail
    from app.mail.recipients import Recipient

    with app.test_request_context():
        preview = mail.preview("teachers:confirmation_enseignant", [Recipient("a@ac-amiens.fr", "A", None, {})], year=current_year())
        assert preview.total == 1 and "est bien reçue" in preview.samples[0][1].subject


# --- rate limit ------------------------------------------------------------------------------------


def test_posts_are_rate_limited(app, world, tmp_path_factory):
    """A second console with Flask-Limiter on, over the same database (no second migration: fast)."""
    limited = build_test_app(
        tmp_path_factory.mktemp("teachers_limit"), plugin_packages=["tests.fixture_plugins"], migrate=False,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, OCCE_TEACHERS_POST_LIMIT="3 per minute",
    )
    path = world["path"]
    client = limited.test_client()
    token = csrf_token(client, path)
    answers = [client.post(path + "/inscrire", data={"csrf_token": token, "site_web": "bot"}).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    response = client.post(path + "/annuler", data={"csrf_token": token})
    assert response.status_code == 429 and "Trop de demandes en peu de temps" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200  # reading stays possible
