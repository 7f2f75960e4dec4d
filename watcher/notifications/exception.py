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

"""The ``infra-optim.exception`` notification and its ExceptionPayload."""
from watcher.notifications import base

ExceptionPayload = base.ExceptionPayload


def send_exception(context, exc=None, host=None):
    """Emit ``infra-optim.exception`` (ERROR) describing ``exc``."""
    payload = ExceptionPayload.from_exception(exc)
    if payload is None:
        return None
    return base.emit(context, 'infra-optim.exception', payload,
                     priority=base.Priority.ERROR, host=host)
