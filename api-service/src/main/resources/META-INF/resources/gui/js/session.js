import {h, replace} from './dom.js';
import {getJson, userToken, setUserToken} from './api.js';

/**
 * Who the API takes the user for, and a field to use a user token instead (needed for the token
 * ledger, and for everything when the API requires tokens for reads).
 */
class Session extends HTMLElement {
  connectedCallback() {
    this.who = h('span', {class: 'who', 'aria-live': 'polite'});
    this.body = h('div', {class: 'session'});
    this.append(this.who, this.body);
    document.addEventListener('quma-session-changed', () => this.draw());
    this.draw();
  }

  async draw() {
    if (userToken()) {
      replace(this.body, h('button', {type: 'button', onclick: () => setUserToken('')}, 'Forget token'));
    } else {
      const input = h('input', {id: 'user-token', type: 'password', autocomplete: 'off', size: '16'});
      replace(this.body, h('form', {onsubmit: e => { e.preventDefault(); setUserToken(input.value); }},
        h('label', {for: 'user-token'}, 'User token'), input, h('button', {type: 'submit'}, 'Use token')));
    }
    try {
      const me = await getJson('/who-am-i');
      this.who.textContent = `Signed in as ${me.name}${(me.groups ?? []).includes('mesh-system:admin') ? ' (admin)' : ''}`;
    } catch (error) {
      this.who.textContent = error.status === 401 ? 'The token was refused' : '';
    }
  }
}

customElements.define('quma-session', Session);
