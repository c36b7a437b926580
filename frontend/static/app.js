// app.js: the staff app shell. It checks the session, draws the left
// navigation and routes /app/<page> paths to page modules in pages/.
import { get, post, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { confirmDialog } from './pages/dialog.js';
import { labelOf, humanise, fieldMessage } from './fields.js';
import { codeBox } from './codebox.js';
import { translator } from './respond-form.js';

// Each route maps a path pattern to a page module exporting render(root, ctx).
const routes = [
  { pattern: /^\/app\/surveys\/new$/, module: './pages/builder.js', nav: 'surveys', roles: ['admin', 'lead'] },
  { pattern: /^\/app\/surveys\/([^/]+)\/edit$/, module: './pages/builder.js', nav: 'surveys', roles: ['admin', 'lead'] },
  { pattern: /^\/app\/surveys\/([^/]+)$/, module: './pages/survey.js', nav: 'surveys' },
  { pattern: /^\/app\/surveys\/?$/, module: './pages/surveys.js', nav: 'surveys' },
  { pattern: /^\/app\/summary(?:\/([^/]+))?\/?$/, module: './pages/summary.js', nav: 'summary' },
  { pattern: /^\/app\/results\/([^/]+)(?:\/([a-z]+))?$/, module: './pages/results.js', nav: 'results' },
  { pattern: /^\/app\/results\/?$/, module: './pages/results.js', nav: 'results' },
  { pattern: /^\/app\/reports\/?$/, module: './pages/reports.js', nav: 'reports' },
  { pattern: /^\/app\/people\/?$/, module: './pages/people.js', nav: 'people', roles: ['admin'] },
  { pattern: /^\/app\/audit\/?$/, module: './pages/audit.js', nav: 'audit', roles: ['admin'] },
  { pattern: /^\/app\/account\/?$/, module: './pages/account.js', nav: 'account' },
];

const navItems = [
  { key: 'summary', label: 'Summary', href: '/app/summary' },
  { key: 'surveys', label: 'Surveys', href: '/app/surveys' },
  { key: 'results', label: 'Results', href: '/app/results' },
  { key: 'reports', label: 'Reports', href: '/app/reports' },
  { key: 'people', label: 'People', href: '/app/people', roles: ['admin'] },
  { key: 'audit', label: 'Audit', href: '/app/audit', roles: ['admin'] },
];

const state = { user: null };

// shown is the path and query of the page on screen. Back and forward draw
// the page they lead to; a change of the #fragment alone keeps the page as
// it is, with its unsaved input.
let shown = '';

// unsaved is set by a page with a form (the builder) to a function that
// says whether leaving now would lose input; each new page starts without.
let unsaved = null;

// mayLeave asks before leaving a page with unsaved input.
async function mayLeave() {
  if (!unsaved || !unsaved()) return true;
  const leave = await confirmDialog({
    title: 'Leave without saving?',
    body: h('p', {}, 'Your changes on this page have not been saved. If you leave, they are lost.'),
    confirm: 'Leave and lose changes',
    cancel: 'Stay on this page',
    danger: true,
  });
  if (leave) unsaved = null;
  return leave;
}

// A reload, a typed address or closing the tab asks the browser's own question.
window.addEventListener('beforeunload', (ev) => {
  if (unsaved && unsaved()) ev.preventDefault();
});

// landing is where a signed-in person starts: executives on the summary of
// the latest closed wave, everyone else on the surveys.
function landing() {
  return state.user && state.user.role === 'executive' ? '/app/summary' : '/app/surveys';
}

export async function navigate(path) {
  if (!(await mayLeave())) return;
  history.pushState(null, '', path);
  render({ focus: true });
}

// settle names the document after the page's heading and, after an in-app
// navigation, puts the keyboard focus back on the control that caused it
// (a picker keeps its focus) or else on the start of the new page.
function settle(main, focus, focusId) {
  const h1 = main.querySelector('h1');
  document.title = h1 && h1.textContent ? `${h1.textContent} · Allypulse` : 'Allypulse';
  if (!focus) return;
  const el = focusId && document.getElementById(focusId);
  if (el && main.contains(el)) {
    el.focus();
  } else {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
}

// ssoMessages explain why single sign-on was refused; the server sends
// the code in ?sso_error= (api/oidc.go).
const ssoMessages = {
  state: 'The sign-in took too long or was not started on this page. Please try again.',
  provider: 'Your identity provider did not sign you in. Try again, or ask your administrator.',
  unavailable: 'The identity provider cannot be reached at the moment. Try again in a few minutes.',
  code: 'The sign-in code from your identity provider expired or was already used. Please sign in again.',
  token: 'The answer of your identity provider could not be verified. Ask your administrator to check the single sign-on settings.',
  audience: 'Your identity provider issued the sign-in for another application (wrong audience). Ask your administrator to check the client ID.',
  nonce: 'The answer of your identity provider does not belong to this sign-in (nonce mismatch). Please sign in again.',
  email: 'Your identity provider did not share a verified e-mail address.',
  domain: 'Your e-mail domain is not allowed to sign in to Allypulse.',
  role: 'Your account has no Allypulse role. Ask your administrator to add you to an Allypulse group.',
  disabled: 'Your Allypulse account has been disabled by an admin.',
  linked: 'Your e-mail address belongs to another Allypulse account. Ask an admin to sort it out.',
};

async function signInPage(root, message) {
  const params = new URLSearchParams(location.search);
  const sso = params.get('sso_error');
  if (sso) {
    message = ssoMessages[sso] || 'Single sign-on did not work. Please try again.';
    history.replaceState(null, '', location.pathname);
  }
  let methods = { password: true, sso: false };
  try { methods = await get('/api/v1/auth/methods'); } catch (e) { /* keep the password form */ }
  const err = h('p', { class: 'error', role: 'alert', id: 'login-error' }, message || '');
  const form = h('form', { class: 'card login', id: 'login-form', novalidate: true },
    h('h1', {}, 'Sign in to Allypulse'));
  if (methods.sso) {
    form.append(h('a', { class: 'button primary', id: 'sso', href: '/api/v1/auth/oidc/start' }, 'Sign in with single sign-on'));
  }
  if (methods.password) {
    form.append(
      h('label', { for: 'email' }, 'E-mail'),
      h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
      h('label', { for: 'password' }, 'Password'),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      err,
      h('button', { type: 'submit', class: methods.sso ? '' : 'primary' }, 'Sign in'));
  } else {
    form.append(err);
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      const res = await post('/api/v1/auth/login', { email: form.email.value, password: form.password.value });
      state.user = res.user;
      if (location.pathname === '/' || !location.pathname.startsWith('/app/')) history.replaceState(null, '', landing());
      render();
    } catch (e) {
      err.textContent = e instanceof ApiError && e.status === 429 ? 'Too many attempts. Wait a minute and try again.'
        : e instanceof ApiError && e.status === 401 ? 'Wrong e-mail or password.'
        : e instanceof ApiError && e.status === 403 ? e.message : `Sign-in failed: ${e.message}`;
    }
  });
  // The public start page also takes a survey code (codebox.js).
  const box = location.pathname === '/' ? codeBox({ heading: 'code_heading', level: 'h2' }) : null;
  clear(root).append(h('main', { id: 'main', class: 'signin' }, box, form));
  if (box) localiseCodeBox(box);
  document.title = 'Sign in · Allypulse';
  (form.email || form.querySelector('#sso')).focus();
}

// localiseCodeBox redraws the start page's code box in the employee's
// language (the respond catalog, negotiated from Accept-Language), unless
// they have started typing.
async function localiseCodeBox(box) {
  try {
    const lang = new URLSearchParams(location.search).get('lang');
    const res = await fetch(`/api/v1/respond-messages${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const m = await res.json();
    const input = box.querySelector('input');
    if (m.language === 'en' || !box.isConnected || (input && (input.value || document.activeElement === input))) return;
    const local = codeBox({ heading: 'code_heading', level: 'h2', t: translator(m.messages, m.language) });
    local.lang = m.language;
    box.replaceWith(local);
  } catch { /* the English box stays */ }
}

// setupPage creates the first admin with the one-time link the server
// printed to its log (/app/setup?token=...), then signs them in.
function setupPage(root) {
  const token = new URLSearchParams(location.search).get('token') || '';
  const err = h('p', { class: 'error', role: 'alert', id: 'setup-error' },
    token ? '' : 'This page needs the setup link from the server log, with its token.');
  const input = (id, label, attrs) => [h('label', { for: id }, label), h('input', { id, name: id, ...attrs })];
  const form = h('form', { class: 'card login', id: 'setup-form', novalidate: true },
    h('h1', {}, 'Create the first admin'),
    h('p', { class: 'muted' }, 'This link works once. The account you create here can add everyone else.'),
    input('email', 'E-mail', { type: 'email', autocomplete: 'username', required: true }),
    input('name', 'Name', { type: 'text', autocomplete: 'name' }),
    input('password', 'Password (at least 10 characters)', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10' }),
    input('confirm', 'Repeat the password', { type: 'password', autocomplete: 'new-password', required: true }),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Create admin and sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (form.password.value !== form.confirm.value) { err.textContent = 'The two passwords differ.'; return; }
    try {
      const res = await post('/api/v1/auth/setup', { token, email: form.email.value, name: form.name.value, password: form.password.value });
      state.user = res.user;
      history.replaceState(null, '', '/app/surveys');
      render();
    } catch (e) {
      const named = (f) => fieldMessage(labelOf(form.querySelector(`[name="${CSS.escape(f.field)}"]`)) || humanise(f.field), f.message);
      err.textContent = e instanceof ApiError && e.fields.length ? e.fields.map(named).join('. ')
        : e.message;
    }
  });
  clear(root).append(h('main', { id: 'main', class: 'signin' }, form));
  form.email.focus();
}

function shell(root, active) {
  const role = state.user.role;
  const nav = h('nav', { 'aria-label': 'Main' }, h('ul', {},
    navItems.filter((n) => !n.roles || n.roles.includes(role)).map((n) =>
      h('li', {}, h('a', { href: n.href, 'aria-current': n.key === active ? 'page' : false, 'data-nav': n.key }, n.label)))));
  const logout = h('button', { type: 'button', class: 'link', id: 'logout' }, 'Sign out');
  logout.addEventListener('click', async () => {
    if (!(await mayLeave())) return;
    try { await post('/api/v1/auth/logout'); } catch { /* session may already be gone */ }
    state.user = null;
    history.pushState(null, '', '/');
    render();
  });
  const main = h('main', { id: 'main', tabindex: '-1' });
  // On a phone the menu folds away behind this button, so the page's own
  // numbers come first; on a wide screen the button is hidden and the menu
  // always shows.
  const toggle = h('button', { type: 'button', class: 'menu-toggle', id: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'side-menu' }, 'Menu');
  const menu = h('div', { class: 'side-menu', id: 'side-menu' });
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    menu.classList.toggle('open', open);
  });
  menu.append(nav,
    h('p', { class: 'who' }, state.user.email, h('br'), h('span', { class: 'role' }, role),
      h('a', { href: '/app/account', id: 'account-link', 'aria-current': active === 'account' ? 'page' : false }, 'Your account')),
    logout);
  clear(root).append(h('div', { class: 'layout' },
    h('header', { class: 'side' },
      h('div', { class: 'side-top' }, h('a', { href: landing(), class: 'brand' }, 'Allypulse'), toggle),
      menu),
    main));
  return main;
}

async function render({ focus = false } = {}) {
  unsaved = null;
  const root = document.getElementById('app');
  const focusId = focus && document.activeElement ? document.activeElement.id : '';
  if (location.pathname === '/app/setup' && !state.user) {
    setupPage(root);
    return;
  }
  if (!state.user) {
    try {
      const me = await get('/api/v1/me');
      state.user = me.user || me;
    } catch (e) {
      signInPage(root);
      return;
    }
  }
  let path = location.pathname;
  if (path === '/' || path === '/app' || path === '/app/') {
    path = landing();
    history.replaceState(null, '', path);
  }
  shown = path + location.search;
  const route = routes.find((r) => r.pattern.test(path));
  const main = shell(root, route ? route.nav : '');
  if (!route) {
    main.append(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/app/surveys' }, 'Back to surveys')));
    settle(main, focus);
    return;
  }
  if (route.roles && !route.roles.includes(state.user.role)) {
    main.append(h('h1', {}, 'Not available to your role'),
      h('p', {}, `You are signed in as ${state.user.role}; this page is for ${route.roles.join(' and ')} accounts.`),
      h('p', {}, h('a', { href: '/app/surveys' }, 'Back to surveys')));
    settle(main, focus);
    return;
  }
  const params = path.match(route.pattern).slice(1);
  try {
    const mod = await import(route.module);
    const onLeave = (fn) => { unsaved = fn; };
    await mod.render(main, { user: state.user, params, query: new URLSearchParams(location.search), navigate, onLeave });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { state.user = null; signInPage(root, 'Your session ended. Sign in again.'); return; }
    main.append(h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${e.message}`));
  }
  settle(main, focus, focusId);
}

// Links inside the app navigate without a full reload.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a');
  if (!a || a.target || a.hasAttribute('download') || ev.metaKey || ev.ctrlKey) return;
  // In-page links (the skip link, error summaries) move the focus within
  // the page, without a history entry that would redraw it.
  const href = a.getAttribute('href') || '';
  if (href.startsWith('#')) {
    const target = href.length > 1 && document.getElementById(decodeURIComponent(href.slice(1)));
    if (!target) return;
    ev.preventDefault();
    if (!target.matches('a[href], button, input, select, textarea, [tabindex]')) target.setAttribute('tabindex', '-1');
    target.focus();
    return;
  }
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/app/')) return;
  ev.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});
window.addEventListener('popstate', async () => {
  const now = location.pathname + location.search;
  if (now === shown) return;
  if (unsaved && unsaved()) {
    // Back or forward has already changed the address: put the page's own
    // back while asking, and go on only when the person agrees.
    history.pushState(null, '', shown);
    if (!(await mayLeave())) return;
    history.replaceState(null, '', now);
  }
  shown = now;
  render({ focus: true });
});
render();
