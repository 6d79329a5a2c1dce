import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';

export default {
  id: 'config',
  title: 'Config',
  show(root) {
    const body = h('div', {});
    root.append(h('p', { className: 'muted' }, 'The effective config, every default filled in (read-only; what tether config check prints). Edit .tether/config.yml; tether remote add and friends edit it too.'), body);
    get('config').then(view => {
      if (view.error) {
        const e = view.error;
        replace(body, h('div', { className: 'message bad', id: 'config-error' },
          h('strong', {}, `${e.file}${e.line ? `:${e.line}:${e.column}` : ''}`), e.key_path ? ` (${e.key_path})` : '', `: ${e.problem}`,
          e.allowed ? h('div', {}, e.allowed) : null));
      } else {
        replace(body, h('p', {}, h('span', { className: 'file' }, view.path ?? 'no config file: built-in defaults')), h('pre', { id: 'config-yaml' }, view.yaml));
      }
    }).catch(error => replace(body, h('div', { className: 'message bad' }, error.message)));
  },
};
