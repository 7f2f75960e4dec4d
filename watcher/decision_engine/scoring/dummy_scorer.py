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

"""``dummy_scorer``: a hand-written workload classifier.

Input: 9 features of one server (``feature_columns`` in the metainfo).
Output: ``[workload, idle, cpu, memory, disk]`` - the class index
(0 idle, 1 cpu-intensive, 2 memory-intensive, 3 disk-intensive) followed by
a pseudo-probability per class.  A sample of how a strategy uses a scoring
engine without any ML dependency; not meant for production.
"""
import json

from watcher.decision_engine.scoring import base

FEATURES = ('proc-processor-time-%', 'mem-total-bytes', 'mem-avail-bytes',
            'mem-page-reads/sec', 'mem-page-writes/sec',
            'disk-read-bytes/sec', 'disk-write-bytes/sec',
            'net-bytes-received/sec', 'net-bytes-sent/sec')
WORKLOADS = ('idle', 'cpu-intensive', 'memory-intensive', 'disk-intensive')

CPU_BUSY_PERCENT = 80.0
MEM_BUSY_RATIO = 0.85
MEM_PAGING_PER_SEC = 1000.0
DISK_BUSY_BYTES = 50.0 * 1024 * 1024


class DummyScorer(base.ScoringEngine):

    def get_name(self):
        return 'dummy_scorer'

    def get_description(self):
        return 'Dummy workload classifier'

    def get_metainfo(self):
        return json.dumps({
            'feature_columns': list(FEATURES),
            'result_columns': ['workload', 'idle-probability',
                               'cpu-probability', 'memory-probability',
                               'disk-probability'],
            'workloads': list(WORKLOADS),
        })

    def score(self, features):
        if len(features) != len(FEATURES):
            raise ValueError('expected %d features, got %d'
                             % (len(FEATURES), len(features)))
        (cpu, mem_total, mem_avail, page_in, page_out, disk_read,
         disk_write, _net_in, _net_out) = [float(f) for f in features]
        mem_used = (1.0 - mem_avail / mem_total) if mem_total > 0 else 0.0
        pressure = {
            1: min(cpu / CPU_BUSY_PERCENT, 1.0),
            2: min(max(mem_used / MEM_BUSY_RATIO,
                       (page_in + page_out) / MEM_PAGING_PER_SEC), 1.0),
            3: min((disk_read + disk_write) / DISK_BUSY_BYTES, 1.0),
        }
        busiest = max(pressure, key=lambda k: (pressure[k], -k))
        if pressure[busiest] < 1.0:
            workload = 0
        else:
            workload = busiest
        idle = 1.0 - max(pressure.values())
        total = idle + sum(pressure.values()) or 1.0
        probs = [idle / total] + [pressure[k] / total for k in (1, 2, 3)]
        return [float(workload)] + [round(p, 4) for p in probs]
