const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n) {
  if (n === null || n === undefined) return '?';
  let value = n, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export const rate = perSecond => perSecond > 0 ? `${bytes(Math.round(perSecond))}/s` : '';

export function eta(transfer) {
  if (!transfer.running || !transfer.size || !(transfer.bytes_per_second > 0)) return '';
  const seconds = Math.max(0, Math.round((transfer.size - transfer.bytes) / transfer.bytes_per_second));
  return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${(seconds / 3600).toFixed(1)} h`;
}

export function when(iso) {
  if (!iso) return 'never';
  const at = new Date(iso), seconds = Math.round((Date.now() - at.getTime()) / 1000);
  const ago = Math.abs(seconds) < 60 ? `${Math.abs(seconds)} s` : Math.abs(seconds) < 3600 ? `${Math.round(Math.abs(seconds) / 60)} min` : `${(Math.abs(seconds) / 3600).toFixed(1)} h`;
  return `${at.toLocaleString()} (${seconds >= 0 ? `${ago} ago` : `in ${ago}`})`;
}
