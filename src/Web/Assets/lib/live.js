import { get } from './api.js';

// The page's live state: the daemon's status, fetched at once after every event and otherwise every second while a
// transfer runs, every 30 s when idle (so an open page costs the daemon next to nothing); and the event stream,
// which the browser reconnects with Last-Event-ID by itself.
export class Live {
  constructor(onConnection) {
    this.status = null;
    this.events = [];
    this.statusListeners = new Set();
    this.eventListeners = new Set();
    this.onConnection = onConnection;
    this.timer = null;
  }

  start() {
    this.source = new EventSource('/api/events');
    this.source.onopen = () => this.onConnection('live', 'ok');
    this.source.onerror = () => this.onConnection('reconnecting', 'warn');
    const names = ['change', 'commit', 'push', 'receive', 'conflict', 'resolved', 'transfer', 'remote-connected', 'remote-disconnected', 'error', 'gap'];
    for (const name of names) this.source.addEventListener(name, message => this.received(name, message));
    this.refresh();
  }

  received(name, message) {
    const event = { id: message.lastEventId, name, data: JSON.parse(message.data) };
    this.events.push(event);
    if (this.events.length > 500) this.events.shift();
    for (const listener of this.eventListeners) listener(event);
    this.soon(150);
  }

  soon(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  async refresh() {
    try {
      this.status = await get('status');
      for (const listener of this.statusListeners) listener(this.status);
    } catch (error) {
      this.onConnection(`status failed: ${error.message}`, 'bad');
    }
    const busy = this.status?.transfers?.some(t => t.running);
    this.soon(busy ? 1000 : 30000);
  }

  onStatus(listener) { this.statusListeners.add(listener); if (this.status) listener(this.status); return () => this.statusListeners.delete(listener); }
  onEvent(listener) { this.eventListeners.add(listener); return () => this.eventListeners.delete(listener); }
}
