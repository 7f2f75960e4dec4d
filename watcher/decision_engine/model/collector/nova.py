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

"""The compute model collector: Nova and Placement, read in bulk.

How a cold build stays at a small, constant number of requests
--------------------------------------------------------------
One listing per kind of resource, each paginated at the largest page the
service accepts (``limit=1000``):

====================================  =====================================
request                               gives
====================================  =====================================
``GET /os-services?binary=nova-compute``  AZ (``zone``), forced down
``GET /os-hypervisors/detail``        nodes: uuid, hostname, state, status,
  (microversion 2.87 when offered)    disabled reason, service host, type and
                                      - below 2.88 - the vCPU/RAM/disk totals
``GET /os-aggregates``                aggregates and their hosts
``GET /servers/detail?all_tenants=1`` servers with their flavor embedded
  (2.47+, 2.96 for the pinned AZ)     (2.47), so no flavor lookups at all
``GET /os-server-groups?all_projects`` server groups and members
``GET /flavors/detail``               only when Nova is older than 2.47
====================================  =====================================

Placement has no bulk inventory call: reserved amounts and allocation
ratios live in ``GET /resource_providers/{uuid}/inventories``, one request
per host.  A cold build therefore fetches the inventory of ONE host per
*host class* - hosts alike in hypervisor type, vCPU/RAM/disk totals (from
the hypervisor listing), availability zone and aggregates, which is how
operators configure ratios and reservations - checks that Placement's
totals agree with Nova's for that host, and gives the class's reserved
amounts and ratios to its other members (totals always come from each
host's own figures).  After the build, a background refresh fetches the
exact inventory of every other host (a few concurrent requests) and
patches the live model; the inventories are cached and refreshed after
every periodic resynchronisation.  The refresh sends a request only while
no model copy is in use (``copies_in_use``: an audit is reading one) -
thousands of responses parsed in the decision engine would otherwise take
the CPU from the audit that caused the build (2,000 hosts: 2.4 s) - unless
someone waits for it (``wait_for_inventories``) or it has waited
``REFRESH_MAX_DEFER`` seconds.  Hosts whose totals are unknown (Nova
2.88+ only, or a class whose Placement totals disagree) get their own
inventory request during the build, so the figures are never guessed for
them.  ``inventory_mode='exact'`` fetches every inventory during the build.

For 500 hosts x 15 servers this gives about 15 requests: token, compute
and placement version discovery, services, hypervisors, aggregates, 8
pages of servers, server groups and one inventory per host class.

Single resources (an instance or a node a notification names and the
model does not know) are fetched with :meth:`fetch_instance` and
:meth:`fetch_node`.
"""
import collections
import concurrent.futures
import threading
import time

from oslo_log import log
from oslo_utils import uuidutils

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.model.collector import api
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root

LOG = log.getLogger(__name__)

SERVERS_MICROVERSION = '2.96'       # pinned_availability_zone
FLAVOR_EMBEDDED_MICROVERSION = (2, 47)
HYPERVISOR_TOTALS_MICROVERSION = '2.87'  # last one with vcpus/memory_mb
INVENTORY_WORKERS = 4
#: the longest the inventory refresh waits for the model copies in use
REFRESH_MAX_DEFER = 300.0
REFRESH_POLL = 0.2

_RC = {'VCPU': ('vcpus', 'vcpu_reserved', 'vcpu_ratio'),
       'MEMORY_MB': ('memory', 'memory_mb_reserved', 'memory_ratio'),
       'DISK_GB': ('disk', 'disk_gb_reserved', 'disk_ratio')}


def extended_attributes():
    return bool(CONF.compute_model.enable_extended_attributes)


def _flavor_fields(flavor, flavors_by_id=None):
    """(vcpus, memory, disk, name, extra_specs) of a server's flavor."""
    flavor = flavor or {}
    if 'vcpus' not in flavor and flavors_by_id is not None:
        flavor = flavors_by_id.get(flavor.get('id'), {})
        name = flavor.get('name')
        ephemeral = flavor.get('OS-FLV-EXT-DATA:ephemeral',
                               flavor.get('ephemeral', 0))
    else:
        name = flavor.get('original_name', flavor.get('name'))
        ephemeral = flavor.get('ephemeral', 0)
    root = flavor.get('disk', 0) or 0
    return (flavor.get('vcpus', 0) or 0, flavor.get('ram', 0) or 0,
            root + (ephemeral or 0), name, flavor.get('extra_specs') or {})


def instance_from_server(server, extended=None, flavors_by_id=None):
    """An ``Instance`` from a nova ``servers/detail`` item."""
    if extended is None:
        extended = extended_attributes()
    vcpus, memory, disk, flavor_name, extra_specs = _flavor_fields(
        server.get('flavor'), flavors_by_id)
    return element.Instance(
        uuid=server['id'],
        name=server.get('name'),
        state=(server.get('OS-EXT-STS:vm_state') or
               str(server.get('status', '')).lower()),
        vcpus=vcpus, memory=memory, disk=disk, disk_capacity=disk,
        metadata=dict(server.get('metadata') or {}),
        project_id=server.get('tenant_id') or server.get('project_id'),
        locked=bool(server.get('locked', False)),
        pinned_az=(server.get('pinned_availability_zone') or ''
                   if extended else ''),
        flavor_extra_specs=dict(extra_specs) if extended else {},
        flavor_name=flavor_name,
        task_state=server.get('OS-EXT-STS:task_state'),
        created_at=element.utc_timestamp(server.get('created')),
    )


def server_node_name(server):
    """(hypervisor hostname, service host) of a server."""
    return (server.get('OS-EXT-SRV-ATTR:hypervisor_hostname'),
            server.get('OS-EXT-SRV-ATTR:host'))


def _aggregate_ref(aggregate):
    return {'id': aggregate.get('id'), 'name': aggregate.get('name'),
            'uuid': aggregate.get('uuid')}


def apply_inventory(node, inventory, totals=True):
    """Set a node's totals, reserved amounts and ratios from Placement."""
    for rc, (total_f, reserved_f, ratio_f) in _RC.items():
        inv = (inventory or {}).get(rc)
        if not inv:
            continue
        if totals and inv.get('total') is not None:
            setattr(node, total_f, inv['total'])
        setattr(node, reserved_f, inv.get('reserved', 0) or 0)
        setattr(node, ratio_f, float(inv.get('allocation_ratio', 1.0) or 1.0))
    node.disk_capacity = node.disk


def node_from_hypervisor(hypervisor, service=None, aggregates=()):
    """A ``ComputeNode`` from a hypervisor (+ its nova-compute service)."""
    svc = hypervisor.get('service') or {}
    service = service or {}
    state = hypervisor.get('state') or service.get('state') or 'up'
    if service.get('forced_down'):
        state = element.ServiceState.OFFLINE
    disabled_reason = svc.get('disabled_reason',
                              service.get('disabled_reason'))
    node = element.ComputeNode(
        uuid=str(hypervisor['id']),
        id=hypervisor['id'],
        hostname=hypervisor.get('hypervisor_hostname'),
        state=state,
        status=hypervisor.get('status') or service.get('status') or
        'enabled',
        disabled_reason=disabled_reason,
        vcpus=hypervisor.get('vcpus') or 0,
        memory=hypervisor.get('memory_mb') or 0,
        disk=hypervisor.get('local_gb') or 0,
        availability_zone=service.get('zone'),
        aggregates=[_aggregate_ref(a) for a in aggregates],
        hypervisor_type=hypervisor.get('hypervisor_type'),
    )
    node.disk_capacity = node.disk
    return node


class NovaClusterDataModelCollector(base.BaseClusterDataModelCollector):
    """Builds and keeps the compute model (see the module docstring)."""

    MODEL_TYPE = 'compute'
    NAME = 'compute'

    def __init__(self, config=None, connection=None, inventory_mode=None):
        super().__init__(config=config, connection=connection)
        #: 'sampled' (default): one inventory per host class during the
        #: build, the others in the background; 'exact': all during the
        #: build.
        self.inventory_mode = inventory_mode or 'sampled'
        self._inventories = {}          # node uuid -> placement inventory
        self._estimated = set()         # node uuids with borrowed ratios
        self._service_hosts = {}        # service host -> {node uuid}
        self._rp_uuids = {}             # node uuid -> provider (old nova)
        self._stale_inventories = set()
        self._refresh_thread = None
        self._refresh_done = threading.Event()
        self._refresh_done.set()
        self._stopping = threading.Event()
        self._hurry = threading.Event()

    def new_model(self):
        return model_root.ModelRoot()

    # -- proxies ---------------------------------------------------------
    @property
    def compute(self):
        return self.connection.compute

    @property
    def placement(self):
        return self.connection.placement

    # -- build -----------------------------------------------------------
    def execute(self):
        compute = self.compute
        extended = extended_attributes()
        server_mv = api.max_microversion(compute, SERVERS_MICROVERSION)
        mv = api.version_tuple(server_mv)
        hyp_mv = HYPERVISOR_TOTALS_MICROVERSION if mv >= (2, 87) \
            else server_mv

        services = {}
        for svc in api.get_json(compute, '/os-services',
                                {'binary': 'nova-compute'},
                                microversion=server_mv).get('services', []):
            services[svc.get('host')] = svc

        aggregates = api.get_json(compute, '/os-aggregates',
                                  microversion=server_mv).get(
                                      'aggregates', [])
        host_aggregates = collections.defaultdict(list)
        for agg in aggregates:
            for host in agg.get('hosts') or ():
                host_aggregates[host].append(agg)

        model = self.new_model()
        service_hosts = collections.defaultdict(set)
        hypervisors = {}
        for hyp in api.paginate_links(compute, '/os-hypervisors/detail',
                                      'hypervisors', microversion=hyp_mv,
                                      page_size=api.PAGE_SIZE
                                      if mv >= (2, 33) else None):
            host = (hyp.get('service') or {}).get('host')
            node = node_from_hypervisor(hyp, services.get(host),
                                        host_aggregates.get(host, ()))
            hypervisors[node.uuid] = hyp
            model.add_node(node)
            if host:
                service_hosts[host].add(node.uuid)

        self._load_inventories(model, hypervisors)

        flavors_by_id = None
        if mv < FLAVOR_EMBEDDED_MICROVERSION:
            flavors_by_id = {
                f['id']: f for f in api.paginate_links(
                    self.compute, '/flavors/detail', 'flavors',
                    {'is_public': 'None'}, microversion=server_mv)}

        skipped = 0
        for server in api.paginate_links(compute, '/servers/detail',
                                         'servers', {'all_tenants': 1},
                                         microversion=server_mv):
            node = self._node_for(model, service_hosts,
                                  *server_node_name(server))
            if node is None:
                skipped += 1     # not placed (building, shelved offloaded)
                continue
            instance = instance_from_server(server, extended, flavors_by_id)
            model.add_instance(instance)
            model.map_instance(instance, node)

        for group in api.paginate_offset(compute, '/os-server-groups',
                                         'server_groups',
                                         {'all_projects': 'True'},
                                         microversion=server_mv):
            policy = group.get('policy') or (group.get('policies') or
                                             ['anti-affinity'])[0]
            members = [m for m in group.get('members') or ()
                       if model.has_instance(m)]
            model.add_server_group(group['id'], group.get('name'), policy,
                                   members)
        if skipped:
            LOG.debug('%d servers without a host left out of the model',
                      skipped)
        with self.lock:
            self._service_hosts = service_hosts
        return model

    @staticmethod
    def _node_for(model, service_hosts, hypervisor_hostname, host):
        if hypervisor_hostname:
            try:
                return model.get_node_by_name(hypervisor_hostname)
            except exception.ComputeNodeNotFound:
                pass
        uuids = service_hosts.get(host) if host else None
        if uuids:
            return model.get_node_by_uuid(next(iter(uuids)))
        return None

    # -- placement inventories -------------------------------------------
    def _rp_uuid(self, node_uuid):
        return self._rp_uuids.get(node_uuid, node_uuid)

    def _fetch_inventory(self, node_uuid):
        body = api.get_json(
            self.placement,
            '/resource_providers/%s/inventories' % self._rp_uuid(node_uuid),
            ok_missing=True)
        if body is None:
            LOG.warning('Placement has no resource provider %s', node_uuid)
            return None
        return body.get('inventories') or {}

    @staticmethod
    def _host_class(node, hyp):
        totals = (hyp.get('vcpus'), hyp.get('memory_mb'), hyp.get('local_gb'))
        if None in totals or 0 in totals:
            return None
        return (node.hypervisor_type, totals, node.availability_zone,
                tuple(sorted(str(a.get('id')) for a in node.aggregates)))

    @staticmethod
    def _totals_agree(inventory, hyp):
        for rc, key in (('VCPU', 'vcpus'), ('MEMORY_MB', 'memory_mb'),
                        ('DISK_GB', 'local_gb')):
            inv = (inventory or {}).get(rc)
            if inv is not None and inv.get('total') != hyp.get(key):
                return False
        return True

    def _load_inventories(self, model, hypervisors):
        """Reserved amounts and ratios of every node (module docstring)."""
        nodes = model.get_all_compute_nodes()
        if nodes and not uuidutils.is_uuid_like(next(iter(nodes))):
            self._map_provider_names(nodes)
        fetched = {}      # exact inventories read during this build
        cached = {}
        borrowed = {}
        classes = collections.defaultdict(list)
        singles = []
        for uuid, node in nodes.items():
            if uuid in self._inventories and self.inventory_mode != 'exact':
                cached[uuid] = self._inventories[uuid]
                continue
            key = (None if self.inventory_mode == 'exact'
                   else self._host_class(node, hypervisors[uuid]))
            if key is None:
                singles.append(uuid)
            else:
                classes[key].append(uuid)
        for members in classes.values():
            rep, others = members[0], members[1:]
            inventory = self._fetch_inventory(rep)
            if inventory is None:
                singles.extend(others)
                continue
            fetched[rep] = inventory
            if self._totals_agree(inventory, hypervisors[rep]):
                borrowed.update((u, inventory) for u in others)
            else:             # Nova and Placement disagree: no sampling
                singles.extend(others)
        for uuid in singles:
            inventory = self._fetch_inventory(uuid)
            if inventory is not None:
                fetched[uuid] = inventory
        for uuid, inventory in list(cached.items()) + list(fetched.items()):
            apply_inventory(nodes[uuid], inventory)
        for uuid, inventory in borrowed.items():
            apply_inventory(nodes[uuid], inventory, totals=False)
        with self.lock:
            self._inventories.update(fetched)
            self._estimated = set(borrowed)
            # cached and borrowed ones are re-read after the build
            self._stale_inventories = set(cached) | set(borrowed)
        if borrowed:
            LOG.debug('%d hosts got the ratios of their host class until '
                      'their own inventory is read', len(borrowed))

    def _map_provider_names(self, nodes):
        """Old Nova (integer hypervisor ids): resource providers by name."""
        body = api.get_json(self.placement, '/resource_providers') or {}
        by_name = {rp.get('name'): rp.get('uuid')
                   for rp in body.get('resource_providers', [])}
        self._rp_uuids.update((u, by_name[n.hostname])
                              for u, n in nodes.items()
                              if n.hostname in by_name)

    def after_build(self, model):
        with self.lock:
            stale, self._stale_inventories = self._stale_inventories, set()
        if not stale or self._stopping.is_set():
            return
        self._refresh_done.clear()
        self._hurry.clear()
        self._refresh_thread = threading.Thread(
            target=self._refresh_inventories, args=(sorted(stale),),
            name='compute-inventory-refresh', daemon=True)
        self._refresh_thread.start()

    def _fetch_unless_stopping(self, uuid, deadline):
        while self.copies_in_use > 0 and not self._hurry.is_set() and \
                time.monotonic() < deadline:
            if self._stopping.wait(REFRESH_POLL):
                break
        if self._stopping.is_set():
            return None
        return self._fetch_inventory(uuid)

    def _refresh_inventories(self, uuids):
        deadline = time.monotonic() + REFRESH_MAX_DEFER
        try:
            with concurrent.futures.ThreadPoolExecutor(
                    INVENTORY_WORKERS) as pool:
                futures = {pool.submit(self._fetch_unless_stopping, u,
                                       deadline): u
                           for u in uuids}
                for future in concurrent.futures.as_completed(futures):
                    uuid = futures[future]
                    try:
                        inventory = future.result()
                    except Exception as exc:
                        LOG.warning('Inventory of %s not refreshed: %s',
                                    uuid, exc)
                        continue
                    if inventory is None:
                        continue
                    self._store_inventory(uuid, inventory)
            LOG.debug('Refreshed %d placement inventories', len(uuids))
        finally:
            self._refresh_done.set()

    def _store_inventory(self, uuid, inventory):
        def patch(model):
            if model.has_node(uuid):
                apply_inventory(model.get_node_by_uuid(uuid), inventory)
        with self.lock:
            self._inventories[uuid] = inventory
            self._estimated.discard(uuid)
        self.apply(patch)

    def stop(self, timeout=None):
        """Stop the background inventory refresh (service stop, tests)."""
        self._stopping.set()
        self._refresh_done.wait(timeout)

    def wait_for_inventories(self, timeout=None):
        """Wait for the background inventory refresh; True when done.

        The refresh no longer waits for the model copies in use.
        """
        self._hurry.set()
        return self._refresh_done.wait(timeout)

    @property
    def estimated_nodes(self):
        """Nodes whose reserved amounts/ratios are still borrowed."""
        with self.lock:
            return set(self._estimated)

    # -- single resources (notifications) ------------------------------
    def fetch_instance(self, uuid):
        """(Instance, hypervisor hostname, service host) or None."""
        compute = self.compute
        mv = api.max_microversion(compute, SERVERS_MICROVERSION)
        body = api.get_json(compute, '/servers/%s' % uuid, microversion=mv,
                            ok_missing=True)
        if not body or 'server' not in body:
            return None
        server = body['server']
        flavors = None
        if api.version_tuple(mv) < FLAVOR_EMBEDDED_MICROVERSION:
            fid = (server.get('flavor') or {}).get('id')
            fbody = api.get_json(compute, '/flavors/%s' % fid,
                                 ok_missing=True) or {}
            flavors = {fid: fbody.get('flavor', {})}
        hostname, host = server_node_name(server)
        return instance_from_server(server, None, flavors), hostname, host

    def fetch_node(self, host):
        """The ComputeNode(s) of a service host, read from the cloud."""
        compute = self.compute
        mv = api.max_microversion(compute, SERVERS_MICROVERSION)
        hyp_mv = HYPERVISOR_TOTALS_MICROVERSION \
            if api.version_tuple(mv) >= (2, 87) else mv
        body = api.get_json(compute, '/os-hypervisors/detail',
                            {'hypervisor_hostname_pattern': host},
                            microversion=hyp_mv, ok_missing=True) or {}
        services = api.get_json(compute, '/os-services',
                                {'binary': 'nova-compute', 'host': host},
                                microversion=mv).get('services', [])
        service = services[0] if services else None
        nodes = []
        for hyp in body.get('hypervisors', []):
            svc_host = (hyp.get('service') or {}).get('host')
            if host not in (svc_host, hyp.get('hypervisor_hostname')):
                continue
            node = node_from_hypervisor(hyp, service)
            inventory = self._fetch_inventory(node.uuid)
            if inventory:
                apply_inventory(node, inventory)
                with self.lock:
                    self._inventories[node.uuid] = inventory
            nodes.append(node)
        return nodes

    # -- service host index (notification handlers) --------------------
    def nodes_of_service_host(self, model, host):
        """The nodes of a nova-compute service host in ``model``."""
        try:
            return [model.get_node_by_name(host)]
        except exception.ComputeNodeNotFound:
            pass
        with self.lock:
            uuids = list(self._service_hosts.get(host, ()))
        return [model.get_node_by_uuid(u) for u in uuids if model.has_node(u)]

    def remember_service_host(self, host, node_uuid):
        with self.lock:
            self._service_hosts.setdefault(host, set()).add(node_uuid)
