// heard.js: the public "What we heard" page (/heard/{slug}), no sign-in.
// It shows what the lead chose to share of a closed wave: numbers exactly
// as the results engine released them for the whole organisation (a
// withheld one says so), and the focus areas with their actions.
import { h, clear, pct, score } from './dom.js';

const fmtDate = (s) => new Date(s).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const STATUS = { planned: 'Planned', in_progress: 'In progress', done: 'Done' };
const has = (x) => x !== null && x !== undefined;

// numberText is a released cell in words.
function numberText(n, k) {
  const c = n.cell || {};
  if (c.suppressed) return ['—', `withheld: fewer than ${k} people`];
  switch (n.kind) {
    case 'count': return [String(c.n), 'people'];
    case 'participation': return [pct(c.value), has(c.n) ? `${c.n} answers` : ''];
    case 'enps': return [has(c.value) ? String(Math.round(c.value)) : '—', 'from −100 to 100'];
    default: return [has(c.score) ? score(c.score) : '—', has(c.favourable) ? `out of 100 · ${pct(c.favourable)} agree` : 'out of 100'];
  }
}

async function main() {
  const root = document.getElementById('main');
  const slug = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
  let page;
  try {
    const res = await fetch(`/api/v1/heard/${encodeURIComponent(slug)}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(res.status === 404 ? 'This page does not exist or is no longer published.' : 'This page cannot be shown right now. Please try again later.');
    page = await res.json();
  } catch (e) {
    clear(root).append(h('h1', {}, 'What we heard'), h('p', { role: 'alert' }, e.message));
    return;
  }
  document.title = `What we heard: ${page.title}`;
  clear(root).append(
    h('h1', {}, `What we heard: ${page.title}`),
    h('p', { class: 'muted', id: 'heard-wave' }, `Survey round ${page.wave}, ${fmtDate(page.opens_at)} to ${fmtDate(page.closes_at)}.`),
    page.message ? h('p', { class: 'heard-message' }, page.message) : null,
    h('p', {}, `These are combined results. No number here stands for fewer than ${page.min_group_size} people, and nobody's answers can be seen.`),
    page.numbers.length ? h('section', { 'aria-labelledby': 'heard-results' }, h('h2', { id: 'heard-results' }, 'Results'),
      h('ul', { class: 'heard-numbers' }, page.numbers.map((n) => {
        const [big, sub] = numberText(n, page.min_group_size);
        return h('li', { 'data-number': n.key }, h('span', {}, n.name), h('span', { class: 'big' }, big), h('span', { class: 'muted' }, sub));
      }))) : null,
    h('section', { 'aria-labelledby': 'heard-actions' }, h('h2', { id: 'heard-actions' }, 'What we are doing about it'),
      page.focus_areas.length ? page.focus_areas.map((f) => h('div', { class: 'heard-focus' },
        h('h3', {}, f.title), h('p', { class: 'muted' }, f.about),
        f.actions.length ? h('ul', {}, f.actions.map((a) => h('li', {}, a.title, ` (${STATUS[a.status] || a.status}${a.due ? `, due ${fmtDate(a.due)}` : ''})`)))
          : h('p', {}, 'Actions are being planned.')))
        : h('p', {}, 'The actions are being planned and will be shared here.')));
}

main();
