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

import math

import pytest

from watcher.decision_engine.datasources.frame import MetricQuery
from watcher.decision_engine.datasources.frame import MetricsFrame


def test_query_is_hashable_and_validated():
    q = MetricQuery('host_cpu_usage', 'compute_node')
    assert q == MetricQuery('host_cpu_usage', 'compute_node', 300, 'mean',
                            300)
    assert len({q, MetricQuery('host_cpu_usage', 'compute_node')}) == 1
    with pytest.raises(ValueError):
        MetricQuery('host_cpu_usage', 'rack')
    with pytest.raises(ValueError):
        MetricQuery('host_cpu_usage', 'compute_node', aggregate='median')


def test_frame_access():
    q = MetricQuery('instance_cpu_usage', 'instance', period=600)
    f = MetricsFrame()
    assert f.get(q) == {} and f.value(q, 'x', 7) == 7
    f.set(q, {'a': 1, 'b': '2.5', 'c': None})
    assert f.get(q) == {'a': 1.0, 'b': 2.5}
    assert f.value(q, 'b') == 2.5 and q in f and f.queries() == [q]
    f.update(q, {'c': 3})
    arr = f.as_array(q, ['c', 'a', 'zz'])
    assert arr[0] == 3.0 and arr[1] == 1.0 and math.isnan(arr[2])
    assert list(f.as_array(q, ['zz'], default=0.0)) == [0.0]
    assert f.find('instance_cpu_usage') == q
    f.queries_issued += 1
    assert f.queries_issued == 1
