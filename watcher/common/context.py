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

"""Request context of watcher (oslo.context with watcher's fields)."""
from oslo_context import context


class RequestContext(context.RequestContext):
    """Who is asking, and how deleted rows are treated."""

    def __init__(self, show_deleted=False, **kwargs):
        kwargs.setdefault('is_admin', False)
        super().__init__(**kwargs)
        self.show_deleted = show_deleted

    def to_dict(self):
        values = super().to_dict()
        values['show_deleted'] = self.show_deleted
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('show_deleted', values.get('show_deleted', False))
        return super().from_dict(values, **kwargs)


def make_context(*args, **kwargs):
    return RequestContext(*args, **kwargs)


def get_admin_context(show_deleted=False):
    """A context for services acting on their own behalf."""
    return RequestContext(is_admin=True, show_deleted=show_deleted,
                          roles=['admin'], overwrite=False)
