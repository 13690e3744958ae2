// Hash routes, so that every page has a link of its own that works from a static file server:
//   #/                                     the overview (global insight)
//   #/meshes                               meshes
//   #/meshes/{mesh}/services               services of a mesh
//   #/meshes/{mesh}/dataplanes?name=&tag=&offset=&size=
//   #/meshes/{mesh}/dataplanes/{name}      one dataplane
//   #/meshes/{mesh}/tokens?name=&offset=   the token ledger

/** {view, mesh, name, query} of a location hash; null when it is not a route. */
export function parse(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text !== '' && !text.startsWith('/')) return null;
  const [path, search = ''] = text.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0) return {view: 'home', query};
  if (parts.length === 1 && parts[0] === 'meshes') return {view: 'meshes', query};
  if (parts[0] !== 'meshes') return {view: 'not-found', query};
  const mesh = parts[1];
  if (parts.length === 2) return {view: 'dataplanes', mesh, query};
  if (parts.length === 3 && ['services', 'dataplanes', 'tokens'].includes(parts[2])) {
    return {view: parts[2], mesh, query};
  }
  if (parts.length === 4 && parts[2] === 'dataplanes') return {view: 'dataplane', mesh, name: parts[3], query};
  return {view: 'not-found', query};
}

/** The hash of a route. */
export function href(view, {mesh, name, query} = {}) {
  const m = encodeURIComponent(mesh ?? '');
  const base = {
    home: '#/',
    meshes: '#/meshes',
    services: `#/meshes/${m}/services`,
    dataplanes: `#/meshes/${m}/dataplanes`,
    tokens: `#/meshes/${m}/tokens`,
    dataplane: `#/meshes/${m}/dataplanes/${encodeURIComponent(name ?? '')}`,
  }[view];
  const search = query ? new URLSearchParams(query).toString() : '';
  return search ? `${base}?${search}` : base;
}

/** Same page, maybe other query parameters. */
export function samePage(a, b) {
  return a && b && a.view === b.view && a.mesh === b.mesh && a.name === b.name;
}
