import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { operation, encode } from '../lib/actions.js';
import { bytes, when } from '../lib/format.js';

// The recent changes of the whole folder, or one file's versions (`tether log`), each with a Restore button
// (`tether restore`). A version's number is counted within its own file's history, so in the folder's list the
// button asks the file's history for the number of the version with that commit first.
async function restorePath(v, path) {
  if (v.action === 'deleted') return `restore?deleted=true&path=${encode(v.path)}`;
  if (path === v.path) return `restore?path=${encode(v.path)}&version=${v.version}`;
  const own = await get(`history?path=${encode(v.path)}&limit=2000`);
  const same = own.find(o => o.commit === v.commit && o.path === v.path);
  return same ? `restore?path=${encode(v.path)}&version=${same.version}` : `restore?path=${encode(v.path)}&at=${encode(v.at)}`;
}

function restoreButton(v, path, live, messages, reload) {
  const deleted = v.action === 'deleted';
  const button = operation(deleted ? 'Restore deleted' : 'Restore', () => restorePath(v, path), live, messages,
    deleted ? `tether restore --deleted ${v.path}` : `tether restore ${v.path} --version N`, reload);
  button.dataset.action = 'restore';
  return button;
}

export default {
  id: 'changes',
  title: 'Changes',
  show(root, live) {
    let path = '';
    const messages = h('div', { className: 'message', hidden: true });
    const heading = h('h2', {});
    const body = h('tbody', { id: 'history-rows' });
    const input = h('input', { type: 'text', id: 'history-path', placeholder: 'a file or folder (empty: everything)', size: 40 });
    const load = async () => {
      try {
        const versions = await get(`history?limit=300${path ? `&path=${encode(path)}` : ''}`);
        heading.textContent = path ? `Versions of ${path}` : 'Recent changes';
        replace(body, versions.length ? versions.map(v => h('tr', { 'data-path': v.path, 'data-version': v.version, 'data-action': v.action },
          h('td', {}, when(v.at)), h('td', {}, v.node), h('td', {}, v.action === 'renamed' ? `renamed from ${v.renamed_from}` : v.action),
          h('td', { className: 'file' }, h('a', { href: '#/changes', onclick: e => { e.preventDefault(); show(v.path); } }, v.path)),
          h('td', {}, v.action === 'deleted' ? '' : bytes(v.size)),
          h('td', {}, v.content === 'gone' ? h('span', { className: 'bad' }, 'gone') : v.holders.length ? `${v.content ?? ''} (${v.holders.join(', ')})` : v.content ?? ''),
          h('td', { className: 'actions' }, !(path === v.path && v.version === 1 && v.action !== 'deleted') && restoreButton(v, path, live, messages, load))))
          : h('tr', {}, h('td', { colSpan: 7, className: 'muted' }, 'No history here.')));
      } catch (error) { replace(body, h('tr', {}, h('td', { colSpan: 7, className: 'bad' }, error.message))); }
    };
    const show = p => { path = p; input.value = p; load(); };
    root.append(
      h('form', { className: 'toolbar', onsubmit: e => { e.preventDefault(); show(input.value.trim()); } }, input, h('button', { type: 'submit' }, 'Show'),
        h('button', { type: 'button', onclick: () => show('') }, 'Everything')),
      messages, heading,
      h('table', {}, h('thead', {}, h('tr', {}, ['when', 'node', 'what', 'file', 'size', 'content', ''].map(c => h('th', {}, c)))), body));
    load();
    let timer = null;
    const stop = live.onEvent(e => { if (['commit', 'receive', 'resolved'].includes(e.name)) { clearTimeout(timer); timer = setTimeout(load, 500); } });
    return () => { clearTimeout(timer); stop(); };
  },
};
