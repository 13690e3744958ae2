import {h, table, emptyState, errorState} from '../dom.js';
import {getJson, postJson, seg, query} from '../api.js';
import {href} from '../router.js';
import {isoTime} from '../format.js';
import {meshHeader} from './mesh-nav.js';
import {View} from './view.js';

const SIZE = 50;

/**
 * The mesh's dataplane token ledger, read from the token-service through this origin's
 * pass-through, which carries the user's own token: the ledger is for admins only.
 */
class TokensView extends View {
  build() {
    const mesh = this.route.mesh;
    this.nameInput = h('input', {id: 'ledger-name', type: 'search', autocomplete: 'off'});
    this.nameInput.value = this.route.query.get('name') ?? '';
    this.message = h('p', {class: 'message', role: 'status', 'aria-live': 'polite'});
    this.append(...meshHeader(mesh, 'tokens'),
      h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter the ledger', onsubmit: e => {
        e.preventDefault();
        const name = this.nameInput.value.trim();
        location.hash = href('tokens', {mesh, query: name ? {name} : null});
      }},
        h('div', {}, h('label', {for: 'ledger-name'}, 'Dataplane name (exact)'), this.nameInput),
        h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Filter'))),
      this.message);
  }

  update(route) {
    this.route = route;
    this.nameInput.value = route.query.get('name') ?? '';
    this.refresh();
  }

  async load() {
    const q = this.route.query;
    const offset = Math.max(0, Number.parseInt(q.get('offset') ?? '0', 10) || 0);
    const [whoami, page] = await Promise.all([
      getJson('/who-am-i'),
      getJson(`/gui/api/tokens/dataplane/${seg(this.route.mesh)}/ledger${query({name: q.get('name'), offset, size: SIZE})}`),
    ]);
    return {admin: (whoami.groups ?? []).includes('mesh-system:admin'), page, offset};
  }

  show({admin, page, offset}) {
    if (page.total === 0) {
      return emptyState('No tokens issued in this mesh yet',
        h('p', {}, 'Issue one with qumactl (the ledger lists it at once):'),
        h('pre', {}, `bin/qumactl generate dataplane-token --mesh ${this.route.mesh} --name redis-1 --valid-for 24h`));
    }
    const now = Date.now();
    const rows = page.items.map(t => {
      const expired = t.expiresAt && Date.parse(t.expiresAt) < now;
      const state = t.revokedAt ? `Revoked ${isoTime(t.revokedAt)} by ${t.revokedBy ?? '?'}` : expired ? 'Expired' : 'Active';
      return h('tr', {'data-jti': t.jti, 'data-token-state': t.revokedAt ? 'revoked' : expired ? 'expired' : 'active'},
        h('th', {scope: 'row'}, t.name ?? h('span', {class: 'muted'}, 'any')),
        h('td', {}, h('code', {}, t.jti)),
        h('td', {class: 'time'}, isoTime(t.issuedAt)),
        h('td', {class: 'time'}, isoTime(t.expiresAt)),
        h('td', {}, t.issuedBy ?? ''),
        h('td', {}, state),
        !admin ? null : h('td', {}, !t.revokedAt && !expired
          ? h('button', {
            type: 'button', class: 'danger', onclick: () => this.revoke(t),
            'aria-label': `Revoke token ${t.jti} of ${t.name ?? 'any dataplane'}`,
          }, 'Revoke')
          : null));
    });
    const more = offset + page.items.length < page.total;
    return [
      table(`Tokens ${offset + 1}–${offset + page.items.length} of ${page.total}, newest first`,
        ['Dataplane', 'Token id', 'Issued', 'Expires', 'Issued by', 'State'].concat(admin ? ['Action'] : []), rows),
      h('nav', {class: 'pager', 'aria-label': 'Pages of the ledger'},
        offset > 0 ? h('a', {class: 'button', rel: 'prev', href: this.at(Math.max(0, offset - SIZE))}, 'Newer') : null,
        more ? h('a', {class: 'button', rel: 'next', href: this.at(offset + SIZE)}, 'Older') : null),
    ];
  }

  at(offset) {
    const params = new URLSearchParams(this.route.query);
    if (offset > 0) params.set('offset', String(offset)); else params.delete('offset');
    return href('tokens', {mesh: this.route.mesh, query: params});
  }

  async revoke(token) {
    if (!confirm(`Revoke token ${token.jti} of ${token.name ?? 'any dataplane'}? Its proxy will be refused from now on.`)) return;
    try {
      await postJson(`/gui/api/tokens/dataplane/${seg(this.route.mesh)}/revocations`, {jti: token.jti});
      this.message.textContent = `Token ${token.jti} revoked.`;
    } catch (error) {
      this.message.textContent = `Could not revoke ${token.jti}: ${error.detail || error.title || error.message}`;
    }
    this.refresh();
  }

  errorView(error) {
    if (error.status === 401 || error.status === 403) {
      // The local admin never gets here (the API forwards the admin token for it): this caller
      // reaches the GUI from elsewhere, or its own token is not an admin's.
      return errorState({
        status: error.status,
        title: 'The token ledger is for admins',
        detail: 'The token service needs an admin user token from a caller that is not on the control '
          + 'plane host. Enter one above (Use token). On the control plane host, this prints it:',
      }, h('pre', {}, h('code', {}, 'curl -s localhost:5681/global-secrets/admin-user-token \\\n'
          + '  | sed \'s/.*"data":"\\([^"]*\\)".*/\\1/\' | base64 -d')));
    }
    if (error.status === 502 || error.status === 504) {
      return errorState({status: error.status, title: 'The token service is unreachable',
        detail: `${error.detail || ''} The rest of the GUI works without it.`.trim()});
    }
    return errorState(error);
  }
}

customElements.define('quma-tokens', TokensView);
