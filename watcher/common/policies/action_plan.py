# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

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
