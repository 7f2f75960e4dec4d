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

"""A whole audit -> plan -> execution cycle through the real CLI, with every
component a separate process over RabbitMQ and MariaDB.

Needs RabbitMQ at ``rabbit://guest:guest@127.0.0.1:5672/`` and MariaDB at
127.0.0.1:3306 (root, no password); skipped with the reason when either
does not answer. Processes (all console scripts of the venv):

* ``watcher-simulator`` (the demo cloud) with ``--transport-url`` on the
  broker: its Nova notifications (topic ``versioned_notifications``) go
  over RabbitMQ. The scenario is the bundled demo with one change: its
  ``nova_exchange`` / ``cinder_exchange`` are private to the run
  (``nova_<suffix>``, ``openstack_<suffix>``), because the broker is
  shared - two runs on the default ``nova`` exchange would feed each
  other's decision engine the same (seeded) servers' moves;
* ``watcher-db-manage upgrade`` on a private database (dropped at the end);
* ``watcher-api`` (noauth), ``watcher-decision-engine`` and
  ``watcher-applier``, with the run's own ``control_exchange``, RPC topics
  and notification topic; the decision engine listens on the simulator's
  exchanges for its model.

Then ``openstack optimize`` drives it: services ACTIVE, goals, strategy
state, the data model of the demo cloud, an audit template
(server_consolidation / vm_workload_consolidation), an audit to SUCCEEDED,
its RECOMMENDED plan and actions, the plan started and SUCCEEDED with
every action SUCCEEDED; the simulator (control API) ends with every
migrated server on its planned destination and the disabled hosts
disabled; ``datamodel list`` follows the moves through the notifications
(the collectors' periodic resync is an hour away). Last, an EVENT audit
triggered by ``POST /v1/webhooks/{audit}`` (as Aodh does: no microversion
header) produces a plan.
"""
import json
import os
import subprocess
import time
import uuid

import fixtures
import requests
import testtools
import yaml

from watcher.simulator import scenario as sim_scenario
from watcher.tests import base as tests_base
from watcher.tests.integration import daemons

TIMEOUT = 120  # bounds one wait of a hung test; nothing is timed


class TestCliEndToEnd(testtools.TestCase):

    def setUp(self):
        super().setUp()
        problem = daemons.rabbit_problem()
        if problem:
            self.skipTest(problem)
        problem = tests_base.server_unavailable_reason('mysql')
        if problem:
            self.skipTest(problem)
        if not os.path.exists(daemons.OPENSTACK):
            self.skipTest('the openstack CLI is not installed')
        self.useFixture(fixtures.Timeout(600, gentle=True))
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.names = daemons.RunNames()
        self.suffix = self.names.suffix
        self.nova_exchange = 'nova_%s' % self.suffix
        self.cinder_exchange = 'openstack_%s' % self.suffix
        self.de_host = 'de-%s' % self.suffix
        self.applier_host = 'ap-%s' % self.suffix
        # after the processes are stopped (clean-ups run last first)
        self.addCleanup(
            daemons.delete_from_broker,
            exchanges=self.names.exchanges(self.nova_exchange,
                                           self.cinder_exchange),
            queues=self.names.queues([self.de_host], [self.applier_host],
                                     pools=['watcher-%s' % self.de_host]))
        self.db = self.useFixture(tests_base.ServerDatabase('mysql'))
        self.procs = self.useFixture(daemons.Processes(self.tmp))
        self.procs.attach_logs_to(self)
        self.sim_url = self._start_simulator()
        self.conf = daemons.write_file(
            os.path.join(self.tmp, 'watcher.conf'),
            daemons.messaging_config(
                self.names, self.db.url, self.sim_url,
                self.sim_url + '/identity/v3',
                model_topics=[self.nova_exchange + '.versioned_notifications',
                              self.cinder_exchange + '.notifications'],
                service_down_time=10))
        upgrade = subprocess.run(
            [daemons.script('watcher-db-manage'), '--config-file',
             self.conf, 'upgrade'], capture_output=True, text=True,
            timeout=TIMEOUT)
        self.assertEqual(0, upgrade.returncode, upgrade.stderr[-4000:])
        self._start_service('watcher-decision-engine', self.de_host)
        self._start_service('watcher-applier', self.applier_host)
        self.api = daemons.start_api(self.procs, [self.conf])

    # --- harness ---------------------------------------------------------

    def _start_simulator(self):
        with open(os.path.join(sim_scenario.SCENARIO_DIR, 'demo.yaml')) as f:
            data = yaml.safe_load(f)
        data.setdefault('settings', {}).update(
            nova_exchange=self.nova_exchange,
            cinder_exchange=self.cinder_exchange)
        path = daemons.write_file(os.path.join(self.tmp, 'scenario.yaml'),
                                  yaml.safe_dump(data))
        port = daemons.free_port()
        self.procs.start('watcher-simulator', [
            'watcher-simulator', '--host', '127.0.0.1', '--port', str(port),
            '--scenario', path, '--transport-url', daemons.RABBIT_URL])
        self.procs.wait_port('watcher-simulator', port)
        return 'http://127.0.0.1:%d' % port

    def _start_service(self, binary, host):
        host_conf = daemons.write_file(
            os.path.join(self.tmp, '%s.conf' % binary),
            '[DEFAULT]\nhost = %s\n' % host)
        self.procs.start(binary, [binary, '--config-file', self.conf,
                                  '--config-file', host_conf])

    def cli(self, *args, as_json=True):
        result = daemons.openstack(self.api, *args, as_json=as_json)
        self.assertEqual(0, result.returncode, '%s\nstdout: %s\nstderr: %s'
                         % (' '.join(args), result.stdout, result.stderr))
        return result.data if as_json else result.stdout

    def poll_cli(self, args, predicate, what):
        """Run the CLI until ``predicate(output)``; returns the output."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            out = self.cli(*args)
            if predicate(out):
                return out
            if time.monotonic() > deadline:
                self.fail('%s: still %r' % (what, out))
            time.sleep(0.5)

    def simulator(self, path):
        resp = requests.get(self.sim_url + '/simulator/v1' + path,
                            timeout=30)
        resp.raise_for_status()
        return resp.json()

    def placement_of(self, rows):
        """``{server uuid: host}`` of ``datamodel list`` rows."""
        return {r['Server UUID']: r['Node Host Name'] for r in rows
                if r.get('Server UUID')}

    # --- the cycle -------------------------------------------------------

    def test_audit_plan_execution_and_webhook(self):
        # services: both daemons registered and heartbeating
        def both_active(rows):
            status = {(r['Name'], r['Host']): r['Status'] for r in rows}
            return (status.get(('watcher-decision-engine', self.de_host)) ==
                    'ACTIVE' and
                    status.get(('watcher-applier', self.applier_host)) ==
                    'ACTIVE')
        self.poll_cli(['service', 'list'], both_active,
                      'services not ACTIVE')

        goals = {g['Name'] for g in self.cli('goal', 'list')}
        self.assertTrue({'server_consolidation', 'dummy'} <= goals, goals)

        state = {r['Type']: r for r in self.cli(
            'strategy', 'state', 'vm_workload_consolidation')}
        self.assertEqual('available', state['Datasource']['State'], state)
        # the client prints the list of models as JSON text
        self.assertIn({'compute_model': 'available'},
                      json.loads(state['CDM']['State']))
        self.assertEqual('vm_workload_consolidation',
                         state['Name']['State'])

        # the decision engine's compute model of the demo cloud
        cloud = self.simulator('/servers')['servers']
        placed = {s['id']: s['host'] for s in cloud}
        model = self.poll_cli(
            ['datamodel', 'list'],
            lambda rows: self.placement_of(rows) == placed,
            'datamodel list is not the demo cloud')
        self.assertEqual(
            {'compute-%d' % i for i in range(6)},
            {r['Node Host Name'] for r in model})

        # audit template and audit
        template = self.cli(
            'audittemplate', 'create', 'cycle-%s' % self.suffix,
            'server_consolidation', '--strategy',
            'vm_workload_consolidation')
        self.assertEqual('vm_workload_consolidation', template['Strategy'])
        audit = self.cli('audit', 'create', '-a', template['UUID'])
        self.assertEqual('ONESHOT', audit['Audit Type'])
        audit = self.poll_cli(
            ['audit', 'show', audit['UUID']],
            lambda a: a['State'] in ('SUCCEEDED', 'FAILED'),
            'audit never finished')
        self.assertEqual('SUCCEEDED', audit['State'], audit)

        [plan] = self.cli('actionplan', 'list', '--audit', audit['UUID'])
        self.assertEqual('RECOMMENDED', plan['State'])
        actions = self.cli('action', 'list', '--action-plan', plan['UUID'])
        self.assertTrue(actions)
        self.assertEqual({'PENDING'}, {a['State'] for a in actions})
        self.assertIn('migrate', {a['Action'] for a in actions})

        # execution
        self.cli('actionplan', 'start', plan['UUID'])
        plan = self.poll_cli(
            ['actionplan', 'show', plan['UUID']],
            lambda p: p['State'] in ('SUCCEEDED', 'FAILED', 'CANCELLED'),
            'action plan never finished')
        self.assertEqual('SUCCEEDED', plan['State'], plan)
        actions = self.cli('action', 'list', '--action-plan', plan['UUID'],
                           '--detail')
        self.assertEqual({'SUCCEEDED'}, {a['State'] for a in actions},
                         actions)

        # the cloud has the planned placement
        moves = {a['Parameters']['resource_id']:
                 a['Parameters']['destination_node']
                 for a in actions if a['Action'] == 'migrate'}
        self.assertTrue(moves)
        now = {s['id']: s['host']
               for s in self.simulator('/servers')['servers']}
        self.assertEqual(moves, {sid: now[sid] for sid in moves})
        disabled = {a['Parameters']['resource_name'] for a in actions
                    if a['Action'] == 'change_nova_service_state' and
                    a['Parameters'].get('state') == 'disabled'}
        self.assertTrue(disabled)
        hosts = {h['name']: h for h in self.simulator('/hosts')['hosts']}
        for name in disabled:
            self.assertEqual('disabled', hosts[name]['status'], hosts[name])

        # ... and the decision engine's model followed (notifications)
        self.poll_cli(['datamodel', 'list'],
                      lambda rows: self.placement_of(rows) == now,
                      'datamodel list does not show the moves')
        self.assertEqual(1, self.procs.log_text(
            'watcher-decision-engine', tail=None).count(
                'Built the compute model'), 'the compute model was rebuilt')

        # an EVENT audit, triggered as Aodh does
        event = self.cli('audit', 'create', '-g', 'dummy', '-s', 'dummy',
                         '-t', 'EVENT', '--name',
                         'event-%s' % uuid.uuid4().hex[:8])
        self.assertEqual('EVENT', event['Audit Type'])
        self.assertEqual([], self.cli('actionplan', 'list', '--audit',
                                      event['UUID']))
        resp = requests.post(
            '%s/v1/webhooks/%s' % (self.api, event['UUID']),
            json={'alarm_name': 'cpu_high', 'current': 'alarm'},
            timeout=30)
        self.assertEqual(202, resp.status_code, resp.text)
        [plan] = self.poll_cli(
            ['actionplan', 'list', '--audit', event['UUID']],
            lambda plans: any(p['State'] == 'RECOMMENDED' for p in plans),
            'the webhook produced no plan')
        self.assertTrue(self.cli('action', 'list', '--action-plan',
                                 plan['UUID']))
        self.poll_cli(['audit', 'show', event['UUID']],
                      lambda a: a['State'] == 'SUCCEEDED',
                      'the EVENT audit did not succeed')
