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

"""Crash campaign for the decision engines and appliers (issue 16).

Run from a checkout with its virtualenv::

    WATCHER_TEST_NO_BROKER_RESTART=1 .venv/bin/python tools/chaos/campaign.py \
        [--rounds N] [--round-seconds S] [--json FILE] [--seed N]

Starts the real daemons as processes on the machine's RabbitMQ and a
throwaway MariaDB database (it exits with status 77 and says why when
either is absent) with the simulated cloud: ``watcher-api``, two decision
engines (``de-a``, ``de-b``) and two appliers (``ap-a``, ``ap-b``), one-second
heartbeats and recovery sweeps. For ``--rounds`` rounds of
``--round-seconds``, eight client threads create ONESHOT audits (dummy goal,
auto_trigger on every other one, force) through the REST API while the script
``kill -9``-s a random daemon at a random moment and restarts it, on the
same host, on a new host name, or not at all for a round (its peer must
take over). It then waits a bounded time for the work to settle and prints
what it counted; ``--json FILE`` writes the same figures. Messaging names
and the database are private to the run and removed at the end; RabbitMQ
and MariaDB are never restarted.
"""
import argparse
import collections
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from oslo_db.sqlalchemy import enginefacade

from watcher.common import context as watcher_context
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import migration
from watcher.db.sqlalchemy import models
from watcher.decision_engine import sync
from watcher.simulator import fixture as sim_fixture
from watcher.tests import base as tests_base
from watcher.tests.integration import daemons

DE = 'watcher-decision-engine'
AP = 'watcher-applier'
FAST = """[watcher_decision_engine]
audit_recovery_interval = 1
audit_recovery_grace = 3
[watcher_applier]
recovery_interval = 1
launch_grace = 2
recovery_outcome_wait = 20
"""
CLIENTS = 8
FINAL_AUDIT = ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DELETED')
FINAL_PLAN = ('SUCCEEDED', 'FAILED', 'CANCELLED', 'SUPERSEDED',
              'RECOMMENDED', 'DELETED')


class Api:
    """The REST calls of the campaign, counting answers by status."""

    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()
        self.statuses = collections.Counter()

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={'Content-Type': 'application/json',
                     'X-Auth-Token': 'x',
                     'OpenStack-API-Version': 'infra-optim 1.7'})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, text = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read()
        except OSError:
            status, text = 'error', b''
        with self.lock:
            self.statuses[status] += 1
        return status, (json.loads(text) if text and status in (
            200, 201, 202) else None)

    def listing(self, kind):
        rows, marker = [], None
        while True:
            path = '/v1/%s/detail?limit=500' % kind
            if marker:
                path += '&marker=%s' % marker
            status, page = self.call('GET', path)
            if status != 200 or not page or not page.get(kind):
                return rows
            rows += page[kind]
            marker = page[kind][-1]['uuid']

    def five_xx(self):
        return sum(n for s, n in self.statuses.items()
                   if isinstance(s, int) and s >= 500)


class Campaign:

    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.tmp = tempfile.mkdtemp(prefix='watcher-chaos-')
        self.names = daemons.RunNames()
        self.kills = collections.Counter()
        self.restarts = collections.Counter()
        self.created = []
        self.create_failures = 0
        self.stop_clients = threading.Event()
        self.lock = threading.Lock()
        self.hosts_seen = {DE: set(), AP: set()}
        # slot -> host currently running (None: down)
        self.slots = {}
        self.serial = 0

    # -- set-up ------------------------------------------------------------
    def setup(self, cleanups):
        db = tests_base.ServerDatabase('mysql')
        db.setUp()
        cleanups.append(db.cleanUp)
        manager = enginefacade.transaction_context()
        manager.configure(connection=db.url)
        engine = manager.writer.get_engine()
        models.Base.metadata.create_all(engine)
        migration.stamp('head', engine=engine)
        cleanups.append(engine.dispose)
        cleanups.append(sqla_api.get_context_manager().patch_factory(manager))
        sync.Syncer().sync(watcher_context.get_admin_context())
        self.cloud = sim_fixture.SimulatedCloud()
        self.cloud.setUp()
        cleanups.append(self.cloud.cleanUp)
        self.processes = daemons.Processes(self.tmp)
        self.processes.setUp()
        cleanups.append(self.processes.cleanUp)
        self.config = daemons.write_file(
            os.path.join(self.tmp, 'watcher.conf'),
            daemons.messaging_config(self.names, db.url, self.cloud.url,
                                     self.cloud.auth_url) + FAST)
        self.api = Api(daemons.start_api(self.processes, [self.config],
                                         workers=2))
        for slot, binary, host in (('de1', DE, 'de-a'), ('de2', DE, 'de-b'),
                                   ('ap1', AP, 'ap-a'), ('ap2', AP, 'ap-b')):
            self.start(slot, binary, host)

    def start(self, slot, binary, host):
        conf = daemons.write_file(
            os.path.join(self.tmp, '%s.conf' % host),
            '[DEFAULT]\nhost = %s\n' % host)
        self.processes.start('%s-%s' % (slot, host), [
            binary, '--config-file', self.config, '--config-file', conf])
        self.slots[slot] = (binary, host)
        self.hosts_seen[binary].add(host)

    def new_host(self, binary):
        self.serial += 1
        return '%s-%d' % ('de' if binary == DE else 'ap', self.serial)

    # -- load --------------------------------------------------------------
    def client(self, index):
        n = 0
        while not self.stop_clients.is_set():
            n += 1
            body = {'audit_type': 'ONESHOT', 'goal': 'dummy',
                    'name': 'chaos-%d-%d' % (index, n),
                    'auto_trigger': bool(n % 2),
                    # a plan running must not block the next audit
                    'force': True}
            status, audit = self.api.call('POST', '/v1/audits', body)
            with self.lock:
                if status == 201 and audit:
                    self.created.append(audit['uuid'])
                else:
                    self.create_failures += 1
            self.stop_clients.wait(0.5 + self.rng.random())

    # -- faults ------------------------------------------------------------
    def fault_round(self):
        down = [s for s, v in self.slots.items() if v[1] is None]
        for slot in down:                 # bring back last round's victims
            binary = self.slots[slot][0]
            self.start(slot, binary, self.new_host(binary))
            self.restarts['new host after a pause'] += 1
        time.sleep(self.rng.uniform(0, self.args.round_seconds * 0.6))
        slot = self.rng.choice(sorted(
            s for s, (_, host) in self.slots.items() if host))
        binary, host = self.slots[slot]
        self.processes.kill('%s-%s' % (slot, host))
        self.kills[binary] += 1
        choice = self.rng.choice(('same', 'new', 'later'))
        time.sleep(self.rng.uniform(0.2, 2))
        if choice == 'same':
            self.start(slot, binary, host)
            self.restarts['same host'] += 1
        elif choice == 'new':
            self.start(slot, binary, self.new_host(binary))
            self.restarts['new host'] += 1
        else:
            self.slots[slot] = (binary, None)
        time.sleep(max(0, self.args.round_seconds * 0.4))

    # -- figures -----------------------------------------------------------
    def count(self):
        audits = {a['uuid']: a for a in self.api.listing('audits')}
        plans = self.api.listing('action_plans')
        actions = self.api.listing('actions')
        mine = set(self.created)
        states = collections.Counter(audits[u]['state'] for u in mine
                                     if u in audits)
        plans_of = collections.defaultdict(list)
        for plan in plans:
            plans_of[plan['audit_uuid']].append(plan)
        plan_state = {p['uuid']: p['state'] for p in plans}
        twice = [u for u in mine if len(plans_of.get(u, ())) > 1]
        two_recommended = [u for u in mine if sum(
            p['state'] == 'RECOMMENDED' for p in plans_of.get(u, ())) > 1]
        stuck_plans = [p for p in plans
                       if p['state'] in ('PENDING', 'ONGOING', 'CANCELLING')
                       and audits.get(p['audit_uuid'], {}).get(
                           'auto_trigger')]
        # PENDING actions of a superseded, cancelled or failed plan never
        # ran, as they should; running ones, or PENDING ones under a plan
        # that SUCCEEDED, were left behind
        stuck_actions = [
            a for a in actions
            if plan_state.get(a['action_plan_uuid']) in FINAL_PLAN and (
                a['state'] in ('ONGOING', 'CANCELLING') or (
                    a['state'] == 'PENDING' and
                    plan_state[a['action_plan_uuid']] == 'SUCCEEDED'))]
        plan_states = collections.Counter(plan_state.values())
        return {
            'audits created': len(mine),
            'audit create refused': self.create_failures,
            'audits SUCCEEDED': states['SUCCEEDED'],
            'audits FAILED': states['FAILED'],
            'audits CANCELLED': states['CANCELLED'],
            'audits stuck PENDING/ONGOING': states['PENDING'] +
            states['ONGOING'],
            'audits missing': len(mine - set(audits)),
            'audits with >1 action plan': len(twice),
            'audits with 2 RECOMMENDED plans': len(two_recommended),
            'action plans': len(plans),
            'action plans by state': ', '.join(
                '%s %d' % kv for kv in sorted(plan_states.items())),
            'auto-triggered plans stuck PENDING/ONGOING/CANCELLING':
                len(stuck_plans),
            'actions': len(actions),
            'actions unfinished under a final plan': len(stuck_actions),
            'API requests': sum(self.api.statuses.values()),
            'API 5xx': self.api.five_xx(),
            'API connection errors': self.api.statuses['error'],
            'kills (decision engine)': self.kills[DE],
            'kills (applier)': self.kills[AP],
            'restarts same host': self.restarts['same host'],
            'restarts new host': self.restarts['new host'] +
            self.restarts['new host after a pause'],
            'stuck audit uuids': sorted(
                u for u in mine if audits.get(u, {}).get('state') in (
                    'PENDING', 'ONGOING'))[:20],
            'doubled audit uuids': sorted(twice)[:20],
            'stuck plan uuids': sorted(p['uuid'] for p in stuck_plans)[:20],
        }

    def unsettled(self):
        figures = self.count()
        return (figures['audits stuck PENDING/ONGOING'] +
                figures['auto-triggered plans stuck PENDING/ONGOING/'
                        'CANCELLING'] +
                figures['actions unfinished under a final plan'])

    def run(self):
        clients = [threading.Thread(target=self.client, args=(i,),
                                    daemon=True) for i in range(CLIENTS)]
        for thread in clients:
            thread.start()
        started = time.monotonic()
        for n in range(self.args.rounds):
            self.fault_round()
            print('round %d/%d done (%.0f s, %d audits)' % (
                n + 1, self.args.rounds, time.monotonic() - started,
                len(self.created)), flush=True)
        self.stop_clients.set()
        for thread in clients:
            thread.join()
        for slot, (binary, host) in list(self.slots.items()):
            if host is None:
                self.start(slot, binary, self.new_host(binary))
                self.restarts['new host after a pause'] += 1
        print('settling (at most %d s)' % self.args.settle, flush=True)
        daemons.wait_until(lambda: self.unsettled() == 0,
                           timeout=self.args.settle, interval=2)
        figures = self.count()
        figures['campaign seconds'] = round(time.monotonic() - started)
        return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=20)
    parser.add_argument('--round-seconds', type=float, default=15)
    parser.add_argument('--settle', type=float, default=120,
                        help='seconds to wait for the work to settle')
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument('--json', help='also write the figures here')
    parser.add_argument('--keep-logs', action='store_true')
    args = parser.parse_args()
    problem = (daemons.rabbit_problem() or
               tests_base.server_unavailable_reason('mysql'))
    if problem:
        print('skipped: %s' % problem)
        return 77
    # a SIGTERM still removes the database, daemons and broker names
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    campaign = Campaign(args)
    cleanups = []
    try:
        campaign.setup(cleanups)
        figures = campaign.run()
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as exc:
                print('clean-up: %s' % exc, file=sys.stderr)
        daemons.delete_from_broker(
            exchanges=campaign.names.exchanges(),
            queues=campaign.names.queues(campaign.hosts_seen[DE],
                                         campaign.hosts_seen[AP]))
    print('logs: %s' % campaign.tmp)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print('%-*s  %s' % (width, key, value))
    if args.json:
        with open(args.json, 'w') as stream:
            json.dump(figures, stream, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
