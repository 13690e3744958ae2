// Builds DOM nodes from data without ever parsing HTML: every value a server sends ends up as text,
// so a dataplane named "<img onerror=...>" shows as those characters and runs nothing.

/** h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, [more]) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A table with a caption and column headers (scope=col); rows are arrays of cells. */
export function table(caption, headers, rows, className = 'grid') {
  return h('table', {class: className},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(text => h('th', {scope: 'col'}, text)))),
    h('tbody', {}, rows));
}

/** The empty state: what is missing and how to add it. */
export function emptyState(title, ...help) {
  return h('section', {class: 'empty', 'data-state': 'empty'}, h('h2', {}, title), help);
}

/** The error state of a failed read; the API's own words when it answered; then any help nodes. */
export function errorState(error, ...help) {
  const unreachable = error?.kind === 'unreachable';
  return h('section', {class: 'error', role: 'alert', 'data-state': 'error'},
    h('h2', {}, unreachable ? 'The control plane API is unreachable' : (error?.title || 'Something went wrong')),
    h('p', {}, unreachable
      ? 'The page could not reach the API. Is api-service running? The page retries on its own.'
      : (error?.detail || error?.message || 'The API answered with an error.')),
    help,
    error?.status ? h('p', {class: 'muted'}, `HTTP ${error.status}`) : null);
}

/** A status pill: text plus a class for colour, so colour is never the only signal. */
export function statusBadge(status) {
  const words = {online: 'Online', offline: 'Offline', partiallyDegraded: 'Partially degraded'};
  return h('span', {class: `badge ${status}`, 'data-status': status}, words[status] ?? status);
}
