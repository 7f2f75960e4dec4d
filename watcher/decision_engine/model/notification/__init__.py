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

"""Notifications that keep the cluster data models live.

Seam for the decision-engine service::

    from watcher.decision_engine.model import notification
    listener = notification.start_listener(transport, collector_manager)
    ...
    listener.stop(); listener.wait()

* :func:`get_notification_endpoints(collector_manager)` - the endpoint
  objects (Nova -> compute model, Cinder -> storage model); each carries an
  oslo.messaging ``filter_rule`` on the publisher id and routes event types
  to its handlers.
* :func:`start_listener(transport, collector_manager, topics=None,
  pool=None, executor='threading')` - an oslo.messaging notification
  listener on ``[watcher_decision_engine] notification_topics``, started.
  A topic written ``exchange.topic`` (``nova.versioned_notifications``)
  listens on that exchange; a bare topic on the transport's default one.
  ``pool`` defaults to ``watcher-<[DEFAULT] host>``, so that every decision
  engine gets every notification (broadcast) without stealing them from
  other consumers of the same topics.
"""
import oslo_messaging
from oslo_log import log

from watcher.conf import CONF
from watcher.decision_engine.model.notification import cinder
from watcher.decision_engine.model.notification import nova

LOG = log.getLogger(__name__)

ENDPOINT_CLASSES = (nova.NovaNotificationEndpoint,
                    cinder.CinderNotificationEndpoint)


def get_notification_endpoints(collector_manager):
    """The notification endpoints updating ``collector_manager``'s models."""
    return [cls(collector_manager) for cls in ENDPOINT_CLASSES]


def get_targets(topics=None):
    """oslo.messaging targets of ``topics`` (default: the option)."""
    if topics is None:
        topics = CONF.watcher_decision_engine.notification_topics
    targets = []
    for topic in topics or ():
        exchange, dot, name = topic.partition('.')
        if dot and name:
            targets.append(oslo_messaging.Target(exchange=exchange,
                                                 topic=name))
        else:
            targets.append(oslo_messaging.Target(topic=topic))
    return targets


def get_listener(transport, collector_manager, topics=None, pool=None,
                 executor='threading'):
    """A notification listener (not started)."""
    endpoints = get_notification_endpoints(collector_manager)
    if pool is None:
        pool = 'watcher-%s' % (CONF.host or 'decision-engine')
    return oslo_messaging.get_notification_listener(
        transport, get_targets(topics), endpoints, executor=executor,
        pool=pool or None)


def start_listener(transport, collector_manager, topics=None, pool=None,
                   executor='threading'):
    """Start and return a notification listener (see the module doc)."""
    listener = get_listener(transport, collector_manager, topics, pool,
                            executor)
    listener.start()
    LOG.info('Listening for model notifications on %s',
             ', '.join('%s/%s' % (t.exchange or '-', t.topic)
                       for t in get_targets(topics)))
    return listener
