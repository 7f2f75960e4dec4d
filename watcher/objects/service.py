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

"""Service: a running watcher daemon and its heartbeat."""
import datetime

from watcher.conf import CONF
from watcher.db import api as db_api
from watcher.objects import base
from watcher.objects import fields as wfields


class ServiceStatus:
    ACTIVE = 'ACTIVE'
    FAILED = 'FAILED'

    ALL = (ACTIVE, FAILED)


@base.WatcherObjectRegistry.register
class Service(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_service_list,
        create=lambda db: db.create_service,
        get_by_id=lambda db: db.get_service_by_id,
        get_by_name=lambda db: db.get_service_by_name,
        update=lambda db: db.update_service,
        soft_delete=lambda db: db.soft_delete_service,
        destroy=lambda db: db.destroy_service)
    HAS_UUID = False
    NAME_FIELD = 'name'

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'name': wfields.StringField(),
        'host': wfields.StringField(),
        'last_seen_up': wfields.DateTimeField(nullable=True),
    })

    @classmethod
    def get_by_host_and_name(cls, context, host, name):
        db_obj = db_api.get_instance().get_service_by_host_and_name(
            context, host, name)
        return cls._from_db_object(cls(context), db_obj)

    @staticmethod
    def status_of(service, now=None):
        """ACTIVE if the service was heard of within service_down_time.

        The last sign of life is ``last_seen_up``, else ``updated_at``,
        else ``created_at``. ``now`` defaults to the current UTC time.
        """
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=datetime.timezone.utc)
        last = None
        for name in ('last_seen_up', 'updated_at', 'created_at'):
            if service.obj_attr_is_set(name) and getattr(service, name):
                last = getattr(service, name)
                break
        if last is None:
            return ServiceStatus.FAILED
        if last.tzinfo is None:
            last = last.replace(tzinfo=datetime.timezone.utc)
        elapsed = (now - last).total_seconds()
        if abs(elapsed) <= CONF.service_down_time:
            return ServiceStatus.ACTIVE
        return ServiceStatus.FAILED

    @property
    def status(self):
        return self.status_of(self)
