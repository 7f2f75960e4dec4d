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

"""Placement API subset (microversions 1.0 - 1.39), mounted at
``/placement``.  Every compute host is one root resource provider whose uuid
is the hypervisor id, with VCPU / MEMORY_MB / DISK_GB inventories; servers
(and in-flight migrations) are the consumers."""

from watcher.simulator import errors
from watcher.simulator import service
from watcher.simulator import wsgi

MICROVERSIONS = wsgi.Microversions('placement', '1.0', '1.39')

STANDARD_TRAITS = (
    'COMPUTE_NET_ATTACH_INTERFACE', 'COMPUTE_VOLUME_EXTEND',
    'COMPUTE_IMAGE_TYPE_QCOW2', 'COMPUTE_IMAGE_TYPE_RAW',
    'COMPUTE_STATUS_DISABLED',
    'HW_CPU_X86_AVX2', 'HW_CPU_X86_SSE42', 'STORAGE_DISK_SSD')


class PlacementService(service.Service):
    prefix = '/placement'
    microversions = MICROVERSIONS

    def routes(self):
        r = self.router
        r.add('GET', '', self.root)
        r.add('GET', '/resource_providers', self.list_providers)
        r.add('GET', '/resource_providers/{uuid}', self.show_provider)
        r.add('GET', '/resource_providers/{uuid}/inventories',
              self.inventories)
        r.add('GET', '/resource_providers/{uuid}/inventories/{rc}',
              self.inventory)
        r.add('GET', '/resource_providers/{uuid}/usages', self.usages)
        r.add('GET', '/resource_providers/{uuid}/aggregates',
              self.provider_aggregates)
        r.add('GET', '/resource_providers/{uuid}/traits',
              self.provider_traits)
        r.add('GET', '/resource_providers/{uuid}/allocations',
              self.provider_allocations)
        r.add('GET', '/allocations/{consumer}', self.allocations)
        r.add('GET', '/traits', self.traits)
        r.add('GET', '/resource_classes', self.resource_classes)
        r.add('GET', '/usages', self.project_usages)
        r.add('GET', '/allocation_candidates', self.allocation_candidates)

    def error_body(self, exc):
        return {'errors': [{'status': exc.code, 'title': exc.title,
                            'detail': exc.message,
                            'request_id': 'req-' + self.cloud.new_request_id(),
                            'code': 'placement.undefined_code'}]}

    def mv(self, req):
        return req.environ.get('simulator.version', (1, 0))

    def root(self, req):
        return wsgi.json_response({'versions': [{
            'id': 'v1.0', 'max_version': '1.39', 'min_version': '1.0',
            'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': ''}]}]})

    def _host(self, uuid):
        host = self.cloud.hosts_by_uuid.get(uuid)
        if host is None:
            raise errors.NotFound('No resource provider with uuid %s found'
                                  % uuid)
        return host

    def _provider_view(self, req, h):
        base = '/resource_providers/%s' % h.uuid
        links = [{'rel': 'self', 'href': base},
                 {'rel': 'inventories', 'href': base + '/inventories'},
                 {'rel': 'usages', 'href': base + '/usages'}]
        mv = self.mv(req)
        if mv >= (1, 1):
            links.append({'rel': 'aggregates', 'href': base + '/aggregates'})
        if mv >= (1, 6):
            links.append({'rel': 'traits', 'href': base + '/traits'})
        if mv >= (1, 11):
            links.append({'rel': 'allocations',
                          'href': base + '/allocations'})
        view = {'uuid': h.uuid, 'name': h.name, 'generation': h.generation,
                'links': links}
        if mv >= (1, 14):
            view['parent_provider_uuid'] = None
            view['root_provider_uuid'] = h.uuid
        return view

    def _aggregates_of(self, host):
        return sorted(a.uuid for a in self.cloud.aggregates.values()
                      if host.name in a.hosts)

    def list_providers(self, req):
        cloud = self.cloud
        name = req.GET.get('name')
        uuid = req.GET.get('uuid')
        member_of = req.GET.get('member_of')
        resources = req.GET.get('resources')
        with cloud.lock:
            if uuid:
                hosts = [cloud.hosts_by_uuid[uuid]] \
                    if uuid in cloud.hosts_by_uuid else []
            elif name:
                hosts = [cloud.hosts[name]] if name in cloud.hosts else []
            else:
                hosts = [cloud.hosts[n] for n in cloud.host_index.ids]
            if member_of:
                wanted = set(member_of.replace('in:', '').split(','))
                hosts = [h for h in hosts
                         if wanted & set(self._aggregates_of(h))]
            if resources:
                need = self._parse_resources(resources)
                hosts = [h for h in hosts if h.fits(need)]
            return wsgi.json_response({'resource_providers': [
                self._provider_view(req, h) for h in hosts]})

    @staticmethod
    def _parse_resources(text):
        need = {}
        for item in text.split(','):
            rc, _, amount = item.partition(':')
            try:
                need[rc.strip()] = int(amount)
            except ValueError:
                raise errors.BadRequest('Badly formed resources parameter. '
                                        'Expected resources query string '
                                        'parameter in form: ?resources='
                                        'VCPU:2,MEMORY_MB:1024. Got: %s.'
                                        % text)
            if rc.strip() not in ('VCPU', 'MEMORY_MB', 'DISK_GB'):
                need[rc.strip()] = 10 ** 12  # unknown class: never fits
        return need

    def show_provider(self, req, uuid):
        with self.cloud.lock:
            return wsgi.json_response(self._provider_view(req,
                                                          self._host(uuid)))

    def inventories(self, req, uuid):
        with self.cloud.lock:
            h = self._host(uuid)
            return wsgi.json_response({
                'resource_provider_generation': h.generation,
                'inventories': h.inventory()})

    def inventory(self, req, uuid, rc):
        with self.cloud.lock:
            h = self._host(uuid)
            inv = h.inventory()
            if rc not in inv:
                raise errors.NotFound(
                    'No inventory of class %s for %s' % (rc, uuid))
            body = dict(inv[rc])
            body['resource_provider_generation'] = h.generation
            return wsgi.json_response(body)

    def usages(self, req, uuid):
        with self.cloud.lock:
            h = self._host(uuid)
            return wsgi.json_response({
                'resource_provider_generation': h.generation,
                'usages': dict(h.usage)})

    def provider_aggregates(self, req, uuid):
        with self.cloud.lock:
            h = self._host(uuid)
            body = {'aggregates': self._aggregates_of(h)}
            if self.mv(req) >= (1, 19):
                body['resource_provider_generation'] = h.generation
            return wsgi.json_response(body)

    def provider_traits(self, req, uuid):
        with self.cloud.lock:
            h = self._host(uuid)
            traits = list(h.traits)
            if h.service.status == 'disabled':
                traits.append('COMPUTE_STATUS_DISABLED')
            return wsgi.json_response({
                'traits': sorted(set(traits)),
                'resource_provider_generation': h.generation})

    def provider_allocations(self, req, uuid):
        cloud = self.cloud
        with cloud.lock:
            h = self._host(uuid)
            allocs = {}
            for consumer, rps in cloud.allocations.items():
                if h.uuid in rps:
                    allocs[consumer] = {'resources': dict(rps[h.uuid])}
            return wsgi.json_response({
                'allocations': allocs,
                'resource_provider_generation': h.generation})

    def allocations(self, req, consumer):
        cloud = self.cloud
        mv = self.mv(req)
        with cloud.lock:
            allocs = cloud.allocations.get(consumer, {})
            body = {'allocations': {}}
            for rp, res in allocs.items():
                entry = {'resources': dict(res)}
                host = cloud.hosts_by_uuid.get(rp)
                if host is not None:
                    entry['generation'] = host.generation
                body['allocations'][rp] = entry
            if allocs and mv >= (1, 12):
                gen, project, user = cloud.consumer_generations.get(
                    consumer, (1, cloud.settings['project_id'],
                               cloud.settings['user_id']))
                body['project_id'] = project
                body['user_id'] = user
                if mv >= (1, 28):
                    body['consumer_generation'] = gen
                if mv >= (1, 38):
                    # Nova 34 sets no consumer type on its allocations
                    body['consumer_type'] = 'unknown'
            return wsgi.json_response(body)

    def traits(self, req):
        names = set(STANDARD_TRAITS)
        with self.cloud.lock:
            for h in self.cloud.hosts.values():
                names.update(h.traits)
        name = req.GET.get('name')
        if name:
            if name.startswith('startswith:'):
                prefix = name[len('startswith:'):]
                names = {n for n in names if n.startswith(prefix)}
            elif name.startswith('in:'):
                names &= set(name[3:].split(','))
        return wsgi.json_response({'traits': sorted(names)})

    def resource_classes(self, req):
        return wsgi.json_response({'resource_classes': [
            {'name': rc, 'links': [{'rel': 'self',
                                    'href': '/resource_classes/%s' % rc}]}
            for rc in ('VCPU', 'MEMORY_MB', 'DISK_GB', 'PCI_DEVICE',
                       'SRIOV_NET_VF', 'IPV4_ADDRESS')]})

    def project_usages(self, req):
        project = req.GET.get('project_id')
        if not project:
            raise errors.BadRequest("'project_id' is a required property")
        user = req.GET.get('user_id')
        cloud = self.cloud
        totals = {}
        with cloud.lock:
            for consumer, rps in cloud.allocations.items():
                info = cloud.consumer_generations.get(consumer)
                if not info or info[1] != project or (user and
                                                      info[2] != user):
                    continue
                for res in rps.values():
                    for rc, amount in res.items():
                        totals[rc] = totals.get(rc, 0) + amount
        return wsgi.json_response({'usages': totals})

    def allocation_candidates(self, req):
        resources = req.GET.get('resources')
        if not resources:
            raise errors.BadRequest("'resources' is a required property")
        need = self._parse_resources(resources)
        limit = wsgi.int_param(req, 'limit', None, minimum=1)
        cloud = self.cloud
        with cloud.lock:
            hosts = [cloud.hosts[n] for n in cloud.host_index.ids
                     if cloud.hosts[n].fits(need)]
            if limit:
                hosts = hosts[:limit]
            body = {
                'allocation_requests': [
                    {'allocations': {h.uuid: {'resources': dict(need)}}}
                    for h in hosts],
                'provider_summaries': {
                    h.uuid: {
                        'resources': {
                            rc: {'capacity': cap, 'used': h.usage[rc]}
                            for rc, cap in h.capacity().items()},
                        'traits': sorted(h.traits),
                        'parent_provider_uuid': None,
                        'root_provider_uuid': h.uuid}
                    for h in hosts}}
            return wsgi.json_response(body)
