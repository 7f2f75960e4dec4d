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

"""A real OpenStack cloud on loopback: Keystone, Placement and Nova.

``RealCloud`` installs pinned ``keystone``, ``openstack-placement`` and
``nova`` from PyPI into a venv of their own (their pins conflict with
watcher's), then starts on 127.0.0.1: Keystone, Placement, nova-api,
nova-conductor, nova-scheduler and ``computes`` nova-compute services using a
fake virt driver sized like a real host, with private databases on the
machine's MariaDB and a private vhost on its RabbitMQ. It stops only what it
started and drops only what it created; it refuses ports already taken.

Used by ``watcher/tests/realcloud`` (``tox -e realcloud``) and runnable by
hand: ``python -m watcher.tests.realcloud.harness`` starts the cloud, prints
its clouds.yaml entry and waits for Ctrl-C.
"""
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

LOG = logging.getLogger(__name__)

PINS = ['nova==34.0.0', 'keystone==30.0.0', 'openstack-placement==16.0.0',
        'PyMySQL==1.2.4']
# Cinder and Ironic live in a venv of their own: only the tests that need
# them pay for the install and the start (see ``start_storage``).
STORAGE_PINS = ['cinder==29.0.0', 'ironic==39.0.0', 'fixtures==4.3.2',
                'PyMySQL==1.2.4']
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
DEFAULT_VENV = os.environ.get('WATCHER_REALCLOUD_VENV',
                              os.path.join(REPO, '.realcloud', 'venv'))
STORAGE_VENV = os.environ.get('WATCHER_REALCLOUD_STORAGE_VENV',
                              os.path.join(REPO, '.realcloud', 'venv-storage'))
# Two Cinder backends of different sizes, so that pools really differ.
CINDER_POOLS = (('gold', 100), ('silver', 60))
MYSQL = ('127.0.0.1', 3306)
RABBIT = ('127.0.0.1', 5672)
ADMIN_PASSWORD = 'admin'
SERVICE_PASSWORD = 'service'
REGION = 'RegionOne'
FLAVORS = [('m1.small', 1, 2048, 20), ('m1.medium', 2, 4096, 40),
           ('m1.large', 4, 8192, 80), ('m1.xlarge', 8, 16384, 160)]


class Unavailable(Exception):
    """A prerequisite of the real cloud is missing on this machine."""


def port_open(host, port, timeout=0.5):
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _run(cmd, env=None, timeout=600):
    LOG.info('running %s', ' '.join(cmd))
    proc = subprocess.run(cmd, env=env, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode:
        raise RuntimeError('%s failed (%d):\n%s' % (
            ' '.join(cmd), proc.returncode, proc.stdout[-4000:]))
    return proc.stdout


def ensure_venv(path=DEFAULT_VENV):
    """Create the cloud venv with the pinned services (once)."""
    python = os.path.join(path, 'bin', 'python')
    stamp = os.path.join(path, '.pins')
    if os.path.exists(stamp) and open(stamp).read() == '\n'.join(PINS):
        return python
    if not os.path.exists(python):
        _run([sys.executable, '-m', 'venv', path])
        _run([python, '-m', 'pip', 'install', '-q', '--upgrade', 'pip'])
    _run([python, '-m', 'pip', 'install', '-q'] + PINS, timeout=1200)
    site = _run([python, '-c', 'import nova.virt, os; '
                 'print(os.path.dirname(nova.virt.__file__))']).strip()
    shutil.copy(os.path.join(HERE, 'sized_fake.py'),
                os.path.join(site, 'watcher_sized_fake.py'))
    with open(stamp, 'w') as out:
        out.write('\n'.join(PINS))
    return python


def ensure_storage_venv(path=STORAGE_VENV):
    """Create the Cinder/Ironic venv (once)."""
    python = os.path.join(path, 'bin', 'python')
    stamp = os.path.join(path, '.pins')
    if os.path.exists(stamp) and open(stamp).read() == '\n'.join(
            STORAGE_PINS):
        return python
    if not os.path.exists(python):
        _run([sys.executable, '-m', 'venv', path])
        _run([python, '-m', 'pip', 'install', '-q', '--upgrade', 'pip'])
    _run([python, '-m', 'pip', 'install', '-q'] + STORAGE_PINS, timeout=1200)
    # not ``import cinder``: its import warnings share the output
    site = _run([python, '-c', 'import sysconfig; '
                 'print(sysconfig.get_paths()["purelib"])']).strip()
    shutil.copy(os.path.join(HERE, 'sized_cinder.py'),
                os.path.join(site, 'watcher_sized_cinder.py'))
    with open(stamp, 'w') as out:
        out.write('\n'.join(STORAGE_PINS))
    return python


class RealCloud:
    """Start and stop the loopback cloud; see the module docstring."""

    def __init__(self, computes=3, venv=DEFAULT_VENV, workdir=None,
                 ports=None):
        self.computes = ['compute%d' % (i + 1) for i in range(computes)]
        self.venv = venv
        self.run_id = uuid.uuid4().hex[:8]
        self.workdir = workdir or tempfile.mkdtemp(prefix='watcher-rc-')
        self.ports = ports or {}
        self.processes = {}
        self.databases = []
        self.vhost = None
        self.python = None

    # ---------------------------------------------------------------- checks
    def check_prerequisites(self):
        if not port_open(*MYSQL):
            raise Unavailable('MariaDB is not listening on %s:%d' % MYSQL)
        if not port_open(*RABBIT):
            raise Unavailable('RabbitMQ is not listening on %s:%d' % RABBIT)
        if not shutil.which('rabbitmqctl'):
            raise Unavailable('rabbitmqctl is not installed')
        for name, port in self.ports.items():
            if port_open('127.0.0.1', port):
                raise Unavailable('port %d (%s) is already taken' %
                                  (port, name))

    # ------------------------------------------------------------- URLs etc.
    @property
    def auth_url(self):
        return 'http://127.0.0.1:%d/identity/v3' % self.ports['keystone']

    def url(self, service):
        paths = {'keystone': '/identity', 'placement': '/placement',
                 'nova': '/compute/v2.1', 'stubs': '',
                 'cinder': '/v3/%(project_id)s', 'ironic': ''}
        return 'http://127.0.0.1:%d%s' % (self.ports[service],
                                          paths[service])

    @property
    def transport_url(self):
        return 'rabbit://guest:guest@127.0.0.1:5672/%s' % self.vhost

    def cloud_config(self):
        """openstack.connect() keyword arguments for the admin user."""
        return {'auth_url': self.auth_url, 'username': 'admin',
                'password': ADMIN_PASSWORD, 'project_name': 'admin',
                'user_domain_name': 'Default',
                'project_domain_name': 'Default', 'region_name': REGION}

    def _db_url(self, name):
        return 'mysql+pymysql://root@127.0.0.1:3306/%s?charset=utf8' % name

    # ------------------------------------------------------------- lifecycle
    def start(self):
        started = time.monotonic()
        for name in ('keystone', 'placement', 'nova', 'stubs'):
            self.ports.setdefault(name, free_port())
        self.check_prerequisites()
        self.python = ensure_venv(self.venv)
        try:
            self._create_databases()
            self._create_vhost()
            self._write_configs()
            self._start_keystone()
            self._register_services()
            self._spawn('stubs', [self.python, os.path.join(HERE, 'stubs.py'),
                                  '127.0.0.1', str(self.ports['stubs'])])
            self._start_placement()
            self._start_nova()
        except BaseException:
            self.stop()
            raise
        LOG.info('real cloud up in %.1f s', time.monotonic() - started)
        return self

    def start_identity(self):
        """Start Keystone alone (MariaDB only; no RabbitMQ or Nova).

        For tests that need real tokens and nothing else: a few seconds
        instead of the whole cloud's start.
        """
        started = time.monotonic()
        for name in ('keystone', 'placement', 'nova', 'stubs'):
            self.ports.setdefault(name, free_port())
        if not port_open(*MYSQL):
            raise Unavailable('MariaDB is not listening on %s:%d' % MYSQL)
        if port_open('127.0.0.1', self.ports['keystone']):
            raise Unavailable('port %d (keystone) is already taken'
                              % self.ports['keystone'])
        self.python = ensure_venv(self.venv)
        try:
            self._create_databases(('keystone',))
            self._write_configs()
            self._start_keystone()
        except BaseException:
            self.stop()
            raise
        LOG.info('keystone up in %.1f s', time.monotonic() - started)
        return self

    def stop(self):
        for name, proc in reversed(list(self.processes.items())):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        self.processes.clear()
        if self.databases:
            self._mysql('; '.join('DROP DATABASE IF EXISTS `%s`' % db
                                  for db in self.databases))
            self.databases = []
        if self.vhost:
            with contextlib.suppress(Exception):
                _run(['rabbitmqctl', 'delete_vhost', self.vhost])
            self.vhost = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------ internals
    def _mysql(self, sql):
        import pymysql
        conn = pymysql.connect(host=MYSQL[0], port=MYSQL[1], user='root',
                               autocommit=True)
        try:
            with conn.cursor() as cur:
                for statement in sql.split('; '):
                    cur.execute(statement)
        finally:
            conn.close()

    def _create_databases(self, services=('keystone', 'placement',
                                          'nova_api', 'nova', 'nova_cell0')):
        names = ['rc%s_%s' % (self.run_id, n) for n in services]
        self._mysql('; '.join('CREATE DATABASE `%s`' % n for n in names))
        self.databases.extend(names)

    def _create_vhost(self):
        vhost = 'watcher-rc-%s' % self.run_id
        _run(['rabbitmqctl', 'add_vhost', vhost])
        self.vhost = vhost
        _run(['rabbitmqctl', 'set_permissions', '-p', vhost, 'guest',
              '.*', '.*', '.*'])

    def _db(self, suffix):
        return self._db_url('rc%s_%s' % (self.run_id, suffix))

    def _path(self, *parts):
        return os.path.join(self.workdir, *parts)

    def _write(self, name, text):
        path = self._path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as out:
            # INI lines need no indentation; the templates are indented for
            # reading and concatenated, so strip every line.
            out.write('\n'.join(line.strip() for line in text.splitlines()))
            out.write('\n')
        return path

    def _write_configs(self):
        self._write('keystone/keystone.conf', """\
            [DEFAULT]
            log_file = {log}
            [database]
            connection = {db}
            [token]
            provider = fernet
            [fernet_tokens]
            key_repository = {fernet}
            [fernet_receipts]
            key_repository = {fernet}
            [credential]
            key_repository = {cred}
            """.format(db=self._db('keystone'),
                       log=self._path('keystone.log'),
                       fernet=self._path('keystone', 'fernet'),
                       cred=self._path('keystone', 'credential')))
        auth = """\
            auth_type = password
            auth_url = {auth_url}
            username = {user}
            password = {password}
            project_name = service
            user_domain_name = Default
            project_domain_name = Default
            region_name = {region}
            """
        keystone_authtoken = """\
            [keystone_authtoken]
            www_authenticate_uri = {auth_url}
            """ + auth
        self._write('placement/placement.conf', ("""\
            [DEFAULT]
            log_file = {log}
            [placement_database]
            connection = {db}
            [api]
            auth_strategy = keystone
            """ + keystone_authtoken).format(
            db=self._db('placement'), log=self._path('placement.log'),
            auth_url=self.auth_url, user='placement',
            password=SERVICE_PASSWORD, region=REGION))
        os.makedirs(self._path('nova'), exist_ok=True)
        shutil.copy(os.path.join(self.venv, 'etc', 'nova', 'api-paste.ini'),
                    self._path('nova', 'api-paste.ini'))
        nova_auth = auth.format(auth_url=self.auth_url, user='nova',
                                password=SERVICE_PASSWORD, region=REGION)
        self._write('nova/nova.conf', ("""\
            [DEFAULT]
            transport_url = {transport}
            compute_driver = watcher_sized_fake.SizedFakeDriver
            state_path = {state}
            my_ip = 127.0.0.1
            [api]
            auth_strategy = keystone
            [wsgi]
            api_paste_config = {paste}
            [api_database]
            connection = {api_db}
            [database]
            connection = {main_db}
            [notifications]
            notification_format = versioned
            notify_on_state_change = vm_and_task_state
            [oslo_messaging_notifications]
            driver = messagingv2
            [oslo_concurrency]
            lock_path = {locks}
            [scheduler]
            discover_hosts_in_cells_interval = 2
            [quota]
            instances = -1
            cores = -1
            ram = -1
            server_groups = -1
            server_group_members = -1
            [glance]
            api_servers = {glance}
            [cinder]
            os_region_name = {region}
            [service_user]
            send_service_user_token = false
            [placement]
            """ + nova_auth + """\
            [neutron]
            endpoint_override = {neutron}
            """ + nova_auth + keystone_authtoken).format(
            transport=self.transport_url, state=self._path('nova', 'state'),
            paste=self._path('nova', 'api-paste.ini'),
            api_db=self._db('nova_api'), main_db=self._db('nova'),
            locks=self._path('nova', 'locks'),
            glance=self.url('stubs') + '/image',
            neutron=self.url('stubs') + '/network', region=REGION,
            auth_url=self.auth_url, user='nova', password=SERVICE_PASSWORD))

    def _bin(self, name):
        return os.path.join(self.venv, 'bin', name)

    def _spawn(self, name, cmd, env=None):
        log = open(self._path('%s.out' % name), 'ab')
        full_env = dict(os.environ)
        full_env.update(env or {})
        # The watcher venv must not leak into the cloud's processes.
        full_env.pop('PYTHONPATH', None)
        full_env.pop('VIRTUAL_ENV', None)
        self.processes[name] = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=full_env,
            start_new_session=True, cwd=self.workdir)
        return self.processes[name]

    def _wait(self, what, probe, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError('%s exited with %s while waiting for '
                                       '%s; see %s' % (
                                           name, proc.returncode, what,
                                           self._path(name + '.out')))
            try:
                result = probe()
            except Exception as exc:  # services come up over time
                LOG.debug('%s not ready: %s', what, exc)
                result = None
            if result:
                return result
            time.sleep(0.5)
        raise RuntimeError('timed out waiting for %s' % what)

    def _wsgi(self, name, target, prefix, config_env):
        self._spawn(name, [self.python, os.path.join(HERE, 'wsgi_runner.py'),
                           target, '127.0.0.1', str(self.ports[name]),
                           prefix], env=config_env)

    def _start_keystone(self):
        conf = self._path('keystone', 'keystone.conf')
        manage = [self._bin('keystone-manage'), '--config-file', conf]
        for sub in ('fernet', 'credential'):
            os.makedirs(self._path('keystone', sub), exist_ok=True)
        _run(manage + ['db_sync'])
        _run(manage + ['fernet_setup', '--keystone-user', 'root',
                       '--keystone-group', 'root'])
        _run(manage + ['credential_setup', '--keystone-user', 'root',
                       '--keystone-group', 'root'])
        _run(manage + ['bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
                       '--bootstrap-admin-url', self.auth_url,
                       '--bootstrap-internal-url', self.auth_url,
                       '--bootstrap-public-url', self.auth_url,
                       '--bootstrap-region-id', REGION])
        self._wsgi('keystone', 'keystone.wsgi.api:application', '/identity',
                   {'OS_KEYSTONE_CONFIG_DIR': self._path('keystone'),
                    'OS_KEYSTONE_CONFIG_FILES': 'keystone.conf'})
        self._wait('keystone', lambda: port_open('127.0.0.1',
                                                 self.ports['keystone']))
        self._wait('a keystone token', lambda: self.connection().authorize())

    def connection(self, system_scope=None):
        import openstack
        config = self.cloud_config()
        if system_scope:
            config.pop('project_name')
            config.pop('project_domain_name')
            config['system_scope'] = system_scope
        return openstack.connect(**config)

    def _register_services(self):
        conn = self.connection()
        ident = conn.identity
        service_project = ident.create_project(name='service',
                                               domain_id='default')
        admin_role = ident.find_role('admin')
        for user in ('nova', 'placement', 'watcher'):
            created = ident.create_user(name=user, password=SERVICE_PASSWORD,
                                        domain_id='default')
            ident.assign_project_role_to_user(service_project, created,
                                              admin_role)
        for name, stype, url in (
                ('nova', 'compute', self.url('nova')),
                ('placement', 'placement', self.url('placement')),
                ('glance', 'image', self.url('stubs') + '/image'),
                ('neutron', 'network', self.url('stubs') + '/network')):
            service = ident.create_service(name=name, type=stype)
            for interface in ('public', 'internal', 'admin'):
                ident.create_endpoint(service_id=service.id,
                                      interface=interface, url=url,
                                      region_id=REGION)

    def _start_placement(self):
        env = {'OS_PLACEMENT_CONFIG_DIR': self._path('placement')}
        _run([self._bin('placement-manage'), '--config-file',
              self._path('placement', 'placement.conf'), 'db', 'sync'])
        self._wsgi('placement', 'placement.wsgi.api:application',
                   '/placement', env)
        self._wait('placement', lambda: port_open('127.0.0.1',
                                                  self.ports['placement']))

    def _start_nova(self):
        conf = self._path('nova', 'nova.conf')
        manage = [self._bin('nova-manage'), '--config-file', conf]
        _run(manage + ['api_db', 'sync'])
        _run(manage + ['cell_v2', 'map_cell0', '--database_connection',
                       self._db('nova_cell0')])
        _run(manage + ['cell_v2', 'create_cell', '--name', 'cell1',
                       '--database_connection', self._db('nova'),
                       '--transport-url', self.transport_url])
        _run(manage + ['db', 'sync'])
        self._wsgi('nova', 'nova.wsgi.osapi_compute:application', '/compute', {
            'OS_NOVA_CONFIG_DIR': self._path('nova'),
            'OS_NOVA_CONFIG_FILES': 'api-paste.ini;nova.conf'})
        self._spawn('nova-conductor', [self._bin('nova-conductor'),
                                       '--config-file', conf])
        self._spawn('nova-scheduler', [self._bin('nova-scheduler'),
                                       '--config-file', conf])
        for host in self.computes:
            os.makedirs(self._path('nova', host), exist_ok=True)
            host_conf = self._write('nova/%s.conf' % host, """\
                [DEFAULT]
                host = {host}
                state_path = {state}
                """.format(host=host, state=self._path('nova', host)))
            self._spawn('nova-compute-' + host, [
                self._bin('nova-compute'), '--config-file', conf,
                '--config-file', host_conf])
        conn = self.connection()
        self._wait('nova-api', lambda: port_open('127.0.0.1',
                                                 self.ports['nova']))
        self._wait('%d compute services' % len(self.computes), lambda: len(
            [s for s in conn.compute.services(binary='nova-compute')
             if s.state == 'up']) == len(self.computes))
        self._wait('host discovery', lambda: _run(
            manage + ['cell_v2', 'discover_hosts']) is not None and len(
            list(conn.compute.hypervisors())) == len(self.computes))
        for name, vcpus, ram, disk in FLAVORS:
            conn.compute.create_flavor(name=name, vcpus=vcpus, ram=ram,
                                       disk=disk)

    # ------------------------------------------------ Cinder and Ironic
    def start_storage(self, venv=STORAGE_VENV):
        """Add a real Cinder and a real Ironic to the running cloud.

        Cinder has two sized fake backends (``CINDER_POOLS``); Ironic has
        fake-hardware nodes named after the compute hosts, powered on.
        ``stop`` ends them with the rest.
        """
        started = time.monotonic()
        self.storage_venv = venv
        ensure_storage_venv(venv)
        for name in ('cinder', 'ironic'):
            self.ports[name] = free_port()
        self._create_databases(('cinder', 'ironic'))
        self._register(('cinder', 'volumev3', self.url('cinder')),
                       ('ironic', 'baremetal', self.url('ironic')))
        sbin = os.path.join(venv, 'bin')
        cinder_conf, ironic_conf = self._write_storage_configs(venv)
        # Schema syncs and the three Cinder services start side by side.
        syncs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.STDOUT) for cmd in (
            [os.path.join(sbin, 'cinder-manage'), '--config-file',
             cinder_conf, 'db', 'sync'],
            [os.path.join(sbin, 'ironic-dbsync'), '--config-file',
             ironic_conf, 'upgrade'])]
        if any(proc.wait(300) for proc in syncs):
            raise RuntimeError('cinder/ironic schema sync failed')
        for binary in ('cinder-api', 'cinder-scheduler', 'cinder-volume'):
            self._spawn(binary, [os.path.join(sbin, binary),
                                 '--config-file', cinder_conf])
        self._spawn('ironic', [os.path.join(sbin, 'ironic'),
                               '--config-file', ironic_conf])
        conn = self.connection()
        # Ironic 39 refuses project-scoped tokens for drivers and
        # enrolment (the [oslo_policy] switches no longer relax it).
        system = self.connection(system_scope='all')
        self._wait('%d cinder pools' % len(CINDER_POOLS), lambda: len(list(
            conn.block_storage.backend_pools())) == len(CINDER_POOLS),
            timeout=180)
        self._wait('ironic', lambda: list(system.baremetal.drivers()))
        for host in self.computes:
            node = system.baremetal.create_node(name=host,
                                                driver='fake-hardware')
            system.baremetal.set_node_provision_state(node, 'manage',
                                                      wait=True)
            system.baremetal.set_node_power_state(node, 'power on',
                                                  wait=True)
        LOG.info('cinder and ironic up in %.1f s', time.monotonic() - started)
        return self

    def _register(self, *services):
        ident = self.connection().identity
        service_project = ident.find_project('service')
        admin_role = ident.find_role('admin')
        for user, stype, url in services:
            created = ident.create_user(name=user, password=SERVICE_PASSWORD,
                                        domain_id='default')
            ident.assign_project_role_to_user(service_project, created,
                                              admin_role)
            service = ident.create_service(name=user, type=stype)
            for interface in ('public', 'internal', 'admin'):
                ident.create_endpoint(service_id=service.id,
                                      interface=interface, url=url,
                                      region_id=REGION)

    def _write_storage_configs(self, venv):
        authtoken = """\
            [keystone_authtoken]
            www_authenticate_uri = {auth_url}
            auth_type = password
            auth_url = {auth_url}
            username = {user}
            password = {password}
            project_name = service
            user_domain_name = Default
            project_domain_name = Default
            region_name = {region}
            """
        os.makedirs(self._path('cinder', 'locks'), exist_ok=True)
        shutil.copy(os.path.join(venv, 'etc', 'cinder', 'api-paste.ini'),
                    self._path('cinder', 'api-paste.ini'))
        backends = ''.join("""\
            [{name}]
            volume_driver = watcher_sized_cinder.SizedFakeDriver
            volume_backend_name = {name}
            sized_capacity_gb = {size}
            """.format(name=name, size=size) for name, size in CINDER_POOLS)
        cinder = self._write('cinder/cinder.conf', ("""\
            [DEFAULT]
            auth_strategy = keystone
            transport_url = {transport}
            api_paste_config = {paste}
            enabled_backends = {backends}
            state_path = {state}
            log_file = {log}
            host = storage
            my_ip = 127.0.0.1
            osapi_volume_listen = 127.0.0.1
            osapi_volume_listen_port = {port}
            osapi_volume_workers = 1
            # pool figures follow the volumes within seconds (the storage
            # model and the tests read them), and the pools show at once
            backend_stats_polling_interval = 3
            periodic_interval = 3
            periodic_fuzzy_delay = 0
            [database]
            connection = {db}
            [oslo_concurrency]
            lock_path = {locks}
            [oslo_messaging_notifications]
            driver = messagingv2
            """ + backends + authtoken).format(
            transport=self.transport_url,
            paste=self._path('cinder', 'api-paste.ini'),
            backends=','.join(name for name, _ in CINDER_POOLS),
            state=self._path('cinder'), log=self._path('cinder.log'),
            port=self.ports['cinder'], db=self._db('cinder'),
            locks=self._path('cinder', 'locks'), auth_url=self.auth_url,
            user='cinder', password=SERVICE_PASSWORD, region=REGION))
        fake = ''.join('enabled_%s_interfaces = fake\n' % iface for iface in (
            'boot', 'deploy', 'management', 'power', 'console', 'inspect',
            'raid', 'vendor', 'bios'))
        ironic = self._write('ironic/ironic.conf', ("""\
            [DEFAULT]
            auth_strategy = keystone
            enabled_hardware_types = fake-hardware
            enabled_network_interfaces = noop
            """ + fake + """\
            rpc_transport = none
            host = baremetal
            log_file = {log}
            [api]
            host_ip = 127.0.0.1
            port = {port}
            [database]
            connection = {db}
            [dhcp]
            dhcp_provider = none
            [oslo_policy]
            # Meant to let a project-scoped admin token through (as
            # upstream watcher sends); Ironic 39 refuses it for drivers and
            # enrolment anyway, so watcher's tests set [ironic]
            # system_scope = all.
            enforce_scope = false
            enforce_new_defaults = false
            [oslo_concurrency]
            lock_path = {locks}
            """ + authtoken).format(
            log=self._path('ironic.log'), port=self.ports['ironic'],
            db=self._db('ironic'), locks=self._path('ironic', 'locks'),
            auth_url=self.auth_url, user='ironic',
            password=SERVICE_PASSWORD, region=REGION))
        return cinder, ironic

    # ------------------------------------------------------------- helpers
    def boot(self, name, host, flavor='m1.small', wait=True):
        """Boot a server pinned to ``host`` (no network) and return it."""
        conn = self.connection()
        conn.compute.default_microversion = '2.74'
        flavor_id = conn.compute.find_flavor(flavor).id
        server = conn.compute.create_server(
            name=name, flavor_id=flavor_id,
            image_id='1f8a8c3b-6d55-4c64-9a43-0b5b1bd5f1a1',
            networks='none', availability_zone='nova:%s' % host)
        if wait:
            server = conn.compute.wait_for_server(server, wait=120)
        return server


def describe(cloud):
    """What a test session needs to attach to a running cloud (JSON)."""
    return {'cloud_config': cloud.cloud_config(),
            'transport_url': cloud.transport_url,
            'ports': cloud.ports, 'computes': cloud.computes,
            'workdir': cloud.workdir, 'venv': cloud.venv}


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-file', help='write the description of the '
                        'running cloud (JSON) there; point '
                        'WATCHER_REALCLOUD_ATTACH at it to run the tests '
                        'against this cloud instead of starting one')
    parser.add_argument('--venv', default=DEFAULT_VENV)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with RealCloud(venv=args.venv) as cloud:
        print(json.dumps({'clouds': {'watcher-realcloud': {
            'auth': {k: v for k, v in cloud.cloud_config().items()
                     if k != 'region_name'},
            'region_name': REGION}}}, indent=2))
        print('transport_url: %s' % cloud.transport_url, flush=True)
        if args.state_file:
            with open(args.state_file, 'w') as out:
                json.dump(describe(cloud), out, indent=2)
        try:
            signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
            signal.pause()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if args.state_file:
                with contextlib.suppress(OSError):
                    os.unlink(args.state_file)


if __name__ == '__main__':
    main()
