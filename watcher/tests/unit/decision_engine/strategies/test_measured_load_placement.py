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

"""host_maintenance and node_resource_consolidation place servers by
allocation, and where a datasource answers measured CPU they keep the
receiving hosts within the consolidation strategies' measured target
(hypervisor overhead counted); without it nothing fails.
"""
from watcher.common import exception
from watcher.decision_engine.audit import base as audit_base
from watcher.decision_engine.datasources.frame import MetricsFrame
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation
from watcher.tests.unit.decision_engine import model_fakes as fakes


def busy_cluster():
    # m is emptied; h1 fits its server best by allocation (4 vCPUs free
    # against 14) but is busy: 12 of 16 cores, 11 of them its own
    # overhead, so the 2 cores of server a would take it to 0.875
    model = fakes.build({'m': [('a', 2)],
                         'h1': [('b', 8), ('c', 4)],
                         'h2': [('d', 2)]})
    return model


def frame_for(strategy, model, params):
    params = strategy.validate_parameters(params)
    return fakes.cpu_frame(
        model, instance_pct={'a': 100.0, 'b': 1.0, 'c': 1.0, 'd': 50.0},
        host_pct={'h1': 75.0, 'h2': 6.25, 'm': 12.5},
        queries=strategy.optional_metric_queries(params))


def destinations(solution):
    return {a['input_parameters']['resource_name']:
            a['input_parameters']['destination_node']
            for a in fakes.migrations(solution)}


def test_host_maintenance_without_metrics_takes_the_best_fit():
    model = busy_cluster()
    strategy = host_maintenance.HostMaintenance(config={})
    solution = fakes.run(strategy, model, {'maintenance_node': 'm'})
    assert destinations(solution) == {'a': 'h1'}


def test_host_maintenance_keeps_receiving_hosts_within_target():
    model = busy_cluster()
    strategy = host_maintenance.HostMaintenance(config={})
    params = {'maintenance_node': 'm'}
    solution = fakes.run(strategy, model, params,
                         frame=frame_for(strategy, model, params))
    assert destinations(solution) == {'a': 'h2'}


def test_host_maintenance_over_target_everywhere_still_empties():
    model = busy_cluster()
    strategy = host_maintenance.HostMaintenance(config={})
    params = {'maintenance_node': 'm'}
    frame = fakes.cpu_frame(
        model, instance_pct={'a': 100.0},
        host_pct={'h1': 95.0, 'h2': 90.0},
        queries=strategy.optional_metric_queries(
            strategy.validate_parameters(params)))
    solution = fakes.run(strategy, model, params, frame=frame)
    # the most headroom after the move: h2 (14.4 + 2 cores < 15.2 + 2)
    assert destinations(solution) == {'a': 'h2'}


def test_node_resource_consolidation_counts_host_overhead():
    # h1's servers are idle but the host is busy by itself: packing m's
    # server there would take it above 0.8
    model = fakes.build({'m': [('a', 2)],
                         'h1': [('b', 8), ('c', 4)],
                         'h2': [('d', 8), ('e', 4)]})
    strategy = node_resource_consolidation.NodeResourceConsolidation(
        config={})
    params = {'host_choice': 'specify'}
    frame = fakes.cpu_frame(
        model, instance_pct={'a': 100.0, 'b': 1.0, 'c': 1.0, 'd': 1.0,
                             'e': 1.0},
        host_pct={'h1': 75.0, 'h2': 10.0},
        queries=strategy.optional_metric_queries(
            strategy.validate_parameters(params)))
    solution = fakes.run(strategy, model, params, frame=frame)
    assert destinations(solution) == {'a': 'h2'}


class _Sources:
    """A datasource layer answering some metrics, none or failing."""

    def __init__(self, answers=None, fail=False):
        self.answers = answers or {}
        self.fail = fail
        self.asked = []

    def fetch_metrics(self, strategy_name, queries, compute_model):
        self.asked.append(list(queries))
        if self.fail:
            raise exception.MetricFetchFailed(
                metric=queries[0].metric, strategy=strategy_name,
                reason='no datasource')
        frame = MetricsFrame()
        for query in queries:
            if query.metric in self.answers:
                frame.set(query, self.answers[query.metric])
            else:
                frame.errors[query] = 'not answered'
            frame.queries_issued += 1
        return frame


def test_pipeline_fetches_optional_metrics_when_answered():
    strategy = host_maintenance.HostMaintenance(config={})
    params = strategy.validate_parameters({'maintenance_node': 'm'})
    sources = _Sources({'host_cpu_usage': {'n1': 50.0}})
    handler = audit_base.AuditHandler(sources=sources)
    frame = handler.fetch_metrics(strategy, params, None)
    host_q = frame.find('host_cpu_usage', 'compute_node')
    assert host_q is not None and frame.get(host_q) == {'n1': 50.0}
    assert frame.find('instance_cpu_usage') is None
    assert frame.queries_issued == 2


def test_pipeline_runs_without_optional_metrics():
    strategy = node_resource_consolidation.NodeResourceConsolidation(
        config={})
    params = strategy.validate_parameters({})
    sources = _Sources(fail=True)
    handler = audit_base.AuditHandler(sources=sources)
    frame = handler.fetch_metrics(strategy, params, None)
    assert len(frame) == 0
    assert len(sources.asked) == 1
