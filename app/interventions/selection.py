"""Which teachers' requests for an in-class intervention come first: a pure, explainable ranking.

The departmental animator is alone to give in-class interventions (jeux coopératifs,
discussions philo, message clair, émotions, droits de l'enfant, conseil de coop...),
so the association's activity plan asks staff to choose among the requests. It names
the criteria, and this module turns each of them into points:

``never_helped`` (+100 by default)
    A cooperative that never had a realised intervention comes first: the plan wants
    the animator to reach cooperatives that have not benefited yet.
``whole_team`` (+40)
    The motivation of a whole school team is worth more than one isolated request.
    Staff may tick it by hand; it is also granted when every class of the school
    (at least two) has asked, since that shows the same motivation in the requests.
``sector`` (+5 per other request of the same sector, capped at 30)
    Cooperatives of the same sector can share one day of the animator, which saves
    travelling in a rural department. Requests without a sector earn nothing here (they
    may come from anywhere in the department); they are grouped as "Sans secteur" in the
    proposed days only, for the animator to sort out.
``override`` (any signed figure)
    Staff keep the last word: a manual bonus or penalty, always shown with its reason.

One rule excludes instead of scoring: a teacher already helped in class for a theme is
not helped again for that same theme (the plan says so explicitly). Excluded requests
get no rank, no points, come after every ranked request, and are not counted as
neighbours by the sector rule nor as classes by the whole-team rule.

Every figure comes with a French sentence (``RulePart.detail``), because staff must be
able to tell a teacher why a request was or was not chosen. The score is always the
sum of the parts, the order is fully deterministic (score, then request date, then id),
and ranking is O(n log n): the engine knows nothing about the database or Flask, the
caller builds ``Candidate`` and ``History`` values from whatever it stores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

NO_SECTOR = "Sans secteur"

RULE_NEVER_HELPED = "never_helped"
RULE_WHOLE_TEAM = "whole_team"
RULE_SECTOR = "sector"
RULE_OVERRIDE = "override"

LABELS = {
    RULE_NEVER_HELPED: "Coopérative jamais accompagnée",
    RULE_WHOLE_TEAM: "Équipe entière motivée",
    RULE_SECTOR: "Regroupement par secteur",
    RULE_OVERRIDE: "Décision manuelle",
}


@dataclass(frozen=True)
class Candidate:
    """One teacher's request, as the engine sees it."""

    id: int
    cooperative_id: int
    school_id: int
    classroom_id: int | None
    sector: str | None  # sector name; None means "Sans secteur"
    teacher_id: int | None
    theme_id: int
    theme_label: str  # e.g. "Message clair", used in the French explanations
    requested_at: datetime
    whole_team: bool = False  # staff ticked "toute l'équipe de l'école est motivée"
    override_points: int = 0  # manual override by staff, may be negative
    override_reason: str = ""


@dataclass(frozen=True)
class History:
    """What already happened, as far as the rules need to know."""

    helped_cooperatives: frozenset[int]  # cooperatives with a realised intervention at an earlier date
    helped_teacher_themes: frozenset[tuple[int, int]]  # (teacher_id, theme_id) already helped in class
    classes_per_school: Mapping[int, int]  # number of classes of each school this year


@dataclass(frozen=True)
class Weights:
    never_helped: int = 100
    whole_team: int = 40
    per_sector_neighbour: int = 5
    sector_cap: int = 30


@dataclass(frozen=True)
class RulePart:
    rule: str  # stable code: "never_helped", "whole_team", "sector", "override"
    label: str  # French label
    points: int
    detail: str  # French sentence explaining the figure


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    rank: int | None  # 1-based; None when excluded
    score: int
    parts: tuple[RulePart, ...]  # every rule that applied, in a fixed order; the score is their sum
    exclusion: str | None  # French reason when excluded, else None

    @property
    def excluded(self) -> bool:
        return self.exclusion is not None


@dataclass(frozen=True)
class ProposedDay:
    sector: str
    candidate_ids: tuple[int, ...]


def sector_name(sector: str | None) -> str:
    """The name shown for a sector, "Sans secteur" when there is none."""
    return NO_SECTOR if sector is None else sector


def exclusion_reason(candidate: Candidate, history: History) -> str | None:
    """Why ``candidate`` cannot be helped (in French), or None when it can."""
    if candidate.teacher_id is None or (candidate.teacher_id, candidate.theme_id) not in history.helped_teacher_themes:
        return None
    return (
        f"Enseignant·e déjà accompagné·e en classe pour « {candidate.theme_label} » : "
        "l'accompagnement n'est pas renouvelé pour ce thème."
    )


def _part(rule: str, points: int, detail: str) -> RulePart:
    return RulePart(rule, LABELS[rule], points, detail)


def _never_helped_part(weights: Weights) -> RulePart:
    return _part(RULE_NEVER_HELPED, weights.never_helped, "Aucune intervention réalisée jusqu'ici pour cette coopérative : elle passe en priorité.")


def _complete_schools(eligible: Sequence[Candidate], history: History) -> dict[int, int]:
    """Schools where every class (at least two) has an eligible request, with their number of classes."""
    classrooms: dict[int, set[int]] = defaultdict(set)
    for candidate in eligible:
        if candidate.classroom_id is not None:
            classrooms[candidate.school_id].add(candidate.classroom_id)
    complete = {}
    for school_id, asked in classrooms.items():
        total = history.classes_per_school.get(school_id, 0)
        if total >= 2 and len(asked) >= total:
            complete[school_id] = total
    return complete


def _whole_team_part(ticked: bool, total: int | None, weights: Weights) -> RulePart | None:
    """The whole-team part of a request ticked (or not) by staff, in a school whose ``total`` classes all asked (or None)."""
    if total is None and not ticked:
        return None
    asked = None if total is None else f"{total} classes sur {total} ont demandé"
    if not ticked:
        why = asked
    elif asked is None:
        why = "Indiqué par l'équipe de l'OCCE"
    else:
        why = f"Indiqué par l'équipe de l'OCCE, et {asked}"
    return _part(RULE_WHOLE_TEAM, weights.whole_team, f"{why} : toute l'équipe de l'école est motivée.")


def _sector_part(sector: str | None, count: int, weights: Weights) -> RulePart | None:
    """The sector part of a request among ``count`` eligible requests of its sector (itself included)."""
    if sector is None:
        return None
    uncapped = weights.per_sector_neighbour * (count - 1)
    points = min(uncapped, weights.sector_cap)
    if points <= 0:
        return None
    where = f"dans le secteur {sector}"
    capped = f" (plafonné à {weights.sector_cap} points)" if uncapped > weights.sector_cap else ""
    return _part(RULE_SECTOR, points, f"{count} demandes {where} : une même journée peut les regrouper{capped}.")


def _override_part(candidate: Candidate) -> RulePart:
    """The manual part of a candidate whose ``override_points`` is not zero."""
    reason = candidate.override_reason.strip() or "motif non renseigné"
    return _part(RULE_OVERRIDE, candidate.override_points, f"Décision manuelle : {reason}")


def _split(candidates: Iterable[Candidate], history: History) -> tuple[list[Candidate], list[Ranked]]:
    """The eligible candidates, and the excluded ones already wrapped (oldest request first)."""
    eligible: list[Candidate] = []
    excluded: list[Ranked] = []
    helped = history.helped_teacher_themes
    for candidate in candidates:
        if candidate.teacher_id is None or (candidate.teacher_id, candidate.theme_id) not in helped:
            eligible.append(candidate)
        else:
            excluded.append(Ranked(candidate=candidate, rank=None, score=0, parts=(), exclusion=exclusion_reason(candidate, history)))
    excluded.sort(key=lambda item: (item.candidate.requested_at, item.candidate.id))
    return eligible, excluded


def _score(eligible: Sequence[Candidate], history: History, weights: Weights) -> list[tuple[tuple[int, datetime, int], Candidate, int, tuple[RulePart, ...]]]:
    """Each eligible candidate as (sort key, candidate, score, parts), unsorted.

    Apart from the override, a candidate's parts depend only on four shared facts
    (cooperative helped or not, ticked or not, school complete or not, sector): each
    combination is built once and its tuple shared, so ranking thousands of requests
    stays fast in pure Python.
    """
    sector_sizes = Counter(candidate.sector for candidate in eligible)
    complete_schools = _complete_schools(eligible, history)
    helped = history.helped_cooperatives
    combinations: dict[tuple[bool, bool, int | None, str | None], tuple[tuple[RulePart, ...], int]] = {}
    scored = []
    for candidate in eligible:
        facts = (candidate.cooperative_id not in helped, candidate.whole_team, complete_schools.get(candidate.school_id), candidate.sector)
        shared = combinations.get(facts)
        if shared is None:
            shared = combinations[facts] = _shared_parts(facts, sector_sizes[candidate.sector], weights)
        parts, score = shared
        if candidate.override_points:
            parts = (*parts, _override_part(candidate))
            score += candidate.override_points
        scored.append(((-score, candidate.requested_at, candidate.id), candidate, score, parts))
    return scored


def _shared_parts(facts: tuple[bool, bool, int | None, str | None], sector_size: int, weights: Weights) -> tuple[tuple[RulePart, ...], int]:
    """The parts (in the fixed order) and their sum for one combination of shared facts."""
    never_helped, ticked, complete_total, sector = facts
    found = (
        _never_helped_part(weights) if never_helped else None,
        _whole_team_part(ticked, complete_total, weights),
        _sector_part(sector, sector_size, weights),
    )
    parts = tuple(part for part in found if part is not None)
    return parts, sum(part.points for part in parts)


def rank(candidates: Iterable[Candidate], history: History, weights: Weights = Weights()) -> list[Ranked]:
    """Rank the requests: best score first, then oldest request, then lowest id.

    Excluded requests follow, oldest first, with no rank, a score of 0 and no parts.
    Linear work plus one sort: O(n log n).
    """
    eligible, excluded = _split(candidates, history)
    scored = _score(eligible, history, weights)
    scored.sort(key=itemgetter(0))
    # Positional arguments: keyword ones make building thousands of frozen dataclasses about twice slower.
    ranked = [Ranked(candidate, position, score, parts, None) for position, (_, candidate, score, parts) in enumerate(scored, 1)]
    return ranked + excluded


def propose_days(ranked: Sequence[Ranked], classes_per_day: int = 4) -> list[ProposedDay]:
    """Group the ranked requests into days of one sector each, best sectors first.

    Sectors come in the order of their best-ranked request; inside a sector, requests
    keep their rank order and are cut into days of at most ``classes_per_day``.
    """
    if classes_per_day < 1:
        raise ValueError(f"Une journée doit compter au moins une classe (nombre de classes par journée reçu : {classes_per_day}).")
    kept = sorted((item for item in ranked if not item.excluded and item.rank is not None), key=lambda item: item.rank)
    by_sector: dict[str | None, list[int]] = {}
    for item in kept:
        by_sector.setdefault(item.candidate.sector, []).append(item.candidate.id)
    days = []
    for sector, ids in by_sector.items():
        for start in range(0, len(ids), classes_per_day):
            days.append(ProposedDay(sector=sector_name(sector), candidate_ids=tuple(ids[start : start + classes_per_day])))
    return days
