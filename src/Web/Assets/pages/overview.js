import { h, replace } from '../lib/dom.js';
import { operation, encode } from '../lib/actions.js';
import { when } from '../lib/format.js';

function reachability(remote) {
  if (remote.unavailable) return ['unavailable', 'bad'];
  if (remote.last_pull_ok === true || remote.last_push_ok === true) return ['reachable', 'ok'];
  if (remote.last_pull_ok === false || remote.last_push_ok === false) return ['unreachable', 'bad'];
  return ['not tried yet', 'warn'];
}

function result(ok, at, error) {
  if (ok === null || ok === undefined) return h('span', { className: 'muted' }, 'not yet');
  return h('span', { className: ok ? 'ok' : 'bad' }, ok ? `ok, ${when(at)}` : `failed ${when(at)}: ${error ?? ''}`);
}

function remoteCard(remote, transfers, live, messages) {
  const mine = transfers.filter(t => t.remote === remote.name);
  const [state, kind] = reachability(remote);
  return h('section', { className: 'card', 'data-remote': remote.name },
    h('h3', {}, h('span', { className: 'file' }, remote.name), h('span', { className: `badge ${kind}`, 'data-field': 'reachable' }, state)),
    h('dl', {},
      remote.unavailable && [h('dt', {}, 'why'), h('dd', {}, remote.unavailable)],
      h('dt', {}, 'last push'), h('dd', { 'data-field': 'push' }, result(remote.last_push_ok, remote.last_push_at, remote.last_push_error)),
      h('dt', {}, 'last pull'), h('dd', { 'data-field': 'pull' }, result(remote.last_pull_ok, remote.last_pull_at, remote.last_pull_error)),
      remote.next_retry_at && [h('dt', {}, 'next retry'), h('dd', {}, when(remote.next_retry_at))],
      remote.live !== undefined && [h('dt', {}, 'live'), h('dd', {}, remote.live ? 'told of its changes as they happen' : 'reconnecting')],
      h('dt', {}, 'transfers'), h('dd', { 'data-field': 'transfers' }, `${mine.filter(t => t.running).length} running, ${mine.filter(t => !t.running).length} queued`)),
    h('div', { className: 'actions' }, operation('Sync now', `remotes/${encode(remote.name)}/poke`, live, messages, `tether poke ${remote.name}`)));
}

export default {
  id: 'overview',
  title: 'Overview',
  show(root, live) {
    const messages = h('div', { className: 'message', hidden: true });
    const summary = h('dl', {});
    const cards = h('div', { className: 'cards', id: 'remotes' });
    const warnings = h('ul', { id: 'warnings' });
    root.append(h('div', { className: 'toolbar' }, operation('Sync with every remote', 'poke', live, messages, 'tether poke')),
      messages, summary, warnings, h('h2', {}, 'Remotes'), cards);
    return live.onStatus(status => {
      messages.hidden = !messages.textContent;
      replace(summary,
        h('dt', {}, 'daemon'), h('dd', {}, `pid ${status.pid}, since ${when(status.started_at)}`),
        h('dt', {}, 'last commit'), h('dd', {}, status.last_commit ? `${status.last_commit.slice(0, 10)} ${when(status.last_commit_at)}: ${status.last_commit_summary ?? ''}` : 'none since start'),
        h('dt', {}, 'pending changes'), h('dd', {}, String(status.pending_changes ?? 0)),
        h('dt', {}, 'transfers'), h('dd', {}, `${status.transfers.filter(t => t.running).length} running, ${status.transfers.filter(t => !t.running).length} queued${status.transfers_paused ? ' (paused)' : ''}`));
      replace(warnings, (status.warnings ?? []).map(w => h('li', { className: 'warn' }, w)));
      replace(cards, status.remotes.length ? status.remotes.map(r => remoteCard(r, status.transfers, live, messages)) : h('p', { className: 'muted' }, 'No remotes yet: add one with tether remote add NAME URL.'));
    });
  },
};
