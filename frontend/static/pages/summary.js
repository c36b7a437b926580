// pages/summary.js: the executive's landing page. /app/summary shows the
// summary of the survey whose latest wave closed most recently (a picker
// offers the others); /app/summary/{surveyID} shows that survey's. The
// summary itself is drawn by pages/results/summary.js, also the leads'
// Summary tab.
import { get } from '../api.js';
import { h } from '../dom.js';
import { renderSummary } from './results/summary.js';

const listOf = (res) => (Array.isArray(res) ? res : (res && (res.surveys || res.items)) || []);

function ensureStyles() {
  if (document.querySelector('link[data-results-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/static/results.css', 'data-results-css': 'true' }));
}

export async function render(main, ctx) {
  ensureStyles();
  const surveys = listOf(await get('/api/v1/surveys?limit=100')).filter((s) => s.status !== 'draft');
  if (!surveys.length) {
    main.append(h('h1', {}, 'Summary'), h('p', { class: 'note' }, 'No survey has been launched yet, so there is nothing to summarise.'));
    return;
  }
  // The newest closed wave of each survey decides which one opens first.
  const waves = await Promise.all(surveys.map((s) => get(`/api/v1/surveys/${encodeURIComponent(s.id)}/waves`).catch(() => null)));
  const lastClosed = (i) => {
    const ws = listOf(waves[i] && (waves[i].waves || waves[i]));
    const closed = ws.filter((w) => w.status === 'closed').map((w) => w.closes_at || '');
    return closed.sort().pop() || '';
  };
  const order = surveys.map((s, i) => ({ s, at: lastClosed(i) })).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const wanted = (ctx.params || [])[0];
  const current = (wanted && order.find((o) => o.s.id === wanted)) || order[0];
  const id = current.s.id;
  main.append(h('h1', {}, `Summary: ${current.s.title}`));
  if (order.length > 1) {
    const pick = h('select', { id: 'summary-survey', name: 'survey' }, order.map((o) => h('option', { value: o.s.id }, o.s.title)));
    pick.value = id;
    pick.addEventListener('change', () => ctx.navigate(`/app/summary/${encodeURIComponent(pick.value)}`));
    main.append(h('div', { class: 'results-head' }, h('div', { class: 'field' }, h('label', { for: 'summary-survey' }, 'Survey'), pick)));
  }
  const body = h('div', { id: 'results-body', 'data-tab': 'summary', 'aria-busy': 'true' });
  main.append(body);
  const sum = await get(`/api/v1/surveys/${encodeURIComponent(id)}/summary`);
  const url = (tab) => `/app/results/${encodeURIComponent(id)}/${tab}`;
  renderSummary(body, sum, { url });
  body.append(h('p', {}, h('a', { href: url('overview') }, 'All results of this survey'), ' · ',
    h('a', { href: '/app/reports' }, 'Download the Excel report')));
  body.removeAttribute('aria-busy');
  body.dataset.ready = 'true';
}
