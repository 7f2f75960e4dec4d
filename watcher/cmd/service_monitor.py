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

"""API-side watch over the services' heartbeats (``service.update``).

Every ``interval`` seconds (60 by default) the monitor reads the
``services`` table, computes each service's status (ACTIVE when its last
heartbeat is younger than ``[DEFAULT] service_down_time``, else FAILED) and
emits ``service.update`` for each service whose status flipped since the
previous check. The first check only records the statuses (nothing flipped
yet). ``watcher-api`` and ``watcher-all`` start it::

    from watcher.cmd import service_monitor
    monitor = service_monitor.start()      # returns the running monitor
    ...
    monitor.stop()
"""
import threading

from oslo_log import log

from watcher.common import context as watcher_context
from watcher.cmd import service as watcher_service
from watcher import notifications
from watcher import objects

LOG = log.getLogger(__name__)

DEFAULT_INTERVAL = 60


class ServiceMonitor:
    """Remembers each service's status and reports the flips."""

    def __init__(self, interval=DEFAULT_INTERVAL, host=None):
        self.interval = interval
        self.host = host
        self._statuses = {}
        self._scheduler = None
        self._lock = threading.Lock()

    def check(self, now=None):
        """One pass; returns the list of ``(service, old, new)`` flips."""
        ctx = watcher_context.get_admin_context()
        flips = []
        with self._lock:
            try:
                services = objects.Service.list(ctx)
            except Exception:
                LOG.exception('Cannot read the services table')
                return flips
            for svc in services:
                status = objects.Service.status_of(svc, now=now)
                key = svc.id
                old = self._statuses.get(key)
                self._statuses[key] = status
                if old is not None and old != status:
                    flips.append((svc, old, status))
        for svc, old, status in flips:
            LOG.warning('Service %s on %s is now %s (was %s)', svc.name,
                        svc.host, status, old)
            notifications.service.send_service_update(
                ctx, svc, state=status, old_state=old, host=self.host)
        return flips

    def _safe_check(self):
        try:
            self.check()
        except Exception:
            LOG.exception('Service status check failed')

    def start(self):
        if self._scheduler is not None:
            return self
        self._scheduler = watcher_service.Scheduler(max_workers=1,
                                                    name='service-monitor')
        self._scheduler.add_interval_job(self._safe_check, self.interval,
                                         job_id='service_status',
                                         run_now=True)
        self._scheduler.start()
        return self

    def stop(self):
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


def start(interval=DEFAULT_INTERVAL, host=None):
    """Start a monitor in a background thread and return it."""
    return ServiceMonitor(interval=interval, host=host).start()
