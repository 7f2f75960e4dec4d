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

"""Notifications the simulated Nova and Cinder emit.

Nova: versioned notifications (``nova_object.*`` payloads) on topic
``versioned_notifications``, exchange ``nova`` (setting ``nova_exchange``),
publisher ``nova-compute:<host>`` (``nova-api:<controller>`` for API-side
events) - the shapes of the captured Nova 34 examples.

Cinder: legacy (unversioned) notifications on topic ``notifications``,
exchange ``openstack`` (setting ``cinder_exchange``): ``volume.*`` events with
publisher ``volume.<host@backend>`` and ``capacity.pool`` with publisher
``capacity.<host@backend>``.  Volume payloads carry ``metadata`` as a list of
``{"key": ..., "value": ...}`` items and ``volume_attachment`` as a list.

Messages go out through an oslo.messaging notification transport: pass an
already built ``oslo_messaging.Transport`` (so that one ``fake://`` transport
can be shared with the listeners of the same process) or a
``transport_url``.  With neither, nothing is sent, but every notification is
still recorded in :attr:`Notifications.history` (served by the control API).

Sending happens on a background thread, in emission order, so a slow broker
never blocks an API call.
"""

import collections
import logging
import queue
import threading
import time
import uuid as uuidlib

from watcher.simulator import clock as clock_mod

LOG = logging.getLogger(__name__)

NOVA_TOPIC = 'versioned_notifications'
CINDER_TOPIC = 'notifications'
NOVA_SERVICE_VERSION = 70


def _obj(name, version, data):
    return {'nova_object.name': name, 'nova_object.namespace': 'nova',
            'nova_object.version': version, 'nova_object.data': data}


def flavor_payload(flavor):
    return _obj('FlavorPayload', '1.4', {
        'flavorid': flavor.id, 'memory_mb': flavor.ram,
        'vcpus': flavor.vcpus, 'root_gb': flavor.disk,
        'ephemeral_gb': flavor.ephemeral, 'name': flavor.name,
        'swap': flavor.swap, 'rxtx_factor': flavor.rxtx_factor,
        'vcpu_weight': 0, 'disabled': False, 'is_public': flavor.is_public,
        'extra_specs': dict(flavor.extra_specs), 'projects': None,
        'description': flavor.description})


POWER_NAMES = {0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown',
               6: 'crashed', 7: 'suspended'}


# Nova lists block devices only in the events it sends with the server's
# block device mappings at hand ([notifications] bdms_in_notifications is
# off by default); the others carry null.
BDM_EVENTS = ('instance.create.', 'instance.delete.', 'instance.shutdown.',
              'instance.live_migration_pre.', 'instance.resize.',
              'instance.resize_finish.', 'instance.shelve.',
              'instance.shelve_offload.', 'instance.unshelve.')


def instance_data(server, iso, terminated=False, event_type=None):
    data = {
        'fault': None,
        'request_id': 'req-' + str(uuidlib.uuid4()),
        'uuid': server.id,
        'user_id': server.user_id,
        'tenant_id': server.project_id,
        'reservation_id': server.reservation_id,
        'display_name': server.name,
        'display_description': server.description,
        'host_name': server.name,
        'host': server.host,
        'node': server.host,
        'os_type': None,
        'architecture': None,
        'availability_zone': server.availability_zone,
        'flavor': flavor_payload(server.flavor),
        'image_uuid': server.image_id,
        'key_name': server.key_name,
        'kernel_id': '',
        'ramdisk_id': '',
        'created_at': iso(server.created_at),
        'launched_at': iso(server.launched_at) if server.launched_at
        else None,
        'terminated_at': iso(server.updated_at) if terminated else None,
        'deleted_at': iso(server.updated_at) if terminated else None,
        'updated_at': iso(server.updated_at),
        'state': server.vm_state,
        'power_state': POWER_NAMES.get(server.power_state, 'pending'),
        'task_state': server.task_state,
        'progress': 0,
        'ip_addresses': [],
        'block_devices': [] if event_type and event_type.startswith(
            BDM_EVENTS) else None,
        'metadata': dict(server.metadata),
        'locked': server.locked,
        'auto_disk_config': 'MANUAL',
        'action_initiator_user': server.user_id,
        'action_initiator_project': server.project_id,
        'locked_reason': server.locked_reason,
        'shares': None,
    }
    return data


def exception_payload(fault):
    return _obj('ExceptionPayload', '1.1', {
        'module_name': 'nova.simulated',
        'function_name': 'simulated_operation',
        'exception': 'SimulatedFailure',
        'exception_message': fault.get('message', ''),
        'traceback': fault.get('details', ''),
    })


class Notifications:
    """Builds, records and sends the notifications of the cloud."""

    def __init__(self, transport=None, transport_url=None, history=2000):
        self.history = collections.deque(maxlen=history)
        self._transport = transport
        self._own_transport = False
        if transport is None and transport_url:
            # oslo.messaging only when there is a broker to talk to: its
            # import pulls in eventlet (0.3 s, and a deprecation warning on
            # stderr) that a simulator without a broker does not need
            from oslo_config import cfg
            import oslo_messaging
            conf = cfg.ConfigOpts()
            conf([], project='watcher-simulator')
            self._transport = oslo_messaging.get_notification_transport(
                conf, url=transport_url)
            self._own_transport = True
        self._queue = None
        self._thread = None
        self._listeners = []
        self.cloud = None
        self._lock = threading.Lock()

    @property
    def enabled(self):
        return self._transport is not None

    def bind(self, cloud):
        self.cloud = cloud

    def subscribe(self, callback):
        """Call ``callback(message_dict)`` for every notification."""
        self._listeners.append(callback)

    # ------------------------------------------------------------ sending
    def _iso(self, t):
        return clock_mod.isoformat(t)

    def _emit(self, exchange_key, topic, publisher_id, event_type, payload,
              priority='INFO'):
        message = {
            'message_id': str(uuidlib.uuid4()),
            'publisher_id': publisher_id,
            'event_type': event_type,
            'priority': priority,
            'payload': payload,
            'timestamp': clock_mod.isoformat(
                self.cloud.now(), micro=True).replace('T', ' '),
        }
        self.history.append(message)
        for callback in list(self._listeners):
            callback(message)
        if self._transport is None:
            return
        exchange = self.cloud.settings.get(exchange_key) if self.cloud \
            else None
        with self._lock:
            if self._queue is None:
                self._queue = queue.Queue()
                self._thread = threading.Thread(
                    target=self._sender, name='simulator-notifier',
                    daemon=True)
                self._thread.start()
        self._queue.put((exchange, topic, message))

    def _sender(self):
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self._send(*item)
            except Exception:  # pragma: no cover - broker trouble
                LOG.exception(
                    'could not send notification')
            finally:
                self._queue.task_done()

    def _send(self, exchange, topic, message):
        import oslo_messaging  # see __init__: only with a broker
        target = oslo_messaging.Target(
            exchange=exchange, topic='%s.%s' % (topic,
                                                message['priority'].lower()))
        ctxt = {'request_id': 'req-' + str(uuidlib.uuid4()),
                'is_admin': True}
        send = getattr(self._transport, '_send_notification', None)
        if send is not None:
            send(target, ctxt, message, version=2.0)
        else:  # pragma: no cover - only if oslo.messaging changes
            notifier = oslo_messaging.Notifier(
                self._transport, message['publisher_id'],
                driver='messagingv2', topics=[topic])
            getattr(notifier, message['priority'].lower())(
                ctxt, message['event_type'], message['payload'])

    def flush(self, timeout=5.0):
        """Wait until every queued message was handed to the transport."""
        q = self._queue
        if q is None:
            return True
        deadline = time.monotonic() + timeout
        while q.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)
        return not q.unfinished_tasks

    def close(self):
        self.flush(2.0)
        if self._queue is not None:
            self._queue.put(None)
        if self._own_transport and self._transport is not None:
            self._transport.cleanup()
            self._transport = None

    # ---------------------------------------------------------- nova side
    def instance(self, server, event_type, publisher_host=None,
                 priority='INFO', new_flavor=None, terminated=False):
        data = instance_data(server, self._iso, terminated=terminated,
                             event_type=event_type)
        name, version = 'InstanceActionPayload', '1.9'
        if event_type.startswith('instance.create.'):
            name, version = 'InstanceCreatePayload', '1.13'
            data.update({'keypairs': [], 'tags': list(server.tags),
                         'trusted_image_certificates': None,
                         'instance_name': server.instance_name})
        elif event_type.startswith('instance.resize_prep.') and new_flavor:
            name, version = 'InstanceActionResizePrepPayload', '1.4'
            data['new_flavor'] = flavor_payload(new_flavor)
        if priority == 'ERROR' and server.fault:
            data['fault'] = exception_payload(server.fault)
        host = publisher_host or server.host or self.cloud.controller
        binary = 'nova-api' if host == self.cloud.controller and \
            publisher_host else 'nova-compute'
        self._emit('nova_exchange', NOVA_TOPIC, '%s:%s' % (binary, host),
                   event_type, _obj(name, version, data), priority)

    def instance_update(self, server, old_state, old_task_state):
        data = instance_data(server, self._iso)
        del data['fault']
        now = self.cloud.now()
        data.update({
            'state_update': _obj('InstanceStateUpdatePayload', '1.0', {
                'old_state': old_state, 'state': server.vm_state,
                'old_task_state': old_task_state,
                'new_task_state': server.task_state}),
            'audit_period': _obj('AuditPeriodPayload', '1.0', {
                'audit_period_beginning': self._iso(now - now % 3600),
                'audit_period_ending': self._iso(now)}),
            'old_display_name': None,
            'tags': list(server.tags),
        })
        host = server.host or self.cloud.controller
        binary = 'nova-compute' if server.host else 'nova-api'
        self._emit('nova_exchange', NOVA_TOPIC, '%s:%s' % (binary, host),
                   'instance.update',
                   _obj('InstanceUpdatePayload', '2.1', data))

    def instance_exists(self, server):
        """``instance.exists``: sent by Nova before a resize, a cold
        migration or a shelve (audit of the usage so far).
        """
        data = instance_data(server, self._iso)
        del data['fault']
        now = self.cloud.now()
        data['audit_period'] = _obj('AuditPeriodPayload', '1.0', {
            'audit_period_beginning': self._iso(now - now % 3600),
            'audit_period_ending': self._iso(now)})
        self._emit('nova_exchange', NOVA_TOPIC,
                   'nova-compute:%s' % (server.host or self.cloud.controller),
                   'instance.exists',
                   _obj('InstanceExistsPayload', '2.1', data))

    def service_update(self, svc):
        data = {
            'host': svc.host, 'binary': svc.binary, 'topic': svc.topic,
            'report_count': svc.report_count,
            'disabled': svc.status == 'disabled',
            'disabled_reason': svc.disabled_reason,
            'availability_zone': None,
            'last_seen_up': self._iso(svc.updated_at),
            'forced_down': svc.forced_down,
            'version': NOVA_SERVICE_VERSION,
            'uuid': svc.id,
        }
        self._emit('nova_exchange', NOVA_TOPIC,
                   '%s:%s' % (svc.binary, svc.host), 'service.update',
                   _obj('ServiceStatusPayload', '1.1', data))

    # -------------------------------------------------------- cinder side
    def volume(self, vol, event_type, priority='INFO'):
        host = vol.pool
        payload = {
            'tenant_id': vol.project_id,
            'host': host,
            'user_id': vol.user_id,
            'availability_zone': vol.availability_zone,
            'volume_id': vol.id,
            'volume_type': vol.volume_type.id,
            'display_name': vol.name,
            'launched_at': self._iso(vol.created_at),
            'created_at': self._iso(vol.created_at),
            'status': vol.status,
            'snapshot_id': None,
            'size': vol.size,
            'replication_status': None,
            'replication_extended_status': None,
            'replication_driver_data': None,
            'metadata': [{'key': k, 'value': v}
                         for k, v in sorted(vol.metadata.items())],
            'volume_attachment': [dict(a) for a in vol.attachments],
        }
        self._emit('cinder_exchange', CINDER_TOPIC,
                   'volume.%s' % host.split('#', 1)[0], event_type, payload,
                   priority)

    def capacity(self, pool):
        payload = {
            'name_to_id': pool.name,
            'total': pool.total_capacity_gb,
            'free': pool.free_capacity_gb,
            'allocated': pool.allocated_capacity_gb,
            'provisioned': pool.allocated_capacity_gb,
            'virtual_free': pool.virtual_free,
            'reported_at': self._iso(self.cloud.now()),
        }
        self._emit('cinder_exchange', CINDER_TOPIC, 'capacity.%s' % pool.host,
                   'capacity.pool', payload)
