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

"""The collectors of one decision-engine process (a singleton).

Seam for the decision-engine service (which owns the scheduler and the
messaging transport)::

    from watcher.decision_engine.model.collector import manager
    from watcher.decision_engine.model import notification

    collectors = manager.CollectorManager()
    collectors.start_periodic_sync(scheduler)       # an APScheduler scheduler
    listener = notification.start_listener(transport, collectors)
    ...
    listener.stop(); listener.wait()

and for the audit pipeline::

    model = manager.CollectorManager().get_cluster_model_collector(
        'compute').get_latest_cluster_data_model()     # a copy, scoped later

``CollectorManager()`` always returns the same object in a process;
``CollectorManager.reset()`` forgets it (tests).  Collectors are stevedore
plugins of ``watcher_cluster_data_model_collectors``; the ones listed in
``[collector] collector_plugins`` are "enabled" (periodic resync,
notifications), any other known one is still created on demand.
"""
import threading

from oslo_log import log
from stevedore import driver

from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)

NAMESPACE = 'watcher_cluster_data_model_collectors'


class CollectorManager:
    """Singleton holding one collector per model type."""

    _instance = None
    _instance_lock = threading.Lock()

    def __new__(cls, *args, **kwargs):
        with cls._instance_lock:
            if cls._instance is None:
                instance = super().__new__(cls)
                instance._init()
                cls._instance = instance
            return cls._instance

    def _init(self):
        self._lock = threading.RLock()
        self._collectors = {}
        self._connection = None
        self._jobs = {}

    @classmethod
    def reset(cls):
        """Forget the process' manager (stopping its collectors)."""
        with cls._instance_lock:
            instance, cls._instance = cls._instance, None
        if instance is not None:
            instance.stop()

    def stop(self, timeout=5):
        """Stop the background work of every collector."""
        for collector in self.get_existing_collectors().values():
            try:
                collector.stop(timeout)
            except Exception:
                LOG.exception('Cannot stop collector %r', collector)

    # -- configuration ---------------------------------------------------
    @property
    def enabled_names(self):
        return list(CONF.collector.collector_plugins or [])

    def set_connection(self, connection):
        """Use ``connection`` (an openstacksdk Connection) for every
        collector instead of the process-wide one (simulator, tests).
        """
        with self._lock:
            self._connection = connection
            for collector in self._collectors.values():
                collector.set_connection(connection)

    # -- collectors ------------------------------------------------------
    @staticmethod
    def load_collector_class(name):
        try:
            return driver.DriverManager(NAMESPACE, name,
                                        invoke_on_load=False).driver
        except Exception as exc:
            raise exception.LoadingError(name=name) from exc

    def get_cluster_model_collector(self, name, osc=None):
        """The collector of model type ``name`` (created once)."""
        with self._lock:
            collector = self._collectors.get(name)
            if collector is None:
                cls = self.load_collector_class(name)
                collector = cls(connection=osc or self._connection)
                self._collectors[name] = collector
            return collector

    def register_collector(self, name, collector):
        """Put a ready-made collector in place (tests, simulations)."""
        with self._lock:
            self._collectors[name] = collector

    def get_collectors(self):
        """The enabled collectors, by name."""
        result = {}
        for name in self.enabled_names:
            try:
                result[name] = self.get_cluster_model_collector(name)
            except exception.LoadingError:
                LOG.error('Cluster data model collector %s cannot be '
                          'loaded', name)
        return result

    def get_existing_collectors(self):
        """The collectors created so far (no loading)."""
        with self._lock:
            return dict(self._collectors)

    # -- periodic resynchronisation --------------------------------------
    def _sync_job(self, name):
        collector = self.get_cluster_model_collector(name)
        if not collector.is_built:
            # lazy: nobody asked for this model yet, keep it unbuilt
            LOG.debug('The %s model is not built yet; nothing to resync',
                      name)
            return
        try:
            collector.synchronize()
        except Exception:
            LOG.exception('Periodic resync of the %s model failed', name)

    def start_periodic_sync(self, scheduler):
        """Add one interval job per enabled collector to ``scheduler``
        (an APScheduler scheduler, started or not) and return the jobs.

        Jobs run ``collector.synchronize()`` every
        ``[watcher_cluster_data_model_collectors.<name>] period`` seconds
        once the model was built once (builds stay lazy).
        """
        jobs = []
        for name, collector in self.get_collectors().items():
            job = scheduler.add_job(
                self._sync_job, 'interval', args=(name,),
                seconds=collector.period,
                id='watcher-cdm-sync-%s' % name, name='%s model resync' % name,
                replace_existing=True, max_instances=1, coalesce=True)
            self._jobs[name] = job
            jobs.append(job)
        return jobs

    def synchronize_all(self):
        """Resynchronise every enabled collector now (built or not)."""
        for collector in self.get_collectors().values():
            collector.synchronize()
