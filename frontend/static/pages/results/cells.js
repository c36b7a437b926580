// pages/results/cells.js: how released cells read on the dashboard.
// Percentages are integers, scores have one decimal, n is always shown, and
// a suppressed cell says which rule withheld it, never a value.
import { h, pct, score } from '../../dom.js';

// The reasons the release step gives (survey/report/types.go).
export const REASON_SECONDARY = 'hidden to protect another group';

const has = (x) => x !== null && x !== undefined;

// signed formats a number with its sign and one decimal.
export function signed(v, unit = '') {
  if (!has(v)) return '—';
  const sign = v > 0.05 ? '+' : v < -0.05 ? '−' : '±';
  return `${sign}${Math.abs(v).toFixed(1)}${unit}`;
}

// points formats a gap or change in percentage points.
export const points = (v) => signed(v, ' pts');

// nText is the "n = …" of a cell ("" when it has none).
export const nText = (c) => (c && has(c.n) ? `n = ${c.n}` : '');

// shortReason is what a suppressed cell shows in place of a number.
export function shortReason(c, k) {
  return c.reason === REASON_SECONDARY ? 'withheld' : `fewer than ${k}`;
}

// ruleText explains the rule behind a suppressed cell (its tooltip).
export function ruleText(c, k) {
  if (c.reason === REASON_SECONDARY) {
    return 'Withheld to protect another group: showing it would let someone work out the answers of a group smaller than the minimum by subtraction.';
  }
  return `Fewer than ${k} respondents: results are shown only for groups of at least ${k} people.`;
}

// isEmpty is a cell that is neither suppressed nor holding a value.
export const isEmpty = (c) => !c || (!c.suppressed && !has(c.score) && !has(c.value) && !has(c.favourable) && !has(c.n));

// suppressedSpan renders a suppressed cell's text with its rule.
export function suppressedSpan(c, k) {
  return h('span', { class: 'suppressed-text', title: ruleText(c, k) }, shortReason(c, k));
}

// intervalText is "[low–high]" of a share.
export const shareInterval = (c) => (has(c.low) && has(c.high) ? `95% interval ${pct(c.low)}–${pct(c.high)}` : '');

// pointsInterval is "[low, high]" of a gap or change in points.
export const pointsInterval = (c) => (has(c.low) && has(c.high) ? `[${signed(c.low)}, ${signed(c.high)}]` : '');

// how is the one-line "how to read this" under a chart.
export const how = (text) => h('p', { class: 'how' }, h('strong', {}, 'How to read this: '), text);

// panel is a titled section of a tab.
// inSentence is a group label as it reads after "Scores by": its first
// letter lowercased unless it starts an acronym, the rest as written
// ("Time at Northwind" → "time at Northwind", "LGBTQ+ status" unchanged).
export function inSentence(label) {
  return /^.[a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

export function panel(title, ...children) {
  const id = `p-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// table builds a data table: head is a list of header cells (strings or
// {text, num}), rows a list of arrays of cells (strings, nodes, or
// {text, num, class, title}).
export function table(caption, head, rows, attrs = {}) {
  const cell = (tag, c, extra = {}) => {
    if (c && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c)) {
      return h(tag, { class: [c.num ? 'num' : '', c.class || ''].join(' ').trim() || false, title: c.title, scope: c.scope || extra.scope }, c.text);
    }
    return h(tag, extra, c);
  };
  return h('table', attrs,
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, head.map((c) => cell('th', c, { scope: 'col' })))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? cell('th', c, { scope: 'row' }) : cell('td', c)))))));
}

// scroller lets a wide table scroll sideways on a narrow screen; the region
// is focusable so keyboard users can scroll it too.
export function scroller(label, el) {
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': label }, el);
}

// altTable wraps a table as a chart's text alternative.
export function altTable(summary, tbl) {
  return h('details', { class: 'alt' }, h('summary', {}, summary), scroller(summary, tbl));
}

// shareCell is a favourable share with its n and interval, for tables.
export function shareCell(c, k) {
  if (!c) return '—';
  if (c.suppressed) return suppressedSpan(c, k);
  if (!has(c.favourable)) return h('span', { class: 'muted' }, 'no data');
  return { text: `${pct(c.favourable)} (${shareInterval(c).replace('95% interval ', '')})`, num: true };
}

// scoreCell is a 0–100 score for tables.
export function scoreCell(c, k) {
  if (!c) return '—';
  if (c.suppressed) return suppressedSpan(c, k);
  return { text: has(c.score) ? score(c.score) : has(c.value) ? score(c.value) : 'no data', num: true };
}

// nCell is the n of a cell for tables.
export function nCell(c, k) {
  if (!c) return '—';
  if (c.suppressed) return suppressedSpan(c, k);
  return { text: has(c.n) ? String(c.n) : '—', num: true };
}

// asOf notes a value held from an earlier update of an open wave's results.
export const asOf = (c) => (c && c.as_of ? ` (as of update ${c.as_of.snapshot}: too few new answers since)` : '');

// metaLine says which wave and population a view shows and under which
// thresholds, with any notes of the release step.
export function metaLine(meta, respondents) {
  const th = meta.thresholds || {};
  const status = meta.wave_status === 'open' ? `open, partial results${meta.snapshot ? `, update ${meta.snapshot}` : ''}` : `${meta.wave_status}${meta.final ? ', final' : ''}`;
  const parts = [`Wave ${meta.wave} (${status})`];
  if (meta.population) parts.push(meta.population);
  if (respondents && has(respondents.n)) parts.push(`${respondents.n} respondents`);
  parts.push(`groups smaller than ${th.k} (${th.k_s} on sensitive questions) are withheld`);
  return [h('p', { class: 'results-meta' }, parts.join(' · ')),
    ...(meta.notes || []).map((n) => h('p', { class: 'results-meta' }, n))];
}

// kFor is the threshold of a group of dimension key (k_s when sensitive).
export function kFor(state, meta, dimKey) {
  const th = meta.thresholds || {};
  const dm = state.dims.find((d) => d.key === dimKey);
  return dm && dm.sensitive ? th.k_s : th.k;
}

// breakdown loads a view broken down by the chosen dimension and writes its
// meta line. It returns null (after a note) when the survey has no
// dimension to break down by; otherwise the view, its groups, the groups'
// threshold and the dimension's name in lower case.
export async function breakdown(root, st, view) {
  if (!st.by) {
    root.append(h('p', { class: 'note' }, 'This survey has no demographic questions, so there are no groups to compare.'));
    return null;
  }
  const data = await st.api(view, { wave: st.wave, by: st.by });
  root.append(...metaLine(data));
  const dim = st.dims.find((d) => d.key === st.by);
  return { data, groups: data.groups || [], k: kFor(st, data, st.by), dimName: dim ? inSentence(dim.label) : st.by, dim };
}

export { has, pct, score };
