"""Policy rules of /v1/scoring_engines."""
from watcher.common.policies import base

rules = base.read_rules('scoring_engine', 'scoring_engines',
                        'scoring_engine_ident')


def list_rules():
    return rules
