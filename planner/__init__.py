"""Infusion Planner: plan IV infusion courses for a small clinic."""

__version__ = "0.1.0"
