// pages/results.js: the results dashboard. /app/results lists the surveys
// with results; /app/results/{surveyID}/{tab}?wave=N&by=DIM shows one tab of
// one survey. The header (title, wave picker, tabs) is drawn here; each tab
// lives in pages/results/<tab>.js and exports render(root, state). Every
// number comes from the results API, which applies the anonymity rules.
import { get, ApiError } from '../api.js';
import { h } from '../dom.js';

export const TABS = [
  { key: 'summary', label: 'Summary' },
  { key: 'overview', label: 'Overview' },
  { key: 'heatmap', label: 'Heatmap' },
  { key: 'gaps', label: 'Gaps' },
  { key: 'behaviours', label: 'Behaviours' },
  { key: 'barriers', label: 'Barriers' },
  { key: 'trend', label: 'Trend' },
  { key: 'comments', label: 'Comments', roles: ['admin', 'lead'] },
  { key: 'plans', label: 'Action plans' },
];

// Tabs whose view breaks down by one dimension.
const BY_TABS = ['heatmap', 'gaps', 'barriers', 'trend'];

const listOf = (res) => (Array.isArray(res) ? res : (res && (res.surveys || res.items)) || []);
const demographicsOf = (sv) => (sv && ((sv.design && sv.design.demographics) || sv.demographics)) || [];

// ensureStyles links the dashboard's stylesheet once (no inline styles).
function ensureStyles() {
  if (document.querySelector('link[data-results-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/static/results.css', 'data-results-css': 'true' }));
}

const fmtDate = (s) => (s ? new Date(s).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '');

// picker lists the surveys that have results.
async function picker(main) {
  main.append(h('h1', {}, 'Results'),
    h('p', { class: 'muted' }, 'Choose a survey. Every number respects the anonymity rules: small groups are withheld, never estimated.'));
  const surveys = listOf(await get('/api/v1/surveys?limit=100')).filter((s) => s.status !== 'draft');
  if (!surveys.length) {
    main.append(h('p', { class: 'note' }, 'No survey has been launched yet, so there are no results to show.'));
    return;
  }
  main.append(h('ul', { class: 'survey-list' }, surveys.map((s) => h('li', {},
    h('a', { href: `/app/results/${encodeURIComponent(s.id)}/overview`, 'data-survey': s.id },
      h('span', { class: 'title' }, s.title), h('br'),
      h('span', { class: 'muted' }, `${s.status}${s.schedule && s.schedule.cadence && s.schedule.cadence !== 'once' ? ` · ${s.schedule.cadence} pulse` : ''}`))))));
}

// defaultWave is the wave the dashboard opens on: the newest closed wave,
// so that a live wave's partial results are never what people see (and
// forward) first. Without a closed wave, the newest wave, labelled partial.
export function defaultWave(trend) {
  const waves = trend.waves || [];
  for (let i = waves.length - 1; i >= 0; i--) if (waves[i].status === 'closed') return waves[i].number;
  return waves.length ? waves[waves.length - 1].number : 0;
}

// waveLabel names a wave in a picker; an open wave says its results are partial.
export function waveLabel(w) {
  return `Wave ${w.number} · ${fmtDate(w.opens_at)} · ${w.status === 'open' ? 'open, partial results' : w.status}`;
}

// viewURL builds a dashboard address keeping the wave and breakdown.
function viewURL(id, tab, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, String(v));
  const qs = q.toString();
  return `/app/results/${encodeURIComponent(id)}/${tab}${qs ? `?${qs}` : ''}`;
}

export async function render(main, ctx) {
  ensureStyles();
  const [id, tabParam] = ctx.params || [];
  if (!id) { await picker(main); return; }
  const designer = ['admin', 'lead'].includes(ctx.user.role);
  const tabs = TABS.filter((t) => !t.roles || t.roles.includes(ctx.user.role));
  // A tab the role does not list (comments, for executives) still opens from
  // its address, where it explains why it shows nothing.
  const tab = TABS.some((t) => t.key === tabParam) ? tabParam : (designer ? 'overview' : 'summary');

  // The survey (for its demographics) and the trend (for the waves).
  const [sv, trend] = await Promise.all([
    get(`/api/v1/surveys/${encodeURIComponent(id)}`).catch(() => null),
    get(`/api/v1/surveys/${encodeURIComponent(id)}/trend`),
  ]);
  const dims = demographicsOf(sv);
  const waves = trend.waves || [];
  const startWave = defaultWave(trend);
  const wave = Number(ctx.query.get('wave')) || startWave;
  let by = ctx.query.get('by') || '';
  const filter = ctx.query.get('filter') || '';
  if (BY_TABS.includes(tab) && !by && tab !== 'trend') {
    // The first dimension that can be combined with the filter.
    const fdim = dims.find((d) => filter.startsWith(`${d.key}:`));
    const first = dims.find((d) => d !== fdim && !(fdim && fdim.sensitive && d.sensitive));
    if (first) by = first.key;
  }
  const keep = { wave: wave !== startWave ? wave : '', by, filter };

  const title = (sv && sv.title) || trend.title || 'Survey';
  const head = h('div', { class: 'results-head' });
  if (waves.length) {
    const select = h('select', { id: 'wave-picker', name: 'wave' }, waves.map((w) =>
      h('option', { value: String(w.number) }, waveLabel(w))));
    select.value = String(wave);
    select.addEventListener('change', () => ctx.navigate(viewURL(id, tab, { ...keep, wave: Number(select.value) !== startWave ? select.value : '' })));
    head.append(h('div', { class: 'field' }, h('label', { for: 'wave-picker' }, 'Wave'), select));
  }
  if (BY_TABS.includes(tab) && dims.length) {
    const select = h('select', { id: 'by-picker', name: 'by' },
      tab === 'trend' ? h('option', { value: '' }, 'Whole organisation') : null,
      dims.map((d) => h('option', { value: d.key }, `${d.label || d.key}${d.sensitive ? ' (sensitive)' : ''}`)));
    select.value = by;
    select.addEventListener('change', () => ctx.navigate(viewURL(id, tab, { ...keep, by: select.value })));
    head.append(h('div', { class: 'field' }, h('label', { for: 'by-picker' }, 'Break down by'), select));
  }
  const byDim = dims.find((d) => d.key === by);
  if (!['comments', 'summary', 'plans'].includes(tab) && dims.length) {
    // A population filter: one option of one dimension (the closed lattice
    // allows one filter and one breakdown, never two sensitive ones).
    const select = h('select', { id: 'filter-picker', name: 'filter' }, h('option', { value: '' }, 'Everyone'),
      dims.filter((d) => !BY_TABS.includes(tab) || !by || (d.key !== by && !(d.sensitive && byDim && byDim.sensitive))).map((d) => h('optgroup', { label: d.label || d.key },
        (d.options || []).map((o) => h('option', { value: `${d.key}:${o}` }, o)))));
    select.value = filter;
    select.addEventListener('change', () => ctx.navigate(viewURL(id, tab, { ...keep, filter: select.value })));
    head.append(h('div', { class: 'field' }, h('label', { for: 'filter-picker' }, 'Population'), select));
  }
  if (designer) {
    head.append(h('p', {}, h('a', { href: `/app/surveys/${encodeURIComponent(id)}`, 'data-design-control': 'true' }, 'Survey settings and invitations')));
  }
  const tabNav = h('nav', { 'aria-label': 'Result views' }, h('ul', { class: 'tabs' }, tabs.map((t) => h('li', {},
    h('a', { href: viewURL(id, t.key, { wave: keep.wave, by: BY_TABS.includes(t.key) ? by : '', filter: t.key === 'comments' ? '' : filter }), 'aria-current': t.key === tab ? 'page' : false, 'data-tab': t.key }, t.label)))));
  const body = h('div', { id: 'results-body', 'data-tab': tab, 'aria-busy': 'true' });
  const shownWave = waves.find((w) => w.number === wave);
  const partial = shownWave && shownWave.status === 'open' && tab !== 'summary' && tab !== 'plans'
    ? h('p', { class: 'note partial-note', id: 'partial-note', role: 'note' },
      `Partial results: wave ${wave} is still open, so these numbers can change until it closes. `,
      startWave !== wave ? h('a', { href: viewURL(id, tab, { ...keep, wave: '' }) }, `Show wave ${startWave}, the last closed wave`) : '')
    : null;
  main.append(...[h('h1', {}, title), head, tabNav, partial, body].filter(Boolean));

  if (!waves.length) {
    body.removeAttribute('aria-busy');
    body.append(h('p', { class: 'note' }, 'No wave of this survey has opened yet, so there are no results to show.'));
    return;
  }
  const state = {
    id, tab, wave, by, filter, dims, survey: sv, trend, user: ctx.user, designer, waveAsked: ctx.query.has('wave'), navigate: ctx.navigate,
    api: (view, params = {}) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ filter, ...params })) if (v !== '' && v !== undefined && v !== null) q.set(k, String(v));
      return get(`/api/v1/surveys/${encodeURIComponent(id)}/${view}${q.toString() ? `?${q}` : ''}`);
    },
    url: (t, params) => viewURL(id, t, params),
  };
  try {
    const mod = await import(`./results/${tab}.js`);
    await mod.render(body, state);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    if (e instanceof ApiError && e.status === 400) {
      // A view outside the closed query lattice (docs/anonymity.md, "The query
      // lattice"): refused by design.
      body.append(h('p', { class: 'note', role: 'status', id: 'view-refused' }, `This view is not available, to protect anonymity: ${e.message}`));
    } else {
      body.append(h('p', { class: 'error', role: 'alert' }, `Could not load this view: ${e.message}`));
    }
  } finally {
    body.removeAttribute('aria-busy');
    body.dataset.ready = 'true';
  }
}
