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

"""Smoke tests: the watcher-simulator command and the openstack CLI."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import requests

from watcher.simulator.fixture import SimulatedCloud

PYTHON = sys.executable
OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')


def _run(*args, **kwargs):
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    for key in list(env):
        if key.startswith('OS_'):
            del env[key]
    return subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env=env, **kwargs)


def test_check_bundled_scenarios():
    for name in ('demo', 'maintenance'):
        out = _run(PYTHON, '-m', 'watcher.simulator.cmd', '--check',
                   '--scenario', name)
        assert out.returncode == 0, out.stderr
        assert 'scenario %s' % name in out.stdout
    out = _run(PYTHON, '-m', 'watcher.simulator.cmd', '--check',
               '--generate', 'hosts=20,vms_per_host=5,seed=3')
    assert out.returncode == 0, out.stderr
    assert '20 hosts' in out.stdout


def test_invalid_scenario_names_the_field(tmp_path):
    path = tmp_path / 'bad.yaml'
    path.write_text('hosts:\n  - name: h1\n    vcpus: many\n')
    out = _run(PYTHON, '-m', 'watcher.simulator.cmd', '--check',
               '--scenario', str(path))
    assert out.returncode == 2
    assert 'hosts[0].vcpus' in out.stderr


def test_serve_from_the_command_line():
    proc = subprocess.Popen(
        [PYTHON, '-m', 'watcher.simulator.cmd', '--port', '0'],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        auth_url = None
        for _ in range(10):
            line = proc.stdout.readline()
            if line.startswith('auth_url:'):
                auth_url = line.split()[1]
                break
        assert auth_url, 'no auth_url printed'
        body = requests.get(auth_url, timeout=10).json()
        assert body['version']['id'] == 'v3.14'
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(not shutil.which(OPENSTACK) and
                    not os.path.exists(OPENSTACK),
                    reason='python-openstackclient is not installed')
def test_openstack_cli_lists_hypervisors():
    with SimulatedCloud() as cloud:
        cfg = cloud.cloud_config()
        common = ['--os-auth-url', cfg['auth_url'],
                  '--os-username', cfg['username'],
                  '--os-password', cfg['password'],
                  '--os-project-name', cfg['project_name'],
                  '--os-user-domain-name', 'Default',
                  '--os-project-domain-name', 'Default',
                  '--os-region-name', cfg['region_name'],
                  '--os-identity-api-version', '3']
        out = _run(OPENSTACK, *common, 'hypervisor', 'list', '-f', 'json')
        assert out.returncode == 0, out.stderr
        names = {h['Hypervisor Hostname'] for h in json.loads(out.stdout)}
        assert names == {'compute-%d' % i for i in range(6)}
