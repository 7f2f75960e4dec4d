#!/usr/bin/env python
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

"""Benchmark of an audit end to end: REST API -> RECOMMENDED plan.

    python benchmarks/audit.py [--hosts 500,2000] [--servers-per-host 15]
        [--strategy vm_workload_consolidation]
        [--datasource simulator|prometheus] [--db sqlite|mysql]
        [--scrape SECONDS] [--exporter-cpus N]
        [--modes cold,warm] [--json FILE]

Per size, the simulated cloud runs in a process of its own (requests
counted, its CPU time measured); with ``--datasource prometheus`` a private
Prometheus (the Debian package) scrapes it as the integration test does.
This process hosts what an operator waits on: the real API (the pecan app,
noauth, served on loopback) and the decision engine (its RPC server on the
in-process transport, its collectors, notifications on), over a fresh
database (a SQLite file, or a private database on the machine's MariaDB).

Each row: ``POST /v1/audits`` (a ONESHOT audit of ``--strategy``) until
the decision engine has finished its run (the audit SUCCEEDED, the plan
RECOMMENDED; checked every 5 ms in the engine's stage record, cheaper than
polling the API, then confirmed with ``GET /v1/audits/<uuid>`` and the
audit's action plans). ``cold``: the decision engine's collectors and cloud
connection are dropped first (the model is built from nothing); ``warm``:
the model the previous audit left is copied. The stage breakdown is the
decision engine's own (:mod:`watcher.decision_engine.audit.stages`); SQL
statements are those of the decision engine (the API's polling excluded);
peak RSS is this process's (decision engine + API) during the audit.
Nothing is asserted.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
warnings.filterwarnings('ignore')

import harness  # noqa: E402

from watcher.cmd import all as watcher_all  # noqa: E402
from watcher.common import clients  # noqa: E402
from watcher.common import rpc  # noqa: E402
from watcher.cmd import service as watcher_service  # noqa: E402
from watcher.conf import CONF  # noqa: E402
from watcher.db.sqlalchemy import api as sqla_api  # noqa: E402
from watcher.db.sqlalchemy import models  # noqa: E402
from watcher.decision_engine.audit import stages  # noqa: E402
from watcher.decision_engine import manager as de_manager  # noqa: E402
from watcher.decision_engine.model.collector import manager  # noqa: E402

POLL = 0.005
#: with Prometheus, the strategy's period spans this many scrapes (all of
#: them in Prometheus before the first audit)
PERIOD_SCRAPES = 4
MYSQL = 'mysql+pymysql://root@127.0.0.1:3306/'


class Database:
    """A fresh, private database for one size."""

    def __init__(self, kind):
        self.kind = kind
        self.tmp = None
        self.name = None
        if kind == 'sqlite':
            self.tmp = tempfile.mkdtemp(
                prefix='watcher-bench-',
                dir='/dev/shm' if os.path.isdir('/dev/shm') else None)
            self.url = 'sqlite:///%s' % os.path.join(self.tmp, 'w.sqlite')
        else:
            import sqlalchemy as sa
            self.name = 'watcher_bench_%s' % uuid.uuid4().hex[:10]
            engine = sa.create_engine(MYSQL)
            with engine.begin() as conn:
                conn.execute(sa.text('CREATE DATABASE %s' % self.name))
            engine.dispose()
            self.url = MYSQL + self.name + '?charset=utf8mb4'

    def drop(self):
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self.name:
            import sqlalchemy as sa
            engine = sa.create_engine(MYSQL)
            with engine.begin() as conn:
                conn.execute(sa.text('DROP DATABASE IF EXISTS %s'
                                     % self.name))
            engine.dispose()


def api_call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        base + path, data=data, method=method,
        headers={'Content-Type': 'application/json',
                 'OpenStack-API-Version': 'infra-optim 1.0'})
    with urllib.request.urlopen(req, timeout=600) as resp:
        return json.load(resp)


class Engine:
    """The API and the decision engine, in this process."""

    def __init__(self, cloud, db, datasource, prometheus=None):
        CONF.set_override('connection', db.url, group='database')
        watcher_all.point_clients_at(CONF, cloud.url, cloud.auth_url)
        CONF.set_override('datasources', [datasource],
                          group='watcher_datasources')
        if prometheus is not None:
            CONF.set_override('host', '127.0.0.1', 'prometheus_client')
            CONF.set_override('port', prometheus.port, 'prometheus_client')
        rpc.register_opts(CONF)
        CONF.set_override('driver', ['messagingv2'],
                          'oslo_messaging_notifications')
        models.Base.metadata.create_all(sqla_api.get_engine())
        self.sql = harness.SqlCounter(sqla_api.get_engine())
        rpc.init(CONF, embedded_default=True)
        self.service = watcher_service.Service(
            de_manager.DecisionEngineManager())
        self.service.start()
        counter = self.sql

        def marked(app):
            def api(environ, start_response):
                counter.ignore_this_thread()
                return app(environ, start_response)
            return api
        from watcher.api import app as api_app
        self.api = watcher_service.WSGIService(
            app=marked(api_app.setup_app()), host='127.0.0.1', port=0)
        self.api.start()
        self.base = 'http://127.0.0.1:%d' % self.api.port

    def make_cold(self):
        """Forget every model and the cloud connection."""
        manager.CollectorManager().stop()
        manager.CollectorManager.reset()
        clients.reset_connection()

    def run_audit(self, strategy, parameters=None):
        goal = api_call(self.base, 'GET', '/v1/strategies/%s'
                        % strategy)['goal_uuid']
        self.sql.take()
        harness.reset_peak_rss()
        started = time.perf_counter()
        audit = api_call(self.base, 'POST', '/v1/audits', {
            'audit_type': 'ONESHOT', 'goal': goal, 'strategy': strategy,
            'parameters': parameters or {},
            'name': 'bench-%s' % uuid.uuid4().hex[:8]})
        # Waiting on the decision engine's own record of the run (it is
        # made once the audit is SUCCEEDED in the database) rather than
        # polling the API: a poll every few ms would take the CPU from
        # the decision engine it measures. The API then confirms.
        while stages.recent(audit['uuid']) is None:
            time.sleep(POLL)
        seconds = time.perf_counter() - started
        got = api_call(self.base, 'GET', '/v1/audits/%s' % audit['uuid'])
        plans = api_call(self.base, 'GET', '/v1/action_plans?audit_uuid=%s'
                         % audit['uuid'])['action_plans']
        peak = harness.peak_rss_mb()
        sql = self.sql.take()
        times = stages.recent(audit['uuid'])
        return {'seconds': seconds, 'state': got['state'],
                'plan_state': plans[0]['state'] if plans else None,
                'times': times, 'sql_statements': sql,
                'peak_rss_mb': peak,
                'message': got.get('status_message')}

    def stop(self):
        self.api.stop()
        self.service.stop()
        manager.CollectorManager.reset()
        clients.reset_connection()
        sqla_api.get_engine().dispose()
        rpc.cleanup()


def measure_size(args, hosts, rows):
    cloud = harness.CloudProcess(hosts, args.servers_per_host,
                                 exporter_cpus=args.exporter_cpus)
    prometheus = None
    db = Database(args.db)
    engine = None
    try:
        if args.datasource == 'prometheus':
            prometheus = harness.PrometheusProcess(
                cloud.url, cloud.hostnames, scrape=args.scrape)
            prometheus.wait_scraped(scrape=args.scrape,
                                    samples=PERIOD_SCRAPES + 1)
        engine = Engine(cloud, db, args.datasource, prometheus)
        period = args.period
        if period is None and prometheus is not None:
            # rate() over a window longer than the data Prometheus holds
            # divides by the whole window: the strategy's default hour
            # would read almost no load from a Prometheus started minutes
            # ago.
            period = PERIOD_SCRAPES * args.scrape
        parameters = {'period': period} if period else {}
        for mode in args.modes:
            if mode == 'cold':
                engine.make_cold()
            cloud.take_requests()
            cpu = cloud.cpu_seconds()
            prom_cpu = prometheus.cpu_seconds() if prometheus else 0.0
            got = engine.run_audit(args.strategy, parameters)
            times = got['times']
            counters = times.counters if times else {}
            rows.append({
                'hosts': cloud.hosts, 'servers': cloud.servers,
                'strategy': args.strategy, 'datasource': args.datasource,
                'db': args.db, 'mode': mode,
                'seconds': round(got['seconds'], 3),
                'stages': {k: round(v, 3) for k, v in
                           (times.stages.items() if times else ())},
                'actions': counters.get('actions'),
                'cloud_requests': cloud.take_requests(),
                'cloud_cpu_seconds': round(cloud.cpu_seconds() - cpu, 3),
                'prometheus_cpu_seconds': round(
                    prometheus.cpu_seconds() - prom_cpu
                    if prometheus else 0.0, 3),
                'scrape_seconds': args.scrape if prometheus else None,
                'exporter_cpus': args.exporter_cpus,
                'metric_queries': counters.get('metric_queries'),
                'sql_statements': got['sql_statements'],
                'peak_rss_mb': round(got['peak_rss_mb'] or 0, 1),
                'outcome': '%s/%s' % (got['state'], got['plan_state']),
                'period': period,
                'load': os.getloadavg()[0],
            })
            print_row(rows[-1])
    finally:
        if engine is not None:
            engine.stop()
        if prometheus is not None:
            prometheus.stop()
        cloud.stop()
        db.drop()


HEADER = ('%6s %7s %-10s %-5s %8s %7s %6s %6s %7s %7s  %s' % (
    'hosts', 'servers', 'datasource', 'mode', 'seconds', 'actions',
    'cloud', 'mq', 'sql', 'rss_mb', 'stages (s) / outcome / load'))


def print_row(r):
    print('%6d %7d %-10s %-5s %8.3f %7s %6d %6s %7d %7.1f  %s | %s '
          '| sim cpu %.2f s | prometheus cpu %.2f s | load %.2f' % (
              r['hosts'], r['servers'], r['datasource'], r['mode'],
              r['seconds'], r['actions'], r['cloud_requests'],
              r['metric_queries'], r['sql_statements'], r['peak_rss_mb'],
              ' '.join('%s=%.3f' % kv for kv in r['stages'].items()),
              r['outcome'], r['cloud_cpu_seconds'],
              r['prometheus_cpu_seconds'], r['load']),
          flush=True)


def profile_audit_runs(prefix):
    """Profile each audit run (the decision engine's worker thread)."""
    import cProfile
    from watcher.decision_engine.audit import base as audit_base
    execute = audit_base.AuditHandler.execute
    runs = []

    def profiled(self, context, audit):
        prof = cProfile.Profile()
        try:
            return prof.runcall(execute, self, context, audit)
        finally:
            runs.append(1)
            prof.dump_stats('%s-%d.prof' % (prefix, len(runs)))
    audit_base.AuditHandler.execute = profiled


def _without(argv, *options):
    """``argv`` without ``options`` and their values."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split('=', 1)[0]
        if name in options:
            skip = '=' not in arg
            continue
        kept.append(arg)
    return kept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', default='500',
                        help='comma-separated sizes (default 500)')
    parser.add_argument('--servers-per-host', type=int, default=15)
    parser.add_argument('--strategy', default='vm_workload_consolidation')
    parser.add_argument('--datasource', default='simulator',
                        choices=('simulator', 'prometheus'))
    parser.add_argument('--db', default='sqlite', choices=('sqlite',
                                                           'mysql'))
    parser.add_argument('--modes', default='cold,warm',
                        help='cold, warm or both, in that order')
    parser.add_argument('--scrape', type=int, default=5,
                        help='Prometheus scrape interval, seconds')
    parser.add_argument('--exporter-cpus', type=int, default=None,
                        help="CPUs each simulated host's node_exporter "
                             'lists (default: all 128; every CPU of a host '
                             'reads the same, so per-host figures do not '
                             'change)')
    parser.add_argument('--period', type=int, default=None,
                        help="the strategy's period parameter (default: "
                             "its own; with Prometheus %d scrapes)"
                             % PERIOD_SCRAPES)
    parser.add_argument('--json', metavar='FILE')
    parser.add_argument('--profile', metavar='PREFIX',
                        help='write a cProfile of each audit run to '
                             'PREFIX-<n>.prof (slows it down)')
    parser.add_argument('--child', action='store_true',
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.modes = [m for m in args.modes.split(',') if m]
    if args.profile:
        profile_audit_runs(args.profile)
    CONF([], project='watcher', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth')
    sizes = [int(h) for h in args.hosts.split(',') if h]
    rows = []
    if not args.child:
        print(HEADER, flush=True)
    if len(sizes) == 1:
        measure_size(args, sizes[0], rows)
    else:
        # one process per size: a fresh decision engine, database facade
        # and peak RSS
        for hosts in sizes:
            with tempfile.NamedTemporaryFile(suffix='.json') as out:
                child = [a for a in (argv or sys.argv[1:])]
                subprocess.run(
                    [sys.executable, os.path.abspath(__file__)] +
                    _without(child, '--hosts', '--json') +
                    ['--hosts', str(hosts), '--json', out.name,
                     '--child'], check=True)
                with open(out.name) as fobj:
                    rows.extend(json.load(fobj))
    if args.json:
        with open(args.json, 'w') as fobj:
            json.dump(rows, fobj, indent=2)
    return 0


if __name__ == '__main__':
    threading.current_thread().name = 'bench-main'
    sys.exit(main())
