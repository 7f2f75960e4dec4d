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

"""Datasource selection, metric map file, bulk fetching and caching."""
import os
import tempfile

from watcher.common import exception
from watcher.decision_engine.datasources import base as ds_base
from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import manager
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root
from watcher.tests import base


class FakeSource(ds_base.DataSourceBase):
    """Answers every metric it maps with a constant per resource."""

    NAME = 'fake'
    METRIC_MAP = {'host_cpu_usage': 'cpu', 'instance_cpu_usage': 'icpu',
                  'host_airflow': None}

    def __init__(self, name='fake', value=1.0, fail=False, **kwargs):
        super().__init__(**kwargs)
        self.NAME = name
        self.value = value
        self.fail = fail
        self.seen = []

    def fetch_metric(self, query, resources):
        self.queries_sent += 1
        self.seen.append((query, len(resources)))
        if self.fail:
            raise exception.DataSourceNotAvailable(datasource=self.NAME,
                                                   reason='down')
        return {ds_base.resource_key(r): self.value for r in resources}

    def check_availability(self):
        return ds_base.NOT_AVAILABLE if self.fail else ds_base.AVAILABLE

    def list_metrics(self):
        return {'cpu'}


def model(nodes=3, per_node=4):
    m = model_root.ModelRoot()
    for i in range(nodes):
        node = element.ComputeNode(uuid='n%d' % i, hostname='h%d' % i)
        m.add_node(node)
        for j in range(per_node):
            inst = element.Instance(uuid='i%d-%d' % (i, j), vcpus=1)
            m.add_instance(inst)
            m.map_instance(inst, node)
    return m


class TestMetricMap(base.TestCase):

    def write(self, text):
        fd, path = tempfile.mkstemp(suffix='.yaml')
        with os.fdopen(fd, 'w') as fobj:
            fobj.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_file_is_merged_over_defaults(self):
        path = self.write('gnocchi:\n  instance_cpu_usage: cpu_vm_util\n'
                          'prometheus:\n  - host_cpu_usage: x\n')
        self.flags(metric_map_path=path, group='watcher_decision_engine')
        loaded = manager.load_metric_map()
        self.assertEqual({'gnocchi': {'instance_cpu_usage': 'cpu_vm_util'},
                          'prometheus': {'host_cpu_usage': 'x'}}, loaded)
        dsm = manager.DataSourceManager(datasources=['gnocchi'],
                                        helpers={})
        self.assertEqual({'gnocchi': {'instance_cpu_usage': 'cpu_vm_util'},
                          'prometheus': {'host_cpu_usage': 'x'}},
                         dsm.metric_map)
        merged = manager.merge_metric_map(
            {'a': 1, 'b': {'c': 2, 'd': 3}}, {'b': {'d': 4}, 'e': 5})
        self.assertEqual({'a': 1, 'b': {'c': 2, 'd': 4}, 'e': 5}, merged)

    def test_unreadable_or_invalid_file_is_ignored(self):
        self.flags(metric_map_path='/nonexistent/metric_map.yaml',
                   group='watcher_decision_engine')
        self.assertEqual({}, manager.load_metric_map())
        for text in ('gnocchi: [unclosed', '- just\n- a list\n'):
            path = self.write(text)
            with self.assertLogs('watcher.decision_engine.datasources.'
                                 'manager', 'WARNING'):
                self.assertEqual({}, manager.load_metric_map(path))

    def test_helper_gets_the_merged_map(self):
        path = self.write('prometheus:\n  host_cpu_usage: renamed\n')
        self.flags(metric_map_path=path, group='watcher_decision_engine')
        created = {}

        class Probe(FakeSource):
            def __init__(self, metric_map=None, conf=None):
                super().__init__(metric_map=metric_map, conf=conf)
                created['map'] = self.metric_map

        self.patch_loader({'prometheus': Probe})
        dsm = manager.DataSourceManager(datasources=['prometheus'])
        dsm.get_helper('prometheus')
        self.assertEqual('renamed', created['map']['host_cpu_usage'])
        self.assertEqual('icpu', created['map']['instance_cpu_usage'])

    def patch_loader(self, classes):
        original = manager.load_datasource_class

        def load(name):
            if name in classes:
                return classes[name]
            return original(name)
        manager.load_datasource_class = load
        self.addCleanup(setattr, manager, 'load_datasource_class', original)


class TestSelection(base.TestCase):

    def test_preference_lists(self):
        self.flags(datasources=['gnocchi', 'prometheus'],
                   group='watcher_datasources')
        self.assertEqual(['gnocchi', 'prometheus'],
                         manager.preference_list())
        self.flags(datasources=['simulator'],
                   group='watcher_strategies.basic')
        self.assertEqual(['simulator'], manager.preference_list('basic'))
        self.assertEqual(['gnocchi', 'prometheus'],
                         manager.preference_list('workload_balance'))
        self.assertEqual(['gnocchi', 'prometheus'],
                         manager.preference_list('dummy'))

    def test_prometheus_and_aetos_conflict(self):
        exc = self.assertRaises(exception.DataSourceConfigConflict,
                                manager.DataSourceManager,
                                datasources=['prometheus', 'aetos'])
        self.assertIn('prometheus', str(exc))
        self.assertIn('aetos', str(exc))

    def test_first_datasource_offering_every_metric(self):
        partial = FakeSource('partial', metric_map={
            'instance_cpu_usage': None})
        full = FakeSource('full')
        dsm = manager.DataSourceManager(
            datasources=['partial', 'full'], metric_map={},
            helpers={'partial': partial, 'full': full})
        self.assertIs(partial, dsm.get_backend(['host_cpu_usage']))
        self.assertIs(full, dsm.get_backend(['host_cpu_usage',
                                             'instance_cpu_usage']))

    def test_metric_not_available_names_metric_and_datasources(self):
        dsm = manager.DataSourceManager(
            datasources=['fake', 'gnocchi'], metric_map={},
            helpers={'fake': FakeSource()})
        exc = self.assertRaises(exception.MetricNotAvailable,
                                dsm.get_backend,
                                ['host_cpu_usage', 'host_airflow'])
        text = str(exc)
        self.assertIn('host_airflow', text)
        self.assertIn('fake', text)
        self.assertIn('gnocchi (', text)     # with why it was not usable

    def test_unusable_datasource_is_skipped(self):
        self.flags(host=None, group='prometheus_client')
        good = FakeSource('simulator')
        dsm = manager.DataSourceManager(
            datasources=['prometheus', 'simulator'], metric_map={},
            helpers={'simulator': good})
        self.assertIs(good, dsm.get_backend(['host_cpu_usage']))
        self.assertIn('prometheus', dsm.failed)
        self.assertEqual({'prometheus': 'not available',
                          'simulator': 'available'},
                         dsm.check_availability())
        self.assertEqual({'prometheus': set(), 'simulator': {'cpu'}},
                         dsm.list_metrics())
        self.assertEqual({'host_cpu_usage': {'prometheus': False,
                                             'simulator': True}},
                         dsm.metric_status(['host_cpu_usage']))


class TestFetch(base.TestCase):

    def test_one_query_per_metric_for_all_resources(self):
        source = FakeSource(value=42.0)
        dsm = manager.DataSourceManager(datasources=['fake'], metric_map={},
                                        helpers={'fake': source})
        q_host = frame.MetricQuery('host_cpu_usage', 'compute_node', 600)
        q_inst = frame.MetricQuery('instance_cpu_usage', 'instance', 600)
        result = dsm.fetch([q_host, q_inst, q_host], model(3, 4))
        self.assertEqual(2, result.queries_issued)
        self.assertEqual([(q_host, 3), (q_inst, 12)], source.seen)
        self.assertEqual(3, len(result.get(q_host)))
        self.assertEqual(42.0, result.value(q_inst, 'i2-3'))
        # cached for the rest of the audit
        again = dsm.fetch([q_host], model(3, 4))
        self.assertEqual(0, again.queries_issued)
        self.assertEqual(2, len(source.seen))

    def test_queries_independent_of_server_count(self):
        counts = []
        for per_node in (1, 50):
            source = FakeSource()
            dsm = manager.DataSourceManager(
                datasources=['fake'], metric_map={}, helpers={'fake': source})
            got = dsm.fetch([frame.MetricQuery('instance_cpu_usage',
                                               'instance')],
                            model(10, per_node))
            counts.append(got.queries_issued)
        self.assertEqual([1, 1], counts)

    def test_failing_datasource_falls_back_to_the_next(self):
        down = FakeSource('down', fail=True)
        up = FakeSource('up', value=7.0)
        dsm = manager.DataSourceManager(
            datasources=['down', 'up'], metric_map={},
            helpers={'down': down, 'up': up})
        query = frame.MetricQuery('host_cpu_usage', 'compute_node')
        result = dsm.fetch([query], model(2, 0))
        self.assertEqual({'n0': 7.0, 'n1': 7.0}, result.get(query))
        self.assertEqual(2, result.queries_issued)
        self.assertEqual({}, result.errors)

    def test_errors_are_recorded_when_nothing_answers(self):
        down = FakeSource('down', fail=True)
        dsm = manager.DataSourceManager(datasources=['down'], metric_map={},
                                        helpers={'down': down})
        query = frame.MetricQuery('host_cpu_usage', 'compute_node')
        result = dsm.fetch([query], model(2, 0))
        self.assertEqual({}, result.get(query))
        self.assertIn('down', result.errors[query])

    def test_missing_metric_raises(self):
        dsm = manager.DataSourceManager(datasources=['fake'], metric_map={},
                                        helpers={'fake': FakeSource()})
        self.assertRaises(exception.MetricNotAvailable, dsm.fetch,
                          [frame.MetricQuery('host_airflow',
                                             'compute_node')], model())
        self.assertEqual(0, dsm.fetch([], model()).queries_issued)
