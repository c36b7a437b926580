// pages/results/heatmap.js: competencies × groups. Each cell is coloured
// by its distance from the organisation's value on the same row (blue above,
// orange below, light grey near it) and prints its score. Suppressed cells
// are hatched grey and say which rule withheld them; empty cells are white.
import { h } from '../../dom.js';
import { breakdown, has, how, isEmpty, panel, ruleText, score, scroller, shortReason } from './cells.js';

// bucket names the colour class of a score diff points from the
// organisation's value.
export function bucket(diff) {
  const a = Math.abs(diff);
  if (a < 2) return 'heat-near';
  const side = diff > 0 ? 'above' : 'below';
  return `heat-${side}${a < 5 ? 1 : a < 10 ? 2 : 3}`;
}

const LEGEND = [
  ['heat-above3', '10 or more points above the organisation'],
  ['heat-above2', '5 to 10 above'],
  ['heat-above1', '2 to 5 above'],
  ['heat-near', 'within 2 points'],
  ['heat-below1', '2 to 5 below'],
  ['heat-below2', '5 to 10 below'],
  ['heat-below3', '10 or more below'],
  ['heat-suppressed', 'withheld (too few people, or to protect another group)'],
  ['heat-empty', 'no data'],
];

function cell(c, org, k, label, tipId, drill) {
  if (c.suppressed) {
    // Focusable, so keyboard users reach the rule too: it shows on focus
    // (results.css) and is the cell's description for screen readers.
    const rule = ruleText(c, k);
    return h('td', { class: 'cell heat-suppressed', title: rule, tabindex: '0', 'data-suppressed': 'true', 'aria-describedby': tipId },
      shortReason(c, k), h('span', { class: 'rule-tip', id: tipId, role: 'tooltip' }, `${label}: ${rule}`));
  }
  if (isEmpty(c) || !has(c.score)) return h('td', { class: 'cell heat-empty', 'data-empty': 'true' }, 'no data');
  const cls = has(org) ? bucket(c.score - org) : 'heat-near';
  const diff = has(org) ? c.score - org : 0;
  const title = `${label}: score ${score(c.score)}, n = ${c.n}, ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} against the organisation`;
  // A cell opens its group's questions (a drill-down to the items).
  return h('td', { class: `cell ${cls}`, title }, drill ? h('a', { href: drill, 'aria-label': `${title}: see the questions` }, score(c.score)) : score(c.score));
}

export async function render(root, st) {
  const view = await breakdown(root, st, 'heatmap');
  if (!view) return;
  const { data: hm, groups, k, dimName, dim } = view;
  const orgN = hm.rows && hm.rows.length && hm.rows[0].overall ? hm.rows[0].overall.n : null;
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Competency'),
    h('th', { scope: 'col', class: 'group' }, 'Organisation', has(orgN) ? h('span', { class: 'n' }, `n = ${orgN}`) : null),
    groups.map((g) => h('th', { scope: 'col', class: 'group', 'data-group': g.option },
      g.option, h('span', { class: 'n' }, g.count.suppressed ? shortReason(g.count, k) : `n = ${g.count.n}`))));
  const rows = (hm.rows || []).map((r) => {
    const org = r.overall && r.overall.score;
    return h('tr', { 'data-row': r.key }, h('th', { scope: 'row' }, r.name),
      h('td', { class: 'cell heat-org', title: `Organisation: n = ${r.overall.n}` }, has(org) ? score(org) : '—'),
      r.groups.map((c, i) => cell(c, org, k, `${r.name}, ${groups[i].option}`, `rule-${r.key}-${i}`,
        st.filter || r.key === 'index' ? '' : `${st.url('overview', { wave: st.wave, filter: `${st.by}:${groups[i].option}` })}#items-${r.key}`)));
  });
  root.append(panel(`Scores by ${dimName}`,
    how('Each number is a 0–100 score. Blue cells are above the organisation\'s value on that row, orange below, grey near it. Hatched cells are withheld; hover or focus the cell for the rule. Select a score to see that group\'s answers to each question.'),
    scroller('Heatmap', h('table', { class: 'heatmap sticky-first', id: 'heatmap' },
      h('caption', {}, `Competency scores (0–100) by ${dimName}, wave ${hm.wave}`),
      h('thead', {}, head), h('tbody', {}, rows))),
    h('ul', { class: 'legend', 'aria-label': 'Colour key' }, LEGEND.map(([cls, text]) =>
      h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text))),
    dim && dim.sensitive ? h('p', { class: 'how' }, `${dim.label} is a sensitive question: a group needs at least ${k} people.`) : null));
}
