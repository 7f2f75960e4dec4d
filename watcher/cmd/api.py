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

"""``watcher-api``: serve the REST API on ``[api] host``:``[api] port``.

A pre-fork HTTP/1.1 server (:mod:`watcher.cmd.api_server`, on the standard
library's WSGI pieces): ``[api] workers`` processes share the listening
socket, and each serves ``[api] worker_threads`` requests at a time (one by
default); connections stay open between requests without holding a
worker. Python threads of one
process share one CPU, so threads competing for it make every CPU-bound
request slower and its latency erratic; separate processes, each serving
one request at a time while the kernel queues the next connections, give
more requests per second and a tight p99 (``benchmarks/api.py``). Each
serving process sets up its own messaging (RPC casts to the decision engine
and applier, versioned notifications of the objects it changes). With more
than one worker, a child of its own runs the service status monitor that
emits ``service.update``, and the parent only supervises: it replaces a
child that dies and stops them all on SIGTERM.
"""
import ctypes
import ctypes.util
import gc
import logging
import os
import signal
import sys
import threading
import time

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log

from watcher.api import app as api_app
from watcher.cmd import api_server
from watcher import cmd
from watcher.cmd import service as common_service
from watcher.cmd import service_monitor
from watcher import notifications

CONF = cfg.CONF
LOG = log.getLogger(__name__)


# A child that dies sooner than this after its start waits this long
# before it is replaced, so a persistent failure does not fork in a loop.
RESPAWN_DELAY = 1.0


PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent(parent_pid):
    """Have the kernel send SIGKILL to this process when its parent dies.

    A worker left behind by a killed parent would keep serving the port,
    unsupervised, and a new watcher-api could not bind it. Linux only
    (prctl); elsewhere the workers outlive a killed parent.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    # The parent may have died between fork() and prctl().
    if os.getppid() != parent_pid:
        os._exit(1)


_CHILD_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _fork(body):
    """Run ``body()`` in a child process; returns its pid."""
    parent = os.getpid()
    # Held back across the fork: the child must not run the parent's
    # handlers (they would signal its siblings) before it has its own.
    signal.pthread_sigmask(signal.SIG_BLOCK, _CHILD_SIGNALS)
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _CHILD_SIGNALS)
        return pid
    code = 1
    try:
        die_with_parent(parent)
        signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGHUP, _reload_in_thread)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _CHILD_SIGNALS)
        body()
        code = 0
    except KeyboardInterrupt:
        code = 0
    except BaseException:
        LOG.exception('watcher-api child process %d failed', os.getpid())
    finally:
        os._exit(code)


def _reload_in_thread(signum, frame):
    # A thread: the interrupted code may hold a lock the reload takes.
    threading.Thread(target=common_service.reload_configuration,
                     daemon=True).start()


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def _worker_body(server):
    def body():
        notifications.init(CONF)
        server.serve_forever()
    return body


def _monitor_body(monitor):
    def body():
        monitor.start()
        while True:
            signal.pause()
    return body


def _serve_workers(server, workers, announce, monitor=None):
    """Supervise ``workers`` processes serving the socket, and a monitor.

    The parent starts no thread: a thread could hold a lock (an import
    lock, a logging or database lock) at the moment of a fork, and the
    child would inherit it locked for ever. So the service monitor runs in
    a child of its own, and a child that dies is replaced at any time.
    SIGTERM or SIGINT stops every child, then the parent.
    """
    children = {}  # pid -> (role, body, start time)
    stopping = []

    def _stop(signum, frame):
        stopping.append(signum)
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass

    def _reload(signum, frame):
        # The parent has no other thread: nothing can hold a lock here.
        common_service.reload_configuration()
        LOG.info('SIGHUP: configuration reloaded, log files reopened; '
                 'passing it on to %d children', len(children))
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGHUP)
            except OSError:
                pass

    # Before the first fork: a signal sent while the children start must
    # find its handler, not the default action (SIGHUP's is to terminate).
    # The start is announced once every child runs, so a SIGHUP sent on
    # seeing it reaches them all.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGHUP, _reload)
    roles = [('worker %d' % (i + 1), _worker_body(server))
             for i in range(workers)]
    if monitor is not None:
        roles.append(('service monitor', _monitor_body(monitor)))
    for role, body in roles:
        children[_fork(body)] = (role, body, time.monotonic())
    announce()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        role, body, started = children.pop(pid, (None, None, None))
        if role is None or stopping:
            continue
        LOG.error('watcher-api %s (pid %d) ended (%s); starting another',
                  role, pid, _exit_reason(status))
        if time.monotonic() - started < RESPAWN_DELAY:
            time.sleep(RESPAWN_DELAY)
        if not stopping:
            children[_fork(body)] = (role, body, time.monotonic())


def _exit_reason(status):
    if os.WIFSIGNALED(status):
        return 'signal %d' % os.WTERMSIG(status)
    return 'exit status %d' % os.WEXITSTATUS(status)


def main(argv=None):
    cmd.parse_config(argv or sys.argv)
    application = api_app.setup_app()
    host, port = CONF.api.host, CONF.api.port
    server = api_server.make_server(host, port, application,
                                    threads=CONF.api.worker_threads)
    bound_port = server.server_address[1]
    # What start-up built lives as long as the process. Frozen, it is left
    # out of the collector's full passes (about 100 ms each with it, a
    # stall of every request in flight), and the forked workers share its
    # pages instead of copying them when the collector would touch them.
    gc.collect()
    gc.freeze()
    shown = '[%s]' % host if ':' in host else host
    workers = CONF.api.workers or processutils.get_worker_count()

    def announce():
        LOG.info('watcher-api serving on http://%s:%s (%d worker(s) of %d '
                 'thread(s), auth strategy %s)', shown, bound_port, workers,
                 CONF.api.worker_threads,
                 CONF.auth_strategy if CONF.enable_authentication
                 else 'noauth')
        if CONF.debug:
            CONF.log_opt_values(LOG, logging.DEBUG)

    monitor = service_monitor.ServiceMonitor()
    common_service.enable_reports()
    try:
        if workers > 1:
            _serve_workers(server, workers, announce, monitor=monitor)
        else:
            signal.signal(signal.SIGHUP, _reload_in_thread)
            signal.signal(signal.SIGTERM, _interrupt)
            announce()
            notifications.init(CONF)
            monitor.start()
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        monitor.stop()
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
