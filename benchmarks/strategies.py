#!/usr/bin/env python3
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

"""Strategy benchmark: speed, memory and result quality on synthetic clusters.

For each size N (hosts) a seeded cluster is generated
(``watcher.tests.synthetic``: 128 vCPU / 256 GiB / 4 TiB
hosts, 10-20 servers each from a 1/2/4/8/16-vCPU mix with 2 GiB RAM and
20 GiB disk per vCPU, 30 % hot hosts at 70-100 % CPU, the rest 1-25 %, 5 %
stopped servers, consistent metrics).  Every strategy runs on its own copy
with its default parameters; the metrics frame is filled through the
strategy's ``metric_queries`` (one query per metric, counted).

Columns: seconds (execute only), peak RSS of the process (MiB), actions by
type, hosts in use before -> after with the lower bound under the default
``target_utilization`` (0.8: ``lb@0.8``), CPU utilisation std-dev (%) over
enabled hosts before -> after, metric queries.

The lower bound is the fewest enabled hosts that can hold the allocations
(vCPU, RAM, disk) and - for the strategies that measure them - the busy
CPU cores (``basic``, ``vm_workload_consolidation``) and the used RAM
(``vm_workload_consolidation``) with every receiving host at or below 0.8
of its physical cores / memory; a host already above that keeps its load
but receives nothing, so it counts for its current usage only.
``node_resource_consolidation`` (no metrics) gets the allocation bound.

The six hardware, storage and power strategies run on the same cluster
with the synthetic hardware metrics (``synthetic.hardware_values``), a
Cinder model of N pools (``synthetic.storage_model``) and Ironic twins
of the hosts (``synthetic.baremetal_model``); ``saving_energy`` sees one
host in ten emptied first, ``noisy_neighbor`` one server in three with
``watcher-priority`` 1 (the others 8), ``zone_migration`` evacuates 1 %
of the hosts and 1 % of the pools (to the emptiest pool) without parallel
limits.

    python benchmarks/strategies.py [--sizes 10,100] [--strategies a,b]
                                    [--seed 42] [--json FILE]
"""
import argparse
import json
import resource
import sys
import time

import numpy as np

from watcher.tests import synthetic
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import packing
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import actuation
from watcher.decision_engine.strategy.strategies import basic_consolidation
from watcher.decision_engine.strategy.strategies import dummy_strategy
from watcher.decision_engine.strategy.strategies import dummy_with_resize
from watcher.decision_engine.strategy.strategies import dummy_with_scorer
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation
from watcher.decision_engine.strategy.strategies import noisy_neighbor
from watcher.decision_engine.strategy.strategies import outlet_temp_control
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.decision_engine.strategy.strategies import \
    storage_capacity_balance
from watcher.decision_engine.strategy.strategies import uniform_airflow
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation
from watcher.decision_engine.strategy.strategies import workload_balance
from watcher.decision_engine.strategy.strategies import \
    workload_stabilization
from watcher.decision_engine.strategy.strategies import zone_migration

STRATEGIES = {
    'dummy': dummy_strategy.DummyStrategy,
    'dummy_with_scorer': dummy_with_scorer.DummyWithScorer,
    'dummy_with_resize': dummy_with_resize.DummyWithResize,
    'actuator': actuation.Actuator,
    'host_maintenance': host_maintenance.HostMaintenance,
    'vm_workload_consolidation':
        vm_workload_consolidation.VMWorkloadConsolidation,
    'basic': basic_consolidation.BasicConsolidation,
    'workload_stabilization': workload_stabilization.WorkloadStabilization,
    'workload_balance': workload_balance.WorkloadBalance,
    'node_resource_consolidation':
        node_resource_consolidation.NodeResourceConsolidation,
    'outlet_temperature': outlet_temp_control.OutletTempControl,
    'uniform_airflow': uniform_airflow.UniformAirflow,
    'noisy_neighbor': noisy_neighbor.NoisyNeighbor,
    'saving_energy': saving_energy.SavingEnergy,
    'storage_capacity_balance':
        storage_capacity_balance.StorageCapacityBalance,
    'zone_migration': zone_migration.ZoneMigration,
}

DEFAULT_SIZES = (10, 100, 500, 1000, 2000)


def evacuated(names, share=0.01):
    names = sorted(names)
    return names[:max(1, int(len(names) * share))]


def inputs_for(name, cluster, model):
    """The storage / baremetal models a strategy needs (``model``, the
    run's compute copy, may be changed).
    """
    n = len(model.get_all_compute_nodes())
    if name == 'saving_energy':
        for k, node in enumerate(sorted(
                model.get_all_compute_nodes().values(),
                key=lambda n: n.hostname)):
            if k % 10 == 0:
                for inst in model.get_node_instances(node):
                    model.remove_instance(inst)
        return {'baremetal_model': synthetic.baremetal_model(model)}
    if name == 'noisy_neighbor':
        # one server in three matters most; the others may be moved
        for k, uuid in enumerate(sorted(model.get_all_instances())):
            inst = model.get_instance_by_uuid(uuid)
            inst.metadata = dict(inst.metadata or {}, **{
                'watcher-priority': '1' if k % 3 == 0 else '8'})
        return {}
    if name in ('storage_capacity_balance', 'zone_migration'):
        return {'storage_model': synthetic.storage_model(n)}
    return {}


def parameters_for(name, model, extra=None):
    if name == 'zone_migration':
        pools = sorted((extra or {})['storage_model'].get_all_pools()
                       .values(), key=lambda p: (p.free_capacity_gb,
                                                 p.name))
        sources = evacuated(p.name for p in pools[:-1])
        hosts = evacuated(n.hostname for n in
                          model.get_all_compute_nodes().values())
        unlimited = 10 ** 6
        return {'compute_nodes': [{'src_node': h} for h in hosts],
                'storage_pools': [{'src_pool': p,
                                   'dst_pool': pools[-1].name}
                                  for p in sources],
                'parallel_total': unlimited,
                'parallel_per_node': unlimited,
                'parallel_per_pool': unlimited}
    if name == 'host_maintenance':
        hostname = sorted(n.hostname for n in
                          model.get_all_compute_nodes().values())[0]
        return {'maintenance_node': hostname}
    if name == 'actuator':
        return {'actions': [
            {'action_type': 'nop', 'input_parameters': {'message': 'hi'}},
            {'action_type': 'sleep', 'input_parameters': {'duration': 1}}]}
    return {}


def hosts_in_use(model):
    return sum(1 for n in model.get_all_compute_nodes().values()
               if model.get_node_instance_uuids(n))


TARGET = consolidation.DEFAULT_TARGET_UTILIZATION

#: measured dimensions (with a target) of the metric-based strategies
MEASURED = {'basic': ('cpu',), 'vm_workload_consolidation': ('cpu', 'ram')}


def target_lower_bound(cluster, name, target=TARGET):
    """Lower bound on the hosts in use under the headroom rule (see the
    module docstring); allocations only for a strategy without metrics.
    """
    model = cluster.model
    nodes = [n for n in model.get_all_compute_nodes().values()
             if n.status == 'enabled' and n.state == 'up']
    cap = [[n.vcpu_capacity, n.memory_mb_capacity, n.disk_gb_capacity]
           for n in nodes]
    used = []
    for n in nodes:
        u = model.get_node_used_resources(n)
        used.append([u['vcpu'], u['memory'], u['disk']])
    cap, used = np.array(cap, dtype=float), np.array(used, dtype=float)
    limit = cap.copy()
    for measure in MEASURED.get(name, ()):
        col_cap, col_used = [], []
        for n in nodes:
            servers = model.get_node_instances(n)
            if measure == 'cpu':
                col_cap.append(float(n.vcpus))
                col_used.append(sum(
                    cluster.instance_cpu_percent.get(i.uuid, 0.0) / 100.0 *
                    i.vcpus for i in servers if i.state == 'active'))
            else:
                col_cap.append(float(n.memory - (n.memory_mb_reserved or 0)))
                col_used.append(sum(cluster.instance_ram_mb.get(i.uuid, 0.0)
                                    for i in servers))
        col_cap = np.array(col_cap)
        cap = np.column_stack([cap, col_cap])
        limit = np.column_stack([limit, target * col_cap])
        used = np.column_stack([used, np.array(col_used)])
    closed = np.any(used > limit + 1e-9, axis=1)
    holds = np.where(closed[:, None], used, limit)
    return packing.lower_bound(holds, used.sum(axis=0))


def apply_migrations(model, solution):
    for action in solution.actions:
        if action['action_type'] != 'migrate':
            continue
        params = action['input_parameters']
        dest = params.get('destination_node')
        if dest:
            model.migrate_instance(params['resource_id'],
                                   model.get_node_by_name(
                                       params['source_node']),
                                   model.get_node_by_name(dest))


def peak_rss_mb():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != 'darwin' else rss / 1048576.0


def run_one(name, cluster):
    strategy = STRATEGIES[name](config={})
    model = cluster.model.copy()
    extra = inputs_for(name, cluster, model)
    params = strategy.validate_parameters(parameters_for(name, model,
                                                         extra))
    frame = cluster.frame_for(strategy.metric_queries(params))
    inputs = StrategyInput(compute_model=model, metrics=frame,
                           parameters=params, **extra)
    start = time.perf_counter()
    solution = strategy.execute(inputs)
    seconds = time.perf_counter() - start
    after = cluster.model.copy()
    apply_migrations(after, solution)
    return {
        'strategy': name,
        'hosts': len(cluster.model.get_all_compute_nodes()),
        'servers': len(cluster.model.get_all_instances()),
        'seconds': round(seconds, 4),
        'peak_rss_mb': round(peak_rss_mb(), 1),
        'actions': solution.actions_by_type(),
        'hosts_before': hosts_in_use(cluster.model),
        'hosts_after': hosts_in_use(after),
        'lower_bound': target_lower_bound(cluster, name),
        'cpu_std_before': round(synthetic.host_cpu_std(
            cluster.model, cluster.instance_cpu_percent), 2),
        'cpu_std_after': round(synthetic.host_cpu_std(
            after, cluster.instance_cpu_percent), 2),
        'metric_queries': frame.queries_issued,
    }


def format_actions(actions):
    return ' '.join('%s=%d' % kv for kv in sorted(actions.items())) or '-'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default=','.join(map(str, DEFAULT_SIZES)))
    parser.add_argument('--strategies', default=','.join(STRATEGIES))
    parser.add_argument('--seed', type=int, default=42)
    parser.add_argument('--json', dest='json_file')
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(',') if s]
    names = [s for s in args.strategies.split(',') if s]
    unknown = [s for s in names if s not in STRATEGIES]
    if unknown:
        parser.error('unknown strategies: %s' % ', '.join(unknown))
    header = ('%-28s %6s %7s %8s %8s  %-44s %15s %15s %4s'
              % ('strategy', 'hosts', 'servers', 'seconds', 'rss_mb',
                 'actions', 'hosts (lb@%g)' % TARGET, 'cpu std %',
                 'mq'))
    print(header)
    print('-' * len(header))
    rows = []
    for size in sizes:
        cluster = synthetic.generate(size, seed=args.seed)
        for name in names:
            row = run_one(name, cluster)
            rows.append(row)
            print('%-28s %6d %7d %8.3f %8.1f  %-44s %15s %15s %4d' % (
                name, row['hosts'], row['servers'], row['seconds'],
                row['peak_rss_mb'], format_actions(row['actions']),
                '%d->%d (%d)' % (row['hosts_before'], row['hosts_after'],
                                 row['lower_bound']),
                '%.1f->%.1f' % (row['cpu_std_before'],
                                row['cpu_std_after']),
                row['metric_queries']))
            sys.stdout.flush()
    if args.json_file:
        with open(args.json_file, 'w') as handle:
            json.dump(rows, handle, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
