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

"""Common machinery of the notification endpoints.

An endpoint is an oslo.messaging notification endpoint (``info``,
``warn``, ``error`` methods) carrying a ``filter_rule`` on the publisher
id; inside, it routes each event type to a handler method registered with
:func:`handles`.  Handlers read the payload, fetch what is missing from the
cloud *outside* the collector's lock, then change the live model with
``collector.apply(change)``.  Nothing is done before the model was first
built: the build reads the current state anyway.
"""
import re

import oslo_messaging
from oslo_log import log

LOG = log.getLogger(__name__)


def handles(*event_types):
    """Register the decorated method for these event types (exact names
    or regexes ending in ``*``).
    """
    def decorator(func):
        func._event_types = event_types
        return func
    return decorator


class NotificationEndpoint:
    """Dispatches notifications by event type to handler methods."""

    #: regex on the publisher id (``nova-compute:host`` ...)
    publisher_id_regex = r'.*'
    #: name of the collector whose model the endpoint updates
    collector_name = None

    def __init__(self, collector_manager):
        self.collector_manager = collector_manager
        self.filter_rule = oslo_messaging.NotificationFilter(
            publisher_id=self.publisher_id_regex)
        self._exact = {}
        self._patterns = []
        for name in dir(type(self)):
            func = getattr(type(self), name)
            for event_type in getattr(func, '_event_types', ()):
                if event_type.endswith('*'):
                    self._patterns.append(
                        (re.compile(re.escape(event_type[:-1]) + '.*'),
                         name))
                else:
                    self._exact[event_type] = name
        self.received = 0
        self.applied = 0

    @property
    def event_types(self):
        return sorted(self._exact) + [p.pattern for p, _ in self._patterns]

    @property
    def collector(self):
        return self.collector_manager.get_cluster_model_collector(
            self.collector_name)

    def handler_for(self, event_type):
        name = self._exact.get(event_type)
        if name is None:
            for pattern, candidate in self._patterns:
                if pattern.fullmatch(event_type):
                    name = candidate
                    break
        return getattr(self, name) if name else None

    def dispatch(self, ctxt, publisher_id, event_type, payload, metadata):
        handler = self.handler_for(event_type)
        if handler is None:
            return None
        self.received += 1
        collector = self.collector
        if not collector.is_built:
            LOG.debug('%s ignored: the %s model is not built yet',
                      event_type, self.collector_name)
            return None
        try:
            if handler(collector, publisher_id, event_type, payload or {}):
                self.applied += 1
        except Exception:
            LOG.exception('Cannot apply %s from %s', event_type,
                          publisher_id)
        return oslo_messaging.NotificationResult.HANDLED

    # oslo.messaging calls one method per priority
    def audit(self, ctxt, publisher_id, event_type, payload, metadata):
        return self.dispatch(ctxt, publisher_id, event_type, payload,
                             metadata)

    info = audit
    warn = audit
    error = audit
    critical = audit
    debug = audit
    sample = audit


def versioned_data(payload):
    """The ``nova_object.data`` of a versioned payload (recursively
    unwrapped), or the payload itself when it is not versioned.
    """
    if isinstance(payload, dict) and 'nova_object.data' in payload:
        return payload['nova_object.data']
    if isinstance(payload, dict) and 'versioned_object.data' in payload:
        return payload['versioned_object.data']
    return payload or {}


def host_of_publisher(publisher_id):
    """``nova-compute:compute3`` -> ``compute3``."""
    return (publisher_id or '').partition(':')[2] or None
