// The GUI's entry: maps the location hash to a page element, keeps the breadcrumb current and
// drives the live refresh. Pages are custom elements, one module each.
import './session.js';
import './views/home.js';
import './views/meshes.js';
import './views/services.js';
import './views/dataplanes.js';
import './views/dataplane.js';
import './views/tokens.js';
import {h, replace, emptyState} from './dom.js';
import {parse, href, samePage} from './router.js';
import {startPolling} from './refresh.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const TAGS = {
  home: 'quma-home', meshes: 'quma-meshes', services: 'quma-services', dataplanes: 'quma-dataplanes',
  dataplane: 'quma-dataplane', tokens: 'quma-tokens',
};
let current = null;
let view = null;

function navigate() {
  const route = parse(location.hash);
  if (!route) return; // an in-page anchor, not a route
  if (samePage(route, current) && view?.update) {
    current = route;
    view.update(route);
    return;
  }
  const first = current === null;
  current = route;
  if (route.view === 'not-found') {
    view = null;
    replace(main, emptyState('No such page', h('p', {}, h('a', {href: href('meshes')}, 'Go to the meshes'))));
  } else {
    view = document.createElement(TAGS[route.view]);
    view.route = route;
    replace(main, view);
  }
  drawCrumbs(route);
  document.title = ['Quma', route.mesh, route.name].filter(Boolean).join(' · ');
  // Moves the focus to the new page for keyboard and screen reader users (not on first load).
  if (!first) main.focus({preventScroll: false});
}

function drawCrumbs(route) {
  if (route.view === 'home') {
    replace(crumbs, h('li', {}, h('a', {href: href('home'), 'aria-current': 'page'}, 'Overview')));
    return;
  }
  const items = [[href('meshes'), 'Meshes']];
  if (route.mesh) items.push([href('dataplanes', {mesh: route.mesh}), route.mesh]);
  if (route.view === 'services') items.push([href('services', {mesh: route.mesh}), 'Services']);
  if (route.view === 'tokens') items.push([href('tokens', {mesh: route.mesh}), 'Token ledger']);
  if (route.name) items.push([href('dataplane', route), route.name]);
  replace(crumbs, items.map(([link, label], i) => h('li', {},
    h('a', {href: link, 'aria-current': i === items.length - 1 ? 'page' : null}, label))));
}

document.getElementById('skip').addEventListener('click', e => {
  e.preventDefault();
  main.focus();
});
document.addEventListener('quma-session-changed', () => view?.refresh());
window.addEventListener('hashchange', navigate);
navigate();
startPolling(() => view);
