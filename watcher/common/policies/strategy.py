"""Policy rules of /v1/strategies."""
from oslo_policy import policy

from watcher.common.policies import base

rules = base.read_rules('strategy', 'strategies', 'strategy_ident', extra=[
    policy.DocumentedRuleDefault(
        name='strategy:state', check_str=base.READER,
        description='Check the requirements of a strategy (datasource, '
                    'metrics, cluster data models).',
        operations=[{'path': '/v1/strategies/{strategy_ident}/state',
                     'method': 'GET'}]),
])


def list_rules():
    return rules
