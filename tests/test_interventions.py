"""The animator's interventions: the ranking from the database, overrides, day planning, booklets, pages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from app.directory.models import Classroom, Cooperative, Person, School, Sector
from app.extensions import db
from app.interventions import service
from app.interventions.models import DEFAULT_THEMES, DONE, PLANNED, REQUESTED, InterventionDay, InterventionRequest, InterventionTheme
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year


def _theme(name: str) -> InterventionTheme:
    return db.session.query(InterventionTheme).filter_by(name=name).one()


@pytest.fixture(scope="module")
def world(app):
    """Sector Laon: a helped cooperative and a whole-team school; sector Vervins: a lone class."""
    with app.app_context():
        year = current_year()
        last = get_or_create_year(f"{year.start_date.year - 1}-{year.start_date.year}")
        laon, vervins = Sector(name="Laon interventions"), Sector(name="Vervins interventions")
        helped_school = School(uai="0020001R", name="École Aidée", commune="Laon", sector=laon)
        team_school = School(uai="0021234F", name="École Équipe", commune="Laon", sector=laon)
        lone_school = School(uai="0020002T", name="École Seule", commune="Vervins", sector=vervins)
        helped = Cooperative(affiliation_number="020701", school=helped_school, sector=laon)
        team = Cooperative(affiliation_number="020702", school=team_school, sector=laon)
        lone = Cooperative(affiliation_number="020703", school=lone_school, sector=vervins)
        alice = Person(first_name="Alice", last_name="Aidée", school=helped_school)
        bruno = Person(first_name="Bruno", last_name="Equipe", school=team_school)
        chloe = Person(first_name="Chloé", last_name="Equipe", school=team_school)
        denis = Person(first_name="Denis", last_name="Seul", school=lone_school)
        db.session.add_all([laon, vervins, helped_school, team_school, lone_school, helped, team, lone, alice, bruno, chloe, denis])
        classes = {
            "alice": Classroom(school_year=year, school=helped_school, teacher=alice, name="CE2 Alice", levels="CE2", cycles="3", pupils=25),
            "bruno": Classroom(school_year=year, school=team_school, teacher=bruno, name="CP Bruno", levels="CP", cycles="2", pupils=20),
            "chloe": Classroom(school_year=year, school=team_school, teacher=chloe, name="CM1 Chloé", levels="CM1", cycles="3", pupils=22),
            "denis": Classroom(school_year=year, school=lone_school, teacher=denis, name="CM2 Denis", levels="CM2", cycles="3", pupils=18),
        }
        db.session.add_all(classes.values())
        db.session.flush()
        message, emotions = _theme("Message clair"), _theme("Émotions")
        start = datetime(year.start_date.year, 9, 10, 9)

        def request(who, coop, theme, hours, **extra):
            item = InterventionRequest(
                school_year_id=extra.pop("year_id", year.id), cooperative=coop, classroom=classes.get(who), teacher=classes[who].teacher,
                theme=theme, requested_at=start + timedelta(hours=hours), **extra,
            )  # fmt: skip
            db.session.add(item)
            return item

        request("alice", helped, message, -9000, year_id=last.id, status=DONE, done_on=date(year.start_date.year - 1, 11, 5), booklet_given=True)
        items = {
            "alice_again": request("alice", helped, message, 1),
            "alice_other": request("alice", helped, emotions, 2),
            "bruno": request("bruno", team, message, 3),
            "chloe": request("chloe", team, emotions, 4),
            "denis": request("denis", lone, message, 5),
        }
        db.session.commit()
        ids = {name: item.id for name, item in items.items()}
        ids.update(laon=laon.id, vervins=vervins.id, year=year.id, helped=helped.id)
        return ids


def test_the_migration_loads_the_activity_plans_themes(app):
    with app.app_context():
        assert {theme.name for theme in db.session.query(InterventionTheme)} >= set(DEFAULT_THEMES)
        assert service.ensure_default_themes() == 0


def test_the_ranking_reads_the_history_and_explains_each_rule(app, world):
    with app.app_context():
        ranked = {r.candidate.id: r for r in service.ranking(current_year())}
        assert ranked[world["alice_again"]].excluded
        assert "déjà accompagné·e en classe pour « Message clair »" in ranked[world["alice_again"]].exclusion
        team = ranked[world["bruno"]]
        assert {part.rule: part.points for part in team.parts} == {"never_helped": 100, "whole_team": 40, "sector": 10}
        assert "2 classes sur 2" in next(part.detail for part in team.parts if part.rule == "whole_team")
        assert {part.rule for part in ranked[world["alice_other"]].parts} == {"sector"}  # her cooperative was helped before
        assert [r.candidate.id for r in service.ranking(current_year()) if r.rank] == [world["bruno"], world["chloe"], world["denis"], world["alice_other"]]


def test_an_override_needs_a_reason_and_records_who(app, world):
    with app.app_context():
        item = db.session.get(InterventionRequest, world["alice_other"])
        with pytest.raises(ValueError, match="Indiquez pourquoi"):
            service.override(item, 500, "  ", user_id=1)
        service.override(item, 500, "Classe en grande difficulté : priorité décidée en réunion.", user_id=1)
        first = service.ranking(current_year())[0]
        assert first.candidate.id == world["alice_other"]
        assert any(part.rule == "override" and part.points == 500 and "priorité décidée en réunion" in part.detail for part in first.parts)
        assert item.override_by_id == 1 and item.override_at is not None
        service.override(item, 0, "", user_id=1)


def test_planning_a_day_checks_the_rules(app, world):
    with app.app_context():
        year = current_year()
        day = date(year.start_date.year, 11, 17)
        with pytest.raises(ValueError, match="Cochez au moins une demande"):
            service.plan_day(year, day, world["laon"], 1, [])
        with pytest.raises(ValueError, match="déjà accompagné·e"):
            service.plan_day(year, day, world["laon"], 1, [world["alice_again"]])
        with pytest.raises(ValueError, match="n'est pas dans l'année scolaire"):
            service.plan_day(year, date(year.start_date.year - 3, 1, 5), world["laon"], 1, [world["bruno"]])
        with pytest.raises(ValueError, match="4 classes au plus : 5 sont cochées"):
            service.plan_day(year, day, world["laon"], 1, [1, 2, 3, 4, 5])
        planned, warnings = service.plan_day(year, day, world["laon"], 1, [world["bruno"], world["denis"]])
        assert {item.status for item in planned.requests} == {PLANNED}
        assert warnings == ["« CM2 Denis — Message clair » n'est pas du secteur de la journée."]
        with pytest.raises(ValueError, match="déjà une journée le 17/11"):
            service.plan_day(year, day, world["laon"], 1, [world["chloe"]])
        with pytest.raises(ValueError, match="n'est plus en attente"):
            service.plan_day(year, day + timedelta(days=1), world["laon"], 1, [world["bruno"]])
        assert world["bruno"] not in [r.candidate.id for r in service.ranking(year)]  # planned: out of the waiting list


def test_the_booklet_is_recorded_after_the_intervention(app, world):
    client = app.test_client()
    login(client, "animation")
    url = f"/interventionrequestview/edit/{world['bruno']}"
    with app.app_context():
        item = db.session.get(InterventionRequest, world["bruno"])
        kept = {"theme": item.theme_id, "classroom": item.classroom_id, "teacher": item.teacher_id}
    response = post_form(client, url, {**kept, "done_on": date.today().isoformat(), "booklet_given": "y"})
    assert response.status_code == 302, re.findall(r"(?:help-block|alert-danger)[^<]*<?[^<]*", response.get_data(as_text=True))
    with app.app_context():
        item = db.session.get(InterventionRequest, world["bruno"])
        assert item.status == DONE and item.booklet_given
        hub = client.get(f"/cooperativeview/show/{item.cooperative_id}").get_data(as_text=True)
    assert "Interventions en classe" in hub and "Message clair" in hub


def test_the_selection_page_shows_the_ranking_and_plans_a_day(app, world):
    client = app.test_client()
    login(client, "animation")
    page = client.get("/interventions/selection/").get_data(as_text=True)
    assert 'id="ranking"' in page and "Jamais accompagnée" in page and "déjà accompagné·e en classe" in page
    assert f'id="request-{world["chloe"]}"' in page and 'id="proposed-days"' in page
    refused = post_form(client, "/interventions/selection/bonus", {"request_id": world["alice_other"], "points": "20", "reason": ""}, token_from="/interventions/selection/")
    assert "Indiquez pourquoi" in client.get(refused.headers["Location"]).get_data(as_text=True)
    post_form(client, "/interventions/selection/bonus", {"request_id": world["alice_other"], "points": "20", "reason": "Classe isolée"}, token_from="/interventions/selection/")
    with app.app_context():
        item = db.session.get(InterventionRequest, world["alice_other"])
        assert (item.override_points, item.override_reason, item.override_by.username) == (20, "Classe isolée", "animation")
    year_start = current_year_start(app)
    response = post_form(
        client, "/interventions/selection/planifier", {"day": f"{year_start}-12-01", "sector_id": world["laon"], "request_id": [world["chloe"]]}, token_from="/interventions/selection/"
    )
    assert response.status_code == 302 and "/interventiondayview/show/" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(InterventionRequest, world["chloe"]).status == PLANNED
        assert db.session.query(InterventionDay).filter_by(day=date(year_start, 12, 1)).one().animator.username == "animation"


def current_year_start(app) -> int:
    with app.app_context():
        return current_year().start_date.year


def test_readers_see_requests_but_cannot_plan(app, world):
    client = app.test_client()
    login(client, "gestion")
    assert client.get("/interventionrequestview/list/").status_code == 200
    assert client.get("/interventions/selection/").status_code in (302, 403)
    response = post_form(client, "/interventions/selection/planifier", {"day": "2026-12-02", "request_id": [world["alice_other"]]}, token_from="/interventionrequestview/list/")
    assert response.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(InterventionRequest, world["alice_other"]).status == REQUESTED


def test_the_dashboard_counts_this_years_interventions(app, world):
    client = app.test_client()
    login(client, "animation")
    page = client.get("/").get_data(as_text=True)
    assert "Interventions en classe" in page
    with app.app_context():
        from app.interventions.figures import status_counts

        counts = status_counts(current_year())
        assert counts[DONE] == 1 and counts[PLANNED] == 2 and counts[REQUESTED] == 2
        from app.plugins.switches import current_manager

        assert current_manager().get("interventions").hook_errors == {}
