// pages/account.js: "Your account", where any signed-in staff member
// changes their own password. Their other sessions end; this one stays.
import { post } from '../api.js';
import { h, clear } from '../dom.js';
import { field, showErrors, clearErrors, repeatDiffers } from '../fields.js';

const roleName = (r) => ({ admin: 'Admin', lead: 'DEI lead', executive: 'Executive' }[r] || r);

function passwordForm() {
  const current = h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
  const repeat = h('input', { name: 'repeat_password', type: 'password', autocomplete: 'new-password', required: true });
  const msg = h('p', { class: 'error', role: 'alert', id: 'password-error' });
  const done = h('p', { class: 'ok', role: 'status', id: 'password-done', tabindex: '-1' });
  const form = h('form', { class: 'card form', id: 'password-form', novalidate: true },
    h('h2', {}, 'Change your password'),
    field('current-password', 'Current password', current),
    field('new-password', 'New password', next, 'At least 10 characters. A few unrelated words make a good one.'),
    field('repeat-password', 'Repeat the new password', repeat),
    msg,
    h('button', { type: 'submit', class: 'primary' }, 'Change password'),
    done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    done.textContent = '';
    clearErrors(form);
    if (repeatDiffers(next, repeat)) return;
    try {
      await post('/api/v1/me/password', { current_password: current.value, new_password: next.value });
      form.reset();
      done.textContent = 'Your password was changed. You stay signed in here; everywhere else you were signed out.';
      done.focus();
    } catch (e) {
      msg.textContent = showErrors(form, e);
      const bad = form.querySelector('[aria-invalid="true"]');
      if (bad) bad.focus();
    }
  });
  return form;
}

export async function render(main, ctx) {
  const u = ctx.user;
  clear(main).append(
    h('h1', {}, 'Your account'),
    h('p', {}, `Signed in as ${u.email}${u.name ? ` (${u.name})` : ''}, ${roleName(u.role)}.`),
    passwordForm());
}
