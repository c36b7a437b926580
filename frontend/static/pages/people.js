// pages/people.js: the admin's page for staff accounts and API tokens.
// Users can be created, given another role, disabled or deleted; tokens are
// created (their secret shown once, here) and revoked.
import { api, get, post, patch, del } from '../api.js';
import { h, clear, wide } from '../dom.js';
import { field, showErrors, clearErrors, repeatDiffers } from '../fields.js';

const ROLES = [
  { value: 'admin', label: 'Admin: everything, including people and tokens' },
  { value: 'lead', label: 'DEI lead: design, launch, results, comments, exports' },
  { value: 'executive', label: 'Executive: read results and download reports' },
];

const roleName = (r) => ({ admin: 'Admin', lead: 'DEI lead', executive: 'Executive' }[r] || r);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function roleSelect(id, value, short) {
  const sel = h('select', { id, name: 'role' },
    ROLES.map((r) => h('option', { value: r.value }, short ? roleName(r.value) : r.label)));
  if (value) sel.value = value;
  return sel;
}

function usersSection(me, users, refresh) {
  const status = h('p', { role: 'status', class: 'muted', id: 'users-status' });
  const rows = users.map((u) => {
    const sel = roleSelect(`role-${u.id}`, u.role, true);
    sel.setAttribute('aria-label', `Role of ${u.email}`);
    sel.addEventListener('change', async () => {
      try {
        await patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { role: sel.value });
        status.textContent = `${u.email} is now ${roleName(sel.value)}.`;
      } catch (e) {
        sel.value = u.role;
        status.textContent = `Could not change the role: ${e.message}`;
      }
    });
    const toggle = h('button', { type: 'button', dataset: { action: u.disabled ? 'enable' : 'disable', user: u.email } },
      u.disabled ? 'Enable' : 'Disable');
    toggle.addEventListener('click', async () => {
      try {
        await patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
        await refresh(`${u.email} is ${u.disabled ? 'enabled' : 'disabled'}.`);
      } catch (e) { status.textContent = `Could not change ${u.email}: ${e.message}`; }
    });
    const remove = h('button', { type: 'button', class: 'danger', dataset: { action: 'delete', user: u.email } }, 'Delete');
    remove.addEventListener('click', async () => {
      if (!window.confirm(`Delete ${u.email}? Their sessions and API tokens end now.`)) return;
      try {
        await del(`/api/v1/users/${encodeURIComponent(u.id)}`);
        await refresh(`${u.email} was deleted.`);
      } catch (e) { status.textContent = `Could not delete ${u.email}: ${e.message}`; }
    });
    const reset = h('button', { type: 'button', dataset: { action: 'reset-password', user: u.email } }, 'Reset password');
    reset.addEventListener('click', async () => {
      if (await resetPasswordDialog(u)) await refresh(`${u.email} has a new password and was signed out everywhere.`);
    });
    // The server refuses to demote, disable or delete one's own account, so
    // those controls are off on one's own row, with the reason. One's own
    // password is changed, with the current one, on "Your account".
    const self = u.id === me.id;
    if (self) {
      reset.disabled = true;
      reset.title = 'Change your own password on "Your account".';
      for (const el of [sel, toggle, remove]) {
        el.disabled = true;
        el.title = 'Another admin can change your own account.';
      }
    }
    return h('tr', { dataset: { user: u.email } },
      h('td', {}, u.email, self ? h('span', { class: 'muted' }, ' (you: another admin can change your role or account)') : ''),
      h('td', {}, u.name),
      h('td', {}, sel),
      h('td', {}, u.disabled ? 'Disabled' : 'Active'),
      h('td', { class: 'actions' }, reset, ' ', toggle, ' ', remove));
  });
  return h('section', { 'aria-labelledby': 'users-title' },
    h('h2', { id: 'users-title' }, 'Staff accounts'),
    wide('Staff accounts table', h('table', { id: 'users' },
      h('thead', {}, h('tr', {}, ['E-mail', 'Name', 'Role', 'Status', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))),
    status);
}

// resetPasswordDialog sets a new password for u, which signs them out
// everywhere; it resolves true once the password is set.
function resetPasswordDialog(u) {
  return new Promise((resolve) => {
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
    const repeat = h('input', { name: 'repeat', type: 'password', autocomplete: 'new-password', required: true });
    const msg = h('p', { class: 'error', role: 'alert', id: 'reset-error' });
    const cancel = h('button', { type: 'button', id: 'reset-cancel' }, 'Cancel');
    const form = h('form', { method: 'dialog', id: 'reset-form', class: 'form', novalidate: true },
      h('h2', { id: 'reset-title' }, `Reset the password of ${u.email}`),
      h('p', {}, `This signs ${u.email} out everywhere, at once. Give them the new password in a safe way; they can change it on "Your account" after signing in.`),
      field('reset-password', 'New password', password, 'At least 10 characters.'),
      field('reset-repeat', 'Repeat the new password', repeat),
      msg,
      h('div', { class: 'actions' }, cancel, ' ', h('button', { type: 'submit', class: 'danger', id: 'reset-confirm' }, 'Set password and sign them out')));
    const dlg = h('dialog', { 'aria-labelledby': 'reset-title' }, form);
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    cancel.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      msg.textContent = '';
      clearErrors(form);
      if (repeatDiffers(password, repeat)) return;
      try {
        await patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { password: password.value });
        done(true);
      } catch (e) {
        msg.textContent = showErrors(form, e);
        (form.querySelector('[aria-invalid="true"]') || password).focus();
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    password.focus();
  });
}

function createUserForm(refresh) {
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'off', required: true });
  const name = h('input', { name: 'name', type: 'text', autocomplete: 'off' });
  const role = roleSelect('new-user-role', 'lead');
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card form', id: 'new-user', novalidate: true },
    h('h2', {}, 'Add a staff account'),
    field('new-user-email', 'E-mail', email),
    field('new-user-name', 'Name', name),
    field('new-user-role', 'Role', role),
    field('new-user-password', 'First password', password, 'At least 10 characters. Give it to the person in a safe way; they can change it on "Your account" after signing in.'),
    msg,
    h('button', { type: 'submit', class: 'primary' }, 'Add account'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      const res = await post('/api/v1/users', { email: email.value, name: name.value, role: role.value, password: password.value });
      await refresh(`${res.user.email} was added as ${roleName(res.user.role)}.`);
    } catch (e) { msg.textContent = showErrors(form, e); }
  });
  return form;
}

function tokensSection(me, tokens, refresh) {
  const status = h('p', { role: 'status', class: 'muted', id: 'tokens-status' });
  const rows = tokens.map((t) => {
    let action = h('span', { class: 'muted' }, `Revoked ${when(t.revoked_at)}`);
    if (!t.revoked_at) {
      action = h('button', { type: 'button', class: 'danger', dataset: { action: 'revoke', token: t.name } }, 'Revoke');
      action.addEventListener('click', async () => {
        if (!window.confirm(`Revoke the token "${t.name}"? Scripts using it stop working at once.`)) return;
        try {
          await del(`/api/v1/tokens/${encodeURIComponent(t.id)}`);
          await refresh(`The token "${t.name}" was revoked.`);
        } catch (e) { status.textContent = `Could not revoke: ${e.message}`; }
      });
    }
    return h('tr', { dataset: { token: t.name } },
      h('td', {}, t.name), h('td', {}, roleName(t.role)), h('td', {}, t.user_email), h('td', {}, when(t.created_at)), h('td', {}, action));
  });
  const name = h('input', { name: 'name', type: 'text', autocomplete: 'off', required: true, maxlength: '100' });
  const role = roleSelect('new-token-role', me.role);
  const msg = h('p', { class: 'error', role: 'alert' });
  const secretBox = h('div', { id: 'token-secret', 'aria-live': 'polite' });
  const form = h('form', { class: 'card form', id: 'new-token', novalidate: true },
    h('h3', {}, 'Create an API token'),
    h('p', { class: 'muted' }, 'A token lets a script or BI tool call the API as you, with your role or a lesser one: send it as "Authorization: Bearer <token>".'),
    field('new-token-name', 'What it is for', name),
    field('new-token-role', 'Acts as', role),
    msg,
    h('button', { type: 'submit', class: 'primary' }, 'Create token'),
    secretBox);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      const res = await post('/api/v1/tokens', { name: name.value, role: role.value });
      await refresh(`The token "${res.token.name}" was created.`, res);
    } catch (e) { msg.textContent = showErrors(form, e); }
  });
  return h('section', { 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    tokens.length
      ? h('table', { id: 'tokens' },
        h('thead', {}, h('tr', {}, ['Name', 'Acts as', 'Created by', 'Created', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'No API tokens yet.'),
    status, form);
}

// secretNotice shows a new token's secret, the only time it is visible.
function secretNotice(created) {
  const input = h('input', { id: 'new-token-secret', type: 'text', readonly: true, value: created.secret, class: 'secret' });
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    input.select();
    try { await navigator.clipboard.writeText(created.secret); copy.textContent = 'Copied'; } catch { /* selected for manual copy */ }
  });
  return h('div', { class: 'card notice', role: 'status' },
    h('label', { for: 'new-token-secret' }, `Token "${created.token.name}": copy it now, it is not shown again`),
    h('div', { class: 'row' }, input, copy));
}

// getAll follows a paginated list's next_cursor and returns every item.
async function getAll(path, key) {
  const items = [];
  let cursor = '';
  do {
    const page = await get(`${path}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page[key]);
    cursor = page.next_cursor;
  } while (cursor);
  return { [key]: items };
}

// signInSection lets an admin turn password sign-in off once single
// sign-on works, and on again; the server refuses off while no admin signs
// in through single sign-on, and says so.
function signInSection(methods, refresh) {
  const status = h('p', { role: 'status', class: 'muted', id: 'signin-status' });
  const box = h('input', { type: 'checkbox', id: 'password-sign-in', checked: methods.password });
  box.addEventListener('change', async () => {
    try {
      await api('PUT', '/api/v1/auth/password-sign-in', { enabled: box.checked });
      await refresh(box.checked ? 'Password sign-in is on.' : 'Password sign-in is off: staff sign in with single sign-on.');
    } catch (e) {
      box.checked = !box.checked;
      status.textContent = e.message;
    }
  });
  return h('section', { 'aria-labelledby': 'signin-h' },
    h('h2', { id: 'signin-h' }, 'Sign-in'),
    h('p', {}, 'Single sign-on is set up. Once you have signed in with it as an admin, you can turn password sign-in off; ',
      h('code', {}, 'allypulse user add'), ' on the server turns it on again if single sign-on fails.'),
    h('label', { for: 'password-sign-in' }, box, ' Allow sign-in with e-mail and password'),
    status);
}

export async function render(main, ctx) {
  const draw = async (message, created) => {
    const [users, tokens, methods] = await Promise.all([getAll('/api/v1/users', 'users'), getAll('/api/v1/tokens', 'tokens'),
      get('/api/v1/auth/methods')]);
    // Element.append would print a null as "null", so leave absent parts out.
    clear(main).append(...[
      h('h1', {}, 'People'),
      message ? h('p', { role: 'status', class: 'ok', id: 'people-message', tabindex: '-1' }, message) : null,
      created ? secretNotice(created) : null,
      usersSection(ctx.user, users.users, draw),
      createUserForm(draw),
      tokensSection(ctx.user, tokens.tokens, draw),
      methods.sso ? signInSection(methods, draw) : null].filter(Boolean));
    // The page is redrawn, so put the focus on what the action produced.
    if (created) main.querySelector('#new-token-secret').focus();
    else if (message) main.querySelector('#people-message').focus();
  };
  await draw();
}
