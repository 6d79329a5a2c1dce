import { h, replace } from '../lib/dom.js';

// The SVG `tether map --format svg` draws, shown as an image (an <img> runs no script, whatever names peers chose),
// drawn again when the network may have changed.
export default {
  id: 'map',
  title: 'Map',
  show(root, live) {
    const holder = h('div', { id: 'map' });
    root.append(h('p', { className: 'muted' }, 'Every repository, their remotes and costs, and the tree content takes from here.'), holder);
    let drawing = 0;
    const draw = () => {
      const image = h('img', {
        alt: 'network map', src: `/api/map.svg?drawing=${++drawing}`,
        onerror: async () => {
          const body = await (await fetch('/api/map.svg', { cache: 'no-store' })).json().catch(() => ({}));
          replace(holder, h('div', { className: 'message bad' }, body.error ?? 'the map could not be drawn'));
        },
      });
      replace(holder, image);
    };
    draw();
    let timer = null;
    return live.onEvent(event => {
      if (!['push', 'receive', 'remote-connected', 'remote-disconnected'].includes(event.name)) return;
      clearTimeout(timer);
      timer = setTimeout(draw, 1000);
    });
  },
};
