"""Reusable widgets: week navigation, patient search, status colours."""
