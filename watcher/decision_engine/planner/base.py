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

"""Planner plugin base (stevedore namespace ``watcher_planners``).

Contract:

* ``PlannedAction(uuid, action_type, input_parameters, parents)`` - one
  node of the action DAG; ``parents`` is a list of PlannedAction uuids.
* ``BasePlanner(config=None).schedule(solution) -> list[PlannedAction]`` -
  PURE: no database, no RPC.  ``solution`` is a ``Solution`` or any
  iterable of ``{'action_type', 'input_parameters'}`` dicts.  The result
  is topologically ordered (parents before children) and every action of
  the solution appears exactly once.
* ``config`` - a mapping or the planner's oslo.config group
  (``[watcher_planners.<name>]``); by default read from CONF.
"""
import dataclasses
import typing
import uuid as uuid_mod

from oslo_config import cfg

from watcher.conf import CONF


@dataclasses.dataclass
class PlannedAction:
    uuid: str
    action_type: str
    input_parameters: dict
    parents: typing.List[str] = dataclasses.field(default_factory=list)

    def as_dict(self):
        return dataclasses.asdict(self)


def solution_actions(solution):
    actions = getattr(solution, 'actions', solution)
    return list(actions or ())


def new_action(action, parents=()):
    return PlannedAction(uuid=str(uuid_mod.uuid4()),
                         action_type=action['action_type'],
                         input_parameters=dict(
                             action.get('input_parameters') or {}),
                         parents=list(parents))


class BasePlanner:
    name = None
    config_group = None

    def __init__(self, config=None, osc=None):
        if config is None and self.config_group:
            try:
                config = CONF.get(self.config_group)
            except cfg.NoSuchOptError:  # a planner without options
                config = None
        self.config = config

    def config_value(self, key, default):
        config = self.config
        if config is None:
            return default
        if isinstance(config, dict):
            value = config.get(key, default)
        else:
            # an option the planner does not declare: its default; a value
            # the option rejects is a configuration error and raises
            try:
                value = getattr(config, key)
            except cfg.NoSuchOptError:
                return default
        return default if value is None else value

    @classmethod
    def get_config_opts(cls):
        return []

    def schedule(self, solution):
        raise NotImplementedError()
