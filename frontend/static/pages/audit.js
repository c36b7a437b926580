// pages/audit.js: the audit log of staff actions, newest first, a page at a
// time (admin only).
import { get } from '../api.js';
import { h, wide } from '../dom.js';

const PAGE = 50;

// describe turns an action key into words.
const ACTIONS = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'auth.logout': 'Signed out',
  'auth.setup': 'Created the first admin',
  'auth.bootstrap': 'First admin from the server settings',
  'user.create': 'Added an account',
  'user.update': 'Changed an account',
  'user.delete': 'Deleted an account',
  'token.create': 'Created an API token',
  'token.revoke': 'Revoked an API token',
  'survey.create': 'Created a survey',
  'survey.update': 'Changed a draft survey',
  'survey.delete': 'Deleted a draft survey',
  'survey.launch': 'Launched a survey',
  'survey.close': 'Closed a survey',
  'survey.archive': 'Archived a survey',
  'invites.create': 'Created invite codes',
  'item.create': 'Added a question to the bank',
  'report.download': 'Downloaded the Excel report',
  'results.download': 'Downloaded the results CSV',
  'survey.retention': 'Set how long responses are kept',
  'retention.delete': 'Deleted old responses (retention)',
  'retention.dry_run': 'Checked what retention would delete',
  'settings.password_sign_in': 'Turned password sign-in on or off',
};
const describe = (a) => ACTIONS[a] || a;

function row(e) {
  const at = new Date(e.at);
  return h('tr', { dataset: { action: e.action } },
    h('td', {}, h('time', { datetime: e.at }, at.toLocaleString())),
    h('td', {}, e.actor_email || h('span', { class: 'muted' }, 'system'),
      e.client_address ? [h('br'), h('span', { class: 'muted' }, e.client_address)] : []),
    h('td', {}, describe(e.action), h('br'), h('code', { class: 'muted' }, e.action)),
    h('td', {}, e.target),
    h('td', {}, e.detail));
}

export async function render(main) {
  const body = h('tbody', {});
  const status = h('p', { role: 'status', class: 'muted' });
  const more = h('button', { type: 'button', id: 'audit-more' }, 'Load older entries');
  let cursor = '';
  const load = async () => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (cursor) q.set('cursor', cursor);
    const page = await get(`/api/v1/audit?${q}`);
    body.append(...page.events.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    status.textContent = body.children.length ? `${body.children.length} entries shown.` : 'Nothing has been recorded yet.';
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try { await load(); } catch (e) { status.textContent = `Could not load more: ${e.message}`; }
    more.disabled = false;
  });
  main.append(
    h('h1', {}, 'Audit log'),
    h('p', { class: 'muted' }, 'Who did what, and when: sign-ins, accounts, tokens, surveys and downloads.'),
    wide('Audit log table', h('table', { id: 'audit' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Target', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
      body)),
    status, more);
  await load();
}
