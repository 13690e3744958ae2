import {h, table} from '../dom.js';
import {isoTime} from '../format.js';
import {getJson} from '../api.js';
import {href} from '../router.js';
import {View, timeAgo} from './view.js';

/**
 * The first page: how many meshes, dataplanes by status and services there are (the API's
 * global insight, summed over the meshes), which API replica answered, and the xDS replicas that
 * serve proxies (from their heartbeats).
 */
class HomeView extends View {
  build() {
    this.append(h('h1', {}, 'Overview'));
  }

  async load() {
    const [insight, index, xds] = await Promise.all(
      [getJson('/global-insight'), getJson('/'), getJson('/_xds-replicas')]);
    // Only what is shown: the insight's createdAt changes on every read and would redraw the page.
    const kinds = Object.values(insight.dataplanes ?? {});
    const sum = field => kinds.reduce((n, k) => n + Number(k?.[field] ?? 0), 0);
    return {
      meshes: Number(insight.meshes?.total ?? 0),
      dataplanes: {total: sum('total'), online: sum('online'), partiallyDegraded: sum('partiallyDegraded'), offline: sum('offline')},
      services: Number(insight.services?.total ?? 0),
      replica: {product: index.implementation ?? index.product, version: index.implementationVersion ?? index.version,
        kumaVersion: index.basedOnKuma, hostname: index.hostname, instanceId: index.instanceId},
      // An online replica's heartbeat moves on every read: only an ended one's last is shown.
      xdsReplicas: (xds.items ?? []).map(r => ({
        id: r.instanceId, online: r.online, startedAt: r.startedAt, meshes: r.meshes ?? [],
        lastHeartbeat: r.online ? null : r.heartbeatHoldsUntil,
      })),
    };
  }

  show({meshes, dataplanes, services, replica, xdsReplicas}) {
    return [
      h('ul', {class: 'tiles'},
        tile('meshes', 'Meshes', meshes, h('a', {href: href('meshes')}, 'See the meshes')),
        tile('dataplanes', 'Dataplanes', dataplanes.total,
          h('ul', {class: 'plain'},
            h('li', {}, h('span', {'data-count': 'online'}, dataplanes.online), ' online'),
            h('li', {}, h('span', {'data-count': 'partiallyDegraded'}, dataplanes.partiallyDegraded), ' partially degraded'),
            h('li', {}, h('span', {'data-count': 'offline'}, dataplanes.offline), ' offline'))),
        tile('services', 'Services', services, null)),
      h('h2', {}, 'Control plane'),
      h('dl', {class: 'facts', 'data-replica': replica.instanceId ?? ''},
        h('dt', {}, 'API replica'), h('dd', {}, replica.instanceId ?? '—'),
        h('dt', {}, 'Host'), h('dd', {}, replica.hostname ?? '—'),
        h('dt', {}, 'Version'), h('dd', {}, `${replica.product ?? 'Quma'} ${replica.version ?? ''}`.trim()
          + (replica.kumaVersion ? ` (answers as Kuma ${replica.kumaVersion})` : ''))),
      xdsTable(xdsReplicas),
      meshes === 0 ? null : h('p', {class: 'muted'},
        'Each mesh page lists its dataplanes, services and token ledger.'),
    ];
  }
}

function xdsTable(replicas) {
  if (replicas.length === 0) {
    return h('p', {class: 'muted', 'data-xds-replicas': '0'},
      'No xDS replica serves a proxy yet: replicas appear here once a proxy connects.');
  }
  const online = replicas.filter(r => r.online).length;
  const rows = replicas.map(r => h('tr', {'data-xds-replica': r.id, 'data-online': String(r.online)},
    h('th', {scope: 'row'}, r.id),
    h('td', {}, r.online ? 'Online' : `Offline (last heartbeat held until ${isoTime(r.lastHeartbeat)})`),
    h('td', {}, timeAgo(new Date(r.startedAt))),
    h('td', {}, r.meshes.join(', '))));
  return table(`xDS replicas: ${online} of ${replicas.length} online`,
    ['xDS replica', 'Status', 'Started', 'Meshes served'], rows);
}

function tile(key, label, count, more) {
  return h('li', {class: 'tile', 'data-tile': key},
    h('p', {class: 'tile-count', 'data-count': 'total'}, count),
    h('p', {class: 'tile-label'}, label),
    more);
}

customElements.define('quma-home', HomeView);
