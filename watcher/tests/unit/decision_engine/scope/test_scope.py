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

"""Audit scope grammar and its application to the models."""
from watcher.common import exception
from watcher.common import scope_schema
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root
from watcher.decision_engine import scope
from watcher.decision_engine.scope import schema
from watcher.tests import base

AGG_FAST = {'id': 1, 'name': 'fast', 'uuid': 'agg-1'}
AGG_SLOW = {'id': 2, 'name': 'slow', 'uuid': 'agg-2'}


def compute_model():
    """4 nodes, 2 instances each:

    n0 az1 [fast], n1 az1 [fast, slow], n2 az2 [slow], n3 az2 [] disabled
    by an operator; n4 az2 disabled by watcher (no instances).
    """
    model = model_root.ModelRoot()
    specs = [('n0', 'az1', [AGG_FAST], 'enabled', None),
             ('n1', 'az1', [AGG_FAST, AGG_SLOW], 'enabled', None),
             ('n2', 'az2', [AGG_SLOW], 'enabled', None),
             ('n3', 'az2', [], 'disabled', 'maintenance by ops'),
             ('n4', 'az2', [], 'disabled', 'watcher_disabled')]
    for name, az, aggs, status, reason in specs:
        node = element.ComputeNode(uuid='uuid-' + name, hostname=name,
                                   availability_zone=az,
                                   aggregates=list(aggs), status=status,
                                   disabled_reason=reason, vcpus=8,
                                   memory=8192, disk=100)
        model.add_node(node)
        if name == 'n4':
            continue
        for i in range(2):
            inst = element.Instance(
                uuid='%s-vm%d' % (name, i), name='%s-vm%d' % (name, i),
                vcpus=1, memory=512, disk=1,
                project_id='p%d' % i,
                metadata={'optimize': 'False'} if i else {})
            model.add_instance(inst)
            model.map_instance(inst, node)
    return model


def hostnames(model):
    return sorted(n.hostname for n in model.get_all_compute_nodes().values())


def excluded(model):
    return sorted(u for u, i in model.get_all_instances().items()
                  if i.watcher_exclude)


class TestSchema(base.TestCase):

    def test_valid_scopes(self):
        for good in (
                [], None,
                [{'compute': [{'host_aggregates': [{'id': 1}, {'id': '*'},
                                                   {'name': 'fast'}]},
                              {'availability_zones': [{'name': 'az1'}]},
                              {'compute_nodes': [{'name': 'n0'}]},
                              {'exclude': [
                                  {'instances': [{'uuid': 'x'}]},
                                  {'compute_nodes': [{'name': 'n1'}]},
                                  {'host_aggregates': [{'id': 3}]},
                                  {'instance_metadata': [
                                      {'optimize': 'False'}]},
                                  {'projects': [{'uuid': 'p'}]}]}]}],
                [{'storage': [{'availability_zones': [{'name': 'nova'}]},
                              {'volume_types': [{'name': 'lvm'}]},
                              {'exclude': [
                                  {'storage_pools': [{'name': 'h@b#p'}]},
                                  {'volumes': [{'uuid': 'v'}]},
                                  {'projects': [{'uuid': 'p'}]}]}]}],
                [{'baremetal': [{'exclude': [
                    {'ironic_nodes': [{'uuid': 'i'}]}]}]}],
                # the old flat (Ocata) format
                [{'availability_zones': [{'name': 'az1'}]},
                 {'exclude': [{'instances': [{'uuid': 'x'}]}]}]):
            schema.validate_scope(good)
            scope_schema.validate(good)

    def test_invalid_scopes(self):
        for bad, text in (
                ({'compute': []}, 'is not of type'),
                ([{'compute': [{'nodes': []}]}], "'nodes' was unexpected"),
                ([{'compute': [{'exclude': [{'instances': [{'id': 'x'}]}]}]}],
                 "'uuid' is a required property"),
                ([{'storage': [{'host_aggregates': []}]}],
                 "'host_aggregates' was unexpected"),
                ([{'availability_zones': [{'nam': 'x'}]}],
                 "'name' is a required property"),
                ([{'compute': [], 'storage': []}], 'too many properties')):
            exc = self.assertRaises(exception.InvalidScope,
                                    schema.validate_scope, bad)
            self.assertIn(text, str(exc))
            self.assertEqual(400, exc.code)

    def test_normalize(self):
        flat = [{'availability_zones': [{'name': 'az1'}]}]
        self.assertEqual([{'compute': flat}], scope_schema.normalize(flat))
        keyed = [{'compute': flat}]
        self.assertEqual(keyed, scope_schema.normalize(keyed))
        self.assertEqual([], scope_schema.normalize(None))
        self.assertEqual(flat, scope_schema.model_scope(flat, 'compute'))
        self.assertEqual([], scope_schema.model_scope(flat, 'storage'))


class TestComputeScope(base.TestCase):

    def apply(self, items, model=None):
        model = model or compute_model()
        before = hostnames(model)
        scoped = scope.apply_scope('compute', model, [{'compute': items}])
        self.assertEqual(before, hostnames(model), 'the model was changed')
        return scoped

    def test_empty_scope_drops_only_operator_disabled_nodes(self):
        scoped = scope.apply_scope('compute', compute_model(), [])
        self.assertEqual(['n0', 'n1', 'n2', 'n4'], hostnames(scoped))
        self.assertFalse(scoped.has_instance('n3-vm0'))
        self.assertEqual(6, len(scoped.get_all_instances()))

    def test_availability_zones(self):
        self.assertEqual(['n0', 'n1'], hostnames(self.apply(
            [{'availability_zones': [{'name': 'az1'}]}])))
        self.assertEqual(['n0', 'n1', 'n2', 'n4'], hostnames(self.apply(
            [{'availability_zones': [{'name': '*'}]}])))

    def test_host_aggregates_by_id_name_and_wildcard(self):
        self.assertEqual(['n0', 'n1'], hostnames(self.apply(
            [{'host_aggregates': [{'id': 1}]}])))
        self.assertEqual(['n1', 'n2'], hostnames(self.apply(
            [{'host_aggregates': [{'name': 'slow'}]}])))
        self.assertEqual(['n0', 'n1', 'n2'], hostnames(self.apply(
            [{'host_aggregates': [{'id': '*'}]}])))

    def test_includes_are_a_union(self):
        self.assertEqual(['n0', 'n1', 'n2'], hostnames(self.apply(
            [{'availability_zones': [{'name': 'az1'}]},
             {'host_aggregates': [{'name': 'slow'}]}])))

    def test_compute_nodes(self):
        scoped = self.apply([{'compute_nodes': [{'name': 'n2'}]}])
        self.assertEqual(['n2'], hostnames(scoped))
        self.assertEqual(['n2-vm0', 'n2-vm1'],
                         sorted(scoped.get_all_instances()))

    def test_exclude_nodes_and_aggregates(self):
        self.assertEqual(['n1', 'n2', 'n4'], hostnames(self.apply(
            [{'exclude': [{'compute_nodes': [{'name': 'n0'}]}]}])))
        self.assertEqual(['n0', 'n4'], hostnames(self.apply(
            [{'exclude': [{'host_aggregates': [{'id': 2}]}]}])))

    def test_exclude_instances_keeps_them_marked(self):
        scoped = self.apply([{'exclude': [
            {'instances': [{'uuid': 'n0-vm0'}]}]}])
        self.assertEqual(['n0-vm0'], excluded(scoped))
        self.assertTrue(scoped.has_instance('n0-vm0'))
        self.assertEqual(['n0-vm0', 'n0-vm1'], sorted(
            i.uuid for i in scoped.get_node_instances('uuid-n0')))

    def test_exclude_metadata_and_projects(self):
        scoped = self.apply([{'exclude': [
            {'instance_metadata': [{'optimize': 'false'}]}]}])
        self.assertEqual(['n0-vm1', 'n1-vm1', 'n2-vm1'], excluded(scoped))
        scoped = self.apply([{'exclude': [{'projects': [{'uuid': 'p0'}]}]}])
        self.assertEqual(['n0-vm0', 'n1-vm0', 'n2-vm0'], excluded(scoped))

    def test_missing_resources_warn(self):
        with self.assertLogs('watcher.decision_engine.scope.base',
                             'WARNING') as logs:
            scoped = self.apply([
                {'availability_zones': [{'name': 'nowhere'}]},
                {'exclude': [{'compute_nodes': [{'name': 'ghost'}]}]}])
        self.assertEqual([], hostnames(scoped))
        self.assertIn('nowhere', '\n'.join(logs.output))
        self.assertIn('ghost', '\n'.join(logs.output))

    def test_flat_format(self):
        model = compute_model()
        scoped = scope.apply_scope(
            'compute', model, [{'availability_zones': [{'name': 'az2'}]}])
        self.assertEqual(['n2', 'n4'], hostnames(scoped))

    def test_unknown_model_type(self):
        self.assertRaises(ValueError, scope.apply_scope, 'network',
                          compute_model(), [])


def storage_model():
    model = model_root.StorageModelRoot()
    for host, zone, types in (('s1@lvm', 'az1', ['lvm']),
                              ('s2@ceph', 'az2', ['ceph'])):
        model.add_node(element.StorageNode(host=host, zone=zone,
                                           volume_type=types))
        pool = element.Pool(name=host + '#pool')
        model.add_pool(pool)
        model.map_pool(pool, host)
        for i in range(2):
            vol = element.Volume(uuid='%s-v%d' % (host, i), size=1,
                                 project_id='p%d' % i)
            model.add_volume(vol)
            model.map_volume(vol, pool)
    return model


class TestStorageScope(base.TestCase):

    def apply(self, items):
        return scope.apply_scope('storage', storage_model(),
                                 [{'storage': items}])

    def test_zone_and_types(self):
        scoped = self.apply([{'availability_zones': [{'name': 'az1'}]}])
        self.assertEqual(['s1@lvm'], sorted(scoped.get_all_storage_nodes()))
        self.assertEqual(['s1@lvm#pool'], sorted(scoped.get_all_pools()))
        self.assertEqual(['s1@lvm-v0', 's1@lvm-v1'],
                         sorted(scoped.get_all_volumes()))
        scoped = self.apply([{'volume_types': [{'name': 'ceph'}]}])
        self.assertEqual(['s2@ceph'], sorted(scoped.get_all_storage_nodes()))

    def test_excludes(self):
        scoped = self.apply([{'exclude': [
            {'storage_pools': [{'name': 's1@lvm#pool'}]},
            {'volumes': [{'uuid': 's2@ceph-v0'}]}]}])
        self.assertEqual(['s2@ceph#pool'], sorted(scoped.get_all_pools()))
        self.assertEqual(['s2@ceph-v1'], sorted(scoped.get_all_volumes()))
        scoped = self.apply([{'exclude': [{'projects': [{'uuid': 'p1'}]}]}])
        self.assertEqual(['s1@lvm-v0', 's2@ceph-v0'],
                         sorted(scoped.get_all_volumes()))


class TestBaremetalScope(base.TestCase):

    def test_exclude_ironic_nodes(self):
        model = model_root.BaremetalModelRoot()
        for uuid in ('i1', 'i2'):
            model.add_node(element.IronicNode(uuid=uuid))
        scoped = scope.apply_scope('baremetal', model, [{'baremetal': [
            {'exclude': [{'ironic_nodes': [{'uuid': 'i1'}]}]}]}])
        self.assertEqual(['i2'], sorted(scoped.get_all_ironic_nodes()))
        self.assertEqual(['i1', 'i2'], sorted(model.get_all_ironic_nodes()))
