"""The selection engine of in-class interventions: rules, explanations, order and proposed days.

Pure Python: no application, no database. The property-style test at the end uses a
seeded random loop (``hypothesis`` is not installed in this environment).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta

import pytest

from app.interventions.selection import Candidate, History, ProposedDay, Ranked, RulePart, Weights, propose_days, rank

T0 = datetime(2025, 9, 15, 8, 0)
RULE_ORDER = ("never_helped", "whole_team", "sector", "override")
NEVER_HELPED_DETAIL = "Aucune intervention réalisée jusqu'ici pour cette coopérative : elle passe en priorité."


def make(id: int, **fields) -> Candidate:
    """A request of its own cooperative, school and sector unless told otherwise."""
    values = dict(
        id=id,
        cooperative_id=1000 + id,
        school_id=2000 + id,
        classroom_id=3000 + id,
        sector=f"Secteur {id}",
        teacher_id=4000 + id,
        theme_id=1,
        theme_label="Message clair",
        requested_at=T0 + timedelta(minutes=id),
    )
    values.update(fields)
    return Candidate(**values)


def history(helped_cooperatives=(), helped_teacher_themes=(), classes_per_school=None) -> History:
    return History(frozenset(helped_cooperatives), frozenset(helped_teacher_themes), dict(classes_per_school or {}))


def helped_all(*candidates: Candidate, **kwargs) -> History:
    """A history where every given cooperative was already helped, to isolate the other rules."""
    return history(helped_cooperatives={c.cooperative_id for c in candidates}, **kwargs)


def by_id(results: list[Ranked]) -> dict[int, Ranked]:
    return {item.candidate.id: item for item in results}


def part(item: Ranked, rule: str) -> RulePart | None:
    found = [p for p in item.parts if p.rule == rule]
    assert len(found) <= 1, f"rule {rule} appears {len(found)} times"
    return found[0] if found else None


def ids(results: list[Ranked]) -> list[int]:
    return [item.candidate.id for item in results]


# --- never_helped ---------------------------------------------------------------------------------------------


def test_never_helped_cooperative_gets_100_points_with_its_explanation():
    [item] = rank([make(1)], history())
    assert item.parts == (RulePart("never_helped", "Coopérative jamais accompagnée", 100, NEVER_HELPED_DETAIL),)
    assert item.score == 100
    assert item.rank == 1 and not item.excluded and item.exclusion is None


def test_already_helped_cooperative_gets_no_priority():
    candidate = make(1)
    [item] = rank([candidate], helped_all(candidate))
    assert item.parts == ()
    assert item.score == 0


def test_never_helped_is_per_cooperative_not_per_school():
    helped_school_other_coop = make(2, school_id=7)
    helped = make(1, school_id=7)
    results = by_id(rank([helped, helped_school_other_coop], history(helped_cooperatives={helped.cooperative_id})))
    assert part(results[1], "never_helped") is None
    assert part(results[2], "never_helped").points == 100


# --- whole_team -----------------------------------------------------------------------------------------------


def test_whole_team_ticked_by_staff_gets_40_points():
    candidate = make(1, whole_team=True)
    [item] = rank([candidate], helped_all(candidate))
    detail = "Indiqué par l'équipe de l'OCCE : toute l'équipe de l'école est motivée."
    assert item.parts == (RulePart("whole_team", "Équipe entière motivée", 40, detail),)
    assert item.score == 40


def school_requests(count: int, school_id: int = 7, **fields) -> list[Candidate]:
    """``count`` requests of one school, one per classroom, each in its own sector (to isolate the rule)."""
    return [make(i, school_id=school_id, classroom_id=100 + i, **fields) for i in range(1, count + 1)]


def test_whole_team_computed_when_every_class_of_the_school_asked():
    candidates = school_requests(3)
    results = rank(candidates, helped_all(*candidates, classes_per_school={7: 3}))
    detail = "3 classes sur 3 ont demandé : toute l'équipe de l'école est motivée."
    for item in results:
        assert part(item, "whole_team") == RulePart("whole_team", "Équipe entière motivée", 40, detail)
        assert item.score == 40


def test_whole_team_not_computed_when_one_class_is_missing():
    candidates = school_requests(2)
    results = rank(candidates, helped_all(*candidates, classes_per_school={7: 3}))
    assert all(part(item, "whole_team") is None for item in results)
    assert [item.score for item in results] == [0, 0]


def test_whole_team_counts_distinct_classrooms_not_requests():
    candidates = [make(i, school_id=7, classroom_id=100 + i % 2) for i in range(1, 4)]  # 3 requests from 2 classrooms
    candidates.append(make(9, school_id=7, classroom_id=None))  # a request without a classroom covers nothing
    results = rank(candidates, helped_all(*candidates, classes_per_school={7: 3}))
    assert all(part(item, "whole_team") is None for item in results)


def test_whole_team_threshold_one_class_school_never_gets_it_computed():
    candidate = make(1, school_id=7, classroom_id=100)
    [item] = rank([candidate], helped_all(candidate, classes_per_school={7: 1}))
    assert part(item, "whole_team") is None
    assert item.score == 0


def test_whole_team_threshold_two_class_school_gets_it():
    candidates = school_requests(2)
    results = rank(candidates, helped_all(*candidates, classes_per_school={7: 2}))
    assert [part(item, "whole_team").detail for item in results] == ["2 classes sur 2 ont demandé : toute l'équipe de l'école est motivée."] * 2


def test_whole_team_one_class_school_still_gets_it_when_ticked():
    candidate = make(1, school_id=7, whole_team=True)
    [item] = rank([candidate], helped_all(candidate, classes_per_school={7: 1}))
    assert part(item, "whole_team").points == 40


def test_whole_team_not_computed_for_a_school_of_unknown_size():
    candidates = school_requests(3)
    results = rank(candidates, helped_all(*candidates))
    assert all(part(item, "whole_team") is None for item in results)


def test_whole_team_ignores_excluded_requests():
    candidates = school_requests(2)
    excluded = candidates[0]
    results = by_id(rank(candidates, helped_all(*candidates, helped_teacher_themes={(excluded.teacher_id, excluded.theme_id)}, classes_per_school={7: 2})))
    assert results[excluded.id].excluded
    assert part(results[candidates[1].id], "whole_team") is None


def test_whole_team_ticked_and_computed_gives_one_part_saying_both():
    candidates = school_requests(2)
    candidates[0] = dataclasses.replace(candidates[0], whole_team=True)
    results = by_id(rank(candidates, helped_all(*candidates, classes_per_school={7: 2})))
    ticked = results[candidates[0].id]
    assert [p.rule for p in ticked.parts] == ["whole_team"]
    assert ticked.parts[0].points == 40
    assert ticked.parts[0].detail == "Indiqué par l'équipe de l'OCCE, et 2 classes sur 2 ont demandé : toute l'équipe de l'école est motivée."
    assert part(results[candidates[1].id], "whole_team").detail == "2 classes sur 2 ont demandé : toute l'équipe de l'école est motivée."


# --- sector ---------------------------------------------------------------------------------------------------


def test_sector_neighbours_give_5_points_each_beyond_oneself():
    candidates = [make(i, sector="Laon") for i in range(1, 5)]
    results = rank(candidates, helped_all(*candidates))
    expected = RulePart("sector", "Regroupement par secteur", 15, "4 demandes dans le secteur Laon : une même journée peut les regrouper.")
    assert [item.parts for item in results] == [(expected,)] * 4
    assert [item.score for item in results] == [15] * 4


def test_alone_in_its_sector_gets_no_sector_part():
    laon, soissons = make(1, sector="Laon"), make(2, sector="Soissons")
    results = rank([laon, soissons], helped_all(laon, soissons))
    assert all(item.parts == () for item in results)


def test_sector_points_are_capped_and_the_cap_is_said():
    candidates = [make(i, sector="Laon") for i in range(1, 9)]  # 7 neighbours: 35 points before the cap
    results = rank(candidates, helped_all(*candidates))
    for item in results:
        assert part(item, "sector").points == 30
        assert part(item, "sector").detail == "8 demandes dans le secteur Laon : une même journée peut les regrouper (plafonné à 30 points)."


def test_sector_points_reaching_the_cap_exactly_are_not_said_capped():
    candidates = [make(i, sector="Laon") for i in range(1, 8)]  # 6 neighbours: exactly 30 points
    [first, *_] = rank(candidates, helped_all(*candidates))
    assert part(first, "sector").points == 30
    assert part(first, "sector").detail == "7 demandes dans le secteur Laon : une même journée peut les regrouper."


def test_requests_without_sector_earn_no_grouping_points():
    # they may come from anywhere in the department: nothing says one day can gather them
    candidates = [make(1, sector=None), make(2, sector=None), make(3, sector="Laon"), make(4, sector="Laon")]
    results = by_id(rank(candidates, helped_all(*candidates)))
    for cid in (1, 2):
        assert part(results[cid], "sector") is None and results[cid].score == 0
    detail = "2 demandes dans le secteur Laon : une même journée peut les regrouper."
    assert part(results[3], "sector") == RulePart("sector", "Regroupement par secteur", 5, detail)


def test_excluded_requests_are_not_sector_neighbours():
    candidates = [make(i, sector="Laon") for i in range(1, 4)]
    results = by_id(rank(candidates, helped_all(*candidates, helped_teacher_themes={(candidates[0].teacher_id, 1)})))
    assert results[1].excluded and results[1].parts == ()
    for cid in (2, 3):
        assert part(results[cid], "sector").points == 5
        assert part(results[cid], "sector").detail.startswith("2 demandes dans le secteur Laon")


def test_custom_weights_are_used():
    weights = Weights(never_helped=7, whole_team=3, per_sector_neighbour=2, sector_cap=5)
    candidates = [make(i, sector="Laon", whole_team=True) for i in range(1, 6)]  # 4 neighbours: 8, capped at 5
    results = rank(candidates, history(), weights)
    assert [(p.rule, p.points) for p in results[0].parts] == [("never_helped", 7), ("whole_team", 3), ("sector", 5)]
    assert results[0].score == 15


# --- override -------------------------------------------------------------------------------------------------


def test_positive_override_adds_its_points_with_its_reason():
    candidate = make(1, override_points=25, override_reason="Projet d'école sur les émotions")
    [item] = rank([candidate], helped_all(candidate))
    assert item.parts == (RulePart("override", "Décision manuelle", 25, "Décision manuelle : Projet d'école sur les émotions"),)
    assert item.score == 25


def test_negative_override_lowers_the_score_below_zero():
    candidates = [make(1, override_points=-150, override_reason="Intervention reportée à la demande de l'école"), make(2)]
    results = rank(candidates, history())
    assert ids(results) == [2, 1]
    assert results[1].score == 100 - 150
    assert part(results[1], "override").points == -150
    assert results[1].rank == 2 and not results[1].excluded


def test_override_without_reason_says_so():
    candidate = make(1, override_points=10)
    [item] = rank([candidate], helped_all(candidate))
    assert part(item, "override").detail == "Décision manuelle : motif non renseigné"


def test_zero_override_adds_no_part_even_with_a_reason():
    candidate = make(1, override_points=0, override_reason="Rien")
    [item] = rank([candidate], helped_all(candidate))
    assert item.parts == ()


def test_override_can_beat_the_other_rules():
    favoured = make(2, override_points=200, override_reason="Classe ULIS")
    candidates = [make(1), favoured]
    results = rank(candidates, history(helped_cooperatives={favoured.cooperative_id}))
    assert ids(results) == [2, 1]


def test_parts_come_in_a_fixed_order():
    candidates = [make(i, sector="Laon", school_id=7, classroom_id=100 + i, override_points=1, override_reason="x") for i in (1, 2)]
    results = rank(candidates, history(classes_per_school={7: 2}))
    for item in results:
        assert tuple(p.rule for p in item.parts) == RULE_ORDER
        assert item.score == 100 + 40 + 5 + 1


# --- exclusion ------------------------------------------------------------------------------------------------


def test_teacher_already_helped_for_the_theme_is_excluded_with_reason():
    candidate = make(1, teacher_id=42, theme_id=3, theme_label="Message clair", whole_team=True, override_points=50, override_reason="x")
    [item] = rank([candidate], history(helped_teacher_themes={(42, 3)}))
    assert item.excluded
    assert item.rank is None
    assert item.exclusion == "Enseignant·e déjà accompagné·e en classe pour « Message clair » : l'accompagnement n'est pas renouvelé pour ce thème."
    assert item.score == 0 and item.parts == ()


def test_exclusion_is_per_teacher_and_theme():
    candidates = [
        make(1, teacher_id=42, theme_id=4, theme_label="Émotions"),  # same teacher, another theme
        make(2, teacher_id=43, theme_id=3),  # another teacher, same theme
        make(3, teacher_id=None, theme_id=3),  # unknown teacher: never excluded, even if the history has an unknown teacher too
    ]
    results = rank(candidates, history(helped_teacher_themes={(42, 3), (None, 3)}))
    assert [item.excluded for item in results] == [False, False, False]
    assert sorted(item.rank for item in results) == [1, 2, 3]


def test_excluded_come_after_every_ranked_one_oldest_first():
    candidates = [
        make(1, teacher_id=1, requested_at=T0 + timedelta(days=2)),
        make(2, teacher_id=2, requested_at=T0),
        make(3, override_points=-500, override_reason="Pas cette année"),
        make(4, teacher_id=4, requested_at=T0),
        make(5),
    ]
    results = rank(candidates, history(helped_teacher_themes={(1, 1), (2, 1), (4, 1)}))
    assert ids(results) == [5, 3, 2, 4, 1]
    assert [item.rank for item in results] == [1, 2, None, None, None]
    assert [item.excluded for item in results] == [False, False, True, True, True]


def test_every_one_excluded_gives_no_rank_at_all():
    candidates = [make(1, teacher_id=1), make(2, teacher_id=1)]
    results = rank(candidates, history(helped_teacher_themes={(1, 1)}))
    assert [item.rank for item in results] == [None, None]
    assert propose_days(results) == []


# --- order ----------------------------------------------------------------------------------------------------


def test_higher_score_first_even_when_requested_later():
    late_but_new = make(1, requested_at=T0 + timedelta(days=30))
    early_but_helped = make(2, requested_at=T0)
    results = rank([early_but_helped, late_but_new], history(helped_cooperatives={early_but_helped.cooperative_id}))
    assert ids(results) == [1, 2]
    assert [item.rank for item in results] == [1, 2]


def test_equal_scores_oldest_request_first():
    candidates = [make(1, requested_at=T0 + timedelta(hours=2)), make(2, requested_at=T0), make(3, requested_at=T0 + timedelta(hours=1))]
    results = rank(candidates, history())
    assert [item.score for item in results] == [100, 100, 100]
    assert ids(results) == [2, 3, 1]


def test_equal_scores_and_dates_lowest_id_first():
    candidates = [make(cid, requested_at=T0) for cid in (9, 3, 5)]
    results = rank(candidates, history())
    assert ids(results) == [3, 5, 9]
    assert [item.rank for item in results] == [1, 2, 3]


def test_order_does_not_depend_on_input_order_and_accepts_a_generator():
    candidates = [make(i, sector=f"S{i % 3}", requested_at=T0 + timedelta(minutes=i % 4)) for i in range(1, 30)]
    expected = rank(candidates, history(helped_cooperatives={1003, 1010}))
    shuffled = candidates[:]
    random.Random(4).shuffle(shuffled)
    assert rank((c for c in shuffled), history(helped_cooperatives={1003, 1010})) == expected


def test_no_candidate_no_result():
    assert rank([], history()) == []
    assert propose_days([]) == []


# --- propose_days ---------------------------------------------------------------------------------------------


def test_days_group_a_sector_in_rank_order_best_sector_first():
    candidates = [
        make(1, sector="Laon", requested_at=T0 + timedelta(minutes=5)),
        make(2, sector="Soissons", requested_at=T0),  # oldest request, but Soissons has fewer neighbours
        make(3, sector="Laon", requested_at=T0 + timedelta(minutes=1)),
        make(4, sector="Soissons", requested_at=T0 + timedelta(minutes=9)),
        make(5, sector="Laon", requested_at=T0 + timedelta(minutes=3)),
    ]
    hist = helped_all(*candidates)  # Laon has 3 requests (10 points), Soissons 2 (5 points)
    results = rank(candidates, hist)
    assert ids(results) == [3, 5, 1, 2, 4]
    assert propose_days(results, classes_per_day=2) == [
        ProposedDay("Laon", (3, 5)),
        ProposedDay("Laon", (1,)),
        ProposedDay("Soissons", (2, 4)),
    ]


def test_sectors_follow_their_best_ranked_request():
    candidates = [make(1, sector="Vervins", override_points=50, override_reason="x"), make(2, sector="Laon"), make(3, sector="Laon"), make(4, sector="Vervins")]
    results = rank(candidates, history())
    assert ids(results) == [1, 2, 3, 4]
    assert propose_days(results) == [ProposedDay("Vervins", (1, 4)), ProposedDay("Laon", (2, 3))]


def test_days_are_chunked_by_the_default_of_four_classes():
    candidates = [make(i, sector="Laon") for i in range(1, 10)]
    days = propose_days(rank(candidates, history()))
    assert days == [ProposedDay("Laon", (1, 2, 3, 4)), ProposedDay("Laon", (5, 6, 7, 8)), ProposedDay("Laon", (9,))]


def test_one_class_per_day():
    candidates = [make(1, sector="Laon"), make(2, sector="Laon")]
    assert propose_days(rank(candidates, history()), classes_per_day=1) == [ProposedDay("Laon", (1,)), ProposedDay("Laon", (2,))]


def test_days_leave_out_excluded_and_name_the_missing_sector():
    candidates = [make(1, sector=None), make(2, sector=None, teacher_id=8), make(3, sector=None)]
    results = rank(candidates, history(helped_teacher_themes={(8, 1)}))
    assert propose_days(results) == [ProposedDay("Sans secteur", (1, 3))]


def test_days_follow_ranks_whatever_the_order_given():
    candidates = [make(i, sector="Laon" if i % 2 else "Soissons") for i in range(1, 8)]
    results = rank(candidates, history())
    assert propose_days(list(reversed(results)), 3) == propose_days(results, 3)
    assert propose_days(results, 3)[0] == ProposedDay("Laon", (1, 3, 5))


@pytest.mark.parametrize("classes_per_day", [0, -1])
def test_days_need_at_least_one_class(classes_per_day):
    with pytest.raises(ValueError, match="au moins une classe") as error:
        propose_days(rank([make(1)], history()), classes_per_day=classes_per_day)
    assert f"reçu : {classes_per_day}" in str(error.value)


# --- values ---------------------------------------------------------------------------------------------------


def test_values_are_frozen():
    item = rank([make(1)], history())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.score = 1000  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.candidate.override_points = 1000  # type: ignore[misc]


# --- properties over random inputs ----------------------------------------------------------------------------


def random_case(rng: random.Random) -> tuple[list[Candidate], History, Weights]:
    size = rng.randint(0, 40)
    sectors = ["Laon", "Soissons", "Vervins", None]
    candidates = [
        Candidate(
            id=rng.randint(0, size) if rng.random() < 0.1 else i,  # a few colliding ids too
            cooperative_id=rng.randint(1, 12),
            school_id=(school := rng.randint(1, 6)),
            classroom_id=rng.choice([None, school * 10 + rng.randint(1, 3)]),
            sector=rng.choice(sectors),
            teacher_id=rng.choice([None, rng.randint(1, 10)]),
            theme_id=rng.randint(1, 3),
            theme_label=rng.choice(["Message clair", "Émotions", "Conseil de coop"]),
            requested_at=T0 + timedelta(hours=rng.randint(0, 20)),
            whole_team=rng.random() < 0.2,
            override_points=rng.choice([0, 0, 0, rng.randint(-200, 200)]),
            override_reason=rng.choice(["", "Motif"]),
        )
        for i in range(size)
    ]
    hist = History(
        frozenset(rng.sample(range(1, 13), rng.randint(0, 12))),
        frozenset((rng.randint(1, 10), rng.randint(1, 3)) for _ in range(rng.randint(0, 10))),
        {school: rng.randint(1, 3) for school in range(1, 7)},
    )
    weights = Weights(rng.randint(-10, 150), rng.randint(-10, 60), rng.randint(-3, 10), rng.randint(-5, 40))
    return candidates, hist, weights


def check_invariants(candidates: list[Candidate], hist: History, weights: Weights, results: list[Ranked]) -> None:
    assert sorted(map(id, (r.candidate for r in results))) == sorted(map(id, candidates))  # the same objects, by identity
    ranked = [r for r in results if not r.excluded]
    excluded = [r for r in results if r.excluded]
    assert results == ranked + excluded
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    for r in results:
        assert r.score == sum(p.points for p in r.parts)
        rules = [p.rule for p in r.parts]
        assert rules == [rule for rule in RULE_ORDER if rule in rules]
        is_excluded = r.candidate.teacher_id is not None and (r.candidate.teacher_id, r.candidate.theme_id) in hist.helped_teacher_themes
        assert r.excluded == is_excluded
        assert (r.rank is None) == is_excluded
        assert all(p.points != 0 or p.rule != "override" for p in r.parts)
        if not is_excluded:
            assert ("never_helped" in rules) == (r.candidate.cooperative_id not in hist.helped_cooperatives)
            assert ("override" in rules) == (r.candidate.override_points != 0)
            if r.candidate.whole_team:
                assert "whole_team" in rules
    keys = [(-r.score, r.candidate.requested_at, r.candidate.id) for r in ranked]
    assert keys == sorted(keys)
    assert [(r.candidate.requested_at, r.candidate.id) for r in excluded] == sorted((r.candidate.requested_at, r.candidate.id) for r in excluded)


def check_days(results: list[Ranked], classes_per_day: int) -> None:
    days = propose_days(results, classes_per_day)
    assert sorted(i for day in days for i in day.candidate_ids) == sorted(r.candidate.id for r in results if not r.excluded)
    sector_of = {r.candidate.id: "Sans secteur" if r.candidate.sector is None else r.candidate.sector for r in results if not r.excluded}
    for day in days:
        assert 1 <= len(day.candidate_ids) <= classes_per_day
        assert {sector_of[i] for i in day.candidate_ids} == {day.sector}


def test_random_inputs_keep_every_invariant():
    rng = random.Random(20250915)
    for _ in range(300):
        candidates, hist, weights = random_case(rng)
        results = rank(candidates, hist, weights)
        check_invariants(candidates, hist, weights, results)
        if len({c.id for c in candidates}) == len(candidates):
            check_days(results, rng.randint(1, 5))
