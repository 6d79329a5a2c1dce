import { h, replace } from '../lib/dom.js';
import { operation, encode } from '../lib/actions.js';
import { bytes, rate, eta } from '../lib/format.js';

function row(t, status, live, messages) {
  const state = t.process ? `by ${t.process}` : t.running ? 'running' : t.paused ? 'paused' : 'queued';
  return h('tr', { 'data-transfer': t.id, 'data-state': state },
    h('td', { className: 'file' }, t.file),
    h('td', {}, t.direction === 'upload' ? `→ ${t.remote}` : `← ${t.remote}`),
    h('td', {}, h('progress', { max: t.size ?? 1, value: t.bytes ?? 0, 'data-bytes': t.bytes ?? 0 }), ' ',
      h('span', { 'data-field': 'bytes' }, `${bytes(t.bytes)} of ${bytes(t.size)}`)),
    h('td', { 'data-field': 'rate' }, rate(t.bytes_per_second)),
    h('td', { 'data-field': 'eta' }, eta(t)),
    h('td', {}, state),
    h('td', { className: 'actions' }, !t.process && [
      t.paused && !status.transfers_paused
        ? operation('Resume', `transfers/${encode(t.id)}/resume`, live, messages, `tether transfers resume ${t.id}`)
        : !t.paused && operation('Pause', `transfers/${encode(t.id)}/pause`, live, messages, `tether transfers pause ${t.id}`),
      !t.running && operation('Do first', `transfers/${encode(t.id)}/first`, live, messages, `tether transfers first ${t.id}`),
      operation('Cancel', `transfers/${encode(t.id)}/cancel`, live, messages, `tether transfers cancel ${t.id}`)]));
}

export default {
  id: 'transfers',
  title: 'Transfers',
  show(root, live) {
    const messages = h('div', { className: 'message', hidden: true });
    const toolbar = h('div', { className: 'toolbar' });
    const perRemote = h('div', { className: 'cards' });
    const body = h('tbody', { id: 'transfer-rows' });
    root.append(toolbar, messages,
      h('table', {}, h('thead', {}, h('tr', {}, ['file', 'remote', 'progress', 'rate', 'ETA', 'state', ''].map(c => h('th', {}, c)))), body),
      h('h2', {}, 'Per remote'), perRemote);
    return live.onStatus(status => {
      messages.hidden = !messages.textContent;
      replace(toolbar,
        h('span', { id: 'queue-state', className: `badge ${status.transfers_paused ? 'warn' : 'ok'}` }, status.transfers_paused ? 'paused' : 'running'),
        status.transfers_paused
          ? operation('Resume transfers', 'transfers/resume', live, messages, 'tether transfers resume')
          : operation('Pause transfers', 'transfers/pause', live, messages, 'tether transfers pause'));
      replace(body, status.transfers.length ? status.transfers.map(t => row(t, status, live, messages)) : h('tr', {}, h('td', { colSpan: 7, className: 'muted' }, 'Nothing queued or running.')));
      replace(perRemote, status.remotes.map(r => {
        const count = status.transfers.filter(t => t.remote === r.name).length;
        return h('section', { className: 'card', 'data-remote': r.name }, h('h3', {}, h('span', { className: 'file' }, r.name), h('span', { className: 'badge' }, `${count} transfer(s)`)),
          h('div', { className: 'actions' },
            operation('Pause', `remotes/${encode(r.name)}/transfers/pause`, live, messages, `tether transfers pause --remote ${r.name}`),
            operation('Resume', `remotes/${encode(r.name)}/transfers/resume`, live, messages, `tether transfers resume --remote ${r.name}`),
            operation('Do these first', `remotes/${encode(r.name)}/transfers/first`, live, messages, `tether transfers first --remote ${r.name}`),
            operation('Cancel all', `remotes/${encode(r.name)}/transfers/cancel`, live, messages, `tether transfers cancel --remote ${r.name}`)));
      }));
    });
  },
};
