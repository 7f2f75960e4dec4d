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

"""The compute collector on the real Nova/Placement answers of
real-nova-examples.md (``samples/``), through fake openstacksdk proxies.
"""
import copy
import json
import os
from unittest import mock
from urllib import parse

from watcher.common import exception
from watcher.decision_engine.model.collector import api
from watcher.decision_engine.model.collector import base as collector_base
from watcher.decision_engine.model.collector import manager
from watcher.decision_engine.model.collector import nova
from watcher.tests import base

SAMPLES = os.path.join(os.path.dirname(__file__), 'samples')
C1 = 'e0a3e0ac-30ce-48fc-9fa4-4ffdad7168a2'
C2 = 'f79e878c-006a-4ab4-bf3b-f2a8cf06fcdc'
C3 = '5ead6381-3746-4d97-a1dc-14660c066c92'


def sample(name):
    with open(os.path.join(SAMPLES, name + '.json')) as fobj:
        return json.load(fobj)


class Response:
    def __init__(self, status, body):
        self.status_code = status
        self._body = body
        self.content = json.dumps(body).encode()
        self.text = self.content.decode()

    def json(self):
        return self._body


class FakeProxy:
    """``get(path, params=, microversion=)`` answered from ``routes``."""

    def __init__(self, routes):
        self.routes = routes
        self.calls = []

    def get(self, path, params=None, microversion=None):
        self.calls.append((path, dict(params or {}), microversion))
        answer = self.routes.get(path)
        if answer is None:
            return Response(404, {'error': 'not found'})
        if callable(answer):
            answer = answer(params or {}, microversion)
        return Response(200, answer)


class FakeConnection:
    def __init__(self, compute, placement):
        self.compute = compute
        self.placement = placement
        self.session = None


def hypervisors_with_totals(params, microversion):
    """The 2.88 capture plus the totals Nova gives below 2.88."""
    body = copy.deepcopy(sample('os-hypervisors_detail'))
    if api.version_tuple(microversion) < (2, 88):
        for hyp in body['hypervisors']:
            hyp.update(vcpus=16, memory_mb=32768, local_gb=500)
    return body


def servers_pages(params, microversion):
    """The captured server on compute2, then a second page with one on
    compute1 (marker pagination as Nova does it).
    """
    first = copy.deepcopy(sample('servers_detail'))
    if params.get('marker'):
        server = copy.deepcopy(first['servers'][0])
        server.update(id='11111111-2222-3333-4444-555555555555',
                      name='vm-z', metadata={'optimize': 'false'})
        server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = 'compute1'
        server['OS-EXT-SRV-ATTR:host'] = 'compute1'
        shelved = copy.deepcopy(server)
        shelved.update(id='shelved')
        shelved['OS-EXT-SRV-ATTR:hypervisor_hostname'] = None
        shelved['OS-EXT-SRV-ATTR:host'] = None
        return {'servers': [server, shelved]}
    return first


class TestNovaCollector(base.TestCase):

    def setUp(self):
        super().setUp()
        self.inventory = sample('placement_inventories')
        self.compute = FakeProxy({
            '/os-services': sample('os-services'),
            '/os-aggregates': {'aggregates': [
                {'id': 4, 'name': 'fast', 'uuid': 'agg-4',
                 'availability_zone': None, 'hosts': ['compute1']}]},
            '/os-hypervisors/detail': hypervisors_with_totals,
            '/servers/detail': servers_pages,
            '/os-server-groups': {'server_groups': [
                {'id': 'g1', 'name': 'web', 'policy': 'anti-affinity',
                 'members': ['2242402b-18c6-490f-ad84-ccf413a3846f',
                             'unknown-member']}]},
            '/flavors/detail': sample('flavors_detail'),
        })
        self.placement = FakeProxy({
            '/resource_providers/%s/inventories' % u: self.inventories
            for u in (C1, C2, C3)})
        self.conn = FakeConnection(self.compute, self.placement)
        self.microversion = '2.96'
        patcher = mock.patch.object(
            api, 'max_microversion',
            side_effect=lambda proxy, wanted: self.microversion)
        patcher.start()
        self.addCleanup(patcher.stop)

    def inventories(self, params, microversion):
        return copy.deepcopy(self.inventory)

    def collector(self, **kwargs):
        return nova.NovaClusterDataModelCollector(connection=self.conn,
                                                  **kwargs)

    def inventory_calls(self):
        return [c for c in self.placement.calls
                if c[0].endswith('/inventories')]

    def test_build_from_the_captured_answers(self):
        collector = self.collector()
        model = collector.get_latest_cluster_data_model()
        self.assertTrue(collector.wait_for_inventories(10))
        self.assertEqual({'nodes': 3, 'instances': 2, 'mapped_instances': 2,
                          'server_groups': 1}, model.stats)
        node = model.get_node_by_name('compute1')
        self.assertEqual(
            (C1, 'up', 'enabled', None, 16, 32768, 500, 0, 4.0, 512, 1.0,
             'nova', 'fake'),
            (node.uuid, node.state, node.status, node.disabled_reason,
             node.vcpus, node.memory, node.disk, node.vcpu_reserved,
             node.vcpu_ratio, node.memory_mb_reserved, node.memory_ratio,
             node.availability_zone, node.hypervisor_type))
        self.assertEqual([{'id': 4, 'name': 'fast', 'uuid': 'agg-4'}],
                         node.aggregates)
        self.assertEqual(64.0, node.vcpu_capacity)
        inst = model.get_instance_by_uuid(
            '2242402b-18c6-490f-ad84-ccf413a3846f')
        self.assertEqual(('vm-b', 'active', 1, 512, 1, 'm1.small',
                          '1ebb7744909646a4b11bb915fc45c6ff', False),
                         (inst.name, inst.state, inst.vcpus, inst.memory,
                          inst.disk, inst.flavor_name, inst.project_id,
                          inst.locked))
        self.assertEqual('', inst.pinned_az)       # extended attrs off
        self.assertEqual('compute2', model.get_node_by_instance_uuid(
            inst.uuid).hostname)
        self.assertEqual({'2242402b-18c6-490f-ad84-ccf413a3846f'},
                         model.get_server_group('g1').members)
        self.assertFalse(model.has_instance('shelved'))

    def test_bulk_requests_only(self):
        collector = self.collector()
        collector.synchronize()
        paths = [c[0] for c in self.compute.calls]
        self.assertEqual(['/os-services', '/os-aggregates',
                          '/os-hypervisors/detail', '/servers/detail',
                          '/servers/detail', '/os-server-groups'], paths)
        hyp_call = self.compute.calls[2]
        self.assertEqual('2.87', hyp_call[2])          # totals
        self.assertEqual({'all_tenants': 1, 'limit': 1000},
                         self.compute.calls[3][1])
        self.assertEqual('2242402b-18c6-490f-ad84-ccf413a3846f',
                         self.compute.calls[4][1]['marker'])
        # compute1 (its own aggregate) and compute2+3 (one class): two
        # inventories during the build, the third one afterwards
        self.assertTrue(collector.wait_for_inventories(10))
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertEqual(set(), collector.estimated_nodes)

    def test_inventory_classes_and_background_refresh(self):
        collector = self.collector()
        refreshed = []
        original = collector._refresh_inventories

        def hold(uuids):
            refreshed.extend(uuids)
        collector._refresh_inventories = hold
        model = collector.get_latest_cluster_data_model()
        self.assertEqual(2, len(self.inventory_calls()))
        self.assertEqual(1, len(collector.estimated_nodes))
        borrowed = next(iter(collector.estimated_nodes))
        self.assertEqual([borrowed], refreshed)
        self.assertEqual(4.0, model.get_node_by_uuid(borrowed).vcpu_ratio)
        # the exact inventory then patches the live model (once the copy
        # handed out is no longer in use)
        del model
        self.inventory['inventories']['VCPU']['allocation_ratio'] = 2.0
        original([borrowed])
        self.assertEqual(set(), collector.estimated_nodes)
        live = collector.get_latest_cluster_data_model()
        self.assertEqual(2.0, live.get_node_by_uuid(borrowed).vcpu_ratio)
        # a resync reuses the cached inventories and refreshes them after
        self.placement.calls.clear()
        collector.synchronize()
        self.assertEqual([], self.inventory_calls())
        self.assertEqual(1 + 3, len(refreshed))

    def test_refresh_waits_for_the_copies_in_use(self):
        collector = self.collector()
        model = collector.get_latest_cluster_data_model()
        self.assertEqual(1, collector.copies_in_use)
        self.assertEqual(2, len(self.inventory_calls()))
        # an audit reads the copy: the refresh sends nothing meanwhile
        self.assertFalse(collector._refresh_done.wait(1.0))
        self.assertEqual(2, len(self.inventory_calls()))
        self.assertEqual(1, len(collector.estimated_nodes))
        del model
        self.assertEqual(0, collector.copies_in_use)
        self.assertTrue(collector._refresh_done.wait(10))
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertEqual(set(), collector.estimated_nodes)

    def test_waiting_for_inventories_does_not_wait_for_copies(self):
        collector = self.collector()
        model = collector.get_latest_cluster_data_model()
        self.assertTrue(collector.wait_for_inventories(10))
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertIsNotNone(model)

    def test_disagreeing_placement_totals_disable_sampling(self):
        self.inventory['inventories']['VCPU']['total'] = 12
        collector = self.collector()
        collector._refresh_inventories = lambda uuids: None
        model = collector.get_latest_cluster_data_model()
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertEqual(set(), collector.estimated_nodes)
        self.assertEqual(12, model.get_node_by_name('compute3').vcpus)

    def test_exact_mode(self):
        collector = self.collector(inventory_mode='exact')
        collector.synchronize()
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertIsNone(collector._refresh_thread)

    def test_nova_2_88_without_totals_reads_every_inventory(self):
        self.compute.routes['/os-hypervisors/detail'] = sample(
            'os-hypervisors_detail')
        self.microversion = '2.86'          # < 2.87: hypervisors as is
        collector = self.collector()
        model = collector.get_latest_cluster_data_model()
        self.assertEqual(3, len(self.inventory_calls()))
        self.assertEqual(16, model.get_node_by_name('compute2').vcpus)

    def test_old_nova_reads_flavors_once(self):
        self.microversion = '2.40'
        server = sample('servers_detail')
        server['servers'][0]['flavor'] = {
            'id': 'de841990-3897-4d40-88a7-2de525f8cf26'}
        self.compute.routes['/servers/detail'] = server
        model = self.collector().get_latest_cluster_data_model()
        inst = model.get_instance_by_uuid(
            '2242402b-18c6-490f-ad84-ccf413a3846f')
        self.assertEqual((1, 512, 1, 'm1.small'),
                         (inst.vcpus, inst.memory, inst.disk,
                          inst.flavor_name))
        self.assertEqual(1, [c[0] for c in self.compute.calls].count(
            '/flavors/detail'))

    def test_extended_attributes(self):
        self.flags(enable_extended_attributes=True, group='compute_model')
        model = self.collector().get_latest_cluster_data_model()
        inst = model.get_instance_by_uuid(
            '2242402b-18c6-490f-ad84-ccf413a3846f')
        self.assertEqual(('nova', {}), (inst.pinned_az,
                                        inst.flavor_extra_specs))
        row, = [r for r in model.to_data_model_rows(extended=True)
                if r.get('server_uuid') == inst.uuid]
        self.assertEqual(('nova', {}), (row['server_pinned_az'],
                                        row['server_flavor_extra_specs']))

    def test_disabled_reason_and_forced_down(self):
        services = sample('os-services')
        services['services'][0].update(status='disabled',
                                       disabled_reason='watcher_disabled',
                                       forced_down=True)
        self.compute.routes['/os-services'] = services
        hyps = hypervisors_with_totals({}, '2.87')
        hyps['hypervisors'][0].update(status='disabled')
        hyps['hypervisors'][0]['service']['disabled_reason'] = \
            'watcher_disabled'
        self.compute.routes['/os-hypervisors/detail'] = hyps
        model = self.collector().get_latest_cluster_data_model()
        node = model.get_node_by_name('compute3')
        self.assertEqual(('down', 'disabled', 'watcher_disabled', True),
                         (node.state, node.status, node.disabled_reason,
                          node.disabled_by_watcher))

    def test_copies_and_errors(self):
        collector = self.collector()
        first = collector.get_latest_cluster_data_model()
        first.remove_node(C1)
        self.assertTrue(collector.get_latest_cluster_data_model().has_node(
            C1))
        self.assertEqual(1, collector.builds)
        self.compute.routes.pop('/os-services')
        exc = self.assertRaises(exception.ClusterDataModelCollectionError,
                                collector.synchronize)
        self.assertIn('/os-services', str(exc))
        self.assertTrue(collector.get_latest_cluster_data_model().has_node(
            C1))

    def test_fetch_single_resources(self):
        server = sample('servers_detail')['servers'][0]
        self.compute.routes['/servers/%s' % server['id']] = {
            'server': server}
        collector = self.collector()
        instance, hostname, host = collector.fetch_instance(server['id'])
        self.assertEqual(('vm-b', 'compute2', 'compute2'),
                         (instance.name, hostname, host))
        self.assertIsNone(collector.fetch_instance('gone'))
        node, = collector.fetch_node('compute1')
        self.assertEqual((C1, 16, 4.0), (node.uuid, node.vcpus,
                                         node.vcpu_ratio))


class TestPagination(base.TestCase):

    def test_links_offset_and_next(self):
        items = [{'id': str(i)} for i in range(5)]

        def links(params, mv):
            start = int(params.get('marker', -1)) + 1
            page = items[start:start + 2]
            body = {'things': page}
            if start + 2 < len(items):
                body['things_links'] = [{'rel': 'next', 'href':
                                         'http://x/t?limit=2&marker=%s'
                                         % page[-1]['id']}]
            return body

        def offset(params, mv):
            start = int(params.get('offset', 0))
            return {'things': items[start:start + params['limit']]}

        def nxt(params, mv):
            start = int(params.get('marker', -1)) + 1
            page = items[start:start + 2]
            body = {'things': page}
            if start + 2 < len(items):
                body['next'] = 'http://x/t?' + parse.urlencode(
                    {'marker': page[-1]['id']})
            return body

        for func, paginate in ((links, api.paginate_links),
                               (offset, api.paginate_offset),
                               (nxt, api.paginate_next)):
            proxy = FakeProxy({'/t': func})
            got = list(paginate(proxy, '/t', 'things', page_size=2))
            self.assertEqual(items, got, paginate.__name__)
            self.assertEqual(3, len(proxy.calls), paginate.__name__)

    def test_retries_on_server_errors(self):
        self.flags(api_query_max_retries=3, api_query_interval=0,
                   group='collector')
        answers = [Response(503, {}), Response(200, {'ok': 1})]
        proxy = mock.Mock()
        proxy.get.side_effect = answers
        self.assertEqual({'ok': 1}, api.get_json(proxy, '/x'))
        proxy.get.side_effect = [Response(400, {'bad': 1})]
        self.assertRaises(exception.CloudApiError, api.get_json, proxy, '/x')


class TestRequestCounter(base.TestCase):

    def test_counts_only_the_counting_thread(self):
        import threading

        class Session:
            def request(self, url, method, **kwargs):
                return url

        session = Session()
        with collector_base.RequestCounter(session) as counter:
            session.request('/a', 'GET')
            other = threading.Thread(target=session.request,
                                     args=('/b', 'GET'))
            other.start()
            other.join()
            session.request('/c', 'GET')
        session.request('/d', 'GET')
        self.assertEqual(2, counter.count)


class TestCollectorManager(base.TestCase):

    def setUp(self):
        super().setUp()
        manager.CollectorManager.reset()
        self.addCleanup(manager.CollectorManager.reset)

    def test_singleton_and_periodic_jobs(self):
        first = manager.CollectorManager()
        self.assertIs(first, manager.CollectorManager())
        compute = first.get_cluster_model_collector('compute')
        self.assertIsInstance(compute, nova.NovaClusterDataModelCollector)
        self.assertIs(compute, first.get_cluster_model_collector('compute'))
        self.assertEqual(['compute', 'storage'],
                         sorted(first.get_collectors()))
        self.flags(period=120,
                   group='watcher_cluster_data_model_collectors.compute')
        scheduler = mock.Mock()
        jobs = first.start_periodic_sync(scheduler)
        self.assertEqual(2, len(jobs))
        kwargs = scheduler.add_job.call_args_list[0][1]
        self.assertEqual(120, kwargs['seconds'])
        self.assertEqual('watcher-cdm-sync-compute', kwargs['id'])
        self.assertRaises(exception.LoadingError,
                          first.get_cluster_model_collector, 'network')

    def test_periodic_job_keeps_builds_lazy(self):
        collectors = manager.CollectorManager()
        fake = mock.Mock(is_built=False)
        collectors.register_collector('compute', fake)
        collectors._sync_job('compute')
        fake.synchronize.assert_not_called()
        fake.is_built = True
        collectors._sync_job('compute')
        fake.synchronize.assert_called_once_with()
