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

"""Drive the embedded watcher end to end (see tools/demo)."""
import argparse
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time

import requests

HEADERS = {'OpenStack-API-Version': 'infra-optim 1.7',
           'Content-Type': 'application/json'}
FINAL_AUDIT = {'SUCCEEDED', 'FAILED', 'CANCELLED'}
FINAL_PLAN = {'SUCCEEDED', 'FAILED', 'CANCELLED', 'SUPERSEDED'}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--port', type=int,
                        default=int(os.environ.get('WATCHER_PORT', 9322)))
    parser.add_argument('--state-dir', default='state/demo')
    parser.add_argument('--goal', default='server_consolidation')
    parser.add_argument('--strategy', default='vm_workload_consolidation')
    parser.add_argument('--timeout', type=float, default=180.0)
    parser.add_argument('--stop', action='store_true',
                        help='stop the service when the demo ends')
    return parser.parse_args()


def write_config(state_dir, port):
    os.makedirs(state_dir, exist_ok=True)
    path = os.path.join(state_dir, 'watcher.conf')
    db = os.path.abspath(os.path.join(state_dir, 'watcher.sqlite'))
    with open(path, 'w') as conf:
        conf.write('[DEFAULT]\nauth_strategy = noauth\n\n'
                   '[api]\nhost = 127.0.0.1\nport = %d\n\n'
                   '[database]\nconnection = sqlite:///%s\n' % (port, db))
    return path


def port_taken(port):
    with socket.socket() as sock:
        return sock.connect_ex(('127.0.0.1', port)) == 0


def stop_previous(state_dir):
    pidfile = os.path.join(state_dir, 'watcher-all.pid')
    if not os.path.exists(pidfile):
        return
    try:
        pid = int(open(pidfile).read().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.2)
    except (ValueError, ProcessLookupError):
        pass
    os.unlink(pidfile)


def start_service(state_dir, config):
    log = open(os.path.join(state_dir, 'watcher-all.log'), 'ab')
    binary = os.path.join(os.path.dirname(sys.executable), 'watcher-all')
    proc = subprocess.Popen([binary, '--config-file', config],
                            stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    with open(os.path.join(state_dir, 'watcher-all.pid'), 'w') as pidfile:
        pidfile.write(str(proc.pid))
    return proc


def fail(message, proc=None):
    """Stop the service this demo started (it is broken) and exit."""
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        message += ' (watcher-all stopped)'
    sys.exit(message)


def wait_for(what, probe, timeout, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            fail('watcher-all exited (%s) while waiting for %s; see its '
                 'log' % (proc.returncode, what))
        try:
            value = probe()
        except requests.RequestException:
            value = None
        if value:
            return value
        time.sleep(0.5)
    fail('timed out waiting for %s' % what, proc)


class Api:
    def __init__(self, port, proc):
        self.base = 'http://127.0.0.1:%d' % port
        self.proc = proc

    def call(self, method, path, body=None):
        resp = requests.request(method, self.base + path, headers=HEADERS,
                                data=None if body is None else
                                json.dumps(body), timeout=30)
        if resp.status_code >= 400:
            fail('%s %s -> %s %s' % (method, path, resp.status_code,
                                     resp.text), self.proc)
        return resp.json() if resp.content else None

    def finished(self, path, states):
        """A probe returning the resource once its state is in ``states``."""
        def probe():
            resource = self.call('GET', path)
            return resource if resource['state'] in states else None
        return probe


def hosts_in_use(api):
    rows = api.call('GET', '/v1/data_model?data_model_type=compute')
    return len({row['node_uuid'] for row in rows['context']
                if row.get('server_uuid')})


def main():
    args = parse_args()
    config = write_config(args.state_dir, args.port)
    stop_previous(args.state_dir)
    if port_taken(args.port):
        sys.exit('port %d is already in use: stop what listens there or '
                 'pass --port' % args.port)
    proc = start_service(args.state_dir, config)
    api = Api(args.port, proc)
    print('watcher-all started (pid %d), API on %s' % (proc.pid, api.base))
    wait_for('the API', lambda: requests.get(api.base, timeout=2).ok,
             args.timeout, proc)
    wait_for('goals to be synchronised', lambda: any(
        g['name'] == args.goal
        for g in api.call('GET', '/v1/goals')['goals']), args.timeout, proc)
    before = wait_for('the compute model', lambda: hosts_in_use(api),
                      args.timeout, proc)

    audit = api.call('POST', '/v1/audits', {
        'audit_type': 'ONESHOT', 'goal': args.goal,
        'strategy': args.strategy, 'auto_trigger': False,
        'name': 'demo-%d' % int(time.time())})
    print('audit %s (%s/%s) created' % (
        audit['uuid'], args.goal, args.strategy))
    audit = wait_for('the audit', api.finished('/v1/audits/' + audit['uuid'],
                                               FINAL_AUDIT),
                     args.timeout, proc)
    if audit['state'] != 'SUCCEEDED':
        fail('audit ended %s: %s' % (audit['state'],
                                     audit.get('status_message')), proc)
    plans = api.call('GET', '/v1/action_plans?audit_uuid=' + audit['uuid'])
    plan = plans['action_plans'][0]
    actions = api.call('GET', '/v1/actions?action_plan_uuid=' +
                       plan['uuid'])['actions']
    counts = collections.Counter(a['action_type'] for a in actions)
    print('action plan %s RECOMMENDED: %s' % (plan['uuid'], ', '.join(
        '%d %s' % (n, t) for t, n in sorted(counts.items())) or 'no action'))
    for indicator in plan.get('efficacy_indicators') or []:
        print('  %s = %s %s' % (indicator['name'], indicator['value'],
                                indicator.get('unit') or ''))

    api.call('POST', '/v1/action_plans/%s/start' % plan['uuid'], {})
    plan = wait_for('the action plan',
                    api.finished('/v1/action_plans/' + plan['uuid'],
                                 FINAL_PLAN), args.timeout, proc)

    def model_updated():
        # the model follows the cloud through Nova's notifications
        used = hosts_in_use(api)
        return used if used != before or not counts['migrate'] else None
    after = wait_for('the updated compute model', model_updated, 30, proc)
    print('action plan %s; hosts in use: %d -> %d' % (
        plan['state'], before, after))
    if plan['state'] != 'SUCCEEDED':
        print('status: %s' % plan.get('status_message'))

    if args.stop:
        os.killpg(proc.pid, signal.SIGTERM)
        print('watcher-all stopped')
    else:
        print('\nwatcher-all keeps running (pid %d, log %s/watcher-all.log).'
              % (proc.pid, args.state_dir))
        print('Try:  .venv/bin/openstack --os-auth-type none '
              '--os-endpoint %s optimize audit list' % api.base)
        print('Stop: kill %d' % proc.pid)
    return 0 if plan['state'] == 'SUCCEEDED' else 1


if __name__ == '__main__':
    sys.exit(main())
