import { h, replace } from '../lib/dom.js';

function summary(data) {
  if (data.transfer) return `${data.transfer.direction} ${data.transfer.phase} ${data.transfer.file} (${data.transfer.remote})${data.transfer.error ? `: ${data.transfer.error}` : ''}`;
  if (data.push) return `push to ${data.remote?.name}: ${data.push.ok ? 'ok' : data.push.error}`;
  if (data.change) return `${data.change.count} change(s): ${data.change.paths.slice(0, 5).join(', ')}${data.change.paths.length > 5 ? ', ...' : ''}`;
  if (data.commit) return `${data.commit.id?.slice(0, 10)} ${data.commit.summary ?? ''}`;
  if (data.conflict) return `conflicts: ${data.conflict.paths.join(', ')}`;
  if (data.connection) return `${data.remote?.name}: ${data.connection.reason}`;
  if (data.error) return `${data.error.component}: ${data.error.message}`;
  if (data.reason) return `missed events (${data.reason}${data.from ? ` ${data.from} to ${data.to}` : ''})`;
  return data.remote?.name ?? '';
}

export default {
  id: 'events',
  title: 'Events',
  show(root, live) {
    const body = h('tbody', { id: 'event-rows' });
    root.append(h('p', { className: 'muted' }, 'The events hooks receive, as they happen (GET /api/events; docs/WEB.md).'),
      h('table', {}, h('thead', {}, h('tr', {}, ['id', 'at', 'event', ''].map(c => h('th', {}, c)))), body));
    const line = e => h('tr', { 'data-event': e.name }, h('td', { className: 'muted' }, e.id), h('td', {}, e.data.at ?? ''), h('td', {}, e.name), h('td', { className: 'file' }, summary(e.data)));
    replace(body, live.events.slice().reverse().map(line));
    return live.onEvent(e => { body.prepend(line(e)); while (body.children.length > 500) body.lastChild.remove(); });
  },
};
