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

"""Every use watcher makes of a library's private internals, in one place.

Each one is kept because a feature or a measurement needs it, said next to
it, and ``watcher/tests/unit/common/test_library_seams.py`` checks the
internals it relies on, so a library upgrade that changes them fails there,
loudly, instead of slowing or breaking watcher silently. Nothing else in
watcher touches these libraries' private names.

The figures were measured in-process (CPU time per call, 2-core shared
machine), December 2026, with the library versions of requirements.txt.
"""
import inspect
import threading
import weakref

from oslo_messaging import transport as msg_transport
from oslo_versionedobjects import base as ovo_base
from pecan import core as pecan_core
from pecan import rest as pecan_rest
from pecan import routing as pecan_routing
from pecan import util as pecan_util
from pymysql import connections as pymysql_connections
from taskflow.engines.action_engine import compiler as tf_compiler
from taskflow.engines.action_engine import runtime as tf_runtime
from taskflow.engines.action_engine import scopes as tf_scopes
from taskflow.types import graph as tf_graph


# --- oslo.versionedobjects ---------------------------------------------------
#
# watcher.objects.base loads a database row by storing each coerced value
# where the field's property keeps it, and reads fields straight from there,
# instead of going through the generated property setter and getter. With
# both, Audit.list() of 100 rows, reading every field, costs 5.1-5.5 ms of
# CPU; with neither 7.7-8.0 ms (the load alone: 6.3 ms).

def ovo_attrname(name):
    """The instance attribute holding field ``name``'s value."""
    return ovo_base._get_attrname(name)


def ovo_field_type(field):
    """The FieldType instance that coerces the values of ``field``."""
    return field._type


# --- oslo.messaging ----------------------------------------------------------
#
# Not a speed-up: in embedded mode (watcher-all, the functional tests) the
# in-memory driver keeps its queues per driver instance, so the notification
# transport must wrap the RPC transport's driver for notifications and RPC
# to meet in one process (watcher.common.rpc).

def notification_transport_on(rpc_transport):
    """A notification transport sharing ``rpc_transport``'s driver."""
    return msg_transport.NotificationTransport(rpc_transport._driver)


def share_driver(transport, other):
    """Whether two transports wrap the same driver instance."""
    return transport._driver is other._driver


# --- pecan -------------------------------------------------------------------
#
# pecan inspects the controller's signature (util.getargspec: unwraps the
# decorators, builds a namedtuple) several times per request, about 13 calls
# of ~150 us each for a v1 GET; our controllers' signatures never change.
# Remembering them: GET /v1/goals 2.5 -> 1.5 ms of CPU per request,
# GET /v1/audits?limit=50 4.0 -> 1.8 ms (webtest, in-process).

_PECAN_USERS = (pecan_core, pecan_rest, pecan_routing)


def memoize_pecan_argspec():
    """Make pecan remember controller signatures (idempotent)."""
    original = pecan_util.getargspec
    if getattr(pecan_core.getargspec, '_watcher_memoized', False):
        return
    cache = {}

    def getargspec(func):
        try:
            key = (getattr(func, '__func__', func), inspect.ismethod(func))
            return cache[key]
        except KeyError:
            cache[key] = result = original(func)
            return result
        except TypeError:  # unhashable callable
            return original(func)

    getargspec._watcher_memoized = True
    for module in _PECAN_USERS:
        module.getargspec = getargspec


# --- PyMySQL -----------------------------------------------------------------
#
# PyMySQL parses each column of a result row through three method calls
# (length, slice with its checks, then decode and convert). Parsing a row in
# one loop over the packet's bytes, same results: fetching 500 action plans
# (18 columns) 5.5 -> 4.2 ms of CPU; in process on MariaDB, two runs each,
# GET /v1/action_plans (500 plans) 24.5, 23.3 -> 21.7, 21.1 ms and
# GET /v1/audits?limit=50 4.7, 5.0 -> 4.7, 4.5 ms of CPU per request.

_NULL = 251
# PyMySQL's own, kept for the seam's test
LIBRARY_READ_ROW = pymysql_connections.MySQLResult._read_row_from_packet


def read_row(result, packet):
    """``MySQLResult._read_row_from_packet`` in one loop."""
    data = packet._data
    size = len(data)
    pos = packet._position
    row = []
    append = row.append
    for encoding, converter in result.converters:
        if pos >= size:
            break  # a row shorter than the columns, as PyMySQL allows
        length = data[pos]
        pos += 1
        if length >= _NULL:
            if length == _NULL or length == 255:
                append(None)
                continue
            width = 2 if length == 252 else 3 if length == 253 else 8
            if pos + width > size:
                raise AssertionError('truncated length in a result row')
            length = int.from_bytes(data[pos:pos + width], 'little')
            pos += width
        end = pos + length
        if end > size:
            raise AssertionError('truncated value in a result row')
        value = data[pos:end]
        pos = end
        if encoding is not None:
            value = value.decode(encoding)
        if converter is not None:
            value = converter(value)
        append(value)
    packet._position = pos
    return tuple(row)


def fast_pymysql_rows():
    """Make PyMySQL parse result rows with :func:`read_row` (idempotent)."""
    pymysql_connections.MySQLResult._read_row_from_packet = read_row


# --- taskflow ----------------------------------------------------------------
#
# taskflow compiles a flow in time quadratic in its atoms, in two places:
# the compiler merges each child's graph into the flow's with one
# networkx.compose (a full copy of everything merged so far), and the runtime
# gives every atom a ScopeWalker whose constructor looks the atom up in the
# compilation hierarchy with a depth-first search of the whole tree. An
# action plan is one graph flow of thousands of tasks, so engine.compile()
# of a 2,000-action plan took 4.8 s (merge 62 %, lookups 38 %), the
# applier's set-up of a 5,000-action plan 25-30 s. Merging into one graph
# and looking atoms up in an index built once per (immutable) compilation
# gives the same compilation in linear time: compile() of 2,000 actions
# 0.1-0.4 s, of 10,000 actions 0.8 s; the whole set-up of a 5,000-action
# plan (benchmarks/applier.py) 2.1 s. test_library_seams.py compares the
# compilations with taskflow's own on random plans.

_TF_MERGE_GRAPHS = tf_graph.merge_graphs
_TF_SCOPE_WALKER = tf_scopes.ScopeWalker


def _merge_graphs(graph, *graphs, **kwargs):
    """taskflow's merge_graphs (same arguments and result), in one copy."""
    if not graphs:
        return graph
    detector = kwargs.get('overlap_detector')
    if detector is not None and not callable(detector):
        raise ValueError('Overlap detection callback expected to be callable')
    if detector is None:
        def detector(to_graph, from_graph):
            return len(to_graph.subgraph(from_graph.nodes))
    check_overlaps = not kwargs.get('allow_overlaps', False)
    merged = graph.__class__()
    # what networkx.compose keeps, in its order: graph attributes, nodes
    # with their attributes, then edges; later graphs update earlier ones
    merged.graph.update(graph.graph)
    merged.add_nodes_from(graph.nodes(data=True))
    merged.add_edges_from(graph.edges(data=True))
    for other in graphs:
        if check_overlaps:
            overlaps = detector(merged, other)
            if overlaps:
                raise ValueError(
                    'Can not merge graph %s into %s since there are %s '
                    'overlapping nodes (and we do not support merging '
                    'nodes)' % (other, merged, overlaps))
        merged.graph.update(other.graph)
        merged.add_nodes_from(other.nodes(data=True))
        merged.add_edges_from(other.edges(data=True))
    merged.name = graph.name
    return merged


class _IndexedHierarchy:
    """A compilation hierarchy whose ``find`` is a dictionary lookup."""

    def __init__(self, root):
        self.root = root
        self.index = {}
        # find() answers the first match of a depth-first walk
        for node in root.dfs_iter(include_self=True):
            self.index.setdefault(node.item, node)

    def find(self, item):
        try:
            node = self.index.get(item)
        except TypeError:  # an unhashable item: the library's own search
            node = None
        if node is None:
            return self.root.find(item)
        return node


class _IndexedCompilation:
    """What ScopeWalker reads of a compilation, hierarchy indexed."""

    _cache = weakref.WeakKeyDictionary()
    _lock = threading.Lock()

    def __init__(self, compilation):
        self.execution_graph = compilation.execution_graph
        self.hierarchy = _IndexedHierarchy(compilation.hierarchy)

    @classmethod
    def of(cls, compilation):
        with cls._lock:
            indexed = cls._cache.get(compilation)
            if indexed is None:
                indexed = cls._cache[compilation] = cls(compilation)
            return indexed


class _ScopeWalker(_TF_SCOPE_WALKER):
    """taskflow's ScopeWalker, finding its atom through the index."""

    def __init__(self, compilation, atom, names_only=False):
        super().__init__(_IndexedCompilation.of(compilation), atom,
                         names_only=names_only)


def _check_taskflow():
    """Fail loudly when taskflow no longer looks as this seam expects."""
    expected = {
        'taskflow.types.graph.merge_graphs':
            (_TF_MERGE_GRAPHS, ['graph', 'graphs', 'kwargs']),
        'taskflow.engines.action_engine.scopes.ScopeWalker.__init__':
            (_TF_SCOPE_WALKER.__init__,
             ['self', 'compilation', 'atom', 'names_only']),
    }
    for name, (func, params) in expected.items():
        got = list(inspect.signature(func).parameters)
        if got != params:
            raise RuntimeError('taskflow changed %s%s (expected %s): '
                               'revisit watcher.common.library_seams'
                               % (name, got, params))
    if tf_compiler.gr is not tf_graph or tf_runtime.sc is not tf_scopes:
        raise RuntimeError('taskflow no longer reaches merge_graphs and '
                           'ScopeWalker through their modules: revisit '
                           'watcher.common.library_seams')
    for module, call in ((tf_compiler, 'gr.merge_graphs('),
                         (tf_runtime, 'sc.ScopeWalker(')):
        if call not in inspect.getsource(module):
            raise RuntimeError('taskflow no longer calls %s in %s: revisit '
                               'watcher.common.library_seams'
                               % (call, module.__name__))


def linear_taskflow_compile():
    """Make taskflow compile flows in linear time (idempotent)."""
    if tf_graph.merge_graphs is _merge_graphs:
        return
    _check_taskflow()
    tf_graph.merge_graphs = _merge_graphs
    tf_scopes.ScopeWalker = _ScopeWalker
