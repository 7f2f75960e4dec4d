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

"""The applier's entry point for running action plans (the seam of
``watcher.applier.manager``).

``launch(context, action_plan_uuid)`` hands the plan to a bounded pool of
``[watcher_applier] workers`` threads and returns at once (a
``concurrent.futures.Future`` whose result is the plan's final state, or
None when the plan was not this applier's to run).  ``execute(...)`` does
the same work synchronously.  What a worker does is
:class:`watcher.applier.action_plan.handler.ActionPlanHandler`: claim the
PENDING plan (compare-and-set, so one applier only), run its action DAG with
the workflow engine, settle the plan.

``shutdown()`` stops the pool (service stop, tests).
"""
import threading

import futurist
from oslo_log import log

from watcher.applier.action_plan import handler as plan_handler
from watcher.conf import CONF

LOG = log.getLogger(__name__)

_lock = threading.Lock()
_pool = None
_pool_size = None
# plans handed to the pool and not finished (a sweep does not queue twice)
_queued = set()


def _get_pool():
    global _pool, _pool_size
    workers = CONF.watcher_applier.workers
    with _lock:
        if _pool is None or _pool_size != workers:
            old = _pool
            _pool = futurist.ThreadPoolExecutor(max_workers=workers)
            _pool_size = workers
            if old is not None:
                old.shutdown(wait=False)
        return _pool


def execute(context, action_plan_uuid, **kwargs):
    """Run the plan now, in this thread; returns its final state or None."""
    handler = plan_handler.ActionPlanHandler(context, action_plan_uuid,
                                             **kwargs)
    try:
        return handler.execute()
    except Exception:
        LOG.exception('Executing action plan %s failed', action_plan_uuid)
        raise


def launch(context, action_plan_uuid, **kwargs):
    """Queue the plan on the worker pool; returns a Future at once."""
    LOG.info('Launching action plan %s', action_plan_uuid)
    with _lock:
        _queued.add(action_plan_uuid)
    future = _get_pool().submit(execute, context, action_plan_uuid, **kwargs)
    future.add_done_callback(lambda _f: _done(action_plan_uuid))
    return future


def _done(action_plan_uuid):
    with _lock:
        _queued.discard(action_plan_uuid)


def queued():
    """Uuids of the plans queued or running on this applier's pool."""
    with _lock:
        return set(_queued)


def shutdown(wait=True):
    global _pool, _pool_size
    with _lock:
        pool, _pool, _pool_size = _pool, None, None
    if pool is not None:
        pool.shutdown(wait=wait)
