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

"""Ordered collections that page in O(page size).

An insertion-ordered id list sits next to a parallel list of sequence
numbers, so a paging marker is found with :mod:`bisect`, whatever the size of
the cloud.
"""

import bisect


class OrderedIndex:
    """Ids in insertion order with bisectable sequence numbers."""

    def __init__(self):
        self.ids = []
        self.seqs = []

    def append(self, seq, ident):
        if self.seqs and seq <= self.seqs[-1]:
            pos = bisect.bisect_left(self.seqs, seq)
            self.seqs.insert(pos, seq)
            self.ids.insert(pos, ident)
        else:
            self.seqs.append(seq)
            self.ids.append(ident)

    def remove(self, seq):
        pos = bisect.bisect_left(self.seqs, seq)
        if pos < len(self.seqs) and self.seqs[pos] == seq:
            del self.seqs[pos]
            del self.ids[pos]

    def after(self, seq):
        """Position of the first id after ``seq`` (``None`` = start)."""
        if seq is None:
            return 0
        return bisect.bisect_right(self.seqs, seq)

    def __len__(self):
        return len(self.ids)


def marker_seq(table, marker, error, message):
    """The sequence number of paging marker ``marker``, a key of
    ``table`` (``None`` without a marker); an unknown marker raises
    ``error(message % marker)``, each API wording it its own way.
    """
    if not marker:
        return None
    item = table.get(marker)
    if item is None:
        raise error(message % marker)
    return item.seq


def paginate(index, lookup, marker_seq, limit, predicate=None,
             newest_first=False):
    """Return (items, more) from ``index`` after ``marker_seq``.

    ``newest_first`` walks the index backwards (Nova lists servers by
    creation time, newest first, and pages on in that order).
    """
    ids = index.ids
    n = len(ids)
    if newest_first:
        if marker_seq is None:
            positions = range(n - 1, -1, -1)
        else:
            positions = range(bisect.bisect_left(index.seqs, marker_seq) - 1,
                              -1, -1)
    else:
        positions = range(index.after(marker_seq), n)

    def matches(i):
        item = lookup(ids[i])
        if item is not None and (predicate is None or predicate(item)):
            return item
        return None

    out = []
    walk = iter(positions)
    if limit > 0:
        for i in walk:
            item = matches(i)
            if item is not None:
                out.append(item)
                if len(out) == limit:
                    break
        else:
            return out, False
    # the limit was reached: is there anything left that matches?
    return out, any(matches(i) is not None for i in walk)
