"""Policy rules of /v1/goals."""
from watcher.common.policies import base

rules = base.read_rules('goal', 'goals', 'goal_ident')


def list_rules():
    return rules
