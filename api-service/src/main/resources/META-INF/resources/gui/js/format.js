// What the GUI derives from the API's answers: a dataplane's status by the rules the counters use
// (README, "Operator views"), its latest subscription, and times for people.

/** Online, offline or partiallyDegraded, from a DataplaneOverview. */
export function dataplaneStatus(overview) {
  const online = subscriptions(overview).some(s => s.connectTime && !s.disconnectTime);
  if (!online) return 'offline';
  const networking = overview.dataplane?.networking ?? {};
  if (networking.gateway) return 'online';
  // The overview's inboundHealth (stored health, connection, probes) where the API gives it.
  const health = overview.inboundHealth ?? [];
  const counted = (networking.inbound ?? []).map((inbound, i) => ({inbound, health: health[i]}))
    .filter(({inbound}) => inbound.state !== 'Ignored');
  const notReady = counted.filter(({inbound, health}) => health ? !health.ready
    : inbound.health?.ready === false || inbound.state === 'NotReady').length;
  if (notReady === counted.length) return 'offline';
  return notReady > 0 ? 'partiallyDegraded' : 'online';
}

export function subscriptions(overview) {
  return overview.dataplaneInsight?.subscriptions ?? [];
}

/** The subscription that tells the current story: the open one, else the latest. */
export function currentSubscription(overview) {
  const all = subscriptions(overview);
  return all.find(s => s.connectTime && !s.disconnectTime) ?? all[all.length - 1] ?? null;
}

/** When the xDS tier last wrote this subscription's state (its latest time stamp). */
export function lastHeartbeat(subscription) {
  if (!subscription) return null;
  const times = [subscription.status?.lastUpdateTime, subscription.connectTime, subscription.disconnectTime]
    .filter(Boolean).map(t => Date.parse(t)).filter(t => !Number.isNaN(t));
  return times.length ? new Date(Math.max(...times)) : null;
}

/** ACK and NACK counts of a subscription, all xDS types together. */
export function ackNack(subscription) {
  const total = subscription?.status?.total;
  return {
    sent: Number(total?.responsesSent ?? 0),
    acked: Number(total?.responsesAcknowledged ?? 0),
    nacked: Number(total?.responsesRejected ?? 0),
  };
}

/** "3 s ago", "5 min ago", ... with the exact time kept for a title attribute. */
export function ago(date, now = Date.now()) {
  if (!date) return '—';
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function isoTime(value) {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('.000Z', 'Z');
}

/** "key=value" strings of a tag map, service first. */
export function tagList(tags) {
  return Object.entries(tags ?? {})
    .sort(([a], [b]) => (a === 'kuma.io/service' ? -1 : b === 'kuma.io/service' ? 1 : a.localeCompare(b)))
    .map(([k, v]) => `${k}=${v}`);
}
