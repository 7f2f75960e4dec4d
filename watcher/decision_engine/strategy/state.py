"""The strategy state seam the decision engine manager imports
(``watcher.decision_engine.strategy.state.get_strategy_info``); the checks
themselves live in ``watcher.decision_engine.strategy_state``.
"""
from watcher.decision_engine.strategy_state import get_strategy_info  # noqa
from watcher.decision_engine.strategy_state import get_strategy_state  # noqa
