import {h, table, emptyState, statusBadge} from '../dom.js';
import {getJson, seg} from '../api.js';
import {href} from '../router.js';
import {meshHeader} from './mesh-nav.js';
import {View} from './view.js';

/** The services of a mesh with their online and offline instances (service insights). */
class ServicesView extends View {
  build() {
    this.append(...meshHeader(this.route.mesh, 'services'));
  }

  async load() {
    const items = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await getJson(`/meshes/${seg(this.route.mesh)}/service-insights?size=1000&offset=${offset}`);
      items.push(...page.items);
      if (!page.next || page.items.length === 0) break;
    }
    return items;
  }

  show(services) {
    const mesh = this.route.mesh;
    if (services.length === 0) {
      return emptyState('No services yet',
        h('p', {}, 'A service appears when a dataplane carries it in an inbound tag kuma.io/service. ',
          h('a', {href: href('dataplanes', {mesh})}, 'See the dataplanes'), ' for how to add one.'));
    }
    const kinds = {internal: 'Service', gateway_builtin: 'Built-in gateway', gateway_delegated: 'Delegated gateway'};
    const rows = services.map(s => h('tr', {'data-service': s.name},
      h('th', {scope: 'row'}, h('a', {
        href: href('dataplanes', {mesh, query: {tag: `kuma.io/service:${s.name}`}}),
        title: `Dataplanes of ${s.name}`,
      }, s.name)),
      h('td', {}, kinds[s.serviceType] ?? s.serviceType),
      h('td', {}, statusBadge(s.status === 'partially_degraded' ? 'partiallyDegraded' : s.status)),
      h('td', {class: 'num', 'data-count': 'online'}, s.dataplanes.online),
      h('td', {class: 'num', 'data-count': 'offline'}, s.dataplanes.offline),
      h('td', {class: 'num'}, s.dataplanes.total)));
    return table(`${services.length} service${services.length === 1 ? '' : 's'} in mesh ${mesh}`,
      ['Service', 'Kind', 'Status', 'Online instances', 'Offline instances', 'Instances'], rows);
  }
}

customElements.define('quma-services', ServicesView);
