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

"""Audits and action plans carried out on the real cloud.

The decision engine's one-shot audit handler
(:class:`watcher.decision_engine.audit.oneshot.OneShotAuditHandler`) builds
the compute model from the real Nova and Placement through the collectors,
runs the strategy and stores a plan; the applier
(:func:`watcher.applier.action_plan.executor.execute`) carries the plan out
on the real cloud with the real action plugins. Then the real cloud is
looked at:

* ``host_maintenance`` drains compute1 and disables it;
* ``node_resource_consolidation`` frees at least one host;
* ``vm_workload_consolidation`` does the same from metrics: a simulated
  cloud mirroring the real layout (same host names, same server UUIDs) is
  the ``simulator`` datasource, so its workload model supplies the metrics
  of the real servers.
"""
import uuid

import fixtures

from watcher.tests.realcloud import backends

HOSTS = backends.HOSTS


class RealAuditEnvironment(fixtures.Fixture):
    """Database, configuration, collectors and actions on the real cloud;
    metrics from ``metrics_url`` (a simulated cloud), if given.
    """

    def __init__(self, real, metrics_url=None):
        super().__init__()
        self.real = real
        self.metrics_url = metrics_url

    def _setUp(self):
        import openstack
        from watcher.applier.action_plan import executor
        from watcher.applier.actions import base as action_base
        from watcher.common import context as watcher_context
        from watcher.decision_engine.model.collector import manager
        from watcher.decision_engine import sync
        from watcher.tests import base as test_base

        self.conf = self.useFixture(test_base.ConfFixture()).conf
        self.useFixture(test_base.FileDbFixture())
        if self.metrics_url:
            self.conf.set_override('endpoint', self.metrics_url,
                                   group='simulator_client')
            self.conf.set_override('datasources', ['simulator'],
                                   group='watcher_datasources')
        for opt in ('migration_interval', 'shelve_interval',
                    'delete_interval'):
            self.conf.set_override(opt, 0.2, group='nova')
        self.conf.set_override('migration_max_retries', 600, group='nova')
        manager.CollectorManager.reset()
        self.addCleanup(manager.CollectorManager.reset)
        # its own connection: the applier's threads share it
        self.connection = openstack.connect(
            **self.real.cloud.cloud_config())
        self.addCleanup(self.connection.close)
        manager.CollectorManager().set_connection(self.connection)
        previous = action_base.set_connection_provider(
            lambda: self.connection)
        self.addCleanup(action_base.set_connection_provider, previous)
        self.addCleanup(executor.shutdown)
        self.context = watcher_context.get_admin_context()
        sync.Syncer().sync(self.context)

    def create_audit(self, strategy, parameters=None):
        from watcher import objects
        record = objects.Strategy.get_by_name(self.context, strategy)
        audit = objects.Audit(
            self.context, uuid=str(uuid.uuid4()),
            name='%s-%s' % (strategy, uuid.uuid4().hex[:8]),
            audit_type='ONESHOT', state='PENDING', goal_id=record.goal_id,
            strategy_id=record.id, parameters=parameters or {}, scope=[],
            auto_trigger=False, force=False)
        audit.create()
        return audit

    def audit_and_apply(self, strategy, parameters=None):
        """Run a one-shot audit, then its plan; the plan's actions."""
        from watcher.applier.action_plan import executor
        from watcher.decision_engine.audit import base
        from watcher.decision_engine.audit import oneshot
        from watcher import objects
        audit = self.create_audit(strategy, parameters)
        run = oneshot.OneShotAuditHandler().execute(self.context, audit.uuid)
        assert run.outcome == base.RECOMMENDED, run.message
        [plan] = objects.ActionPlan.list(
            self.context, filters={'audit_id': audit.id})
        actions = objects.Action.list(
            self.context, filters={'action_plan_id': plan.id})
        assert actions, 'empty plan'
        plan.state = 'PENDING'
        plan.save()
        final = executor.execute(self.context, plan.uuid,
                                 cancel_poll_interval=0.05)
        states = {a.action_type: a.state for a in objects.Action.list(
            self.context, filters={'action_plan_id': plan.id})}
        assert final == 'SUCCEEDED', (final, states)
        return actions


def layout(real, spec):
    """Boot ``spec`` (host -> flavors) on the real cloud: {id: host}."""
    placed = {}
    for host, flavors in spec.items():
        for flavor in flavors:
            placed[real.boot(real.unique('e2e'), host, flavor)] = host
    return placed


def hosts_of(real):
    return {s['id']: s['OS-EXT-SRV-ATTR:host'] for s in real.servers()}


def service_status(real):
    return {s['host']: s['status'] for s in real.services()}


def test_host_maintenance_drains_a_host(real):
    placed = layout(real, {'compute1': ['m1.small', 'm1.medium', 'm1.small'],
                           'compute2': ['m1.large'],
                           'compute3': ['m1.small']})
    env = RealAuditEnvironment(real)
    with env:
        actions = env.audit_and_apply('host_maintenance',
                                      {'maintenance_node': 'compute1'})
    assert {a.action_type for a in actions} >= {'migrate',
                                                'change_nova_service_state'}
    now = hosts_of(real)
    assert set(now) == set(placed)
    assert 'compute1' not in now.values()
    assert all(s['status'] == 'ACTIVE' for s in real.servers())
    assert service_status(real)['compute1'] == 'disabled'
    assert real.usages('compute1') == {'VCPU': 0, 'MEMORY_MB': 0,
                                       'DISK_GB': 0}


def test_node_resource_consolidation_frees_a_host(real):
    placed = layout(real, {'compute1': ['m1.small', 'm1.small'],
                           'compute2': ['m1.small'],
                           'compute3': ['m1.medium']})
    env = RealAuditEnvironment(real)
    with env:
        actions = env.audit_and_apply('node_resource_consolidation')
    assert any(a.action_type == 'migrate' for a in actions)
    now = hosts_of(real)
    assert set(now) == set(placed)
    used = set(now.values())
    assert len(used) < len(set(placed.values()))
    for host in set(HOSTS) - used:
        assert real.usages(host) == {'VCPU': 0, 'MEMORY_MB': 0,
                                     'DISK_GB': 0}
    assert all(s['status'] == 'ACTIVE' for s in real.servers())


def test_vm_workload_consolidation_with_simulated_metrics(real,
                                                          mirrored_metrics):
    placed = layout(real, {'compute1': ['m1.small', 'm1.small'],
                           'compute2': ['m1.small'],
                           'compute3': ['m1.medium']})
    mirror = mirrored_metrics(cpu=0.1)
    assert set(mirror.state.servers) >= set(placed)
    env = RealAuditEnvironment(real, metrics_url=mirror.url)
    with env:
        actions = env.audit_and_apply('vm_workload_consolidation')
    migrations = [a for a in actions if a.action_type == 'migrate']
    assert migrations
    assert {a.input_parameters['resource_id'] for a in migrations} <= set(
        placed)
    now = hosts_of(real)
    used = set(now.values())
    assert len(used) < len(set(placed.values()))
    status = service_status(real)
    disabled = {a.input_parameters['resource_name'] for a in actions
                if a.action_type == 'change_nova_service_state'
                and a.input_parameters['state'] == 'disabled'}
    assert disabled and not disabled & used
    assert all(status[h] == 'disabled' for h in disabled)
