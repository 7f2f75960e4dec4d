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

"""Small hand-made compute models for the strategy and planner tests."""
from watcher.decision_engine.datasources.frame import MetricQuery
from watcher.decision_engine.datasources.frame import MetricsFrame
from watcher.decision_engine.model import element
from watcher.decision_engine.model.model_root import ModelRoot
from watcher.decision_engine.strategy.context import StrategyInput


def node(name, vcpus=16, memory=32768, disk=500, **kw):
    return element.ComputeNode(uuid='uuid-%s' % name, id=name,
                               hostname=name, vcpus=vcpus, memory=memory,
                               disk=disk, disk_capacity=disk, **kw)


def server(name, vcpus=2, memory=4096, disk=20, state='active', **kw):
    return element.Instance(uuid='uuid-%s' % name, name=name, state=state,
                            vcpus=vcpus, memory=memory, disk=disk,
                            disk_capacity=disk, **kw)


def build(layout, nodes=None, groups=()):
    """``layout``: {hostname: [server, ...]} (servers as Instance or
    (name, vcpus) tuples); ``nodes``: {hostname: ComputeNode} overrides;
    ``groups``: [(policy, [server names])].
    """
    model = ModelRoot()
    nodes = nodes or {}
    for host, servers in layout.items():
        n = nodes.get(host) or node(host)
        model.add_node(n)
        for s in servers:
            if isinstance(s, tuple):
                name, vcpus = s
                s = server(name, vcpus=vcpus, memory=vcpus * 2048,
                           disk=vcpus * 10)
            model.map_instance(s, n)
    for idx, (policy, members) in enumerate(groups):
        model.add_server_group('group-%d' % idx, 'g%d' % idx, policy,
                               ['uuid-%s' % m for m in members])
    return model


def cpu_frame(model, instance_pct=None, host_pct=None, period=None,
              queries=()):
    """A frame answering ``queries`` with the given values (instance or
    host CPU % dicts by name, default 50 % for every active server).
    """
    frame = MetricsFrame()
    if model is None:
        return frame
    instance_pct = instance_pct or {}
    inst_vals = {}
    for inst in model.get_all_instances().values():
        inst_vals[inst.uuid] = instance_pct.get(inst.name, 50.0)
    host_vals = {}
    for n in model.get_all_compute_nodes().values():
        if host_pct and n.hostname in host_pct:
            host_vals[n.uuid] = host_pct[n.hostname]
    for q in queries:
        if q.metric == 'instance_cpu_usage':
            frame.set(q, inst_vals)
        elif q.metric == 'host_cpu_usage':
            frame.set(q, host_vals)
        elif q.metric == 'instance_ram_usage':
            frame.set(q, {i.uuid: i.memory * 0.5 for i in
                          model.get_all_instances().values()})
        elif q.metric == 'host_ram_usage':
            frame.set(q, {})
    return frame


# The fakes check where servers land: a strategy that can leave the
# destination to the Nova scheduler is asked to name it, unless a test says
# otherwise.
NAMING_PARAMS = {'node_resource_consolidation': {'host_choice': 'specify'}}


def run(strategy, model, params=None, frame=None, **kw):
    params = strategy.validate_parameters(
        dict(NAMING_PARAMS.get(strategy.name, {}), **(params or {})))
    if frame is None:
        frame = cpu_frame(model, queries=strategy.metric_queries(params))
    return strategy.execute(StrategyInput(compute_model=model,
                                          metrics=frame, parameters=params,
                                          **kw))


def apply(model, solution):
    """Apply the migrate actions of ``solution`` to ``model``; returns it."""
    for a in solution.actions:
        if a['action_type'] != 'migrate':
            continue
        p = a['input_parameters']
        model.migrate_instance(p['resource_id'],
                               model.get_node_by_name(p['source_node']),
                               model.get_node_by_name(p['destination_node']))
    return model


def assert_capacity(model):
    for n in model.get_all_compute_nodes().values():
        free = model.get_node_free_resources(n)
        assert free['vcpu'] >= 0 and free['memory'] >= 0 and \
            free['disk'] >= 0, (n.hostname, free)


def assert_anti_affinity(model):
    for group in model.get_all_server_groups().values():
        if group.policy != 'anti-affinity':
            continue
        hosts = [model.get_node_by_instance_uuid(m).uuid
                 for m in group.members]
        assert len(hosts) == len(set(hosts)), group


def migrations(solution):
    return [a for a in solution.actions if a['action_type'] == 'migrate']


__all__ = ['MetricQuery']


def run_and_apply(strategy, model, params=None, frame=None, **kw):
    """Run on ``model`` and return (solution, a copy of the original model
    with the solution's migrations applied, checked for capacity).
    """
    before = model.copy()
    solution = run(strategy, model, params, frame, **kw)
    after = apply(before, solution)
    assert_capacity(after)
    assert_anti_affinity(after)
    return solution, after
