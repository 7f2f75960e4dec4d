"""Solutions: what a strategy returns."""
from watcher.decision_engine.solution.base import Solution

__all__ = ['Solution']
