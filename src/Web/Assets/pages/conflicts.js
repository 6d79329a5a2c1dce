import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { operation, encode } from '../lib/actions.js';
import { bytes, when } from '../lib/format.js';

// Every conflict still present (`tether conflicts`), each ended from here (`tether resolve`): keep one version,
// keep both under names of their own, or merge two texts.
function card(c, live, messages, reload) {
  const resolve = query => `resolve?path=${encode(c.path)}&${query}`;
  return h('section', { className: 'card', 'data-conflict': c.path },
    h('h3', {}, h('span', { className: 'file' }, c.path), h('span', { className: 'badge warn' }, `${c.versions.length} versions`)),
    h('table', {}, h('tbody', {}, c.versions.map(v => h('tr', { 'data-variant': v.path },
      h('td', { className: 'file' }, v.path), h('td', {}, `from ${v.node}`), h('td', {}, when(v.at)), h('td', {}, bytes(v.size)),
      h('td', {}, operation('Keep this', resolve(`keep=${encode(v.path)}`), live, messages, `tether resolve ${c.path} --keep ${v.path}`, reload)))))),
    h('div', { className: 'actions' },
      operation('Keep both', resolve('keep=both'), live, messages, `tether resolve ${c.path} --keep both`, reload),
      // Two versions can be merged when both are text; the daemon says so when one is not.
      c.versions.length === 2 && operation('Merge', resolve('merge=true'), live, messages, `tether resolve ${c.path} --merge`, reload)));
}

export default {
  id: 'conflicts',
  title: 'Conflicts',
  show(root, live) {
    const messages = h('div', { className: 'message', hidden: true });
    const list = h('div', { id: 'conflict-list', className: 'conflicts' });
    const load = async () => {
      try {
        const conflicts = await get('conflicts');
        replace(list, conflicts.length ? conflicts.map(c => card(c, live, messages, load)) : h('p', { className: 'muted', id: 'no-conflicts' }, 'No conflicts.'));
      } catch (error) { replace(list, h('p', { className: 'bad' }, error.message)); }
    };
    root.append(messages, list);
    load();
    let timer = null;
    const stop = live.onEvent(e => { if (['commit', 'receive', 'conflict', 'resolved'].includes(e.name)) { clearTimeout(timer); timer = setTimeout(load, 500); } });
    return () => { clearTimeout(timer); stop(); };
  },
};
