import {h, table, errorState, statusBadge} from '../dom.js';
import {getJson, getText, seg} from '../api.js';
import {href} from '../router.js';
import {dataplaneStatus, subscriptions, lastHeartbeat, isoTime} from '../format.js';
import {View, timeAgo} from './view.js';

const TYPES = [['cds', 'Clusters'], ['eds', 'Endpoints'], ['lds', 'Listeners'], ['rds', 'Routes'], ['total', 'All']];

/** One dataplane: its status, every subscription of its insight, and the resource as YAML. */
class DataplaneView extends View {
  build() {
    const {mesh, name} = this.route;
    this.append(
      h('p', {}, h('a', {href: href('dataplanes', {mesh})}, `← Dataplanes of mesh ${mesh}`)),
      h('h1', {}, `Dataplane ${name}`));
  }

  async load() {
    const base = `/meshes/${seg(this.route.mesh)}/dataplanes/${seg(this.route.name)}`;
    const [overview, yaml] = await Promise.all([
      getJson(`${base}/_overview`),
      getText(base, 'application/yaml'),
    ]);
    return {overview, yaml};
  }

  show({overview, yaml}) {
    const subs = subscriptions(overview);
    const status = dataplaneStatus(overview);
    return [
      h('dl', {class: 'facts'},
        h('dt', {}, 'Status'), h('dd', {}, statusBadge(status)),
        h('dt', {}, 'Address'), h('dd', {}, overview.dataplane?.networking?.address ?? ''),
        h('dt', {}, 'Created'), h('dd', {}, isoTime(overview.creationTime)),
        h('dt', {}, 'Modified'), h('dd', {}, isoTime(overview.modificationTime))),
      h('h2', {}, 'xDS subscriptions'),
      subs.length === 0
        ? h('p', {class: 'muted', 'data-state': 'empty'}, 'Its proxy has never connected to the xDS service.')
        : table(`${subs.length} subscription${subs.length === 1 ? '' : 's'}, oldest first`,
          ['Replica', 'Connected', 'Disconnected', 'Last heartbeat', 'Envoy', 'Sent / ACK / NACK by type'],
          subs.map(subscriptionRow)),
      h('h2', {id: 'yaml-heading'}, 'Resource (YAML)'),
      h('pre', {class: 'yaml', tabindex: '0', 'aria-labelledby': 'yaml-heading'}, h('code', {}, yaml)),
    ];
  }

  errorView(error) {
    if (error.status === 404) {
      return errorState({
        title: `No dataplane ${this.route.name} in mesh ${this.route.mesh}`,
        detail: 'It may have been deleted, or the proxy deregistered when it left.',
      });
    }
    return errorState(error);
  }
}

function subscriptionRow(s) {
  const stats = s.status ?? {};
  return h('tr', {'data-subscription': s.id ?? ''},
    h('th', {scope: 'row'}, s.controlPlaneInstanceId ?? '—'),
    h('td', {}, isoTime(s.connectTime)),
    h('td', {}, s.disconnectTime ? isoTime(s.disconnectTime) : h('strong', {}, 'connected')),
    h('td', {}, timeAgo(lastHeartbeat(s))),
    h('td', {}, s.version?.envoy?.version ?? '—'),
    h('td', {}, h('ul', {class: 'plain'}, TYPES.filter(([key]) => stats[key]).map(([key, label]) => {
      const t = stats[key];
      return h('li', {}, `${label}: ${t.responsesSent} / ${t.responsesAcknowledged} / ${t.responsesRejected}`);
    }))));
}

customElements.define('quma-dataplane', DataplaneView);
