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

"""What every cluster data model collector has in common.

A collector owns one *live* model (compute, storage or baremetal):

* it is built lazily, the first time someone asks for it
  (:meth:`BaseClusterDataModelCollector.get_latest_cluster_data_model`), by
  :meth:`~BaseClusterDataModelCollector.execute`, which reads the cloud
  through openstacksdk with bulk, paginated list calls;
* notification handlers keep it current between two builds through
  :meth:`~BaseClusterDataModelCollector.apply` (a function run on the live
  model under the collector's lock);
* :meth:`~BaseClusterDataModelCollector.synchronize` rebuilds it from
  scratch (the periodic job of the collector manager), builds the new
  model outside the lock and swaps it in; the notifications that arrived
  during the build are replayed on the new model before the swap, so none
  is lost;
* readers get a copy (``get_latest_cluster_data_model``), never the live
  model; the collector counts the copies still alive (``copies_in_use``),
  so background work of its own can wait until the audits reading them
  are done instead of taking the CPU from them.

Each build logs what it cost: element counts, seconds and the number of
HTTP requests sent to the cloud (counted on the keystoneauth session for
the building thread only, see :class:`RequestCounter`).
"""
import abc
import threading
import time
import weakref

from oslo_log import log

from watcher.common import clients
from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)


class RequestCounter:
    """Counts the HTTP requests one thread sends through a session.

    ``with RequestCounter(session) as counter: ...`` then
    ``counter.count``.  The keystoneauth session's ``request`` is wrapped
    once (idempotently); the wrapper only counts for the threads that
    currently hold an open counter, so concurrent users of the shared
    connection do not disturb the figure.
    """

    _local = threading.local()
    _MARK = '_watcher_counted_request'

    def __init__(self, session):
        self.session = session
        self.count = 0
        self.urls = []
        self.keep_urls = False

    @classmethod
    def _active(cls):
        active = getattr(cls._local, 'active', None)
        if active is None:
            active = cls._local.active = []
        return active

    @classmethod
    def install(cls, session):
        if session is None or getattr(session, cls._MARK, False):
            return
        original = session.request

        def request(url, method, *args, **kwargs):
            for counter in list(cls._active()):
                counter.count += 1
                if counter.keep_urls:
                    counter.urls.append('%s %s' % (method, url))
            return original(url, method, *args, **kwargs)

        session.request = request
        setattr(session, cls._MARK, True)

    def __enter__(self):
        try:
            self.install(self.session)
        except Exception:  # a session we cannot wrap: count nothing
            LOG.debug('Cannot count the requests of %r', self.session)
        self._active().append(self)
        return self

    def __exit__(self, *exc):
        active = self._active()
        if self in active:
            active.remove(self)
        return False


def session_of(connection):
    return getattr(connection, 'session', None)


class BuildStats:
    """What the last build cost (logged, and shown by the benchmark)."""

    def __init__(self):
        self.requests = 0
        self.seconds = 0.0
        self.counts = {}
        self.finished_at = None

    def as_dict(self):
        return {'requests': self.requests, 'seconds': self.seconds,
                'counts': dict(self.counts),
                'finished_at': self.finished_at}

    def __repr__(self):
        return '<BuildStats %s>' % self.as_dict()


class BaseClusterDataModelCollector(metaclass=abc.ABCMeta):
    """A live cluster data model, its builder and its lock.

    :param config: the collector's option group (``CONF`` group
        ``watcher_cluster_data_model_collectors.<name>``), defaults to it.
    :param connection: an openstacksdk ``Connection``; by default the
        process-wide one of :func:`watcher.common.clients.get_connection`.
    """

    #: ``compute``, ``storage`` or ``baremetal``: the model it builds.
    MODEL_TYPE = None
    #: The entry point name (same as MODEL_TYPE for the shipped ones).
    NAME = None

    def __init__(self, config=None, connection=None):
        self._config = config
        self._connection = connection
        self.lock = threading.RLock()
        self._build_lock = threading.Lock()
        self._model = None
        self._pending = None        # notifications seen while building
        self.last_build = BuildStats()
        self.builds = 0
        self._copies = 0

    # -- configuration ---------------------------------------------------
    @property
    def config(self):
        if self._config is None:
            group = 'watcher_cluster_data_model_collectors.%s' % (
                self.NAME or self.MODEL_TYPE)
            self._config = getattr(CONF, group)
        return self._config

    @property
    def period(self):
        """Seconds between two full resynchronisations."""
        try:
            return int(self.config.period)
        except (AttributeError, TypeError, ValueError):
            return 3600

    @property
    def connection(self):
        if self._connection is None:
            self._connection = clients.get_connection()
        return self._connection

    def set_connection(self, connection):
        self._connection = connection

    # -- the model -------------------------------------------------------
    @abc.abstractmethod
    def execute(self):
        """Build a new model from the cloud and return it."""

    @abc.abstractmethod
    def new_model(self):
        """An empty model of this collector's type."""

    @property
    def cluster_data_model(self):
        """The live model (or None before the first build). Do not mutate
        it outside :meth:`apply`; prefer a copy.
        """
        return self._model

    @property
    def is_built(self):
        return self._model is not None

    def get_latest_cluster_data_model(self):
        """A copy of the live model, built on first use."""
        # counted from now: background work started by the build waits
        # for the reader it was built for
        with self.lock:
            self._copies += 1
        try:
            if self._model is None:
                self.synchronize()
            with self.lock:
                model = self._model.copy()
        except BaseException:
            self._copy_released()
            raise
        weakref.finalize(model, self._copy_released)
        return model

    def _copy_released(self):
        with self.lock:
            self._copies -= 1

    @property
    def copies_in_use(self):
        """Model copies handed out and not yet freed."""
        return self._copies

    def synchronize(self):
        """Rebuild the model from the cloud and swap it in.

        Concurrent callers wait for the build in progress instead of
        starting another one.
        """
        started_builds = self.builds
        with self._build_lock:
            if self.builds != started_builds and self._model is not None:
                return self._model     # someone built it while we waited
            with self.lock:
                self._pending = []
            stats = BuildStats()
            start = time.monotonic()
            try:
                with RequestCounter(session_of(self.connection)) as counter:
                    model = self.execute()
            except exception.ClusterDataModelCollectionError:
                with self.lock:
                    self._pending = None
                raise
            except Exception as exc:
                with self.lock:
                    self._pending = None
                LOG.exception('Building the %s model failed', self.MODEL_TYPE)
                raise exception.ClusterDataModelCollectionError(
                    cdm=self.MODEL_TYPE, reason=str(exc) or repr(exc))
            stats.seconds = time.monotonic() - start
            stats.requests = counter.count
            stats.counts = dict(getattr(model, 'stats', {}))
            stats.finished_at = time.time()
            with self.lock:
                replay, self._pending = self._pending or [], None
                for change in replay:
                    self._run_change(change, model)
                self._model = model
                self.last_build = stats
                self.builds += 1
            LOG.info('Built the %(type)s model: %(counts)s in %(sec).2f s '
                     'with %(req)d requests to the cloud (%(replayed)d '
                     'notifications replayed)',
                     {'type': self.MODEL_TYPE, 'counts': stats.counts,
                      'sec': stats.seconds, 'req': stats.requests,
                      'replayed': len(replay)})
            self.after_build(model)
            return model

    def after_build(self, model):
        """Hook run after a build was swapped in (outside the lock)."""

    def stop(self, timeout=None):
        """Stop background work of the collector (if any)."""

    def set_cluster_data_model(self, model):
        """Replace the live model (tests, simulations)."""
        with self.lock:
            self._model = model

    def _run_change(self, change, model):
        try:
            change(model)
        except Exception:
            LOG.exception('Cannot apply a change to the %s model',
                          self.MODEL_TYPE)

    def apply(self, change):
        """Run ``change(model)`` on the live model under the lock.

        Used by notification handlers. Before the first build there is no
        model to update (the build will read the current cloud); during a
        build the change is applied now and replayed on the new model.
        Returns True if it was applied to a live model.
        """
        with self.lock:
            if self._pending is not None:
                self._pending.append(change)
            if self._model is None:
                return False
            self._run_change(change, self._model)
            return True


def retry(call, what, retries=None, interval=None, retry_on=(Exception,)):
    """Run ``call()``; on failure retry per ``[collector] api_query_*``."""
    retries = retries or CONF.collector.api_query_max_retries
    interval = (CONF.collector.api_query_interval if interval is None
                else interval)
    for attempt in range(1, retries + 1):
        try:
            return call()
        except exception.WatcherException:
            raise
        except retry_on as exc:
            if attempt >= retries:
                raise
            LOG.warning('%s failed (%s), try %d of %d', what, exc, attempt,
                        retries)
            time.sleep(interval)
