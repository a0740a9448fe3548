// route-broker console: the little that must run in the browser. Pages work without it; it adds
// confirmations for actions and keeps a hosted VPC's page live from the route stream (SSE).

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

const status = document.getElementById('live-status');
if (status) followVpc(status);

/**
 * Subscribes to the VPC's route stream from the revision the page shows; on every change it
 * fetches the page's table part again (same filters, same page), at most a few times a second.
 */
function followVpc(status) {
  const vpc = status.dataset.vpc;
  let shown = Number(status.dataset.revision);
  let refreshing = null;
  let again = false;
  const partUrl = () => {
    const url = new URL(window.location.href);
    url.searchParams.set('part', 'table');
    return url;
  };
  const say = (text) => {
    status.textContent = text;
  };
  const refresh = async () => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = (async () => {
      try {
        const response = await fetch(partUrl(), { credentials: 'same-origin', headers: { Accept: 'text/html' } });
        if (response.redirected || !response.ok) throw new Error(`HTTP ${response.status}`);
        const holder = document.createElement('div');
        holder.innerHTML = await response.text();
        const part = holder.querySelector('#live-part');
        const current = document.getElementById('live-part');
        if (part && current) {
          current.replaceWith(part);
          shown = Number(part.dataset.revision);
          status.dataset.revision = String(shown);
        }
        say(`Live: revision ${shown}, updated ${new Date().toLocaleTimeString()}`);
      } catch (error) {
        say(`Live updates: could not refresh the table (${error.message}); reload the page`);
      }
    })();
    await refreshing;
    refreshing = null;
    if (again) {
      again = false;
      setTimeout(refresh, 250);
    }
  };
  const stream = new EventSource(`/api/v1/hosted-vpcs/${encodeURIComponent(vpc)}/route-stream?lastEventId=${shown}`);
  stream.addEventListener('open', () => say(`Live: revision ${shown}`));
  stream.addEventListener('error', () => say('Live updates: reconnecting…'));
  const onChange = (event) => {
    if (event.lastEventId && Number(event.lastEventId) <= shown) return;
    void refresh();
  };
  stream.addEventListener('delta', onChange);
  stream.addEventListener('snapshot', onChange);
}
