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

"""Load benchmark of watcher-api (a measurement, not a test).

Loads a realistic volume into the database given by ``--db-url`` (2,000
audits, 500 action plans of 10 actions, 50 audit templates), starts
``watcher-api`` (noauth) on a free loopback port in its own processes, and
drives it with 1 and 8 concurrent clients for ``--seconds`` per request
kind. Prints requests/s, p50 and p99 latency and errors per kind::

    python benchmarks/api.py --db-url sqlite:////tmp/watcher-bench.sqlite
    python benchmarks/api.py \
        --db-url 'mysql+pymysql://root@127.0.0.1/watcher_bench' --json out.json

For MariaDB/PostgreSQL the database must exist; its tables are recreated
and analyzed (planner statistics, as a database in use has them).
"""
import argparse
import datetime
import http.client
import json
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

AUDITS = 2000
PLANS = 500
ACTIONS_PER_PLAN = 10
TEMPLATES = 50


WARM_UP_SECONDS = 1.0


def _uuid():
    return str(uuid.uuid4())


def load(db_url):
    """Recreate the schema and bulk-insert the data set. Returns ids."""
    import sqlalchemy as sa

    from watcher.db.sqlalchemy import models
    engine = sa.create_engine(db_url)
    models.Base.metadata.drop_all(engine)
    models.Base.metadata.create_all(engine)
    now = datetime.datetime.utcnow()
    common = {'created_at': now, 'deleted': 0}
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Goal), [dict(
            common, uuid=_uuid(), name='dummy', display_name='Dummy goal',
            efficacy_specification=[])])
        goal_id = conn.execute(sa.select(models.Goal.id)).scalar()
        spec = {'properties': {
            'para1': {'type': 'number', 'default': 3.2, 'minimum': 1.0,
                      'maximum': 10.2, 'description': 'number'},
            'para2': {'type': 'string', 'default': 'hello',
                      'description': 'string'}}}
        conn.execute(sa.insert(models.Strategy), [dict(
            common, uuid=_uuid(), name='dummy', display_name='Dummy',
            goal_id=goal_id, parameters_spec=spec)])
        strategy_id = conn.execute(sa.select(models.Strategy.id)).scalar()
        conn.execute(sa.insert(models.AuditTemplate), [dict(
            common, uuid=_uuid(), name='template-%04d' % i,
            description='benchmark', goal_id=goal_id,
            strategy_id=strategy_id, scope=[], default_parameters={})
            for i in range(TEMPLATES)])
        conn.execute(sa.insert(models.Audit), [dict(
            common, uuid=_uuid(), name='audit-%05d' % i,
            audit_type='ONESHOT', state='SUCCEEDED',
            parameters={'para1': 3.2, 'para2': 'hello'}, interval=None,
            goal_id=goal_id, strategy_id=strategy_id, scope=[],
            auto_trigger=False, hostname='bench', force=False)
            for i in range(AUDITS)])
        audit_ids = [row[0] for row in conn.execute(
            sa.select(models.Audit.id, models.Audit.uuid)
            .order_by(models.Audit.id))]
        conn.execute(sa.insert(models.ActionPlan), [dict(
            common, uuid=_uuid(), audit_id=audit_ids[i],
            strategy_id=strategy_id, state='RECOMMENDED',
            global_efficacy=[]) for i in range(PLANS)])
        plans = list(conn.execute(sa.select(models.ActionPlan.id,
                                            models.ActionPlan.uuid)))
        actions = []
        for plan_id, _plan_uuid in plans:
            parent = None
            for _ in range(ACTIONS_PER_PLAN):
                action_uuid = _uuid()
                actions.append(dict(
                    common, uuid=action_uuid, action_plan_id=plan_id,
                    action_type='nop', state='PENDING',
                    input_parameters={'message': 'hello'},
                    parents=[parent] if parent else []))
                parent = action_uuid
        conn.execute(sa.insert(models.Action), actions)
        conn.execute(sa.insert(models.ActionDescription), [dict(
            common, action_type='nop', description='Logging a NOP message')])
        audit_uuids = [row[0] for row in conn.execute(
            sa.select(models.Audit.uuid))]
    _analyze(engine)
    engine.dispose()
    return {'plan_uuids': [p[1] for p in plans], 'audit_uuids': audit_uuids}


def _analyze(engine):
    """Give the query planner the statistics a database in use has.

    Right after a bulk load PostgreSQL believes each table holds a row or
    so and plans a page of 50 as a scan and sort of the whole table.
    """
    import sqlalchemy as sa

    from watcher.db.sqlalchemy import models
    tables = list(models.Base.metadata.tables)
    with engine.begin() as conn:
        if engine.dialect.name == 'mysql':
            conn.execute(sa.text('ANALYZE TABLE %s' % ', '.join(tables)))
        else:
            conn.execute(sa.text('ANALYZE'))


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


API_COMMAND = None  # --api-command, split
UWSGI_INI = None  # --uwsgi-ini
THREADS = 1  # --threads
SHIPPED_UWSGI_INI = os.path.join(os.path.dirname(HERE), 'etc', 'watcher',
                                 'watcher-api-uwsgi.ini')
DB_URLS = {
    'mysql': 'mysql+pymysql://root@127.0.0.1/watcher_bench',
    'postgresql': 'postgresql+psycopg2://postgres@127.0.0.1/watcher_bench',
}


def _launch_api(db_url, workers, tmp):
    port = _free_port()
    conf = os.path.join(tmp, 'watcher.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nauth_strategy = noauth\ntransport_url = fake://\n'
                'default_log_levels = watcher=WARNING,amqp=WARNING\n'
                '[api]\nhost = 127.0.0.1\nport = %d\nworkers = %d\n'
                'worker_threads = %d\n'
                '[database]\nconnection = %s\nmax_pool_size = 20\n'
                % (port, workers, THREADS, db_url))
    log = open(os.path.join(tmp, 'api.log'), 'w')
    command = [os.path.join(os.path.dirname(sys.executable), 'watcher-api'),
               '--config-file', conf]
    if not os.path.exists(command[0]):
        command = [sys.executable, '-m', 'watcher.cmd.api', '--config-file',
                   conf]
    if API_COMMAND:
        command = API_COMMAND + ['--config-file', conf]
    if UWSGI_INI:
        from watcher.tests.integration import daemons
        ini = daemons.uwsgi_ini(os.path.join(tmp, 'uwsgi.ini'), port,
                                [conf], processes=workers, shipped=UWSGI_INI,
                                threads=THREADS)
        command = [os.path.join(os.path.dirname(sys.executable), 'uwsgi'),
                   '--ini', ini]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen('http://127.0.0.1:%d/' % port,
                                   timeout=2).read()
            return server, port
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                stop_api(server)
                raise RuntimeError('watcher-api did not start; see %s'
                                   % log.name)
            time.sleep(0.2)


def stop_api(server):
    """Stop watcher-api and its workers (also hung ones)."""
    children = _server_pids(server.pid)[1:]
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for pid in children:
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _idle_workers(port, pids, requests=200, clients=8):
    """Workers that used no CPU while serving a burst of requests.

    All workers accept on one socket: a worker that hung after the fork
    never accepts, the others silently take its share, and the run would
    measure fewer processes than configured.
    """
    workers = pids[1:]
    if len(workers) < 2:
        return []
    before = {pid: _cpu_seconds(pid) for pid in workers}
    count = iter(range(requests))
    lock = threading.Lock()

    def client():
        while True:
            with lock:
                if next(count, None) is None:
                    return
            try:
                urllib.request.urlopen(
                    'http://127.0.0.1:%d/v1/goals' % port, timeout=10).read()
            except OSError:
                pass

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [pid for pid in workers
            if None in (before[pid], _cpu_seconds(pid)) or
            _cpu_seconds(pid) <= before[pid]]


def start_api(db_url, workers, tmp, attempts=3):
    """Start watcher-api; with several workers, check that each serves.

    A start where a worker hangs is reported on stderr and retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            server, port = _launch_api(db_url, workers, tmp)
        except RuntimeError as e:
            if attempt == attempts:
                raise
            print('WARNING: %s (hung after fork?), attempt %d of %d' % (
                e, attempt, attempts), file=sys.stderr)
            continue
        idle = _idle_workers(port, _server_pids(server.pid))
        if not idle:
            return server, port
        print('WARNING: watcher-api worker(s) %s served nothing after start '
              '(hung after fork?), attempt %d of %d' % (
                  idle, attempt, attempts), file=sys.stderr)
        stop_api(server)
    raise RuntimeError('watcher-api kept starting with hung workers')


def request_kinds(data):
    plans = data['plan_uuids']
    audits = data['audit_uuids']
    counter = iter(range(10 ** 9))
    lock = threading.Lock()

    def template_body():
        with lock:
            n = next(counter)
        return json.dumps({'name': 'bench-%s-%d' % (uuid.uuid4().hex[:8], n),
                           'goal': 'dummy', 'strategy': 'dummy'})

    return [
        ('audits list (limit=50)', 'GET', lambda: '/v1/audits?limit=50',
         None, 200),
        ('audits detail (limit=50)', 'GET',
         lambda: '/v1/audits/detail?limit=50', None, 200),
        ('action plans list', 'GET', lambda: '/v1/action_plans', None, 200),
        ('actions of one plan', 'GET',
         lambda: '/v1/actions?action_plan_uuid=%s&limit=50'
         % random.choice(plans), None, 200),
        ('goals list', 'GET', lambda: '/v1/goals', None, 200),
        ('one audit', 'GET',
         lambda: '/v1/audits/%s' % random.choice(audits), None, 200),
        ('template creation', 'POST', lambda: '/v1/audit_templates',
         template_body, 201),
    ]


# wrk drives one request kind: a path drawn from a list for each request,
# and for a POST a body with a name unique to the run, thread and request.
WRK_SCRIPT = """
local paths = {%(paths)s}
local method = "%(method)s"
local template = %(template)s
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["OpenStack-API-Version"] = "infra-optim 1.7"
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
-- globals: done() reads each thread's counter with thread:get
count = 0
unexpected = 0
function request()
  count = count + 1
  local body = nil
  if template then
    body = string.format(template, "%(run)s-" .. tid .. "-" .. count)
  end
  return wrk.format(method, paths[math.random(#paths)], nil, body)
end
function response(status, headers, body)
  if status ~= %(expected)d then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, latency.mean,
    bad, e.connect + e.read + e.write + e.timeout))
end
"""


def _lua_string(text):
    return json.dumps(text)  # a JSON string is a valid Lua string here


def run_kind_wrk(port, kind, clients, seconds, server_pids=(), tmp=None):
    """Drive one request kind with wrk (C, event loop, keep-alive).

    wrk costs the box a fraction of what Python client threads cost, so
    the server gets the CPU; its own CPU use is reported as the client's.
    """
    import resource

    _name, method, url_of, body_of, expected = kind
    paths = sorted({url_of() for _ in range(500)})
    template = 'nil'
    if body_of:
        body = json.loads(body_of())
        body['name'] = '%s'
        template = _lua_string(json.dumps(body))
    script = os.path.join(tmp or tempfile.gettempdir(), 'wrk-%d.lua'
                          % os.getpid())
    with open(script, 'w') as f:
        f.write(WRK_SCRIPT % {
            'paths': ', '.join(_lua_string(p) for p in paths),
            'method': method, 'template': template,
            'run': uuid.uuid4().hex[:8], 'expected': expected})
    command = ['wrk', '-t', str(min(2, clients)), '-c', str(clients),
               '-d', '%.0fs' % max(1, seconds), '--timeout', '30s',
               '-s', script, 'http://127.0.0.1:%d' % port]
    server_before = _server_cpu(server_pids)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError('wrk failed: %s%s' % (run.stdout, run.stderr))
    out = run.stdout
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = _server_cpu(server_pids)
    line = [x for x in out.splitlines() if x.startswith('WRK ')][-1]
    requests, duration, p50, p99, top, mean, bad, failed = (
        int(float(v)) for v in line.split()[1:])
    elapsed = duration / 1e6
    client_cpu = (client_after.ru_utime + client_after.ru_stime -
                  client_before.ru_utime - client_before.ru_stime)
    server_cpu = (server_after - server_before
                  if None not in (server_before, server_after) else None)
    return {'requests': requests,
            'rps': requests / elapsed if elapsed else 0.0,
            'p50_ms': p50 / 1000.0, 'p99_ms': p99 / 1000.0,
            'max_ms': top / 1000.0, 'mean_ms': mean / 1000.0,
            'errors': bad + failed,
            'error_samples': (['%d unexpected status' % bad] if bad else []) +
            (['%d socket errors' % failed] if failed else []),
            'client_cpu': client_cpu / elapsed if elapsed else None,
            'server_cpu': (server_cpu / elapsed
                           if elapsed and server_cpu is not None else None),
            'server_cpu_ms': (server_cpu * 1000 / requests
                              if requests and server_cpu is not None
                              else None)}


def _cpu_seconds(pid):
    """utime + stime of a process (Linux /proc), None where unreadable."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf(
            'SC_CLK_TCK')
    except (OSError, ValueError, IndexError):
        return None


def _server_pids(pid):
    """The server process and its forked workers (Linux /proc)."""
    pids = [pid]
    try:
        for task in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, task)) as f:
                pids.extend(int(child) for child in f.read().split())
    except OSError:
        pass
    return pids


def _server_cpu(pids):
    total = 0.0
    for pid in pids:
        cpu = _cpu_seconds(pid)
        if cpu is None:
            return None
        total += cpu
    return total


def run_kind(port, kind, clients, seconds, server_pids=()):
    """Drive one request kind; latency is measured per request.

    Each client thread keeps its connection while the server allows it
    (HTTP/1.1 keep-alive) and reconnects when the server closes it. The
    client's own CPU use and the server's are reported, to
    tell a saturated client from a saturated server on a small box.
    """
    _name, method, url_of, body_of, expected = kind
    latencies, errors = [], []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client():
        mine, bad = [], []
        headers = {'Accept': 'application/json',
                   'Content-Type': 'application/json',
                   'OpenStack-API-Version': 'infra-optim 1.7'}
        conn = None
        while time.monotonic() < stop:
            url = url_of()
            body = body_of() if body_of else None
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection('127.0.0.1', port,
                                                      timeout=30)
                conn.request(method, url, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.will_close:
                    conn.close()
                    conn = None
                if resp.status != expected:
                    bad.append(resp.status)
            except (OSError, http.client.HTTPException) as e:
                bad.append(str(e) or type(e).__name__)
                if conn is not None:
                    conn.close()
                    conn = None
            mine.append(time.perf_counter() - start)
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    server_before = _server_cpu(server_pids)
    client_before = time.process_time()
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin
    client_cpu = time.process_time() - client_before
    server_after = _server_cpu(server_pids)
    latencies.sort()

    def pct(p):
        if not latencies:
            return float('nan')
        return latencies[min(len(latencies) - 1,
                             int(round(p / 100.0 * (len(latencies) - 1))))]

    server_cpu = (server_after - server_before
                  if None not in (server_before, server_after) else None)
    return {'requests': len(latencies),
            'rps': len(latencies) / elapsed if elapsed else 0.0,
            'p50_ms': pct(50) * 1000, 'p99_ms': pct(99) * 1000,
            'max_ms': pct(100) * 1000,
            'mean_ms': (statistics.fmean(latencies) * 1000
                        if latencies else float('nan')),
            'errors': len(errors), 'error_samples': errors[:5],
            # CPU seconds per second of the run (1.0 = one core busy)
            'client_cpu': client_cpu / elapsed if elapsed else None,
            'server_cpu': (server_cpu / elapsed
                           if elapsed and server_cpu is not None else None),
            # server CPU milliseconds per request
            'server_cpu_ms': (server_cpu * 1000 / len(latencies)
                              if latencies and server_cpu is not None
                              else None)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--db-url', help='SQLAlchemy URL (default: a '
                        'temporary SQLite file)')
    parser.add_argument('--db', choices=sorted(DB_URLS),
                        help='the local database server: --db-url %s'
                        % ' or '.join(sorted(DB_URLS.values())))
    parser.add_argument('--seconds', type=float, default=10.0,
                        help='duration of each measurement (default 10)')
    parser.add_argument('--clients', default='1,8',
                        help='comma-separated concurrency levels')
    parser.add_argument('--workers', type=int, default=2,
                        help='watcher-api processes (default 2)')
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--skip-load', action='store_true',
                        help='reuse the data already in --db-url')
    parser.add_argument('--api-command', help='command starting the API '
                        '(default: watcher-api of this Python); '
                        '"--config-file F" is appended')
    parser.add_argument('--uwsgi-ini', help='serve the API under uwsgi '
                        'with this configuration (e.g. etc/watcher/'
                        'watcher-api-uwsgi.ini; its address, processes and '
                        'configuration file are replaced)')
    parser.add_argument('--server', choices=('watcher-api', 'uwsgi'),
                        default='watcher-api',
                        help='uwsgi: the shipped etc/watcher uwsgi '
                        'configuration unless --uwsgi-ini names another')
    parser.add_argument('--threads', type=int, default=1,
                        help='threads per process (uwsgi threads, '
                        '[api] worker_threads; default 1)')
    parser.add_argument('--loadgen', choices=('python', 'wrk'),
                        default='python',
                        help='wrk (Debian package wrk): a C client that '
                        'leaves the CPU to the server; python: client '
                        'threads of this process')
    parser.add_argument('--only', help='run only the request kinds whose '
                        'name contains this text (e.g. "audits list")')
    args = parser.parse_args(argv)
    if args.api_command:
        global API_COMMAND
        API_COMMAND = shlex.split(args.api_command)
    global UWSGI_INI, THREADS
    if args.uwsgi_ini or args.server == 'uwsgi':
        UWSGI_INI = os.path.abspath(args.uwsgi_ini or SHIPPED_UWSGI_INI)
    THREADS = args.threads
    if args.db:
        args.db_url = DB_URLS[args.db]

    tmp = tempfile.mkdtemp(prefix='watcher-bench-')
    db_url = args.db_url or 'sqlite:///%s' % os.path.join(tmp, 'bench.db')
    started = time.time()
    if args.skip_load:
        import sqlalchemy as sa
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            data = {
                'plan_uuids': [r[0] for r in conn.execute(sa.text(
                    'SELECT uuid FROM action_plans WHERE deleted = 0'))],
                'audit_uuids': [r[0] for r in conn.execute(sa.text(
                    'SELECT uuid FROM audits WHERE deleted = 0'))]}
        engine.dispose()
    else:
        data = load(db_url)
    print('data set: %d audits, %d plans x %d actions, %d templates '
          '(%.1fs) in %s' % (AUDITS, PLANS, ACTIONS_PER_PLAN, TEMPLATES,
                             time.time() - started,
                             db_url.split('@')[-1]))
    print('server: %s, %d process(es) x %d thread(s); load generator: %s; '
          'load average %s' % (
              'uwsgi' if UWSGI_INI else 'watcher-api', args.workers,
              THREADS, args.loadgen,
              ' '.join('%.2f' % x for x in os.getloadavg())))
    server, port = start_api(db_url, args.workers, tmp)
    pids = _server_pids(server.pid)
    kinds = request_kinds(data)
    if args.only:
        kinds = [k for k in kinds if args.only in k[0]]
    results = []
    try:
        for clients in [int(c) for c in args.clients.split(',')]:
            for kind in kinds:
                # unmeasured warm-up: first requests of a kind in each
                # worker load code paths and open database connections
                run_kind(port, kind, clients, WARM_UP_SECONDS)
                if args.loadgen == 'wrk':
                    result = run_kind_wrk(port, kind, clients, args.seconds,
                                          pids, tmp)
                else:
                    result = run_kind(port, kind, clients, args.seconds,
                                      pids)
                result.update(kind=kind[0], clients=clients,
                              served=result['mean_ms'] * result['rps'] /
                              1000.0 / clients)
                results.append(result)
    finally:
        stop_api(server)

    header = '%-26s %7s %9s %9s %9s %9s %7s %7s %7s %7s %6s' % (
        'request', 'clients', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors',
        'srv cpu', 'cli cpu', 'ms/req', 'served')
    print(header)
    print('-' * len(header))

    def num(value, fmt):
        return fmt % value if value is not None else '-'

    for r in results:
        print('%-26s %7d %9.1f %9.1f %9.1f %9.1f %7d %7s %7s %7s %6.2f' % (
            r['kind'], r['clients'], r['rps'], r['p50_ms'], r['p99_ms'],
            r['max_ms'],
            r['errors'], num(r['server_cpu'], '%.2f'),
            num(r['client_cpu'], '%.2f'), num(r['server_cpu_ms'], '%.1f'),
            r['served']))
    print('srv/cli cpu: CPU seconds per second of the run (1.00 = one core) '
          'of watcher-api (all workers) and of the load generator; ms/req: '
          'server CPU per request; served: share of the clients\' time '
          'spent in requests that completed (mean latency x req/s / '
          'clients: well under 1.00 means some connections waited and were '
          'never answered, which the latency columns do not show)')
    print('load average after the run: %s' % ' '.join(
        '%.2f' % x for x in os.getloadavg()))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'db': db_url.split('@')[-1].split('://')[0],
                       'server': 'uwsgi' if UWSGI_INI else 'watcher-api',
                       'threads': THREADS, 'loadgen': args.loadgen,
                       'workers': args.workers, 'seconds': args.seconds,
                       'results': results}, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
