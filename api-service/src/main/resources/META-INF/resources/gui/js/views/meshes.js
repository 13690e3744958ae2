import {h, table, emptyState} from '../dom.js';
import {getJson} from '../api.js';
import {href} from '../router.js';
import {View} from './view.js';

/** Every mesh with its dataplanes by status and its number of services (mesh insights). */
class MeshesView extends View {
  build() {
    this.append(h('h1', {}, 'Meshes'));
  }

  async load() {
    const items = [];
    // Meshes are few; read them all, a page at a time.
    for (let offset = 0; ; offset += 100) {
      const page = await getJson(`/mesh-insights?size=100&offset=${offset}`);
      items.push(...page.items);
      if (!page.next || page.items.length === 0) break;
    }
    return items;
  }

  show(meshes) {
    if (meshes.length === 0) {
      return emptyState('No meshes yet',
        h('p', {}, 'Create one with the HTTP API:'),
        h('pre', {}, `curl -X PUT localhost:5681/meshes/demo -H 'Content-Type: application/json' \\\n  -d '{"type":"Mesh","name":"demo"}'`));
    }
    const rows = meshes.map(m => h('tr', {'data-mesh': m.name},
      h('th', {scope: 'row'}, h('a', {href: href('dataplanes', {mesh: m.name})}, m.name)),
      h('td', {class: 'num'}, m.dataplanes.total),
      h('td', {class: 'num'}, m.dataplanes.online),
      h('td', {class: 'num'}, m.dataplanes.partiallyDegraded),
      h('td', {class: 'num'}, m.dataplanes.offline),
      h('td', {class: 'num'}, h('a', {href: href('services', {mesh: m.name})}, m.services.total)),
      h('td', {}, h('a', {href: href('tokens', {mesh: m.name})}, 'Token ledger'))));
    return table(`${meshes.length} mesh${meshes.length === 1 ? '' : 'es'}`,
      ['Mesh', 'Dataplanes', 'Online', 'Partially degraded', 'Offline', 'Services', 'Tokens'], rows);
  }
}

customElements.define('quma-meshes', MeshesView);
