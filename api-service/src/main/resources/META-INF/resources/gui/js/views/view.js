import {h, replace, errorState} from '../dom.js';
import {report} from '../refresh.js';
import {ago} from '../format.js';

/** Answers that another read would only repeat: the page stops polling on them. */
const FINAL = [401, 403, 404];

/**
 * A page: a custom element that reads what it shows (load), draws it (show) and re-reads on each
 * refresh. It redraws only when the data changed, so a refresh never takes the keyboard focus
 * away from a link or field; relative times are updated in place instead. An answer that arrives
 * after a newer request was sent is dropped. After an answer that waiting cannot change (401,
 * 403, 404) the page stops polling; navigating or a new session reads it again.
 */
export class View extends HTMLElement {
  constructor() {
    super();
    this.route = null;
    this.sequence = 0;
    this.drawn = null;
    this.stopped = false;
  }

  /** A refresh of the live polling: skipped once the page stopped on a final answer. */
  poll() {
    if (!this.stopped) this.refresh();
  }

  connectedCallback() {
    if (!this.content) {
      this.classList.add('view');
      this.build();
      this.content = h('div', {class: 'content', 'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
      this.append(this.content);
    }
    this.refresh();
  }

  /** Called once before the first load: static parts such as headings and filter forms. */
  build() {}

  /** Same page, other query parameters (filters, page): re-read without rebuilding the form. */
  update(route) {
    this.route = route;
    this.refresh();
  }

  async refresh() {
    const mine = ++this.sequence;
    this.stopped = false;
    try {
      const data = await this.load();
      if (mine !== this.sequence || !this.isConnected) return;
      const key = JSON.stringify(data);
      if (key !== this.drawn) {
        this.drawn = key;
        replace(this.content, this.show(data));
      }
      this.content.removeAttribute('aria-busy');
      updateTimes(this.content);
      report(true);
    } catch (error) {
      if (mine !== this.sequence || !this.isConnected) return;
      this.drawn = null;
      this.content.removeAttribute('aria-busy');
      replace(this.content, this.errorView(error));
      this.stopped = FINAL.includes(error?.status);
      report(false, error, this.stopped);
    }
  }

  /** The error state; pages may add advice for their own errors. */
  errorView(error) {
    return errorState(error);
  }
}

/** <time> with a relative text that stays current between redraws. */
export function timeAgo(date) {
  if (!date) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: date.toISOString(), title: date.toISOString(), 'data-ago': ''}, ago(date));
}

function updateTimes(root) {
  for (const el of root.querySelectorAll('time[data-ago]')) {
    el.textContent = ago(new Date(el.getAttribute('datetime')));
  }
}
