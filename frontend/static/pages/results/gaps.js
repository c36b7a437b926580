// pages/results/gaps.js: each group's inclusion gap against the rest of the
// organisation, in percentage points of the favourable share, with its 95%
// interval. Only flagged gaps are emphasised; the rest are shown plainly.
import { h } from '../../dom.js';
import { breakdown, has, how, panel, points, pointsInterval, scroller, suppressedSpan, shortReason } from './cells.js';

function gapCell(c, k) {
  if (!c || c.suppressed) return h('td', { 'data-suppressed': 'true' }, c ? suppressedSpan(c, k) : '—');
  if (!has(c.value)) return h('td', { class: 'muted' }, 'no data');
  const up = c.value > 0;
  return h('td', { class: ['num', c.flagged ? (up ? 'flagged-up' : 'flagged') : ''].join(' ').trim(), 'data-flagged': c.flagged ? 'true' : false },
    c.flagged ? h('span', { class: up ? 'flag-up' : 'flag' }, `${points(c.value)} ⚑`) : points(c.value),
    h('br'), h('span', { class: 'muted' }, pointsInterval(c)),
    c.flagged ? h('span', { class: 'sr-flag' }, up ? ' (flagged: above the rest)' : ' (flagged: below the rest)') : null);
}

export async function render(root, st) {
  const view = await breakdown(root, st, 'gaps');
  if (!view) return;
  const { data: g, groups, k, dimName } = view;
  let flagged = 0;
  (g.rows || []).forEach((r) => r.groups.forEach((c) => { if (c.flagged) flagged++; }));
  root.append(panel(`Gaps by ${dimName}`,
    how(`Each cell is the group's favourable share minus that of everyone else, in points, with its 95% interval below. ⚑ marks a flagged gap: the interval excludes zero and the gap is at least ${g.thresholds.practical_gap_points} points. Other differences may be chance.`),
    h('p', {}, flagged ? `${flagged} flagged gap${flagged === 1 ? '' : 's'} in this view.` : 'No gap is flagged in this view.'),
    scroller('Gaps table', h('table', { id: 'gaps' },
      h('caption', {}, `Inclusion gaps by ${dimName}, wave ${g.wave} (percentage points)`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), groups.map((gr) => h('th', { scope: 'col' }, gr.option, h('br'),
        h('span', { class: 'muted' }, gr.count.suppressed ? shortReason(gr.count, k) : `n = ${gr.count.n}`))))),
      h('tbody', {}, (g.rows || []).map((r) => h('tr', {}, h('th', { scope: 'row' }, r.name), r.groups.map((c) => gapCell(c, k)))))))));
}
