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

"""Seeded synthetic clusters (compute model + consistent metrics).

Used by the strategy benchmark and tests::

    cluster = synthetic.generate(1000, seed=42)
    cluster.model                      # ModelRoot
    frame = cluster.frame_for(strategy.metric_queries(params))

Defaults: hosts of 128 vCPU / 256 GiB / 4 TiB
(allocation ratios 1.0, nothing reserved), 10-20 servers per host drawn
from a 1/2/4/8/16-vCPU flavor mix with 2 GiB RAM and 20 GiB disk per vCPU
(a host never gets more than it can hold), 30 % of hosts "hot" at 70-100 %
CPU and the rest at 1-25 %, 5 % of servers stopped (no CPU), and a few
small anti-affinity groups (members on distinct hosts).  Metric values are
consistent: a host's CPU usage is the sum of its servers' cores, and the
hardware figures follow it (a busier host runs hotter, blows more air and
draws more power; ``hardware_values``).  The L3 cache occupancy of one
server in ten doubles from the previous period to the current one (a noisy
neighbour) and of another in ten halves (a hurt one).

``storage_model`` and ``baremetal_model`` build the matching Cinder and
Ironic models.
"""
import dataclasses
import random
import uuid as uuid_mod

import numpy as np

from watcher.decision_engine.datasources.frame import MetricsFrame
from watcher.decision_engine.model import element
from watcher.decision_engine.model.model_root import BaremetalModelRoot
from watcher.decision_engine.model.model_root import ModelRoot
from watcher.decision_engine.model.model_root import StorageModelRoot

FLAVOR_VCPUS = (1, 2, 4, 8, 16)
VOLUME_SIZES_GIB = (10, 20, 50, 100, 200)
#: the period whose mean ``instance_l3_cache_usage`` is the current value
L3_PERIOD = 100


@dataclasses.dataclass
class SyntheticCluster:
    model: ModelRoot
    host_cpu_percent: dict      # node uuid -> %
    host_ram_mb: dict           # node uuid -> MiB used
    instance_cpu_percent: dict  # instance uuid -> % of its vCPUs
    instance_ram_mb: dict       # instance uuid -> MiB used
    hardware: dict = dataclasses.field(default_factory=dict)

    def values_for(self, query):
        metric = query.metric
        if metric in HARDWARE_METRICS:
            if not self.hardware:
                self.hardware = hardware_values(self)
            if metric == 'instance_l3_cache_usage':
                current, previous = self.hardware[metric]
                if query.period < 2 * L3_PERIOD:
                    return current
                return {u: (v + previous[u]) / 2.0
                        for u, v in current.items()}
            return self.hardware[metric]
        if metric == 'host_cpu_usage':
            return self.host_cpu_percent
        if metric == 'host_ram_usage':
            return self.host_ram_mb
        if metric == 'instance_cpu_usage':
            return self.instance_cpu_percent
        if metric == 'instance_ram_usage':
            return self.instance_ram_mb
        instances = self.model.get_all_instances()
        if metric == 'instance_ram_allocated':
            return {u: i.memory for u, i in instances.items()}
        if metric == 'instance_root_disk_size':
            return {u: i.disk for u, i in instances.items()}
        return {}

    def frame_for(self, queries, frame=None):
        """A MetricsFrame answering ``queries`` (one 'query' each)."""
        frame = frame if frame is not None else MetricsFrame()
        for query in queries:
            frame.set(query, self.values_for(query))
            frame.queries_issued += 1
        return frame


def _uuid(rng):
    return str(uuid_mod.UUID(int=rng.getrandbits(128), version=4))


def generate(n_hosts, seed=0, servers_per_host=(10, 20),
             flavor_vcpus=FLAVOR_VCPUS, host_vcpus=128, host_memory_gib=256,
             host_disk_gib=4096, ram_gib_per_vcpu=2, disk_gib_per_vcpu=20,
             hot_fraction=0.3, hot_percent=(70, 100), cold_percent=(1, 25),
             stopped_fraction=0.05, anti_affinity_fraction=0.02,
             vcpu_ratio=1.0, memory_ratio=1.0, disk_ratio=1.0):
    rng = random.Random(seed)
    model = ModelRoot()
    host_cpu, host_ram, inst_cpu, inst_ram = {}, {}, {}, {}
    mem_mb = host_memory_gib * 1024
    all_instances = []
    for h in range(n_hosts):
        node = element.ComputeNode(
            uuid=_uuid(rng), id=h + 1, hostname='compute-%05d' % h,
            state='up', status='enabled', vcpus=host_vcpus, memory=mem_mb,
            disk=host_disk_gib, disk_capacity=host_disk_gib,
            vcpu_ratio=vcpu_ratio, memory_ratio=memory_ratio,
            disk_ratio=disk_ratio, availability_zone='nova',
            hypervisor_type='QEMU')
        model.add_node(node)
        free_vcpu = node.vcpu_capacity
        free_mem = node.memory_mb_capacity
        free_disk = node.disk_gb_capacity
        servers = []
        for _ in range(rng.randint(*servers_per_host)):
            choices = [v for v in flavor_vcpus
                       if v <= free_vcpu and
                       v * ram_gib_per_vcpu * 1024 <= free_mem and
                       v * disk_gib_per_vcpu <= free_disk]
            if not choices:
                break
            vcpus = rng.choice(choices)
            free_vcpu -= vcpus
            free_mem -= vcpus * ram_gib_per_vcpu * 1024
            free_disk -= vcpus * disk_gib_per_vcpu
            stopped = rng.random() < stopped_fraction
            inst = element.Instance(
                uuid=_uuid(rng), name='server-%05d-%02d' % (h, len(servers)),
                state='stopped' if stopped else 'active', vcpus=vcpus,
                memory=vcpus * ram_gib_per_vcpu * 1024,
                disk=vcpus * disk_gib_per_vcpu,
                disk_capacity=vcpus * disk_gib_per_vcpu,
                project_id='project-%d' % rng.randint(0, 9),
                flavor_name='f%d' % vcpus)
            model.map_instance(inst, node)
            servers.append(inst)
            all_instances.append(inst)
        hot = rng.random() < hot_fraction
        target = rng.uniform(*(hot_percent if hot else cold_percent))
        active_vcpus = sum(s.vcpus for s in servers if s.state == 'active')
        wanted_cores = target / 100.0 * host_vcpus
        base_util = min(1.0, wanted_cores / active_vcpus) \
            if active_vcpus else 0.0
        cores = 0.0
        ram = 0.0
        for s in servers:
            if s.state == 'active':
                util = min(1.0, max(0.0, base_util * rng.uniform(0.8, 1.2)))
            else:
                util = 0.0
            inst_cpu[s.uuid] = round(util * 100.0, 3)
            cores += util * s.vcpus
            used = s.memory * (rng.uniform(0.3, 0.9)
                               if s.state == 'active' else 0.0)
            inst_ram[s.uuid] = round(used, 1)
            ram += used
        host_cpu[node.uuid] = round(cores / host_vcpus * 100.0, 3)
        host_ram[node.uuid] = round(ram, 1)
    # small anti-affinity groups, members already on distinct hosts
    n_groups = int(len(all_instances) * anti_affinity_fraction / 2)
    for g in range(n_groups):
        members = rng.sample(all_instances, 3)
        hosts = {model.get_node_by_instance_uuid(m.uuid).uuid
                 for m in members}
        if len(hosts) == len(members):
            model.add_server_group(_uuid(rng), 'aa-%d' % g, 'anti-affinity',
                                   [m.uuid for m in members])
    return SyntheticCluster(model, host_cpu, host_ram, inst_cpu, inst_ram)


HARDWARE_METRICS = ('host_outlet_temp', 'host_inlet_temp', 'host_airflow',
                    'host_power', 'instance_l3_cache_usage')


def hardware_values(cluster, seed=0):
    """{metric: {uuid: value}} of the hardware metrics (L3 cache: a
    (current, previous) pair of dicts), from the hosts' CPU usage; a
    separate random stream, so the compute model is the same with or
    without them.
    """
    rng = random.Random(seed + 7919)
    out = {m: {} for m in HARDWARE_METRICS}
    for node in cluster.model.get_all_compute_nodes().values():
        busy = cluster.host_cpu_percent.get(node.uuid, 0.0) / 100.0
        inlet = 18.0 + rng.random() * 6.0
        out['host_inlet_temp'][node.uuid] = round(inlet + 1.5 * busy, 2)
        out['host_outlet_temp'][node.uuid] = round(inlet + 6.0 + 18.0 *
                                                   busy, 2)
        out['host_airflow'][node.uuid] = round(200.0 + 550.0 * busy, 1)
        out['host_power'][node.uuid] = round(150.0 + 300.0 * busy, 1)
    current, previous = {}, {}
    for uuid in sorted(cluster.model.get_all_instances()):
        value = 500.0 + rng.random() * 3000.0
        draw = rng.random()
        current[uuid] = value
        previous[uuid] = value / 2.0 if draw < 0.1 else (
            value * 2.0 if draw < 0.2 else value)
    out['instance_l3_cache_usage'] = (current, previous)
    return out


def storage_model(n_pools, seed=0, pool_gib=10240, hot_fraction=0.3,
                  hot_percent=(85, 98), cold_percent=(20, 60),
                  sizes=VOLUME_SIZES_GIB):
    """A seeded Cinder model: one backend ``storage-NNNN@lvm`` with one
    pool ``#pool0`` each, filled with volumes to 85-98 % (hot pools) or
    20-60 %; a quarter of the volumes attached.
    """
    rng = random.Random(seed)
    model = StorageModelRoot()
    for p in range(n_pools):
        host = 'storage-%04d@lvm' % p
        backend = element.StorageNode(host=host, zone='nova',
                                      volume_type=['lvm'])
        model.add_node(backend)
        hot = rng.random() < hot_fraction
        target = rng.uniform(*(hot_percent if hot else cold_percent))
        want = pool_gib * target / 100.0
        pool = element.Pool(name=host + '#pool0',
                            total_capacity_gb=pool_gib)
        model.add_pool(pool)
        model.map_pool(pool, backend)
        used = 0
        k = 0
        while True:
            size = rng.choice(sizes)
            if used + size > want:
                break
            attached = rng.random() < 0.25
            volume = element.Volume(
                uuid=_uuid(rng), name='vol-%04d-%03d' % (p, k), size=size,
                status='in-use' if attached else 'available',
                attachments=[{'server_id': _uuid(rng)}] if attached else [],
                project_id='project-%d' % rng.randint(0, 9),
                volume_type='lvm', host=pool.name)
            model.add_volume(volume)
            model.map_volume(volume, pool)
            used += size
            k += 1
        pool.free_capacity_gb = pool_gib - used
        pool.allocated_capacity_gb = used
        pool.total_volumes = k
    return model


def baremetal_model(model, seed=0, off_fraction=0.5):
    """An Ironic twin per compute node (``extra.compute_node_id`` = its
    hypervisor id); a host without servers is powered off with
    ``off_fraction`` probability, every other one is on.
    """
    rng = random.Random(seed)
    bm = BaremetalModelRoot()
    for node in sorted(model.get_all_compute_nodes().values(),
                       key=lambda n: n.hostname):
        idle = not model.get_node_instance_uuids(node)
        off = idle and rng.random() < off_fraction
        bm.add_node(element.IronicNode(
            uuid=_uuid(rng), power_state='power off' if off else 'power on',
            extra={'compute_node_id': node.id}))
    return bm


def host_cpu_std(model, cpu_percent_by_instance):
    """Std-dev over enabled hosts of CPU utilisation (%) computed from
    server CPU usage (% of their vCPUs) and the current placement.
    """
    values = []
    for node in model.get_all_compute_nodes().values():
        if node.status != 'enabled':
            continue
        cores = sum(cpu_percent_by_instance.get(i.uuid, 0.0) / 100.0 *
                    i.vcpus for i in model.get_node_instances(node))
        values.append(cores / node.vcpus * 100.0 if node.vcpus else 0.0)
    return float(np.std(values)) if values else 0.0
