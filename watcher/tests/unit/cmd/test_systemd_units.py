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

"""The systemd units of ``etc/watcher/systemd``: their commands are the
console scripts this package installs (or uwsgi with the shipped
configuration), with options those commands accept, and ``systemd-analyze
verify`` finds nothing wrong (with ``/opt/watcher/bin`` pointed at this
virtualenv's scripts; skipped where systemd-analyze is missing).
"""
import configparser
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile

from watcher.tests import base

ROOT = pathlib.Path(__file__).resolve().parents[4]
UNITS = ROOT / 'etc' / 'watcher' / 'systemd'
BIN = pathlib.Path(sys.executable).parent
PREFIX = '/opt/watcher/bin/'


def _console_scripts():
    setup = configparser.ConfigParser()
    setup.read(ROOT / 'setup.cfg')
    lines = setup['entry_points']['console_scripts'].strip().splitlines()
    return {line.split('=')[0].strip() for line in lines}


def _service(path):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(path)
    return unit['Service']


class TestSystemdUnits(base.TestCase):

    def _units(self):
        units = sorted(UNITS.glob('*.service'))
        self.assertEqual(['watcher-api.service', 'watcher-applier.service',
                          'watcher-decision-engine.service'],
                         [u.name for u in units])
        return units

    def test_commands_are_installed_scripts_with_their_options(self):
        scripts = _console_scripts()
        for path in self._units():
            service = _service(path)
            argv = shlex.split(service['ExecStart'])
            self.assertTrue(argv[0].startswith(PREFIX), path.name)
            name = argv[0][len(PREFIX):]
            if name == 'uwsgi':
                self.assertEqual(['--ini', '/etc/watcher/watcher-api-'
                                  'uwsgi.ini'], argv[1:])
                self.assertTrue((ROOT / 'etc' / 'watcher' /
                                 'watcher-api-uwsgi.ini').exists())
                self.assertTrue((BIN / 'uwsgi').exists())
                continue
            self.assertIn(name, scripts)
            self.assertEqual(path.stem, name)
            self.assertEqual(['--config-file', '/etc/watcher/watcher.conf'],
                             argv[1:])
            # the script parses that option: a missing file is its one
            # error, said in one line
            result = subprocess.run(
                [str(BIN / name), '--config-file', '/nonexistent.conf'],
                capture_output=True, text=True, timeout=120)
            self.assertEqual(1, result.returncode)
            self.assertEqual(
                '%s: Failed to find some config files: /nonexistent.conf'
                % name, result.stderr.strip().splitlines()[-1])
            self.assertNotIn('Traceback', result.stderr)

    def test_every_unit_notifies_and_reloads_with_sighup(self):
        for path in self._units():
            service = _service(path)
            self.assertEqual('notify', service['Type'], path.name)
            self.assertEqual('/bin/kill -HUP $MAINPID',
                             service['ExecReload'])
            self.assertEqual('SIGTERM', service['KillSignal'])

    def test_systemd_analyze_verify(self):
        analyze = shutil.which('systemd-analyze')
        if analyze is None:
            self.skipTest('systemd-analyze is not installed')
        with tempfile.TemporaryDirectory() as tmp:
            copies = []
            for path in self._units():
                copy = pathlib.Path(tmp) / path.name
                copy.write_text(path.read_text().replace(
                    PREFIX, str(BIN) + '/'))
                copies.append(str(copy))
            result = subprocess.run(
                [analyze, 'verify', '--man=no'] + copies,
                capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('', result.stderr.strip())
