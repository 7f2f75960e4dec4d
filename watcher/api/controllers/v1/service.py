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

"""/v1/services: the watcher daemons and whether they are alive.

Fields: id, name, host, status (ACTIVE or FAILED, from the last heartbeat
and ``[DEFAULT] service_down_time``), links; detail and show add
last_seen_up and the timestamps.
"""
import datetime

from oslo_config import cfg
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api import expose
from watcher.common import utils
from watcher import objects

CONF = cfg.CONF

ACTIVE = 'ACTIVE'
FAILED = 'FAILED'


def _naive_utc(value):
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def status_of(service, now=None):
    last = (getattr(service, 'last_seen_up', None) or service.updated_at or
            service.created_at)
    if last is None:
        return FAILED
    now = now or utils.utcnow(naive=True)
    elapsed = (now - _naive_utc(last)).total_seconds()
    return ACTIVE if abs(elapsed) <= CONF.service_down_time else FAILED


def view(service, detail=False, extra=None):
    doc = {
        'id': service.id,
        'name': service.name,
        'host': service.host,
        'status': status_of(service),
        'links': base.make_links('services', service.id),
    }
    if detail:
        last = _naive_utc(service.last_seen_up)
        # The reference prints last_seen_up without a UTC offset.
        doc['last_seen_up'] = last.isoformat() if last else None
        doc.update(base.timestamps(service))
    return doc


class ServicesController(base.ListController):

    plural = 'services'
    object_class = objects.Service
    sort_keys = ('id', 'name', 'host', 'last_seen_up', 'created_at',
                 'updated_at')
    marker_key = 'id'
    integer_marker = True
    _custom_actions = {'detail': ['GET']}

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key='id',
                sort_dir='asc'):
        base.authorize('service:get_all')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir)

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key='id',
               sort_dir='asc'):
        base.authorize('service:detail')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir, detail=True)

    @expose.expose(wtypes.text)
    def get_one(self, service):
        base.authorize('service:get')
        return view(base.get_object(objects.Service, service), detail=True)
