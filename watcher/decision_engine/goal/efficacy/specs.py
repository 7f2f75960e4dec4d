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

"""The efficacy specifications of the built-in goals.

Indicator names, descriptions, units and schemas are the public contract
(``GET /v1/goals/detail`` ``efficacy_specification``).
"""
from watcher.decision_engine.goal.efficacy import base

_COUNT = {'type': 'integer', 'minimum': 0}
_NUMBER = {'type': 'number', 'minimum': 0}


def _count(name, description, required=True):
    return base.IndicatorSpecification(name, description, None,
                                       dict(_COUNT), required)


COMPUTE_NODES_COUNT = _count(
    'compute_nodes_count', 'The total number of enabled compute nodes.')
RELEASED_COMPUTE_NODES_COUNT = _count(
    'released_compute_nodes_count',
    'The number of compute nodes to be released.')
INSTANCE_MIGRATIONS_COUNT = _count(
    'instance_migrations_count',
    'The number of VM migrations to be performed.')
INSTANCES_COUNT = _count(
    'instances_count', 'The total number of audited instances in strategy.',
    required=False)
STANDARD_DEVIATION_AFTER = base.IndicatorSpecification(
    'standard_deviation_after_audit',
    'The value of resulted standard deviation.', None, dict(_NUMBER),
    required=False)
STANDARD_DEVIATION_BEFORE = base.IndicatorSpecification(
    'standard_deviation_before_audit',
    'The value of original standard deviation.', None, dict(_NUMBER),
    required=False)
LIVE_MIGRATE_COUNT = _count(
    'live_migrate_instance_count',
    'The number of instances actually live migrated.')
PLANNED_LIVE_MIGRATE_COUNT = _count(
    'planned_live_migrate_instance_count',
    'The number of instances planned to live migrate.')
COLD_MIGRATE_COUNT = _count(
    'cold_migrate_instance_count',
    'The number of instances actually cold migrated.')
PLANNED_COLD_MIGRATE_COUNT = _count(
    'planned_cold_migrate_instance_count',
    'The number of instances planned to cold migrate.')
VOLUME_MIGRATE_COUNT = _count(
    'volume_migrate_count',
    'The number of detached volumes actually migrated.')
PLANNED_VOLUME_MIGRATE_COUNT = _count(
    'planned_volume_migrate_count',
    'The number of detached volumes planned to migrate.')
VOLUME_UPDATE_COUNT = _count(
    'volume_update_count',
    'The number of attached volumes actually migrated.')
PLANNED_VOLUME_UPDATE_COUNT = _count(
    'planned_volume_update_count',
    'The number of attached volumes planned to migrate.')


class Unclassified(base.EfficacySpecification):
    indicators_specifications = ()


class ServerConsolidation(base.EfficacySpecification):
    indicators_specifications = (COMPUTE_NODES_COUNT,
                                 RELEASED_COMPUTE_NODES_COUNT,
                                 INSTANCE_MIGRATIONS_COUNT)

    def get_global_efficacy_indicator(self, indicators):
        indicators = indicators or {}
        return [{
            'name': 'released_nodes_ratio',
            'description': 'Ratio of released compute nodes divided by the '
                           'total number of enabled compute nodes.',
            'unit': '%',
            'value': self._ratio(
                indicators.get('released_compute_nodes_count', 0),
                indicators.get('compute_nodes_count', 0)),
        }]


class WorkloadBalancing(base.EfficacySpecification):
    indicators_specifications = (INSTANCE_MIGRATIONS_COUNT, INSTANCES_COUNT,
                                 STANDARD_DEVIATION_AFTER,
                                 STANDARD_DEVIATION_BEFORE)

    def get_global_efficacy_indicator(self, indicators):
        indicators = indicators or {}
        return [{
            'name': 'live_migrations_count',
            'description': 'Ratio of migrated virtual machines to audited '
                           'virtual machines',
            'unit': '%',
            'value': self._ratio(
                indicators.get('instance_migrations_count', 0),
                indicators.get('instances_count', 0)),
        }]


class HardwareMaintenance(base.EfficacySpecification):
    indicators_specifications = (
        LIVE_MIGRATE_COUNT, PLANNED_LIVE_MIGRATE_COUNT, COLD_MIGRATE_COUNT,
        PLANNED_COLD_MIGRATE_COUNT, VOLUME_MIGRATE_COUNT,
        PLANNED_VOLUME_MIGRATE_COUNT, VOLUME_UPDATE_COUNT,
        PLANNED_VOLUME_UPDATE_COUNT)

    _GLOBALS = (
        ('live_instance_migrate_ratio',
         'Ratio of actual live migrated instances to planned live migrate '
         'instances.',
         'live_migrate_instance_count',
         'planned_live_migrate_instance_count'),
        ('cold_instance_migrate_ratio',
         'Ratio of actual cold migrated instances to planned cold migrate '
         'instances.',
         'cold_migrate_instance_count',
         'planned_cold_migrate_instance_count'),
        ('volume_migrate_ratio',
         'Ratio of actual detached volumes migrated to planned detached '
         'volumes migrate.',
         'volume_migrate_count', 'planned_volume_migrate_count'),
        ('volume_update_ratio',
         'Ratio of actual attached volumes migrated to planned attached '
         'volumes migrate.',
         'volume_update_count', 'planned_volume_update_count'),
    )

    def get_global_efficacy_indicator(self, indicators):
        indicators = indicators or {}
        return [{'name': name, 'description': description, 'unit': '%',
                 'value': self._ratio(indicators.get(actual, 0),
                                      indicators.get(planned, 0))}
                for name, description, actual, planned in self._GLOBALS]
