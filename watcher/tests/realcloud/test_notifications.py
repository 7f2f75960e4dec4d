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

"""Real Nova versioned notifications, consumed from the cloud's vhost.

* a plain oslo.messaging notification listener (exchange ``nova``, topic
  ``versioned_notifications``) receives the notifications of a server moved
  and of a compute service disabled on the real cloud;
* the decision engine's own listener
  (:func:`watcher.decision_engine.model.notification.start_listener`, the
  seam documented there) keeps the compute model that the collector built
  from the real cloud current: the moved server is on its new node, the
  disabled node is disabled, a new server appears and a deleted one goes -
  without a resync (the collector built the model once).
"""
import time

import pytest

WAIT = 60.0


def wait_for(predicate, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_listener_receives_move_and_service_events(real):
    server_id = real.boot(real.unique('notified'), 'compute1')
    mark = real.notifications.mark()
    real.conn.compute.live_migrate_server(server_id, host='compute2',
                                          block_migration='auto')
    real.wait_server(server_id, 'ACTIVE', host='compute2')
    message = real.notifications.wait_event(
        'instance.live_migration_post_dest.end', server_id, mark)
    assert message is not None
    data = message['payload']['nova_object.data']
    assert (data['host'], data['node'], data['state']) == (
        'compute2', 'compute2', 'active')
    assert message['publisher_id'] == 'nova-compute:compute2'
    assert message['payload']['nova_object.name'] == 'InstanceActionPayload'

    service = next(s for s in real.conn.compute.services(
        binary='nova-compute', host='compute3'))
    real.conn.compute.disable_service(service, host='compute3',
                                      binary='nova-compute',
                                      disabled_reason='watcher_maintaining')
    message = real.notifications.wait_for(
        lambda m: m['event_type'] == 'service.update' and
        m['payload']['nova_object.data']['host'] == 'compute3', mark)
    assert message is not None
    data = message['payload']['nova_object.data']
    assert (data['disabled'], data['disabled_reason'], data['binary']) == (
        True, 'watcher_maintaining', 'nova-compute')


@pytest.fixture
def live_model(real):
    """The compute collector's live model of the real cloud, kept by the
    decision engine's notification listener on the cloud's vhost.
    """
    from watcher.decision_engine.model.collector import manager
    from watcher.decision_engine.model import notification
    from watcher.tests import base as test_base
    conf = test_base.ConfFixture()
    conf.setUp()
    manager.CollectorManager.reset()
    collectors = manager.CollectorManager()
    collectors.set_connection(real.conn)
    compute = collectors.get_cluster_model_collector('compute')
    listener = notification.start_listener(
        real.transport, collectors, topics=['nova.versioned_notifications'],
        pool='watcher-realcloud-model')
    # the listener's queue exists before the model is built: nothing sent
    # in between is lost
    compute.get_latest_cluster_data_model()
    try:
        yield compute
    finally:
        listener.stop()
        listener.wait()
        manager.CollectorManager.reset()
        conf.cleanUp()


def _host_of(compute, server_id):
    with compute.lock:
        model = compute.cluster_data_model
        if not model.has_instance(server_id):
            return None
        return model.get_node_by_instance_uuid(server_id).hostname


def test_model_follows_real_notifications_without_resync(real, live_model):
    compute = live_model
    builds = compute.builds
    assert _host_of(compute, 'no-such-server') is None

    # a server booted after the build appears
    server_id = real.boot(real.unique('model'), 'compute1', 'm1.medium')
    assert wait_for(lambda: _host_of(compute, server_id) == 'compute1')
    with compute.lock:
        instance = compute.cluster_data_model.get_instance_by_uuid(server_id)
        assert (instance.vcpus, instance.memory, instance.disk) == (
            2, 4096, 40)

    # moved by a live migration
    real.conn.compute.live_migrate_server(server_id, host='compute3',
                                          block_migration='auto')
    real.wait_server(server_id, 'ACTIVE', host='compute3')
    assert wait_for(lambda: _host_of(compute, server_id) == 'compute3')

    # a disabled compute service
    service = next(s for s in real.conn.compute.services(
        binary='nova-compute', host='compute2'))
    real.conn.compute.disable_service(service, host='compute2',
                                      binary='nova-compute',
                                      disabled_reason='watcher_maintaining')

    def disabled():
        with compute.lock:
            node = compute.cluster_data_model.get_node_by_name('compute2')
            return (node.status, node.disabled_reason) == (
                'disabled', 'watcher_maintaining')
    assert wait_for(disabled)

    # stopped, then deleted
    real.conn.compute.stop_server(server_id)
    real.wait_server(server_id, 'SHUTOFF')

    def stopped():
        with compute.lock:
            return compute.cluster_data_model.get_instance_by_uuid(
                server_id).state == 'stopped'
    assert wait_for(stopped)
    real.conn.compute.delete_server(server_id)
    real.wait_gone(server_id)
    assert wait_for(lambda: _host_of(compute, server_id) is None)
    # all of it without rebuilding the model
    assert compute.builds == builds
