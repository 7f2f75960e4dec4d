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

"""Helpers shared by the scopers."""
from oslo_log import log

from watcher.common.scope_schema import WILDCARD

LOG = log.getLogger(__name__)


def values(entries, key):
    """``[{key: v}, ...]`` -> list of v (entries without ``key`` skipped)."""
    return [e[key] for e in entries or () if isinstance(e, dict) and key in e]


def has_wildcard(entries, *keys):
    for entry in entries or ():
        for key in keys:
            if isinstance(entry, dict) and str(entry.get(key)) == WILDCARD:
                return True
    return False


def merge(items):
    """A list of one-key dicts -> {key: concatenated lists}."""
    merged = {}
    for item in items or ():
        for key, value in item.items():
            merged.setdefault(key, []).extend(value or [])
    return merged


def warn_missing(kind, missing):
    if missing:
        LOG.warning('Audit scope names %s that the model does not hold: %s',
                    kind, ', '.join(sorted(str(m) for m in missing)))
