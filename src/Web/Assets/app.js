import { h, replace } from './lib/dom.js';
import { Live } from './lib/live.js';
import overview from './pages/overview.js';
import transfers from './pages/transfers.js';
import map from './pages/map.js';
import config from './pages/config.js';
import log from './pages/log.js';
import hooks from './pages/hooks.js';
import events from './pages/events.js';
import changes from './pages/changes.js';
import conflicts from './pages/conflicts.js';

// One module per page: { id, title, show(root, live) → cleanup }. A new page is one more module here and one
// line in this list.
const pages = [overview, transfers, changes, conflicts, map, config, log, hooks, events];

const live = new Live((text, kind) => {
  const badge = document.getElementById('connection');
  badge.textContent = text;
  badge.className = `badge ${kind}`;
});

let cleanup = null;

function route() {
  const id = location.hash.replace(/^#\/?/, '') || pages[0].id;
  const page = pages.find(p => p.id === id) ?? pages[0];
  replace(document.getElementById('nav'), pages.map(p => h('a', { href: `#/${p.id}`, className: p === page ? 'current' : '', 'data-page': p.id }, p.title)));
  if (cleanup) cleanup();
  const root = document.getElementById('page');
  replace(root);
  root.dataset.page = page.id;
  document.title = `Tether: ${page.title}`;
  cleanup = page.show(root, live) ?? null;
}

live.onStatus(status => { document.getElementById('repository').textContent = status.repository ?? ''; });
window.addEventListener('hashchange', route);
live.start();
route();
