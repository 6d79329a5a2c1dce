import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';

export default {
  id: 'log',
  title: 'Log',
  show(root) {
    const path = h('span', { className: 'file' });
    const text = h('pre', { id: 'log-lines' });
    const load = async () => {
      try {
        const tail = await get('log?lines=300');
        path.textContent = tail.path;
        text.textContent = tail.lines.join('\n');
        text.scrollTop = text.scrollHeight;
      } catch (error) { text.textContent = error.message; }
    };
    root.append(h('div', { className: 'toolbar' }, h('button', { onclick: load }, 'Refresh'), path), text);
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  },
};
