"""Strategies: pure functions from (model, metrics, parameters) to a
solution.
"""
