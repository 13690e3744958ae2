// Live refresh: the current page re-reads the API every few seconds, not while the tab is hidden
// or the user switched it off. Status changes (fine, failing, back) are announced politely once;
// the time of the last good read is shown but not announced.

export const INTERVAL_MS = 5000;

let failing = null; // null: nothing said yet; false: fine; else the kind of the last failure

export function report(ok, error, final = false) {
  const status = document.getElementById('refresh-status');
  const time = document.getElementById('refresh-time');
  if (ok) {
    // After "back", the next good read settles on "Up to date." (announced once).
    if (failing === 'unreachable') status.textContent = 'Connection to the API is back.';
    else if (status.textContent !== 'Up to date.') status.textContent = 'Up to date.';
    failing = false;
    time.textContent = `Last read ${new Date().toLocaleTimeString()}`;
  } else {
    const kind = final ? `final-${error.status}` : error?.kind === 'unreachable' ? 'unreachable' : 'error';
    if (failing !== kind) {
      status.textContent = final
        ? `Not refreshing this page: the API answered ${error.status}.`
        : kind === 'unreachable' ? 'The API is unreachable; retrying.' : 'The last read failed; retrying.';
    }
    failing = kind;
  }
}

export function startPolling(currentView) {
  const live = document.getElementById('live');
  const tick = () => {
    if (document.hidden || !live.checked) return;
    currentView()?.poll();
  };
  setInterval(tick, INTERVAL_MS);
  document.addEventListener('visibilitychange', tick);
  live.addEventListener('change', tick);
}
