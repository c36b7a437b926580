// pages/retention.js: the survey page's "Keeping responses" section. A lead
// sets how many months after a wave closes its responses and comments are
// deleted (0 keeps them); the released results stay, marked as outliving
// their data. The table says, wave by wave, when that happens or happened.
import { h, clear, wide } from '../dom.js';
import { get, api, ApiError } from '../api.js';

const fmt = (s) => (s ? new Date(s).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '');

export async function renderRetention(root, sv) {
  const path = `/api/v1/surveys/${encodeURIComponent(sv.id)}/retention`;
  const input = h('input', { id: 'retention-months', name: 'months', type: 'number', min: '0', max: '600', step: '1', inputmode: 'numeric', 'aria-describedby': 'retention-hint retention-error' });
  const error = h('p', { class: 'error', id: 'retention-error', role: 'alert' });
  const saved = h('p', { class: 'muted', id: 'retention-saved', 'aria-live': 'polite' });
  const table = h('div', { id: 'retention-waves' });
  const form = h('form', { class: 'card form', id: 'retention-form', novalidate: true },
    h('label', { for: 'retention-months' }, 'Months to keep responses after a wave closes'),
    h('p', { id: 'retention-hint', class: 'muted' }, '0 keeps them for as long as the survey exists. After that time, the wave\'s answers and comments are deleted; its released results, workbooks and trend stay.'),
    input, error, h('button', { type: 'submit', class: 'primary' }, 'Save'), saved);
  clear(root).append(h('h2', { id: 'retention-title' }, 'Keeping responses'), form, table);

  const show = (p) => {
    input.value = String(p.months);
    clear(table).append(p.waves.length ? wide('When each wave\'s responses go', h('table', {},
      h('caption', { class: 'muted' }, 'When each wave\'s responses are deleted'),
      h('thead', {}, h('tr', {}, ['Wave', 'Closes', 'Responses deleted'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, p.waves.map((w) => h('tr', {}, h('td', {}, String(w.wave)), h('td', {}, fmt(w.closes_at)),
        h('td', {}, w.responses_deleted_at ? `deleted ${fmt(w.responses_deleted_at)}` : w.delete_after ? `on ${fmt(w.delete_after)}` : 'kept')))))) : null);
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    saved.textContent = '';
    input.removeAttribute('aria-invalid');
    const months = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(months) || months < 0 || months > 600) {
      error.textContent = 'Give a whole number of months from 0 to 600.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    try {
      show(await api('PUT', path, { months }));
      saved.textContent = months ? `Saved: responses go ${months} month${months === 1 ? '' : 's'} after each wave closes.` : 'Saved: responses are kept.';
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : 'Could not save. Try again.';
      input.setAttribute('aria-invalid', 'true');
    }
  });
  show(await get(path));
}
