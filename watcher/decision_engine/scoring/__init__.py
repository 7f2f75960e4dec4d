"""Scoring engines (in-process ML-style scorers used by strategies)."""
