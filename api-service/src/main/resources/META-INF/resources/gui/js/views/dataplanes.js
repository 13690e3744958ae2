import {h, table, emptyState, errorState, statusBadge} from '../dom.js';
import {getJson, seg, query} from '../api.js';
import {href} from '../router.js';
import {dataplaneStatus, currentSubscription, lastHeartbeat, ackNack, tagList} from '../format.js';
import {meshHeader} from './mesh-nav.js';
import {View, timeAgo} from './view.js';

const SIZES = ['25', '50', '100'];

/**
 * The dataplanes of a mesh, a page at a time: filtering and paging happen on the server
 * (the overview endpoint), so a page costs the same with 10 or 10,000 dataplanes.
 */
class DataplanesView extends View {
  build() {
    const mesh = this.route.mesh;
    this.nameInput = h('input', {id: 'filter-name', name: 'name', type: 'search', autocomplete: 'off'});
    this.tagInput = h('input', {
      id: 'filter-tag', name: 'tag', type: 'search', autocomplete: 'off',
      placeholder: 'kuma.io/service:web', 'aria-describedby': 'filter-tag-help',
    });
    this.sizeSelect = h('select', {id: 'filter-size', name: 'size'}, SIZES.map(s => h('option', {value: s}, s)));
    const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter dataplanes', onsubmit: e => {
      e.preventDefault();
      location.hash = href('dataplanes', {mesh, query: this.filters()});
    }},
      h('div', {}, h('label', {for: 'filter-name'}, 'Name contains'), this.nameInput),
      h('div', {}, h('label', {for: 'filter-tag'}, 'Tags'), this.tagInput,
        h('small', {id: 'filter-tag-help'}, 'key:value, several separated by spaces; the value matches as a substring')),
      h('div', {}, h('label', {for: 'filter-size'}, 'Per page'), this.sizeSelect),
      h('div', {class: 'actions'},
        h('button', {type: 'submit'}, 'Filter'),
        h('button', {type: 'button', onclick: () => { location.hash = href('dataplanes', {mesh}); }}, 'Clear')));
    this.append(...meshHeader(mesh, 'dataplanes'), form);
    this.syncForm();
  }

  update(route) {
    this.route = route;
    this.syncForm();
    this.refresh();
  }

  syncForm() {
    const q = this.route.query;
    this.nameInput.value = q.get('name') ?? '';
    this.tagInput.value = q.getAll('tag').join(' ');
    this.sizeSelect.value = SIZES.includes(q.get('size')) ? q.get('size') : '50';
  }

  /** The form's filters as a route query (a new filter starts at the first page). */
  filters() {
    const params = new URLSearchParams();
    if (this.nameInput.value.trim()) params.set('name', this.nameInput.value.trim());
    for (const tag of this.tagInput.value.split(/\s+/).filter(Boolean)) params.append('tag', tag);
    if (this.sizeSelect.value !== '50') params.set('size', this.sizeSelect.value);
    return params;
  }

  paging() {
    const q = this.route.query;
    const size = SIZES.includes(q.get('size')) ? Number(q.get('size')) : 50;
    const offset = Math.max(0, Number.parseInt(q.get('offset') ?? '0', 10) || 0);
    return {size, offset};
  }

  async load() {
    const q = this.route.query;
    const {size, offset} = this.paging();
    const page = await getJson(`/meshes/${seg(this.route.mesh)}/dataplanes/_overview`
      + query({size, offset, name: q.get('name'), tag: q.getAll('tag')}));
    return {total: page.total, items: page.items, size, offset};
  }

  show({total, items, size, offset}) {
    const mesh = this.route.mesh;
    const filtered = this.route.query.has('name') || this.route.query.has('tag');
    if (total === 0 && !filtered) return noDataplanes(mesh);
    if (items.length === 0) {
      return emptyState(filtered ? 'No dataplanes match these filters' : 'Nothing on this page',
        h('p', {}, h('a', {href: href('dataplanes', {mesh})}, 'Show every dataplane')));
    }
    const rows = items.map(row);
    const first = offset + 1;
    const last = offset + items.length;
    return [
      table(`Dataplanes ${first}–${last} of ${total} in mesh ${mesh}`,
        ['Name', 'Status', 'Address', 'Inbounds', 'Outbounds', 'Tags', 'xDS replica', 'Last heartbeat', 'ACK / NACK'],
        rows),
      this.pager(total, size, offset),
    ];
  }

  pager(total, size, offset) {
    const at = o => {
      const params = new URLSearchParams(this.route.query);
      if (o > 0) params.set('offset', String(o)); else params.delete('offset');
      return href('dataplanes', {mesh: this.route.mesh, query: params});
    };
    const link = (label, o, enabled, rel) => enabled
      ? h('a', {href: at(o), rel, class: 'button'}, label)
      : h('span', {class: 'button disabled', 'aria-disabled': 'true'}, label);
    const pages = Math.max(1, Math.ceil(total / size));
    const current = Math.floor(offset / size) + 1;
    return h('nav', {class: 'pager', 'aria-label': 'Pages of dataplanes'},
      link('First', 0, offset > 0, null),
      link('Previous', Math.max(0, offset - size), offset > 0, 'prev'),
      h('span', {}, `Page ${current} of ${pages}`),
      link('Next', offset + size, offset + size < total, 'next'),
      link('Last', (pages - 1) * size, offset + size < total, null));
  }

  errorView(error) {
    if (error.status === 404) {
      return errorState({title: `Mesh ${this.route.mesh} does not exist`, detail: 'Check the name.'},
        h('p', {}, h('a', {href: href('meshes')}, 'Go back to the list of meshes')));
    }
    return errorState(error);
  }
}

function row(overview) {
  const networking = overview.dataplane?.networking ?? {};
  const subscription = currentSubscription(overview);
  const counts = ackNack(subscription);
  const status = dataplaneStatus(overview);
  const inbounds = (networking.inbound ?? []).map(i =>
    `${i.port}${i.servicePort ? `→${i.servicePort}` : ''} ${i.tags?.['kuma.io/service'] ?? ''}`.trim());
  if (networking.gateway) inbounds.unshift(`gateway ${networking.gateway.tags?.['kuma.io/service'] ?? ''}`);
  const outbounds = (networking.outbound ?? []).map(o =>
    `${o.port} ${o.tags?.['kuma.io/service'] ?? o.backendRef?.name ?? ''}`.trim());
  const tags = [...new Set((networking.inbound ?? []).flatMap(i => tagList(i.tags))
    .concat(networking.gateway ? tagList(networking.gateway.tags) : []))];
  return h('tr', {'data-dataplane': overview.name, 'data-status': status},
    h('th', {scope: 'row'}, h('a', {href: href('dataplane', {mesh: overview.mesh, name: overview.name})}, overview.name)),
    h('td', {}, statusBadge(status)),
    h('td', {}, networking.address ?? ''),
    h('td', {}, list(inbounds)),
    h('td', {}, list(outbounds)),
    h('td', {}, list(tags, 'tags')),
    h('td', {}, subscription?.controlPlaneInstanceId ?? h('span', {class: 'muted'}, 'never connected')),
    h('td', {}, timeAgo(lastHeartbeat(subscription))),
    h('td', {class: 'num'}, subscription ? `${counts.acked} / ${counts.nacked}` : '—'));
}

function list(items, className = 'plain') {
  if (items.length === 0) return h('span', {class: 'muted'}, 'none');
  return h('ul', {class: className}, items.map(item => h('li', {}, item)));
}

function noDataplanes(mesh) {
  return emptyState('No dataplanes yet: here is how to add one',
    h('p', {}, 'Register a dataplane with the HTTP API (or let a proxy register itself when it connects):'),
    h('pre', {}, `cat > dp.yaml <<'YAML'
type: Dataplane
mesh: ${mesh}
name: redis-1
networking:
  address: 192.168.0.1
  inbound:
  - port: 9000
    servicePort: 6379
    tags:
      kuma.io/service: redis
YAML
curl -X PUT --data-binary @dp.yaml -H 'Content-Type: application/yaml' \\
  localhost:5681/meshes/${mesh}/dataplanes/redis-1`),
    h('p', {}, 'It shows here at once, offline until its proxy connects to the xDS service.'));
}

customElements.define('quma-dataplanes', DataplanesView);
