import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { when } from '../lib/format.js';

export default {
  id: 'hooks',
  title: 'Hooks',
  show(root, live) {
    const defined = h('tbody', {});
    const dropIns = h('tbody', {});
    const runs = h('tbody', { id: 'hook-runs' });
    root.append(
      h('h2', {}, 'From the config'), h('table', {}, h('thead', {}, h('tr', {}, ['name', 'events', 'command', 'timeout'].map(c => h('th', {}, c)))), defined),
      h('h2', {}, 'Drop-ins (.tether/hooks/EVENT.d/)'), h('table', {}, h('thead', {}, h('tr', {}, ['event', 'file', ''].map(c => h('th', {}, c)))), dropIns),
      h('h2', {}, 'Last runs'), h('table', {}, h('thead', {}, h('tr', {}, ['ended', 'hook', 'event', 'outcome', 'output'].map(c => h('th', {}, c)))), runs));
    const load = async () => {
      const view = await get('hooks');
      replace(defined, view.hooks.length ? view.hooks.map(k => h('tr', {}, h('td', {}, k.name), h('td', {}, k.events.join(', ')), h('td', { className: 'file' }, k.command), h('td', {}, k.timeout)))
        : h('tr', {}, h('td', { colSpan: 4, className: 'muted' }, 'None.')));
      replace(dropIns, view.drop_ins.length ? view.drop_ins.map(d => h('tr', {}, h('td', {}, d.event), h('td', { className: 'file' }, d.path), h('td', { className: 'warn' }, d.skip_reason ?? '')))
        : h('tr', {}, h('td', { colSpan: 3, className: 'muted' }, 'None.')));
      replace(runs, view.runs.length ? view.runs.map(r => h('tr', {},
        h('td', {}, when(r.ended_at)), h('td', { className: 'file' }, r.hook), h('td', {}, r.event),
        h('td', { className: r.succeeded ? 'ok' : 'bad' }, `${r.outcome} in ${r.duration_ms} ms`),
        h('td', {}, r.output ? h('pre', {}, r.output) : h('span', { className: 'muted' }, `${r.output_bytes} bytes`))))
        : h('tr', {}, h('td', { colSpan: 5, className: 'muted' }, 'No hook has run since the daemon started.')));
    };
    load().catch(() => {});
    let timer = null;
    return live.onEvent(() => { clearTimeout(timer); timer = setTimeout(() => load().catch(() => {}), 1500); });
  },
};
