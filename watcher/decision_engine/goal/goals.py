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

"""The built-in goals (entry points of ``watcher_goals`` in setup.cfg)."""
from watcher.decision_engine.goal import base
from watcher.decision_engine.goal.efficacy import specs


class Dummy(base.Goal):
    name = 'dummy'
    display_name = 'Dummy goal'


class Unclassified(base.Goal):
    name = 'unclassified'
    display_name = 'Unclassified'


class ServerConsolidation(base.Goal):
    name = 'server_consolidation'
    display_name = 'Server Consolidation'
    efficacy_spec_class = specs.ServerConsolidation


class ThermalOptimization(base.Goal):
    name = 'thermal_optimization'
    display_name = 'Thermal Optimization'


class WorkloadBalancing(base.Goal):
    name = 'workload_balancing'
    display_name = 'Workload Balancing'
    efficacy_spec_class = specs.WorkloadBalancing
    # Not the first by name (storage_capacity_balance, upstream's pick):
    # a goal-only audit must work on a cloud without Cinder, and "balance
    # the workload" means compute to an operator.  workload_stabilization
    # rather than workload_balance: it evens CPU and RAM out around the
    # cluster's mean, which means something at any load level, where
    # workload_balance acts only above an absolute threshold that needs
    # tuning; upstream's setup.cfg lists it first of the three too.
    default_strategy = 'workload_stabilization'


class AirflowOptimization(base.Goal):
    name = 'airflow_optimization'
    display_name = 'Airflow Optimization'


class NoisyNeighborOptimization(base.Goal):
    name = 'noisy_neighbor'
    display_name = 'Noisy Neighbor'


class SavingEnergy(base.Goal):
    name = 'saving_energy'
    display_name = 'Saving Energy'


class HardwareMaintenance(base.Goal):
    name = 'hardware_maintenance'
    display_name = 'Hardware Maintenance'
    efficacy_spec_class = specs.HardwareMaintenance


class ClusterMaintaining(base.Goal):
    name = 'cluster_maintaining'
    display_name = 'Cluster Maintaining'


ALL_GOALS = (Dummy, Unclassified, ServerConsolidation, ThermalOptimization,
             WorkloadBalancing, AirflowOptimization,
             NoisyNeighborOptimization, SavingEnergy, HardwareMaintenance,
             ClusterMaintaining)


def get_goal_class(name):
    for goal in ALL_GOALS:
        if goal.name == name:
            return goal
    return None
