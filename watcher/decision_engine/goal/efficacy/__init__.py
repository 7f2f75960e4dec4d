"""Efficacy specifications of the goals (indicator specs + global)."""
