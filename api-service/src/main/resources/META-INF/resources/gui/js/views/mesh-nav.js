import {h} from '../dom.js';
import {href} from '../router.js';

/** The heading of a mesh's pages and the links between them; the current one is marked. */
export function meshHeader(mesh, current) {
  const pages = [['dataplanes', 'Dataplanes'], ['services', 'Services'], ['tokens', 'Token ledger']];
  return [
    h('h1', {}, `Mesh ${mesh}`),
    h('nav', {class: 'tabs', 'aria-label': `Pages of mesh ${mesh}`},
      h('ul', {}, pages.map(([view, label]) => h('li', {},
        h('a', {href: href(view, {mesh}), 'aria-current': view === current ? 'page' : null}, label))))),
  ];
}
