// pages/surveys.js: the survey list with status and current wave, newest
// first, paginated with "Show more".
import { h, wide } from '../dom.js';
import { get } from '../api.js';
import { useSurveyCss } from './preview.js';

const fmt = (s) => new Date(s).toLocaleDateString(undefined, { dateStyle: 'medium' });

export function waveText(w) {
  if (!w) return 'No wave yet';
  switch (w.status) {
    case 'open': return `Wave ${w.number}: open until ${fmt(w.closes_at)}`;
    case 'scheduled': return `Wave ${w.number}: opens ${fmt(w.opens_at)}`;
    default: return `Wave ${w.number}: closed ${fmt(w.closes_at)}`;
  }
}

export async function render(main, ctx) {
  useSurveyCss();
  const canDesign = ['admin', 'lead'].includes(ctx.user.role);
  const tbody = h('tbody', {});
  const more = h('button', { type: 'button', id: 'more', hidden: true }, 'Show more');
  const empty = h('p', { class: 'muted', hidden: true }, canDesign ? 'No surveys yet. Start with “New survey”.' : 'No surveys yet.');
  let cursor = '';
  const load = async () => {
    const page = await get(`/api/v1/surveys?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const sv of page.surveys) {
      tbody.append(h('tr', { dataset: { id: sv.id } },
        h('td', {}, h('a', { href: `/app/surveys/${sv.id}` }, sv.title)),
        h('td', {}, h('span', { class: `badge ${sv.status}` }, sv.status)),
        h('td', {}, waveText(sv.current_wave)),
        h('td', {}, sv.schedule.cadence),
        h('td', {}, fmt(sv.created_at))));
    }
    cursor = page.next_cursor;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  more.addEventListener('click', load);
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Surveys'),
      canDesign ? h('a', { href: '/app/surveys/new', class: 'button', id: 'new-survey' }, 'New survey') : null),
    wide('Survey list', h('table', { id: 'survey-table' },
      h('caption', { class: 'muted' }, 'Every survey with its status and its current wave.'),
      h('thead', {}, h('tr', {}, ['Title', 'Status', 'Current wave', 'Cadence', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody)),
    empty, more);
  await load();
}
