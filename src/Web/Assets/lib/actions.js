import { h } from './dom.js';
import { post } from './api.js';

// A button that POSTs one operation and shows the daemon's answer in `messages`; the status is refreshed after,
// and `after(result)` runs (a page that is not fed by the status reloads itself there). `path` is a string, or an
// async function giving it on the click.
export function operation(label, path, live, messages, title, after) {
  return h('button', {
    title, 'data-action': typeof path === 'function' ? 'computed' : path,
    onclick: async event => {
      const button = event.currentTarget;
      button.disabled = true;
      let result;
      try { result = await post(typeof path === 'function' ? await path() : path); } catch (error) { result = { ok: false, message: error.message }; }
      button.disabled = false;
      if (messages) {
        messages.textContent = result.message;
        messages.className = `message ${result.ok ? '' : 'bad'}`;
        messages.hidden = false;
      }
      live.refresh();
      if (after) after(result);
    },
  }, label);
}

export const encode = encodeURIComponent;
