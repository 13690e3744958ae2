// Reads the control plane's HTTP API on this page's own origin. The user token (if any) lives in
// sessionStorage only: it is sent as a Bearer token to this origin and forgotten with the tab.

const TOKEN_KEY = 'quma.userToken';

export function userToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setUserToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
  document.dispatchEvent(new CustomEvent('quma-session-changed'));
}

/** A failed call: kind 'unreachable' (no answer) or 'http' (an error answer, Kuma's error body). */
export class ApiError extends Error {
  constructor(kind, status, title, detail) {
    super(detail || title || kind);
    this.kind = kind;
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function call(path, {method = 'GET', accept = 'application/json', body} = {}) {
  const headers = {Accept: accept};
  const token = userToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('unreachable', 0, 'Unreachable', e.message);
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not Kuma's error shape */ }
    throw new ApiError('http', response.status,
      problem.title || `${response.status} ${response.statusText}`, problem.detail);
  }
  return response;
}

export async function getJson(path) {
  return (await call(path)).json();
}

export async function getText(path, accept) {
  return (await call(path, {accept})).text();
}

export async function postJson(path, body) {
  return (await call(path, {method: 'POST', body})).json();
}

/** Path segment encoding for mesh and dataplane names. */
export const seg = encodeURIComponent;

/** A query string from an object; empty values left out, arrays repeated. */
export function query(params) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== '') out.append(key, String(v));
    }
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}
