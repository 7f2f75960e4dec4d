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

"""The library internals watcher.common.library_seams relies on.

A failure here means a library upgrade changed one of them: fix the seam
(or drop the trick it serves) before anything else.
"""
import inspect
import random
import types

import fixtures

from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging import transport as msg_transport
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields
from pecan import core as pecan_core
from pecan import rest as pecan_rest
from pecan import routing as pecan_routing
from pecan import util as pecan_util
from pymysql import connections as pymysql_connections
from pymysql import converters as pymysql_converters
from pymysql import protocol as pymysql_protocol
from taskflow import engines as tf_engines
from taskflow.engines.action_engine import compiler as tf_compiler
from taskflow.engines.action_engine import scopes as tf_scopes
from taskflow.patterns import graph_flow
from taskflow.patterns import linear_flow
from taskflow.patterns import unordered_flow
from taskflow import retry as tf_retry
from taskflow import task as tf_task
from taskflow.types import graph as tf_graph
from taskflow.types import tree as tf_tree

from watcher.api.controllers.v1 import goal
from watcher.applier.workflow import taskflow_engine
from watcher.common import library_seams
from watcher.tests import base


@ovo_base.VersionedObjectRegistry.register_if(False)
class _Probe(ovo_base.VersionedObject):
    fields = {'count': ovo_fields.IntegerField(nullable=True),
              'when': ovo_fields.DateTimeField(nullable=True)}


class TestVersionedObjects(base.TestCase):

    def test_a_set_field_lives_under_its_attrname(self):
        probe = _Probe(count=3)
        self.assertEqual(3, probe.__dict__[library_seams.ovo_attrname(
            'count')])
        self.assertFalse(probe.obj_attr_is_set('when'))
        self.assertNotIn(library_seams.ovo_attrname('when'),
                         probe.__dict__)

    def test_field_type_is_the_coercing_type(self):
        fields = _Probe.fields
        self.assertIsInstance(library_seams.ovo_field_type(fields['count']),
                              ovo_fields.Integer)
        when = library_seams.ovo_field_type(fields['when'])
        self.assertIsInstance(when, ovo_fields.DateTime)
        self.assertTrue(when.tzinfo_aware)


class TestMessaging(base.TestCase):

    def test_notification_transport_shares_the_rpc_driver(self):
        conf = cfg.ConfigOpts()
        rpc_transport = messaging.get_rpc_transport(conf, url='fake://')
        self.addCleanup(rpc_transport.cleanup)
        notif = library_seams.notification_transport_on(rpc_transport)
        self.assertIsInstance(notif, msg_transport.NotificationTransport)
        self.assertTrue(library_seams.share_driver(notif, rpc_transport))
        other = messaging.get_rpc_transport(conf, url='fake://')
        self.addCleanup(other.cleanup)
        self.assertFalse(library_seams.share_driver(other, rpc_transport))


class TestPecan(base.TestCase):

    def test_pecan_looks_signatures_up_by_module_global(self):
        # The memoized function replaces these modules' global name: pecan
        # must still call it by that name.
        for module in (pecan_core, pecan_rest, pecan_routing):
            self.assertIn('getargspec(', inspect.getsource(module),
                          module.__name__)
            self.assertTrue(callable(module.getargspec), module.__name__)

    def test_memoized_answers_as_pecan_does(self):
        library_seams.memoize_pecan_argspec()
        library_seams.memoize_pecan_argspec()
        memo = pecan_core.getargspec
        self.assertTrue(memo._watcher_memoized)
        self.assertIs(memo, pecan_rest.getargspec)
        self.assertIs(memo, pecan_routing.getargspec)
        method = goal.GoalsController().get_all
        self.assertEqual(pecan_util.getargspec(method), memo(method))
        self.assertIs(memo(method), memo(method))


def _column(value):
    """A text-protocol column: its length-coded bytes (None: NULL)."""
    if value is None:
        return b'\xfb'
    size = len(value)
    if size < 251:
        return bytes([size]) + value
    if size < 2 ** 16:
        return b'\xfc' + size.to_bytes(2, 'little') + value
    if size < 2 ** 24:
        return b'\xfd' + size.to_bytes(3, 'little') + value
    return b'\xfe' + size.to_bytes(8, 'little') + value


class TestPyMySQL(base.TestCase):

    CONVERTERS = [('utf8', None), (None, None), ('utf8', int),
                  ('utf8', pymysql_converters.convert_datetime),
                  ('utf8', None), ('utf8', None), (None, None)]
    VALUES = [b'abc', None, b'42', b'2031-03-04 01:30:15.123456',
              'ü'.encode() * 200, b'x' * 70000, b'']

    def _parse(self, parser, data, converters=None):
        # all a row parser reads of its result
        result = types.SimpleNamespace(
            converters=converters or self.CONVERTERS)
        packet = pymysql_protocol.MysqlPacket(data, 'utf8')
        return parser(result, packet)

    def _both(self, data, converters=None):
        return [self._parse(parser, data, converters) for parser in
                (library_seams.LIBRARY_READ_ROW, library_seams.read_row)]

    def test_pymysql_still_parses_rows_there(self):
        # what the seam replaces and reads: a method of the result taking
        # the packet, the result's (encoding, converter) per column, the
        # packet's bytes and read position
        self.assertEqual(
            ['self', 'packet'], list(inspect.signature(
                library_seams.LIBRARY_READ_ROW).parameters))
        self.assertIn('self.converters',
                      inspect.getsource(pymysql_connections.MySQLResult))
        self.assertIn('self._read_row_from_packet(packet)',
                      inspect.getsource(pymysql_connections.MySQLResult))
        packet = pymysql_protocol.MysqlPacket(b'\x01a', 'utf8')
        self.assertEqual((b'\x01a', 0), (packet._data, packet._position))

    def test_same_rows_as_pymysql(self):
        library, ours = self._both(b''.join(map(_column, self.VALUES)))
        self.assertEqual(library, ours)
        self.assertEqual(('abc', None, 42), ours[:3])
        self.assertEqual(2031, ours[3].year)
        self.assertEqual(('ü' * 200, 'x' * 70000, b''), ours[4:])
        # a row shorter than its columns stops there, as PyMySQL does
        library, ours = self._both(b''.join(map(_column, self.VALUES[:2])))
        self.assertEqual(library, ours)
        self.assertEqual(('abc', None), ours)
        # an eight-byte length
        library, ours = self._both(
            b'\xfe' + (3).to_bytes(8, 'little') + b'xyz', [('utf8', None)])
        self.assertEqual(('xyz',), ours)
        self.assertEqual(library, ours)

    def test_truncated_value_refused_as_pymysql_does(self):
        data = b'\x05ab'
        for parser in (library_seams.LIBRARY_READ_ROW,
                       library_seams.read_row):
            self.assertRaises(AssertionError, self._parse, parser, data,
                              [('utf8', None)])

    def test_installed(self):
        library_seams.fast_pymysql_rows()
        library_seams.fast_pymysql_rows()
        self.assertIs(library_seams.read_row, pymysql_connections
                      .MySQLResult._read_row_from_packet)


class _Counting(fixtures.Fixture):
    """Counts the graph nodes taskflow copies and the hierarchy nodes it
    visits (a depth-first walk asks every node it visits for its children).
    """

    def _setUp(self):
        self.copied = self.visited = 0
        add_nodes_from = tf_graph.DiGraph.add_nodes_from
        reverse_iter = tf_tree.Node.reverse_iter

        def counted_add(graph, nodes, **kwargs):
            nodes = list(nodes)
            self.copied += len(nodes)
            return add_nodes_from(graph, nodes, **kwargs)

        def counted_visit(node):
            self.visited += 1
            return reverse_iter(node)

        self.useFixture(fixtures.MonkeyPatch(
            'taskflow.types.graph.DiGraph.add_nodes_from', counted_add))
        self.useFixture(fixtures.MonkeyPatch(
            'taskflow.types.tree.Node.reverse_iter', counted_visit))


class _Step(tf_task.Task):
    def execute(self):
        return self.name


class _Action:
    def __init__(self, uuid, parents):
        self.uuid = uuid
        self.parents = parents


def _random_plan(rng, count):
    """A plan's flow as the applier builds it, with nested flows and a
    retry beside it so that every kind of hierarchy node is compiled.
    """
    actions = []
    for i in range(count):
        earlier = [a.uuid for a in actions]
        parents = rng.sample(earlier, min(len(earlier), rng.randint(0, 3)))
        actions.append(_Action('a%03d' % i, parents))
    plan, _ = taskflow_engine.build_flow(
        actions, lambda a: _Step(name=a.uuid))
    nested = linear_flow.Flow('chain', retry=tf_retry.Times(2, 'again'))
    nested.add(_Step(name='n1'), unordered_flow.Flow('fan').add(
        _Step(name='n2'), _Step(name='n3')))
    return graph_flow.Flow('top').add(plan, nested)


def _compiled(flow, linear):
    compiled = tf_compiler.PatternCompiler(flow).compile()
    walker_class = (library_seams._ScopeWalker if linear
                    else library_seams._TF_SCOPE_WALKER)
    graph = compiled.execution_graph
    scopes = {}
    for node, data in graph.nodes(data=True):
        if data['kind'] in tf_compiler.ATOMS:
            scopes[node.name] = list(walker_class(compiled, node,
                                                  names_only=True))
    return {
        'name': graph.name,
        'nodes': [(n.name, sorted((k, repr(v)) for k, v in d.items()))
                  for n, d in graph.nodes(data=True)],
        'edges': [(u.name, v.name, sorted(d.items()))
                  for u, v, d in graph.edges(data=True)],
        'hierarchy': compiled.hierarchy.pformat(),
        'scopes': scopes,
    }


class TestTaskflow(base.TestCase):

    def test_taskflow_still_looks_as_the_seam_expects(self):
        library_seams._check_taskflow()

    def test_same_compilation_as_taskflow(self):
        rng = random.Random(15)
        for count in (1, 7, 40, 120):
            flow = _random_plan(rng, count)
            with fixtures.MonkeyPatch(
                    'taskflow.types.graph.merge_graphs',
                    library_seams._TF_MERGE_GRAPHS):
                theirs = _compiled(flow, linear=False)
            with fixtures.MonkeyPatch(
                    'taskflow.types.graph.merge_graphs',
                    library_seams._merge_graphs):
                ours = _compiled(flow, linear=True)
            self.assertEqual(theirs, ours, count)

    def test_merge_refuses_overlaps_as_taskflow_does(self):
        one = tf_graph.DiGraph(name='one')
        one.add_node('x')
        two = tf_graph.DiGraph(name='two')
        two.add_nodes_from(['x', 'y'])
        for merge in (library_seams._TF_MERGE_GRAPHS,
                      library_seams._merge_graphs):
            self.assertRaises(ValueError, merge, one, two)
            merged = merge(one, two, allow_overlaps=True)
            self.assertEqual('one', merged.name)
            self.assertEqual(['x', 'y'], list(merged.nodes))
            self.assertIs(one, merge(one))

    def test_compile_work_grows_linearly(self):
        # counted, not timed: graph nodes copied by merges and hierarchy
        # nodes visited by lookups, for a plan and one ten times larger
        library_seams.linear_taskflow_compile()
        self.assertIs(tf_graph.merge_graphs, library_seams._merge_graphs)
        self.assertIs(tf_scopes.ScopeWalker, library_seams._ScopeWalker)
        work = {}
        for count in (100, 1000):
            flow, _ = taskflow_engine.build_flow(
                [_Action('a%d' % i, ['a%d' % (i - 1)] if i else [])
                 for i in range(count)], lambda a: _Step(name=a.uuid))
            with _Counting() as counting:
                tf_engines.load(flow, engine='serial').compile()
            work[count] = counting.copied + counting.visited
        self.assertLess(work[1000], 15 * work[100], work)
