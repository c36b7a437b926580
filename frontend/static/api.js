// api.js: one fetch wrapper for the staff app. It sends the CSRF token
// (double-submit: cookie allypulse_csrf echoed in X-CSRF-Token) on every
// state-changing request and turns problem+json into thrown ApiError.

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fields = problem.errors || [];
  }
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)allypulse_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

export async function api(method, path, body, contentType) {
  const opts = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') opts.headers['X-CSRF-Token'] = csrfToken();
  if (contentType) {
    // A body sent as it is (a CSV file), not as JSON.
    opts.headers['Content-Type'] = contentType;
    opts.body = body;
  } else if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(typeof data === 'object' ? data : { title: String(data) }, res.status);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
export const postText = (path, text, contentType) => api('POST', path, text, contentType);
