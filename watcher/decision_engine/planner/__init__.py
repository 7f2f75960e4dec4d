"""Planners: turn a solution's unordered actions into an action DAG."""
