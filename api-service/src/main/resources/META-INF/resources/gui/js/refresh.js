// Live refresh: the current page re-reads the API every few seconds, not while the tab is hidden
// or the user switched it off. Status changes (fine, failing, back) are announced politely once;
// the time of the last good read is shown but not announced.

export const INTERVAL_MS = 5000;

let failing = null;

export function report(ok, error) {
  const status = document.getElementById('refresh-status');
  const time = document.getElementById('refresh-time');
  if (ok) {
    // null: first read or already said "back"; the read after "back" settles on "Up to date."
    if (failing === true) status.textContent = 'Connection to the API is back.';
    else if (status.textContent !== 'Up to date.') status.textContent = 'Up to date.';
    failing = false;
    time.textContent = `Last read ${new Date().toLocaleTimeString()}`;
  } else if (failing !== true) {
    failing = true;
    status.textContent = error?.kind === 'unreachable'
      ? 'The API is unreachable; retrying.' : 'The last read failed; retrying.';
  }
}

export function startPolling(currentView) {
  const live = document.getElementById('live');
  const tick = () => {
    if (document.hidden || !live.checked) return;
    currentView()?.refresh();
  };
  setInterval(tick, INTERVAL_MS);
  document.addEventListener('visibilitychange', tick);
  live.addEventListener('change', tick);
}
