import {h, replace, table, errorState, statusBadge} from '../dom.js';
import {getJson, getText, seg} from '../api.js';
import {href} from '../router.js';
import {dataplaneStatus, subscriptions, lastHeartbeat, isoTime, tagList} from '../format.js';
import {View, timeAgo} from './view.js';

const TYPES = [['cds', 'Clusters'], ['eds', 'Endpoints'], ['lds', 'Listeners'], ['rds', 'Routes'], ['total', 'All']];

/**
 * One dataplane: its status, its inbounds with their tags and readiness, every subscription of its
 * insight, the xDS configuration its proxy holds (read on request), and the resource as YAML.
 */
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
    const networking = overview.dataplane?.networking ?? {};
    const inbounds = networking.inbound ?? [];
    return [
      h('dl', {class: 'facts'},
        h('dt', {}, 'Status'), h('dd', {}, statusBadge(status)),
        h('dt', {}, 'Address'), h('dd', {}, overview.dataplane?.networking?.address ?? ''),
        h('dt', {}, 'Created'), h('dd', {}, isoTime(overview.creationTime)),
        h('dt', {}, 'Modified'), h('dd', {}, isoTime(overview.modificationTime))),
      h('h2', {}, 'Inbounds'),
      inbounds.length === 0
        ? h('p', {class: 'muted'}, networking.gateway
          ? `A gateway: ${tagList(networking.gateway.tags).join(', ')}` : 'No inbounds.')
        : table(`${inbounds.length} inbound${inbounds.length === 1 ? '' : 's'}`,
          ['Port', 'Service port', 'Tags', 'State', 'Decided by'],
          inbounds.map((inbound, i) => inboundRow(inbound, overview.inboundHealth?.[i]))),
      h('h2', {}, 'xDS subscriptions'),
      subs.length === 0
        ? h('p', {class: 'muted', 'data-state': 'empty'}, 'Its proxy has never connected to the xDS service.')
        : table(`${subs.length} subscription${subs.length === 1 ? '' : 's'}, oldest first`,
          ['Replica', 'Connected', 'Disconnected', 'Last update from the xDS replica', 'Envoy', 'Sent / ACK / NACK by type'],
          subs.map(subscriptionRow)),
      h('h2', {}, 'xDS configuration'),
      status === 'offline'
        ? h('p', {class: 'muted'}, 'Its proxy is not connected: there is no configuration to show.')
        : this.configSection(),
      h('h2', {id: 'yaml-heading'}, 'Resource (YAML)'),
      h('pre', {class: 'yaml', tabindex: '0', 'aria-labelledby': 'yaml-heading'}, h('code', {}, yaml)),
    ];
  }

  /**
   * The config its proxy holds, as the xDS replica knows it (the API's .../xds): read only when
   * asked, since it is large and costs the replica a dump; rejected updates first, with Envoy's
   * message.
   */
  configSection() {
    // One section for the page's life: a redraw on the next poll moves it, and keeps what it shows.
    if (this.config) return this.config;
    const out = h('div', {id: 'xds-config', 'aria-live': 'polite'});
    const button = h('button', {type: 'button', onclick: async () => {
      button.disabled = true;
      replace(out, h('p', {class: 'muted'}, 'Reading…'));
      try {
        const base = `/meshes/${seg(this.route.mesh)}/dataplanes/${seg(this.route.name)}/xds`;
        replace(out, configView(await getJson(base)));
      } catch (error) {
        replace(out, errorState(error));
      }
      button.disabled = false;
    }}, 'Show the xDS configuration');
    this.config = h('div', {}, button, out);
    return this.config;
  }

  errorView(error) {
    if (error.status === 404) {
      return errorState({
        title: `No dataplane ${this.route.name} in mesh ${this.route.mesh}`,
        detail: 'It may have been deleted, or the proxy deregistered when it left.',
      }, h('p', {}, h('a', {href: href('dataplanes', {mesh: this.route.mesh})},
        `Go back to the dataplanes of mesh ${this.route.mesh}`)));
    }
    return errorState(error);
  }
}

/**
 * An inbound, with its health as the xDS tier sees it (the overview's inboundHealth: the stored
 * health, the proxy's connection, its probes) and what decided it.
 */
function inboundRow(inbound, health) {
  const notReady = health ? !health.ready
    : inbound.health?.ready === false || inbound.state === 'NotReady';
  const state = inbound.state === 'Ignored' ? 'Ignored' : notReady ? 'Not ready' : 'Ready';
  const source = health?.source ? SOURCES[health.source] ?? health.source : '';
  const why = health?.reason ? `${health.reason}${health.since ? ` (since ${isoTime(health.since)})` : ''}` : '';
  return h('tr', {'data-inbound': inbound.port, class: notReady ? 'unhealthy' : null},
    h('th', {scope: 'row'}, `${inbound.address ? `${inbound.address}:` : ''}${inbound.port}`),
    h('td', {}, inbound.servicePort ?? inbound.port),
    h('td', {}, h('ul', {class: 'tags'}, tagList(inbound.tags).map(t => h('li', {}, t)))),
    h('td', {}, h('span', {class: `inbound-state${notReady ? ' not-ready' : ''}`, 'data-state': state}, state)),
    h('td', {'data-source': health?.source ?? null}, source ? h('span', {title: why}, source) : null,
      why ? h('div', {class: 'muted'}, why) : null));
}

const SOURCES = {probe: 'Probe', connection: 'Connection', api: 'API', address: 'Address'};

function configView(dump) {
  const types = dump.quma?.types ?? [];
  const rejected = types.filter(t => t.lastRejected);
  return [
    rejected.length === 0
      ? h('p', {'data-nacks': '0'}, 'Envoy accepted every update it was sent.')
      : h('div', {'data-nacks': rejected.length}, rejected.map(t => h('p', {class: 'nack'},
        h('strong', {}, `${shortType(t.typeUrl)} rejected`), ` (version ${t.lastRejected.version}): `,
        h('code', {}, t.lastRejected.message ?? '')))),
    table('Per xDS type: what Envoy acknowledged and what was sent last',
      ['Type', 'Acknowledged version', 'Resources', 'Last sent version'],
      types.map(t => h('tr', {},
        h('th', {scope: 'row'}, shortType(t.typeUrl)),
        h('td', {}, t.acknowledged?.version || '—'),
        h('td', {class: 'num'}, t.acknowledged?.resources ?? 0),
        h('td', {}, t.lastSent?.version || '—')))),
    h('details', {},
      h('summary', {}, 'Envoy\'s config dump (JSON)'),
      h('pre', {class: 'json', tabindex: '0'}, h('code', {}, JSON.stringify({configs: dump.configs}, null, 2)))),
  ];
}

const TYPE_NAMES = {
  Cluster: 'Clusters (CDS)', Listener: 'Listeners (LDS)', ClusterLoadAssignment: 'Endpoints (EDS)',
  RouteConfiguration: 'Routes (RDS)', Secret: 'Secrets (SDS)',
};

function shortType(typeUrl) {
  const name = (typeUrl ?? '').split('.').pop();
  return TYPE_NAMES[name] ?? name;
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
