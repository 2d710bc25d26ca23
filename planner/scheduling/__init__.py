"""Course plans, the slot finder, reflow and the period auto-planner (pure: no DB, no Qt).

Inputs are the domain records gathered in ``planner.scheduling.model``; outputs are the
frozen results of ``planner.scheduling.results`` and ``planner.scheduling.autoplan``.
The services in ``planner.services.planning`` read the database into those and
write accepted proposals back.
"""

from planner.scheduling.autoplan import (
    AutoplanResult,
    PlacedInfusion,
    PlanningCancelled,
    UnplacedInfusion,
    autoplan,
    greedy_autoplan,
    verify_placements,
)
from planner.scheduling.model import ClinicSpec, CourseProgress
from planner.scheduling.patterns import PRESETS, normalise_pattern, plan_course
from planner.scheduling.reflow import reflow_course
from planner.scheduling.results import (
    CoursePlan,
    DateProblem,
    PlannedOccurrence,
    ReflowMove,
    ReflowProposal,
    SkippedDate,
    SlotProposal,
    SlotSuggestions,
)
from planner.scheduling.slots import find_course_slots

__all__ = [
    "PRESETS",
    "AutoplanResult",
    "ClinicSpec",
    "CoursePlan",
    "CourseProgress",
    "DateProblem",
    "PlacedInfusion",
    "PlannedOccurrence",
    "PlanningCancelled",
    "ReflowMove",
    "ReflowProposal",
    "SkippedDate",
    "SlotProposal",
    "SlotSuggestions",
    "UnplacedInfusion",
    "autoplan",
    "find_course_slots",
    "greedy_autoplan",
    "normalise_pattern",
    "plan_course",
    "reflow_course",
    "verify_placements",
]
