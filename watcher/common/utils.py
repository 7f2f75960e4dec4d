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

"""Small helpers shared by every layer."""
import datetime
import re

from oslo_utils import strutils
from oslo_utils import uuidutils

from watcher.common import exception

# Names as upstream allows them: letters, digits and -._~ (RFC 3986
# unreserved characters), starting with a letter.
_NAME_RE = re.compile(r'^[a-zA-Z][a-zA-Z0-9\-._~]*$')

generate_uuid = uuidutils.generate_uuid
is_uuid_like = uuidutils.is_uuid_like

# Length of the status_message columns (audits, action plans, actions).
STATUS_MESSAGE_MAX = 255


def utcnow(naive=False):
    """Now, in UTC: timezone-aware, or naive (``naive=True``, how the
    database columns hold it).
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.replace(tzinfo=None) if naive else now


def truncate(text, limit=STATUS_MESSAGE_MAX, one_line=True):
    """``text`` (any object; None is empty) cut to at most ``limit``
    characters, ending with "..." when cut; ``one_line`` folds runs of
    white space (new lines included) into one space first.
    """
    text = '' if text is None else str(text)
    if one_line:
        text = ' '.join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 3].rstrip() + '...'


def is_int_like(value):
    try:
        return str(int(value)) == str(value)
    except (TypeError, ValueError):
        return False


def is_hostname_safe(hostname):
    return isinstance(hostname, str) and bool(_NAME_RE.match(hostname))


def strtobool(value, default=False):
    return strutils.bool_from_string(value, default=default)


def require_uuid(value):
    if not is_uuid_like(value):
        raise exception.InvalidUUID(uuid=value)
    return value
