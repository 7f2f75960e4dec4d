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

"""Benchmark of the cluster data model collectors and the datasource layer
against the simulated cloud.

    python benchmarks/collectors.py [--hosts 500] [--vms-per-host 15]
                                    [--json FILE] [--audit]

Rows: a cold compute model (requests the cloud served, seconds), the
background completion of the Placement inventories, a warm resync, the
storage and baremetal models, and one metrics frame (4 metrics for every
host and server) from the simulator and the prometheus datasources.
``--audit`` also times a cold dummy audit from creation to its
RECOMMENDED plan: a fresh SQLite database, a fresh collector manager and
openstacksdk connection (``[watcher_clients_auth]`` pointed at the
simulator, as ``watcher-all`` does), the audit created and run through
``watcher.decision_engine.audit.dispatcher`` (the decision engine's RPC
seam) - the compute model built from nothing, the metrics frame, the
strategy, the planner and the plan stored.
Nothing is asserted; ``--json`` writes the rows as a list of objects.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from urllib import parse
import warnings

import openstack

import harness
from watcher.conf import CONF
from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import manager as ds_manager
from watcher.decision_engine.model.collector import cinder
from watcher.decision_engine.model.collector import ironic
from watcher.decision_engine.model.collector import nova
from watcher.simulator import fixture as sim_fixture
from watcher.simulator import scenario

warnings.filterwarnings('ignore')


def row(rows, step, seconds, requests, detail=''):
    rows.append({'step': step, 'seconds': round(seconds, 3),
                 'requests': requests, 'detail': detail})


def cold_audit(simulated, counter, strategy='dummy'):
    """Seconds from the creation of a ONESHOT audit to its RECOMMENDED
    plan, the decision engine starting cold; returns (seconds, requests
    the compute model build made, detail).
    """
    import uuid

    from watcher.cmd import all as watcher_all
    from watcher.common import clients
    from watcher.common import context as watcher_context
    from watcher.db.sqlalchemy import api as sqla_api
    from watcher.db.sqlalchemy import models
    from watcher.decision_engine.audit import dispatcher as dispatcher_mod
    from watcher.decision_engine.model.collector import manager
    from watcher.decision_engine import sync
    from watcher import objects

    tmp = tempfile.mkdtemp(prefix='watcher-bench-', dir='/dev/shm'
                           if os.path.isdir('/dev/shm') else None)
    CONF.set_override('connection', 'sqlite:///%s' % os.path.join(
        tmp, 'watcher.sqlite'), group='database')
    models.Base.metadata.create_all(sqla_api.get_engine())
    watcher_all.point_clients_at(CONF, simulated.url, simulated.auth_url)
    clients.reset_connection()
    manager.CollectorManager.reset()
    ctx = watcher_context.get_admin_context()
    sync.Syncer().sync(ctx)
    record = objects.Strategy.get_by_name(ctx, strategy)
    dispatcher = dispatcher_mod.AuditDispatcher(max_workers=1)
    try:
        t = time.perf_counter()
        audit = objects.Audit(
            ctx, uuid=str(uuid.uuid4()), name='bench-%s' % strategy,
            audit_type='ONESHOT', state='PENDING', goal_id=record.goal_id,
            strategy_id=record.id, parameters={}, scope=[],
            auto_trigger=False, force=False)
        audit.create()
        run = dispatcher.execute_audit(ctx, audit.uuid).result()
        seconds = time.perf_counter() - t
        served = counter.take()
        plans = objects.ActionPlan.list(ctx,
                                        filters={'audit_id': audit.id})
        actions = objects.Action.list(
            ctx, filters={'action_plan_id': plans[0].id}) if plans else []
        compute = manager.CollectorManager().get_cluster_model_collector(
            'compute')
        requests = compute.last_build.requests
        detail = ('%s, plan %s, %d actions; the cloud served %d requests '
                  'meanwhile (auth, metrics, background inventories)' % (
                      run.outcome, ' '.join(p.state for p in plans) or '-',
                      len(actions), served))
    finally:
        dispatcher.stop()
        manager.CollectorManager.reset()
        clients.reset_connection()
        sqla_api.get_engine().dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return seconds, requests, detail


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', type=int, default=500)
    parser.add_argument('--vms-per-host', type=int, default=15)
    parser.add_argument('--json', metavar='FILE')
    parser.add_argument('--audit', action='store_true')
    args = parser.parse_args(argv)
    CONF([], project='watcher', default_config_files=[])

    data = scenario.generate(hosts=args.hosts,
                             vms_per_host=args.vms_per_host, seed=1,
                             volumes_per_host=1, ironic=True)
    simulated = sim_fixture.SimulatedCloud(scenario=data).start()
    server = simulated.server
    counter = harness.Counter(server)
    rows = []
    try:
        conn = openstack.connect(**simulated.cloud_config())

        collector = nova.NovaClusterDataModelCollector(connection=conn)
        t = time.perf_counter()
        model = collector.get_latest_cluster_data_model()
        seconds = time.perf_counter() - t
        # the build's own requests (the background refresh starts as the
        # build ends; the server-side counter would mix both)
        row(rows, 'cold compute model', seconds,
            collector.last_build.requests,
            '%d hosts, %d servers, %d estimated' % (
                len(model.get_all_compute_nodes()),
                len(model.get_all_instances()),
                len(collector.estimated_nodes)))
        t = time.perf_counter()
        collector.wait_for_inventories(600)
        row(rows, 'background inventories', time.perf_counter() - t,
            counter.take() - collector.last_build.requests,
            'exact reserved/ratios for every host')
        t = time.perf_counter()
        collector.synchronize()
        collector.wait_for_inventories(600)
        row(rows, 'periodic resync (+refresh)', time.perf_counter() - t,
            counter.take())
        t = time.perf_counter()
        collector.get_latest_cluster_data_model()
        row(rows, 'model copy for an audit', time.perf_counter() - t,
            counter.take())

        exact = nova.NovaClusterDataModelCollector(
            connection=conn, inventory_mode='exact')
        t = time.perf_counter()
        exact.get_latest_cluster_data_model()
        row(rows, 'compute model, exact mode', time.perf_counter() - t,
            counter.take(), 'every inventory during the build')

        for name, cls in (('storage', cinder.CinderClusterDataModelCollector),
                          ('baremetal',
                           ironic.BaremetalClusterDataModelCollector)):
            t = time.perf_counter()
            built = cls(connection=conn).get_latest_cluster_data_model()
            row(rows, 'cold %s model' % name, time.perf_counter() - t,
                counter.take(), str(built.stats))

        url = parse.urlsplit(server.url)
        CONF.set_override('endpoint', server.url, 'simulator_client')
        CONF.set_override('host', '%s/prometheus' % url.hostname,
                          'prometheus_client')
        CONF.set_override('port', url.port, 'prometheus_client')
        queries = [frame.MetricQuery(m, t_, 300) for m, t_ in (
            ('host_cpu_usage', 'compute_node'),
            ('host_ram_usage', 'compute_node'),
            ('instance_cpu_usage', 'instance'),
            ('instance_ram_usage', 'instance'))]
        for name in ('simulator', 'prometheus'):
            dsm = ds_manager.DataSourceManager(datasources=[name],
                                               metric_map={})
            dsm.get_helper(name)
            counter.take()
            t = time.perf_counter()
            got = dsm.fetch(queries, model)
            row(rows, 'metrics frame (%s)' % name, time.perf_counter() - t,
                counter.take(), '%d queries, %d values' % (
                    got.queries_issued,
                    sum(len(got.get(q)) for q in queries)))
        collector.stop(30)
        exact.stop(30)
        if args.audit:
            counter.take()
            seconds, requests, detail = cold_audit(simulated, counter)
            row(rows, 'cold dummy audit', seconds, requests, detail)
    finally:
        simulated.stop()

    width = max(len(r['step']) for r in rows)
    print('%-*s %9s %9s  %s' % (width, 'step', 'seconds', 'requests',
                                'detail'))
    for r in rows:
        print('%-*s %9.3f %9d  %s' % (width, r['step'], r['seconds'],
                                      r['requests'], r['detail']))
    if args.json:
        with open(args.json, 'w') as fobj:
            json.dump(rows, fobj, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
