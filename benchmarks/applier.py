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

"""Benchmark of the applier: a plan of migrations on a large simulated cloud.

    python benchmarks/applier.py [--hosts 1000] [--vms-per-host 4]
                                 [--actions 500] [--workers 1,4,16]
                                 [--batch 0] [--json FILE]

For each worker count, a fresh PENDING plan of ``--actions`` live migrations
(each to a named destination host) is carried out by the real applier
(``executor.execute``: claim, taskflow flow, per-action states and
notifications in a SQLite file database) against the simulated cloud through
openstacksdk.  ``--batch N`` chains the actions in batches of N (the shape
the weight planner makes); 0 leaves them independent.

Printed per run:

* wall: the plan's total wall time;
* cloud: the summed time spent inside the action plugins (pre-condition,
  execute with its polling, post-condition) -- waiting on the cloud;
* overhead/action: the applier's own time per action, outside the plugin:
  loading the plugin, schema validation, the state writes with their
  compare-and-set, notifications, taskflow scheduling (mean and p95);
* setup: claiming the plan, loading the actions, building the flow; of
  it, ``flow`` is watcher's ``build_flow`` and ``taskflow`` is taskflow's
  own compile/prepare/validate of that flow (engine.ActionEngine);
* sql: the SQL statements the applier executed for the run (making the
  plan excluded), in total and per action - a per-action figure that grows
  with the plan size is a per-action reload.

Nothing is asserted.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import yaml

warnings.filterwarnings('ignore')

import openstack  # noqa: E402
from taskflow.engines.action_engine import engine as tf_engine  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402

from watcher.applier.action_plan import executor  # noqa: E402
from watcher.applier.actions import base as action_base  # noqa: E402
from watcher.applier.action_plan import handler as plan_handler  # noqa: E402
from watcher.applier import loading  # noqa: E402
from watcher.applier.workflow import taskflow_engine  # noqa: E402
from watcher.common import context as watcher_context  # noqa: E402
from watcher.common import rpc  # noqa: E402
from watcher.common import utils  # noqa: E402
from watcher.conf import CONF  # noqa: E402
from watcher.db.sqlalchemy import api as sqla_api  # noqa: E402
from watcher.db.sqlalchemy import models  # noqa: E402
from watcher import objects  # noqa: E402
from watcher.simulator.fixture import SimulatedCloud  # noqa: E402
from watcher.simulator import scenario as scenario_mod  # noqa: E402


class Timings:
    """Per action uuid: seconds spent inside the plugin's methods."""

    def __init__(self):
        self.inside = {}

    def loader(self):
        def load(action_type, input_parameters=None, **kwargs):
            plugin = loading.load_action(action_type, input_parameters,
                                         **kwargs)
            uuid = kwargs.get('action_uuid')
            for name in ('pre_condition', 'execute', 'post_condition'):
                setattr(plugin, name, self._timed(uuid, getattr(plugin,
                                                                name)))
            return plugin
        return load

    def _timed(self, uuid, method):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.inside[uuid] = (self.inside.get(uuid, 0.0) +
                                     time.perf_counter() - started)
        return call


class SetupClock:
    """Seconds spent in build_flow and in taskflow's compile steps.

    The methods are wrapped, not changed: the benchmark only measures.
    """

    def __init__(self):
        self.seconds = {'flow': 0.0, 'taskflow': 0.0}
        self._wrap(taskflow_engine, 'build_flow', 'flow')
        for name in ('compile', 'prepare', 'validate'):
            self._wrap(tf_engine.ActionEngine, name, 'taskflow')

    def _wrap(self, owner, name, bucket):
        method = getattr(owner, name)
        if getattr(method, '_bench_wrapped', False):
            return

        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[bucket] += time.perf_counter() - started
        call._bench_wrapped = True
        setattr(owner, name, call)

    def take(self):
        taken = dict(self.seconds)
        self.seconds = {'flow': 0.0, 'taskflow': 0.0}
        return taken


class Inventory:
    """Hosts and server placement, read once through openstacksdk."""

    def __init__(self, conn):
        self.hosts = sorted(s.host for s in conn.compute.services(
            binary='nova-compute'))
        self.placement = {s.id: s.compute_host for s in
                          conn.compute.servers(details=True,
                                               all_projects=True)}

    def server_host(self, sid):
        return self.placement[sid]


def make_plan(ctx, inventory, count, batch, offset):
    """A PENDING plan of ``count`` live migrations.

    Servers and destinations are picked so that every move is possible.
    """
    state = inventory
    hosts = inventory.hosts
    from watcher.tests import db_utils
    audit = db_utils.create_test_audit(state='SUCCEEDED')
    plan = objects.ActionPlan(ctx, state='PENDING', global_efficacy=[],
                              audit_id=audit.id,
                              strategy_id=audit.strategy_id)
    actions = []
    servers = sorted(inventory.placement)
    chosen = servers[offset:offset + count]
    previous = []
    current = []
    for i, sid in enumerate(chosen):
        source = state.server_host(sid)
        dest = hosts[(hosts.index(source) + 1 + i % 7) % len(hosts)]
        action = objects.Action(
            ctx, uuid=utils.generate_uuid(),
            action_type='migrate', state='PENDING',
            input_parameters={'resource_id': sid, 'migration_type': 'live',
                              'source_node': source,
                              'destination_node': dest},
            parents=list(previous) if batch else [])
        actions.append(action)
        if batch:
            current.append(action.uuid)
            if len(current) == batch:
                previous, current = current, []
    plan, actions, _ = objects.ActionPlan.create_with_children(
        ctx, plan, actions)
    return plan, actions


def start_simulator_process(data, tmp):
    """``watcher-simulator`` on a free loopback port, in its own process."""
    path = os.path.join(tmp, 'scenario.yaml')
    with open(path, 'w') as f:
        yaml.safe_dump(data, f)
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, '-m', 'watcher.simulator.cmd', '--host',
         '127.0.0.1', '--port', str(port), '--scenario', path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    auth_url = None
    for line in proc.stdout:
        if line.startswith('auth_url:'):
            auth_url = line.split(':', 1)[1].strip()
            break
    if auth_url is None:
        proc.kill()
        sys.exit('watcher-simulator did not start')
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    config = {'auth_type': 'password', 'auth_url': auth_url,
              'username': 'admin', 'password': 'secret',
              'project_name': 'admin', 'user_domain_name': 'Default',
              'project_domain_name': 'Default',
              'region_name': 'RegionOne', 'identity_api_version': '3'}

    def stop():
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return config, stop


def percentile(values, q):
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))
    return values[k]


def run_once(ctx, inventory, workers, count, batch, offset, sql, clock):
    CONF.set_override('max_workers', workers,
                      group='watcher_workflow_engines.taskflow')
    plan, actions = make_plan(ctx, inventory, count, batch, offset)
    sql.take()
    clock.take()
    timings = Timings()
    mono_start = time.monotonic()
    started = time.perf_counter()
    handler_kwargs = {'action_loader': timings.loader(),
                      'cancel_poll_interval': 0.5}
    handler = plan_handler.ActionPlanHandler(ctx, plan.uuid,
                                             **handler_kwargs)
    final = handler.execute()
    wall = time.perf_counter() - started
    statements = sql.take()
    setup_parts = clock.take()
    outcome = handler.engine.outcome
    overheads = []
    first_start = None
    for uuid, (t0, t1) in outcome.timings.items():
        first_start = t0 if first_start is None else min(first_start, t0)
        overheads.append(max(0.0, (t1 - t0) - timings.inside.get(uuid, 0)))
    setup = first_start - mono_start if first_start else 0.0
    return {
        'workers': workers,
        'actions': count,
        'state': final,
        'succeeded': outcome.count('SUCCEEDED'),
        'wall_s': round(wall, 3),
        'cloud_s': round(sum(timings.inside.values()), 3),
        'overhead_per_action_ms': round(
            1000 * statistics.mean(overheads), 2) if overheads else 0.0,
        'overhead_p95_ms': round(1000 * percentile(overheads, 0.95), 2),
        'setup_s': round(max(0.0, setup), 3),
        'setup_flow_s': round(setup_parts['flow'], 3),
        'setup_taskflow_s': round(setup_parts['taskflow'], 3),
        'sql_statements': statements,
        'sql_per_action': round(statements / count, 2) if count else 0.0,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--hosts', type=int, default=1000)
    parser.add_argument('--vms-per-host', type=int, default=4)
    parser.add_argument('--actions', type=int, default=500)
    parser.add_argument('--workers', default='1,4,16')
    parser.add_argument('--batch', type=int, default=0)
    parser.add_argument('--migration-seconds', type=float, default=0.2,
                        help='simulated duration of one migration')
    parser.add_argument('--time-speed', type=float, default=10.0,
                        help='simulated seconds per real second')
    parser.add_argument('--poll', type=float, default=0.005,
                        help='[nova] migration_interval')
    parser.add_argument('--in-process', action='store_true',
                        help='serve the simulated cloud from this process '
                             '(it then competes with the applier for the '
                             'GIL); default: a watcher-simulator process')
    parser.add_argument('--db-dir', default=None,
                        help='where the SQLite file goes (default: /dev/shm '
                             'when it exists, so that disk syncs do not '
                             'dominate; give a disk path to include them)')
    parser.add_argument('--json', metavar='FILE')
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(',') if w]

    db_dir = args.db_dir or ('/dev/shm' if os.path.isdir('/dev/shm')
                             else None)
    tmp = tempfile.mkdtemp(prefix='watcher-bench-', dir=db_dir)
    rpc.register_opts(CONF)
    CONF([], project='watcher')
    CONF.set_override('connection', 'sqlite:///%s' % os.path.join(
        tmp, 'watcher.sqlite'), group='database')
    CONF.set_override('transport_url', 'fake://')
    CONF.set_override('migration_interval', args.poll, group='nova')
    CONF.set_override('migration_max_retries', 100000, group='nova')
    models.Base.metadata.create_all(sqla_api.get_engine())
    sql = harness.SqlCounter(sqla_api.get_engine())
    rpc.init(CONF, embedded_default=True)
    ctx = watcher_context.get_admin_context()

    t = time.perf_counter()
    data = scenario_mod.generate(hosts=args.hosts,
                                 vms_per_host=args.vms_per_host, seed=7)
    data.setdefault('settings', {}).update({
        'migration_duration': args.migration_seconds,
        'time_speed': args.time_speed})
    if args.in_process:
        cloud = SimulatedCloud(scenario=data).start()
        cloud_config = cloud.cloud_config()
        stop = cloud.stop
    else:
        cloud_config, stop = start_simulator_process(data, tmp)
    build_s = time.perf_counter() - t
    conn = openstack.connect(**cloud_config)
    action_base.set_connection_provider(lambda: conn)
    inventory = Inventory(conn)
    needed = args.actions * len(workers)
    if len(inventory.placement) < needed:
        sys.exit('the cloud has %d servers, %d are needed'
                 % (len(inventory.placement), needed))
    print('cloud: %d hosts, %d servers (%s, ready in %.1fs); one migration '
          '= %.3fs of real time' % (
              len(inventory.hosts), len(inventory.placement),
              'in-process' if args.in_process else 'separate process',
              build_s, args.migration_seconds / args.time_speed))
    print('database: SQLite file in %s' % tmp)
    rows = []
    clock = SetupClock()
    try:
        for i, w in enumerate(workers):
            row = run_once(ctx, inventory, w, args.actions, args.batch,
                           i * args.actions, sql, clock)
            rows.append(row)
            print('workers=%(workers)-3d %(state)s %(succeeded)d/%(actions)d'
                  '  wall %(wall_s)7.2fs  cloud %(cloud_s)7.2fs  '
                  'overhead/action %(overhead_per_action_ms)6.2fms '
                  '(p95 %(overhead_p95_ms)6.2fms)  setup %(setup_s).2fs '
                  '(flow %(setup_flow_s).2fs, taskflow '
                  '%(setup_taskflow_s).2fs)  '
                  'sql %(sql_statements)d (%(sql_per_action).2f/action)'
                  % row)
            sys.stdout.flush()
    finally:
        executor.shutdown(wait=False)
        stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'hosts': args.hosts,
                       'servers': len(inventory.placement),
                       'simulator': ('in-process' if args.in_process
                                     else 'separate process'),
                       'actions': args.actions, 'batch': args.batch,
                       'migration_real_s': args.migration_seconds /
                       args.time_speed,
                       'runs': rows}, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
