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

from oslo_messaging import transport as msg_transport
from oslo_versionedobjects import base as ovo_base
from pecan import core as pecan_core
from pecan import rest as pecan_rest
from pecan import routing as pecan_routing
from pecan import util as pecan_util
from pymysql import connections as pymysql_connections


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
