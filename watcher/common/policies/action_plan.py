"""Policy rules of /v1/action_plans."""
from watcher.common.policies import base

_ONE = '/v1/action_plans/{action_plan_uuid}'

rules = base.read_rules(
    'action_plan', 'action_plans', 'action_plan_uuid', extra=[
        base.write_rule('action_plan', 'update', 'PATCH', _ONE,
                        'Update an action plan (cancel it, or launch it '
                        'the legacy way).'),
        base.write_rule('action_plan', 'start', 'POST', _ONE + '/start',
                        'Start an action plan.'),
        base.write_rule('action_plan', 'delete', 'DELETE', _ONE,
                        'Delete an action plan.'),
    ])


def list_rules():
    return rules
