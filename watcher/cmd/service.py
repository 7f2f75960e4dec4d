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

"""Service plumbing shared by watcher's daemons.

* :class:`Service` -- an oslo.service ``ServiceBase`` running one RPC server
  on its topic (``watcher.decision.control`` / ``watcher.applier.control``)
  with the manager as endpoint, registering itself in the ``services`` table
  as ``<binary>`` on ``[DEFAULT] host`` and heartbeating ``last_seen_up``
  every ``[DEFAULT] periodic_interval`` seconds. The manager may define
  ``start(service)`` / ``stop()`` hooks and ``periodic_jobs()`` (a list of
  ``(callable, seconds)`` run by the service's scheduler).
* :class:`WSGIService` -- the REST API served from a thread (watcher-all).
* :class:`Scheduler` -- an APScheduler ``BackgroundScheduler`` on a thread
  pool, used for heartbeats and periodic jobs.
* :func:`launch` -- run services in this process until SIGTERM/SIGINT,
  telling systemd (``NOTIFY_SOCKET``) once they all run;
  SIGHUP reloads the mutable options and reopens the log files
  (:func:`reload_configuration`), SIGUSR2 writes a Guru Meditation Report
  (:func:`enable_reports`).

The services run in the process that launches them rather than under
oslo.service's launchers. With the threading backend (oslo.service 4.8,
cotyledon 2.2), ``ServiceLauncher`` and ``ProcessLauncher`` run each
service in a forked worker whose SIGHUP handling is cotyledon's default:
stop the worker and fork a new one. Tried with the applier: the worker was
replaced on SIGHUP, which would end its running action plans;
``ProcessLauncher(no_fork=True)`` exited on SIGHUP (``SignalExit``); the
in-process ``Launcher`` installs no signal handler. ``watcher-all`` also
shares one in-process transport and simulated cloud between its services,
which a fork would split. :func:`launch` keeps oslo.service's ``mutate``
contract instead (re-read the files, apply the mutable options, ``reset()``
each service, nothing stopped). The facts and how they were checked:
``doc/source/admin/running.rst``.

Everything here uses plain threads, so it behaves the same whichever
oslo.service backend the process selected; the entry points select the
threading one (:mod:`watcher.cmd`) so oslo.service does not pull in
eventlet.
"""
import datetime
import logging
import signal
import socketserver
import threading
from wsgiref import simple_server

from apscheduler.executors import pool as aps_pool
from apscheduler.schedulers import background
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging
from oslo_reports import guru_meditation_report as gmr
from oslo_reports import opts as gmr_opts
from oslo_service import service as os_service
from oslo_service import systemd

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import rpc
from watcher.common import utils
from watcher import objects
from watcher import version

LOG = log.getLogger(__name__)
CONF = cfg.CONF

# APScheduler logs every job run at INFO: keep that for debug mode.
logging.getLogger('apscheduler').setLevel(logging.WARNING)

DECISION_ENGINE = 'watcher-decision-engine'
APPLIER = 'watcher-applier'
API = 'watcher-api'


class Scheduler:
    """A background scheduler for periodic jobs (thread pool executor)."""

    def __init__(self, max_workers=4, jobstores=None, name='watcher'):
        self.name = name
        self._scheduler = background.BackgroundScheduler(
            executors={'default': aps_pool.ThreadPoolExecutor(max_workers)},
            jobstores=jobstores or {},
            job_defaults={'coalesce': True, 'max_instances': 1,
                          'misfire_grace_time': None},
            timezone=datetime.timezone.utc)

    @property
    def scheduler(self):
        """The underlying APScheduler scheduler."""
        return self._scheduler

    def add_interval_job(self, func, seconds, job_id=None, run_now=True,
                         args=(), kwargs=None, jobstore='default'):
        next_run = utils.utcnow() if run_now else None
        options = {'id': job_id, 'replace_existing': bool(job_id),
                   'jobstore': jobstore}
        if next_run is not None:
            options['next_run_time'] = next_run
        return self._scheduler.add_job(
            func, 'interval', seconds=seconds, args=args,
            kwargs=kwargs or {}, **options)

    def add_job(self, *args, **kwargs):
        return self._scheduler.add_job(*args, **kwargs)

    def remove_job(self, job_id):
        try:
            self._scheduler.remove_job(job_id)
        except Exception:
            LOG.debug('No job %s to remove', job_id)

    def start(self):
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self, wait=True):
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)

    @property
    def running(self):
        return self._scheduler.running


class Heartbeat:
    """Registers a service row and keeps its ``last_seen_up`` fresh."""

    def __init__(self, name, host=None):
        self.name = name
        self.host = host or CONF.host
        self.service_id = None
        self._lock = threading.Lock()

    def _context(self):
        return watcher_context.get_admin_context()

    def register(self):
        """Create (or find) the ``services`` row of this daemon."""
        ctx = self._context()
        try:
            svc = objects.Service.get_by_host_and_name(ctx, self.host,
                                                       self.name)
        except exception.NotFound:
            svc = objects.Service(ctx, name=self.name, host=self.host,
                                  last_seen_up=utils.utcnow())
            try:
                svc.create()
            except exception.Conflict:
                svc = objects.Service.get_by_host_and_name(
                    ctx, self.host, self.name)
        self.service_id = svc.id
        return svc

    def beat(self):
        """Write ``last_seen_up = now``; errors are logged (the database may
        be briefly unreachable; the next beat tries again).
        """
        with self._lock:
            try:
                if self.service_id is None:
                    self.register()
                svc = objects.Service.get_by_id(self._context(),
                                                self.service_id)
                svc.last_seen_up = utils.utcnow()
                svc.save()
                return svc
            except Exception:
                LOG.exception('Heartbeat of %s on %s failed', self.name,
                              self.host)
                # the row may have been purged: register again next time
                self.service_id = None
                return None


class Service(os_service.ServiceBase):
    """An RPC daemon: one topic, one manager, a heartbeat."""

    def __init__(self, manager, topic=None, binary=None, host=None,
                 version=None, heartbeat=True):
        super().__init__()
        self.manager = manager
        self.topic = topic or manager.topic
        self.binary = binary or getattr(manager, 'service_name', None)
        self.host = host or CONF.host
        self.version = version or getattr(manager, 'RPC_API_VERSION', '1.0')
        self.heartbeat = Heartbeat(self.binary, self.host) if heartbeat \
            else None
        self.scheduler = Scheduler(name=self.binary)
        self._server = None
        self._stopped = threading.Event()
        self._started = False

    @property
    def service_id(self):
        return self.heartbeat.service_id if self.heartbeat else None

    def _target(self):
        return messaging.Target(topic=self.topic, server=self.host,
                                version=self.version)

    def start(self):
        if self._started:
            return
        self._started = True
        self._stopped.clear()
        rpc.init(CONF)
        hook = getattr(self.manager, 'start', None)
        if hook is not None:
            hook(self)
        for func, seconds in getattr(self.manager, 'periodic_jobs',
                                     lambda: [])():
            self.scheduler.add_interval_job(
                func, seconds, job_id=getattr(func, '__name__', None),
                run_now=False)
        self._server = rpc.get_server(self._target(), [self.manager])
        self._server.start()
        # registered (ACTIVE) only once the RPC server consumes: with a
        # broker, a cast sent to a topic nobody consumes yet is lost
        if self.heartbeat:
            self.heartbeat.register()
            self.heartbeat.beat()
            self.scheduler.add_interval_job(
                self.heartbeat.beat, CONF.periodic_interval,
                job_id='heartbeat', run_now=False)
        self.scheduler.start()
        LOG.info('%s listening on topic %s (host %s)', self.binary,
                 self.topic, self.host)

    def stop(self, graceful=True):
        if not self._started:
            self._stopped.set()
            return
        self._started = False
        if self._server is not None:
            try:
                self._server.stop()
                self._server.wait()
            except Exception:
                LOG.exception('Stopping the RPC server of %s failed',
                              self.binary)
            self._server = None
        self.scheduler.shutdown(wait=graceful)
        self.scheduler = Scheduler(name=self.binary)
        hook = getattr(self.manager, 'stop', None)
        if hook is not None:
            try:
                hook()
            except Exception:
                LOG.exception('Stopping the manager of %s failed',
                              self.binary)
        self._stopped.set()

    def wait(self):
        self._stopped.wait()

    def reset(self):
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        # fmt quotes the request line itself ('"%s" %s %s')
        LOG.info('%s %s', self.client_address[0], fmt % args)


class WSGIService(os_service.ServiceBase):
    """Serves the WSGI application ``app`` (the caller builds it: the API
    sits above this module) from a thread; ``port`` 0 picks a free port
    (see :attr:`port`).
    """

    def __init__(self, app, host=None, port=None, name=API):
        super().__init__()
        self.name = name
        self._app = app
        self.host = host if host is not None else CONF.api.host
        self.port = port if port is not None else CONF.api.port
        self._server = None
        self._thread = None
        self._stopped = threading.Event()

    def start(self):
        self._server = simple_server.make_server(
            self.host, self.port, self._app, server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler)
        self.port = self._server.server_address[1]
        self._stopped.clear()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name=self.name, daemon=True)
        self._thread.start()
        LOG.info('%s serving on http://%s:%s', self.name, self.host,
                 self.port)

    def stop(self, graceful=True):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._stopped.set()

    def wait(self):
        self._stopped.wait()

    def reset(self):
        pass


def enable_reports(conf=CONF, signal_trigger=True):
    """SIGUSR2 writes a Guru Meditation Report (threads and their stacks,
    configuration, package) to stderr, or to a file in ``[oslo_reports]
    log_dir``; with ``[oslo_reports] file_event_handler`` a change of that
    file triggers it instead. ``signal_trigger=False`` (under a WSGI
    server, whose signals are its own): only the file triggers it.
    """
    gmr_opts.set_defaults(conf)
    gmr.TextGuruMeditation.setup_autorun(version.version_info, conf=conf,
                                         setup_signal=signal_trigger)


def reopen_log_files(logger=None):
    """Close the files of the file handlers; each opens its file again (by
    name) at its next record, so a log rotated away is left alone.
    """
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            handler.acquire()
            try:
                stream, handler.stream = handler.stream, None
                if stream is not None:
                    stream.close()
            finally:
                handler.release()


def _log_mutations(conf, fresh):
    changed = ', '.join('[%s] %s' % (group or 'DEFAULT', name)
                        for group, name in sorted(
                            fresh, key=lambda k: (k[0] or '', k[1])))
    LOG.info('Options changed by the reload: %s', changed or 'none')


def reload_configuration(conf=CONF):
    """What SIGHUP does: re-read the configuration files, apply the options
    that may change at run time (``mutable``; oslo.log's ``debug`` among
    them), reopen the log files. Work in progress is not interrupted.
    """
    reopen_log_files()
    try:
        conf.mutate_config_files()
    except Exception:
        LOG.exception('Reloading the configuration failed; keeping the '
                      'current one')
        return False
    return True


CONF.register_mutate_hook(_log_mutations)


class Launcher:
    """Starts services in this process, stops them on SIGTERM/SIGINT and
    reloads the configuration on SIGHUP.
    """

    def __init__(self):
        self.services = []
        self._done = threading.Event()

    def launch_service(self, svc):
        self.services.append(svc)
        svc.start()

    def stop(self):
        for svc in reversed(self.services):
            try:
                svc.stop()
            except Exception:
                LOG.exception('Stopping %r failed', svc)
        self._done.set()

    def _on_signal(self, signo, frame):
        LOG.info('Signal %s received, stopping', signo)
        threading.Thread(target=self.stop, daemon=True).start()

    def _on_hangup(self, signo, frame):
        # not in the handler: the main thread may hold a lock the reload
        # needs (logging's, oslo.config's)
        threading.Thread(target=self._reload, daemon=True).start()

    def _reload(self):
        if not reload_configuration():
            return
        # oslo.service's 'mutate' restart: the services go on, told only
        for svc in self.services:
            try:
                svc.reset()
            except Exception:
                LOG.exception('Resetting %r after the reload failed', svc)
        LOG.info('SIGHUP: configuration reloaded, log files reopened')

    def install_signal_handlers(self):
        if threading.current_thread() is not threading.main_thread():
            return
        for signo in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signo, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_hangup)
        enable_reports()

    def wait(self):
        # short waits keep the main thread responsive to signals
        while not self._done.wait(1.0):
            pass
        for svc in self.services:
            svc.wait()


def launch(*services):
    """Start ``services`` and block until SIGTERM/SIGINT; returns 0."""
    launcher = Launcher()
    launcher.install_signal_handlers()
    try:
        for svc in services:
            launcher.launch_service(svc)
    except Exception:
        LOG.exception('A service failed to start')
        launcher.stop()
        return 1
    # systemd's Type=notify: started means consuming its RPC topic
    systemd.notify_once()
    launcher.wait()
    return 0
