// heard.js: the public "What we heard" page (/heard/{slug}), no sign-in.
// It shows what the lead chose to share of a closed wave: numbers exactly
// as the results engine released them for the whole organisation (a
// withheld one says so), and the focus areas with their actions. Its words
// come from the server in the reader's language (messages/heard.LANG.json),
// among those the survey is offered in; ?lang= in the address chooses one.
import { h, clear } from './dom.js';
import { translator } from './respond-form.js';

const has = (x) => x !== null && x !== undefined;

// English until the page's own words arrive (an error before they do).
const english = {
  title: 'What we heard',
  missing: 'This page does not exist or is no longer published.',
  unavailable: 'This page cannot be shown right now. Please try again later.',
};

// numberText is a released cell in words, its numbers written as the
// page's language writes them (67,2 and 62 % in French).
function numberText(n, k, t, lang) {
  const one = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const share = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const pct = (x) => (has(x) ? share.format(x) : '—');
  const score = (x) => (has(x) ? one.format(x) : '—');
  const c = n.cell || {};
  if (c.suppressed) return ['—', t('withheld', { Count: k })];
  switch (n.kind) {
    case 'count': return [String(c.n), t('people')];
    case 'participation': return [pct(c.value), has(c.n) ? t('answers', { Count: c.n }) : ''];
    case 'enps': return [has(c.value) ? whole.format(Math.round(c.value)).replace('-', '−') : '—', t('enps_range')];
    default: return [has(c.score) ? score(c.score) : '—', has(c.favourable) ? t('out_of_100_agree', { Share: pct(c.favourable) }) : t('out_of_100')];
  }
}

// The names of the whole-organisation numbers are the page's own words;
// competencies come named by the server in the page's language.
const ownNames = { respondents: 'respondents', participation: 'participation', enps: 'enps', index: 'index' };

async function main() {
  const root = document.getElementById('main');
  const slug = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
  const lang = new URLSearchParams(location.search).get('lang');
  let page;
  try {
    const res = await fetch(`/api/v1/heard/${encodeURIComponent(slug)}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(res.status === 404 ? english.missing : english.unavailable);
    page = await res.json();
  } catch (e) {
    clear(root).append(h('h1', {}, english.title), h('p', { role: 'alert' }, e.message));
    return;
  }
  const t = translator(page.messages || {}, page.language || 'en');
  document.documentElement.lang = page.language || 'en';
  const fmtDate = (s) => new Date(s).toLocaleDateString(page.language || 'en', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const title = t('title_of', { Title: page.title });
  document.title = title;
  clear(root).append(
    h('h1', {}, title),
    h('p', { class: 'muted', id: 'heard-wave' }, t('round', { Wave: page.wave, From: fmtDate(page.opens_at), To: fmtDate(page.closes_at) })),
    page.message ? h('p', { class: 'heard-message' }, page.message) : null,
    h('p', {}, t('combined', { Count: page.min_group_size })),
    page.numbers.length ? h('section', { 'aria-labelledby': 'heard-results' }, h('h2', { id: 'heard-results' }, t('results')),
      h('ul', { class: 'heard-numbers' }, page.numbers.map((n) => {
        const [big, sub] = numberText(n, page.min_group_size, t, page.language || 'en');
        const name = ownNames[n.key] ? t(ownNames[n.key]) : n.name;
        return h('li', { 'data-number': n.key }, h('span', {}, name), h('span', { class: 'big' }, big), h('span', { class: 'muted' }, sub));
      }))) : null,
    h('section', { 'aria-labelledby': 'heard-actions' }, h('h2', { id: 'heard-actions' }, t('doing')),
      page.focus_areas.length ? page.focus_areas.map((f) => h('div', { class: 'heard-focus' },
        h('h3', {}, f.title), h('p', { class: 'muted' }, f.about),
        f.actions.length ? h('ul', {}, f.actions.map((a) => h('li', {}, a.title,
          ` (${t(`status_${a.status}`)}${a.due ? `, ${t('due', { Date: fmtDate(a.due) })}` : ''})`)))
          : h('p', {}, t('planning'))))
        : h('p', {}, t('planning_all'))));
}

main();
