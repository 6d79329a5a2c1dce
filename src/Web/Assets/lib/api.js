// The REST API (docs/WEB.md). The session cookie is sent by the browser; operations are POSTs only.
export async function get(path) {
  const response = await fetch(`/api/${path}`, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(await errorOf(response));
  return response.json();
}

export async function post(path) {
  const response = await fetch(`/api/${path}`, { method: 'POST', credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok && body.ok !== false, message: body.message ?? body.error ?? `${response.status} ${response.statusText}` };
}

async function errorOf(response) {
  try { return (await response.json()).error ?? response.statusText; } catch { return `${response.status} ${response.statusText}`; }
}
