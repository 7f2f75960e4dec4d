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

"""Zone migration (goal ``hardware_maintenance``).

Evacuates the compute nodes of ``compute_nodes`` (each ``src_node``,
optionally to its ``dst_node``) and the storage pools of
``storage_pools`` (each ``src_pool`` to its ``dst_pool``, or its volumes
retyped to ``dst_type``; ``src_type`` narrows the volumes to one type), as
upstream:

* servers leave live when ACTIVE, cold when STOPPED (others, and servers
  excluded by the audit scope, stay); volumes move when ``available`` or
  ``in-use`` - ``migrate`` to ``dst_pool`` or ``retype`` to ``dst_type``
  (Cinder moves an attached volume through Nova itself);
* ``priority`` orders what goes first: servers and volumes of the listed
  ``project`` s first (in list order), then those of the listed
  ``compute_node`` s / ``storage_pool`` s, then by ``compute``
  (``vcpu_num``, ``mem_size``, ``disk_size``: largest first;
  ``created_at``: newest first) or ``storage`` (``size``: largest first;
  ``created_at``: newest first), descending as the design asks; a server
  or volume whose creation time is unknown comes last;
* ``parallel_total``, ``parallel_per_node`` and ``parallel_per_pool`` cap
  the actions of one plan (in total, per source node, per source pool);
  what is left over is for the next run (a continuous audit);
* with ``with_attached_volume`` a server attached to a migrated volume
  follows right after it.

Efficacy: planned (candidate) and in-plan counts of live and cold server
migrations, detached volume migrations and attached volume updates.

Where it does better than upstream:

* only the models the parameters need are built: an audit naming only
  compute nodes works on a cloud without Cinder;
* without ``dst_node`` the strategy picks each destination itself (best
  fit among enabled, up hosts that are not being evacuated) instead of
  leaving it to the scheduler, so the plan is known to fit: allocation
  capacity (ratios and reserved), measured load (busy CPU cores within
  ``[watcher_strategies.zone_migration] target_utilization`` of the
  physical cores, from ``host_cpu_usage``/``instance_cpu_usage``, fetched
  in two bulk queries only when compute nodes are evacuated), server
  groups (affinity and anti-affinity) and pinned availability zones hold
  for every move, also towards ``dst_node``; a destination pool must have
  the free space and serve the volume's type;
* bad input fails the audit before anything is planned: an unknown node
  or pool, a destination that is also a source, a pool both source and
  destination, a ``dst_node`` that cannot receive (disabled or down), a
  ``dst_type`` no backend serves, no node and no pool.
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.common import load
from watcher.decision_engine.strategy.common import storage

COMPUTE_KEYS = {'vcpu_num': 'vcpus', 'mem_size': 'memory',
                'disk_size': 'disk', 'created_at': 'created_at'}
STORAGE_KEYS = {'size': 'size', 'created_at': 'created_at'}


class Counter:
    """The parallel limits of one plan."""

    def __init__(self, params):
        self.total_limit = params['parallel_total']
        self.node_limit = params['parallel_per_node']
        self.pool_limit = params['parallel_per_pool']
        self.total = 0
        self.per_node = {}
        self.per_pool = {}

    def full(self):
        return self.total >= self.total_limit

    def node_full(self, node):
        return self.per_node.get(node, 0) >= self.node_limit

    def pool_full(self, pool):
        return self.per_pool.get(pool, 0) >= self.pool_limit

    def add_node(self, node):
        self.total += 1
        self.per_node[node] = self.per_node.get(node, 0) + 1

    def add_pool(self, pool):
        self.total += 1
        self.per_pool[pool] = self.per_pool.get(pool, 0) + 1


def _bad(err):
    return exception.InvalidAuditParameters(err=err)


class ZoneMigration(base.BaseStrategy):
    name = 'zone_migration'
    display_name = 'Zone migration'
    goal_name = 'hardware_maintenance'
    required_models = ('compute', 'storage')
    metric_names = ('host_cpu_usage', 'instance_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'compute_nodes': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {
                            'src_node': {
                                'description': 'Compute node from which '
                                               'instances migrate',
                                'type': 'string'},
                            'dst_node': {
                                'description': 'Compute node to which '
                                               'instances migrate',
                                'type': 'string'},
                        },
                        'required': ['src_node'],
                        'additionalProperties': False,
                    },
                },
                'storage_pools': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {
                            'src_pool': {
                                'description': 'Storage pool from which '
                                               'volumes migrate',
                                'type': 'string'},
                            'dst_pool': {
                                'description': 'Storage pool to which '
                                               'volumes migrate',
                                'type': 'string'},
                            'src_type': {
                                'description': 'Volume type from which '
                                               'volumes migrate',
                                'type': 'string'},
                            'dst_type': {
                                'description': 'Volume type to which '
                                               'volumes migrate',
                                'type': 'string'},
                        },
                        'oneOf': [
                            {'required': ['src_pool', 'dst_pool'],
                             'not': {'required': ['dst_type']}},
                            {'required': ['src_pool', 'dst_type'],
                             'not': {'required': ['dst_pool']}},
                        ],
                        'additionalProperties': False,
                    },
                },
                'parallel_total': {
                    'description': 'The number of actions to be run in '
                                   'parallel in total',
                    'type': 'integer', 'minimum': 0, 'default': 6,
                },
                'parallel_per_node': {
                    'description': 'The number of actions to be run in '
                                   'parallel per compute node',
                    'type': 'integer', 'minimum': 0, 'default': 2,
                },
                'parallel_per_pool': {
                    'description': 'The number of actions to be run in '
                                   'parallel per storage host',
                    'type': 'integer', 'minimum': 0, 'default': 2,
                },
                'priority': {
                    'description': 'List prioritizes instances and volumes',
                    'type': 'object',
                    'properties': {
                        'project': {'type': 'array',
                                    'items': {'type': 'string'}},
                        'compute_node': {'type': 'array',
                                         'items': {'type': 'string'}},
                        'storage_pool': {'type': 'array',
                                         'items': {'type': 'string'}},
                        'compute': {'enum': ['vcpu_num', 'mem_size',
                                             'disk_size', 'created_at']},
                        'storage': {'enum': ['size', 'created_at']},
                    },
                    'additionalProperties': False,
                },
                'with_attached_volume': {
                    'description': 'instance migrates just after attached '
                                   'volumes or not',
                    'type': 'boolean', 'default': False,
                },
            },
            'additionalProperties': False,
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt()]

    # -- parameters ------------------------------------------------------
    def check_parameters(self, params):
        nodes = params.get('compute_nodes') or []
        pools = params.get('storage_pools') or []
        if not nodes and not pools:
            raise _bad('give compute_nodes or storage_pools (or both): '
                       'there is nothing to evacuate')
        sources = [n['src_node'] for n in nodes]
        self._no_repeats('src_node', sources)
        for entry in nodes:
            dst = entry.get('dst_node')
            if dst is not None and dst in sources:
                raise _bad('compute node %s is both a source and a '
                           'destination' % dst)
        src_pools = [p['src_pool'] for p in pools]
        self._no_repeats('src_pool', src_pools)
        for entry in pools:
            dst = entry.get('dst_pool')
            if dst is not None and dst in src_pools:
                raise _bad('storage pool %s is both a source and a '
                           'destination' % dst)

    @staticmethod
    def _no_repeats(key, values):
        seen = set()
        for value in values:
            if value in seen:
                raise _bad('%s %s is listed twice' % (key, value))
            seen.add(value)

    def models_for(self, params):
        models = []
        if params.get('compute_nodes') or (
                params.get('storage_pools') and
                params.get('with_attached_volume')):
            models.append('compute')
        if params.get('storage_pools'):
            models.append('storage')
        return tuple(models)

    def metric_queries(self, params):
        if 'compute' not in self.models_for(params):
            return []
        return [self._query('host_cpu_usage', 'compute_node', params),
                self._query('instance_cpu_usage', 'instance', params)]

    # -- the algorithm ---------------------------------------------------
    def do_execute(self, inputs, params, solution):
        priority = params.get('priority') or {}
        compute = inputs.compute_model
        volumes = []
        pools = None
        if params.get('storage_pools'):
            pools = storage.PoolState(inputs.storage_model)
            volumes = self._volume_candidates(inputs.storage_model, pools,
                                              params, priority)
        state, src_of, servers = None, {}, []
        if compute is not None:
            state, src_of = self._compute_state(compute, params, priority)
            host_q, inst_q = self.metric_queries(params)
            load.add_cpu_dimension(state, inputs.metrics, host_q, inst_q,
                                   consolidation.target_utilization(self))
            servers = self._server_candidates(state, src_of, priority)
        counter = Counter(params)
        counts = dict.fromkeys(
            ('live_migrate_instance_count',
             'planned_live_migrate_instance_count',
             'cold_migrate_instance_count',
             'planned_cold_migrate_instance_count', 'volume_migrate_count',
             'planned_volume_migrate_count', 'volume_update_count',
             'planned_volume_update_count'), 0)
        planned = set()
        follow = bool(params.get('with_attached_volume')) and \
            state is not None

        def plan_server(i):
            if i in planned:
                return
            planned.add(i)
            kind = filters.migration_type(state.instances[i])
            src = int(state.inst_node[i])
            host = state.nodes[src].hostname
            if counter.full() or counter.node_full(host):
                return
            j = self._destination(state, i, src_of)
            if j < 0:
                return
            state.move(i, j)
            counter.add_node(host)
            counts['%s_migrate_instance_count' % kind] += 1
            actions.add_migration(solution, state.instances[i],
                                  state.nodes[src], state.nodes[j], kind)
            compute.migrate_instance(state.instances[i].uuid,
                                     state.nodes[src].uuid,
                                     state.nodes[j].uuid)

        for i in servers:
            kind = filters.migration_type(state.instances[i])
            counts['planned_%s_migrate_instance_count' % kind] += 1
        for volume, entry in volumes:
            attached = storage.is_attached(volume)
            key = 'volume_update_count' if attached else \
                'volume_migrate_count'
            counts['planned_' + key] += 1
            if counter.full() or counter.pool_full(entry['src_pool']):
                continue
            dst_pool = entry.get('dst_pool')
            if dst_pool is not None:
                j = pools.index[dst_pool]
                if not pools.fits(volume, j):
                    continue
                pools.move(volume, j)
                actions.add_volume_migration(solution, volume, 'migrate',
                                             destination_node=dst_pool)
            else:
                actions.add_volume_migration(
                    solution, volume, 'retype',
                    destination_type=entry['dst_type'])
            counter.add_pool(entry['src_pool'])
            counts[key] += 1
            if follow and attached:
                for i in self._attached_servers(state, volume):
                    if i not in planned and i not in servers:
                        kind = filters.migration_type(state.instances[i])
                        counts['planned_%s_migrate_instance_count'
                               % kind] += 1
                    plan_server(i)
        for i in servers:
            plan_server(i)
        if pools is not None:
            pools.apply()
        solution.set_efficacy_indicators(**counts)

    # -- compute side ----------------------------------------------------
    def _compute_state(self, model, params, priority):
        src_of = {}      # source hostname -> dst hostname or None
        for entry in params.get('compute_nodes') or []:
            src = self._node(model, entry['src_node'])
            dst = entry.get('dst_node')
            if dst is not None and not filters.is_destination(
                    self._node(model, dst)):
                raise _bad('dst_node %s cannot receive servers: its '
                           'nova-compute is disabled or down' % dst)
            src_of[src.hostname] = dst
        for name in priority.get('compute_node') or []:
            if name not in src_of:
                raise _bad('priority compute_node %s is not a src_node of '
                           'compute_nodes' % name)
        state = cluster.ClusterState(
            model, node_filter=lambda n: n.hostname in src_of or
            filters.is_destination(n))
        return state, src_of

    @staticmethod
    def _node(model, name):
        try:
            return model.get_node_by_name(name)
        except exception.ComputeNodeNotFound:
            raise _bad('compute node %s is not in the compute model (or '
                       'the audit scope)' % name)

    @staticmethod
    def _server_candidates(state, src_of, priority):
        projects = {p: k for k, p in enumerate(priority.get('project')
                                               or [])}
        node_rank = {n: k for k, n in enumerate(
            priority.get('compute_node') or [])}
        attr = COMPUTE_KEYS.get(priority.get('compute'))
        items = []
        for j, node in enumerate(state.nodes):
            if node.hostname not in src_of:
                continue
            for i in state.node_instance_indices(j):
                inst = state.instances[i]
                if not filters.can_move(inst):
                    continue
                items.append(int(i))

        def key(i):
            inst = state.instances[i]
            host = state.nodes[state.inst_node[i]].hostname
            return (projects.get(inst.project_id, len(projects)),
                    node_rank.get(host, len(node_rank)),
                    -float(getattr(inst, attr) or 0) if attr else 0.0, i)
        return sorted(items, key=key)

    @staticmethod
    def _destination(state, i, src_of):
        host = state.nodes[state.inst_node[i]].hostname
        sources = np.array([n.hostname in src_of for n in state.nodes],
                           dtype=bool)
        wanted = src_of.get(host)
        if wanted is not None:
            mask = np.array([n.hostname == wanted for n in state.nodes],
                            dtype=bool)
        else:
            mask = np.array([filters.is_destination(n) for n in state.nodes],
                            dtype=bool) & ~sources
        ok = state.feasible(i, mask)
        if not ok.any():
            return -1
        idx = np.flatnonzero(ok)
        # best fit on allocations: the fullest host that can take it
        base = len(state.BASE_DIMS)
        ref = np.maximum(np.median(state.capacity[:, :base], axis=0), 1.0)
        left = ((state.free[idx, :base] - state.demand[i, :base]) /
                ref).sum(axis=1)
        return int(idx[np.argmin(left)])

    @staticmethod
    def _attached_servers(state, volume):
        found = []
        for attachment in volume.attachments or []:
            server = (attachment or {}).get('server_id')
            i = state.inst_index.get(server)
            if i is not None and filters.can_move(state.instances[i]):
                found.append(int(i))
        return found

    # -- storage side ----------------------------------------------------
    def _volume_candidates(self, model, pools, params, priority):
        entries = params['storage_pools']
        served = set()
        for types in pools.types:
            served |= types
        for entry in entries:
            for key in ('src_pool', 'dst_pool'):
                name = entry.get(key)
                if name is not None and name not in pools.index:
                    raise _bad('storage pool %s (%s) is not in the storage '
                               'model' % (name, key))
            dst_type = entry.get('dst_type')
            if dst_type is not None and served and dst_type not in served:
                raise _bad('no storage backend serves volume type %s'
                           % dst_type)
        src_names = [e['src_pool'] for e in entries]
        for name in priority.get('storage_pool') or []:
            if name not in src_names:
                raise _bad('priority storage_pool %s is not a src_pool of '
                           'storage_pools' % name)
        projects = {p: k for k, p in enumerate(priority.get('project')
                                               or [])}
        pool_rank = {n: k for k, n in enumerate(
            priority.get('storage_pool') or [])}
        attr = STORAGE_KEYS.get(priority.get('storage'))
        items = []
        for order, entry in enumerate(entries):
            for volume in model.get_pool_volumes(entry['src_pool']):
                if not storage.is_movable(volume):
                    continue
                if entry.get('src_type') and \
                        volume.volume_type != entry['src_type']:
                    continue
                items.append((volume, entry, order))

        def key(item):
            volume, entry, order = item
            return (projects.get(volume.project_id, len(projects)),
                    pool_rank.get(entry['src_pool'], len(pool_rank)),
                    -float(getattr(volume, attr) or 0) if attr else 0.0,
                    order)
        return [(v, e) for v, e, _o in sorted(items, key=key)]
