"""The ``infusion-planner/1`` JSON document: a whole clinic, for dump/load and demos."""

FORMAT = "infusion-planner/1"
