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

"""The data the API tests start from, written through the objects layer.

Fixed UUIDs so that the gabbi files can name them; they are also exported
as environment variables (``$ENVIRON['DUMMY_GOAL_UUID']``...).
"""
import datetime

from oslo_utils import timeutils

from watcher.common import context as watcher_context
from watcher import objects

DUMMY_SPEC = {"properties": {
    "para1": {"description": "number parameter example", "type": "number",
              "default": 3.2, "minimum": 1.0, "maximum": 10.2},
    "para2": {"description": "string parameter example", "type": "string",
              "default": "hello"}}}
ACTUATOR_SPEC = {
    "$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
    "properties": {"actions": {"type": "array", "items": {
        "type": "object",
        "properties": {"action_type": {"type": "string"},
                       "resource_id": {"type": "string"},
                       "input_parameters": {"type": "object",
                                            "properties": {},
                                            "additionalProperties": True}},
        "required": ["action_type", "input_parameters"],
        "additionalProperties": True}}},
    "required": ["actions"]}
BASIC_SPEC = {"properties": {
    "migration_attempts": {"description": "Maximum number of combinations",
                           "type": "number", "default": 0},
    "period": {"description": "The time interval in seconds",
               "type": "number", "default": 7200},
    "granularity": {"description": "The time between two measures",
                    "type": "number", "default": 300}}}
CONSOLIDATION_SPEC = [
    {"name": "compute_nodes_count",
     "description": "The total number of enabled compute nodes.",
     "unit": None, "schema": "{\"type\": \"integer\", \"minimum\": 0}"},
    {"name": "released_compute_nodes_count",
     "description": "The number of compute nodes to be released.",
     "unit": None, "schema": "{\"type\": \"integer\", \"minimum\": 0}"},
    {"name": "instance_migrations_count",
     "description": "The number of VM migrations to be performed.",
     "unit": None, "schema": "{\"type\": \"integer\", \"minimum\": 0}"},
]

UUIDS = {
    'DUMMY_GOAL_UUID': 'e618b30b-58b4-4be6-b3f0-314ca72449c9',
    'UNCLASSIFIED_GOAL_UUID': '85c5f017-20b8-4d60-8c92-60d766b9094b',
    'CONSOLIDATION_GOAL_UUID': '9eba963c-ed69-4d2f-9721-ac0514c5b5f6',
    'DUMMY_STRATEGY_UUID': '3d155205-ea16-44f5-9e5e-670ce61370d0',
    'ACTUATOR_STRATEGY_UUID': 'df6a3a52-5662-4433-865c-dc964633a489',
    'BASIC_STRATEGY_UUID': '6defcb57-b642-4b00-9489-65d143d42f5e',
    'SCORER_UUID': 'e5fa307a-430e-4b36-bbab-5bb9658bc13b',
    'DONE_AUDIT_UUID': 'e8648723-fb36-4536-b4fa-4680f590b864',
    'EVENT_AUDIT_UUID': '1c0de5a0-0000-4000-8000-00000000e0e0',
    'ONGOING_AUDIT_UUID': '1c0de5a0-0000-4000-8000-00000000a0a0',
    'PLAN_UUID': '722744c2-60fc-4ed2-9a4b-3c35e607a5ca',
    'ONGOING_PLAN_UUID': '722744c2-0000-4000-8000-0000000000aa',
    'ACTION1_UUID': 'a9002bff-9041-489c-b301-0059ed0fbc96',
    'ACTION2_UUID': 'd3a82cf9-8e31-43ec-996e-7f5a200c040b',
    'ACTION3_UUID': '78c2d18d-6bf4-4eec-a1b6-e5da196e3ff0',
    'ONGOING_ACTION_UUID': '78c2d18d-0000-4000-8000-0000000000aa',
}

DESCRIPTIONS = {
    'nop': 'Logging a NOP message',
    'sleep': 'Wait for a given interval in seconds.',
    'migrate': 'Moving a VM instance from source_node to destination_node',
}


def _create(cls, context, **values):
    obj = cls(context, **values)
    obj.create()
    return obj


def catalogue(context=None):
    """Goals, strategies, a scoring engine, action descriptions, services."""
    ctx = context or watcher_context.get_admin_context()
    goals = {
        'dummy': _create(objects.Goal, ctx, uuid=UUIDS['DUMMY_GOAL_UUID'],
                         name='dummy', display_name='Dummy goal',
                         efficacy_specification=[]),
        'unclassified': _create(
            objects.Goal, ctx, uuid=UUIDS['UNCLASSIFIED_GOAL_UUID'],
            name='unclassified', display_name='Unclassified',
            efficacy_specification=[]),
        'server_consolidation': _create(
            objects.Goal, ctx, uuid=UUIDS['CONSOLIDATION_GOAL_UUID'],
            name='server_consolidation', display_name='Server Consolidation',
            efficacy_specification=CONSOLIDATION_SPEC),
    }
    strategies = {
        'dummy': _create(objects.Strategy, ctx,
                         uuid=UUIDS['DUMMY_STRATEGY_UUID'], name='dummy',
                         display_name='Dummy strategy',
                         goal_id=goals['dummy'].id,
                         parameters_spec=DUMMY_SPEC),
        'actuator': _create(objects.Strategy, ctx,
                            uuid=UUIDS['ACTUATOR_STRATEGY_UUID'],
                            name='actuator', display_name='Actuator',
                            goal_id=goals['unclassified'].id,
                            parameters_spec=ACTUATOR_SPEC),
        'basic': _create(objects.Strategy, ctx,
                         uuid=UUIDS['BASIC_STRATEGY_UUID'], name='basic',
                         display_name='Basic offline consolidation',
                         goal_id=goals['server_consolidation'].id,
                         parameters_spec=BASIC_SPEC),
    }
    _create(objects.ScoringEngine, ctx, uuid=UUIDS['SCORER_UUID'],
            name='dummy_scorer', description='Dummy workload classifier',
            metainfo='{"feature_columns": ["mem_util"]}')
    for action_type, text in DESCRIPTIONS.items():
        _create(objects.ActionDescription, ctx, action_type=action_type,
                description=text)
    now = timeutils.utcnow().replace(tzinfo=None)
    _create(objects.Service, ctx, name='watcher-applier', host='vm',
            last_seen_up=now)
    _create(objects.Service, ctx, name='watcher-decision-engine', host='vm',
            last_seen_up=now - datetime.timedelta(hours=1))
    return goals, strategies


def history(goals, strategies, context=None):
    """Audits, action plans and actions in various states."""
    ctx = context or watcher_context.get_admin_context()
    dummy_goal, dummy = goals['dummy'], strategies['dummy']
    done = _create(objects.Audit, ctx, uuid=UUIDS['DONE_AUDIT_UUID'],
                   name='audit-dummy', audit_type='ONESHOT',
                   state='PENDING', goal_id=dummy_goal.id,
                   strategy_id=dummy.id,
                   parameters={'para1': 2.0, 'para2': 'hi'}, scope=[])
    done.state = 'ONGOING'
    done.save()
    done.state = 'SUCCEEDED'
    done.hostname = 'vm'
    done.save()
    _create(objects.Audit, ctx, uuid=UUIDS['EVENT_AUDIT_UUID'],
            name='audit-event', audit_type='EVENT', state='PENDING',
            goal_id=dummy_goal.id, strategy_id=dummy.id,
            parameters={'para1': 3.2, 'para2': 'hello'}, scope=[])
    ongoing = _create(objects.Audit, ctx, uuid=UUIDS['ONGOING_AUDIT_UUID'],
                      name='audit-continuous', audit_type='CONTINUOUS',
                      state='PENDING', interval='3600',
                      goal_id=dummy_goal.id, strategy_id=dummy.id,
                      parameters={'para1': 3.2, 'para2': 'hello'}, scope=[])
    ongoing.state = 'ONGOING'
    ongoing.save()

    plan = _create(objects.ActionPlan, ctx, uuid=UUIDS['PLAN_UUID'],
                   audit_id=done.id, strategy_id=dummy.id,
                   state='RECOMMENDED',
                   global_efficacy=[{'name': 'dummy_efficacy',
                                     'description': 'Dummy efficacy',
                                     'unit': '%', 'value': 50.0}])
    _create(objects.EfficacyIndicator, ctx, action_plan_id=plan.id,
            name='instance_migrations_count',
            description='The number of VM migrations to be performed.',
            unit=None, value=0)
    first = _create(objects.Action, ctx, uuid=UUIDS['ACTION1_UUID'],
                    action_plan_id=plan.id, action_type='nop',
                    state='PENDING',
                    input_parameters={'message': 'hello World'}, parents=[])
    second = _create(objects.Action, ctx, uuid=UUIDS['ACTION2_UUID'],
                     action_plan_id=plan.id, action_type='nop',
                     state='PENDING', input_parameters={'message': 'hi'},
                     parents=[first.uuid])
    _create(objects.Action, ctx, uuid=UUIDS['ACTION3_UUID'],
            action_plan_id=plan.id, action_type='sleep', state='PENDING',
            input_parameters={'duration': 2.0}, parents=[second.uuid])

    running = _create(objects.ActionPlan, ctx,
                      uuid=UUIDS['ONGOING_PLAN_UUID'], audit_id=ongoing.id,
                      strategy_id=dummy.id, state='RECOMMENDED')
    running.state = 'PENDING'
    running.save()
    running.state = 'ONGOING'
    running.hostname = 'vm'
    running.save()
    _create(objects.Action, ctx, uuid=UUIDS['ONGOING_ACTION_UUID'],
            action_plan_id=running.id, action_type='nop', state='PENDING',
            input_parameters={'message': 'later'}, parents=[])


STRATEGY_STATE = [
    {"type": "Datasource",
     "state": "Datasource is not presented for this strategy",
     "mandatory": True, "comment": ""},
    {"type": "Metrics", "state": [], "mandatory": False, "comment": ""},
    {"type": "CDM", "state": [{"compute_model": "available"},
                              {"storage_model": "not available"},
                              {"baremetal_model": "not available"}],
     "mandatory": True, "comment": ""},
    {"type": "Name", "state": "dummy", "mandatory": "", "comment": ""},
]

DATA_MODEL = {"context": [{
    "node_hostname": "fake-compute-1", "node_status": "enabled",
    "node_disabled_reason": None, "node_state": "up", "node_memory": 16384,
    "node_memory_mb_reserved": 512, "node_disk": 100,
    "node_disk_gb_reserved": 0, "node_vcpus": 8, "node_vcpu_reserved": 0,
    "node_memory_ratio": 1.5, "node_vcpu_ratio": 4.0, "node_disk_ratio": 1.0,
    "node_uuid": "11111111-1111-4111-8111-111111111111",
    "server_watcher_exclude": False, "server_name": "vm-1",
    "server_state": "active", "server_memory": 512, "server_disk": 1,
    "server_vcpus": 1, "server_metadata": {},
    "server_project_id": "pppppppppppppppppppppppppppppppp",
    "server_locked": False, "server_pinned_az": "",
    "server_flavor_extra_specs": {},
    "server_uuid": "33333333-3333-4333-8333-333333333333"}]}


class FakeRPC:
    """Stands for the decision engine and applier in API tests."""

    def __init__(self):
        self.calls = []

    def trigger_audit(self, context, audit_uuid):
        self.calls.append(('trigger_audit', audit_uuid))

    def launch_action_plan(self, context, action_plan_uuid):
        self.calls.append(('launch_action_plan', action_plan_uuid))

    def get_data_model(self, context, data_model_type, audit_uuid=None):
        self.calls.append(('get_data_model', data_model_type, audit_uuid))
        return DATA_MODEL

    def get_strategy_state(self, context, strategy):
        self.calls.append(('get_strategy_state', strategy.name))
        return [dict(row, state=strategy.name) if row['type'] == 'Name'
                else row for row in STRATEGY_STATE]

    def patch(self, use_fixture):
        """Install with ``use_fixture`` (fixtures.MonkeyPatch users)."""
        import fixtures
        for name in ('trigger_audit', 'launch_action_plan',
                     'get_data_model', 'get_strategy_state'):
            use_fixture(fixtures.MonkeyPatch('watcher.api.rpc.%s' % name,
                                             getattr(self, name)))
