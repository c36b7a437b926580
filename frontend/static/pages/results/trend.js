// pages/results/trend.js: the index, eNPS and competencies across waves,
// from published values only; a change is flagged by the same rule as a gap.
import { h, clear } from '../../dom.js';
import { lineChart } from './charts.js';
import { altTable, has, how, kFor, panel, points, pointsInterval, score, suppressedSpan, table } from './cells.js';

const fmtDate = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '');

const valueOf = (c) => (!c || c.suppressed ? null : has(c.score) ? c.score : has(c.value) ? c.value : null);

// range pads the values to tens, within [lo, hi].
function range(series, lo, hi) {
  const vals = series.flatMap((s) => s.values).filter((v) => v !== null);
  if (!vals.length) return [lo, hi];
  return [Math.max(lo, Math.floor((Math.min(...vals) - 5) / 10) * 10), Math.min(hi, Math.ceil((Math.max(...vals) + 5) / 10) * 10)];
}

function pointCell(p, ch, k, isScore) {
  if (!p || p.suppressed) return p ? suppressedSpan(p, k) : '—';
  const v = valueOf(p);
  const change = ch && has(ch.value) ? ` (${points(ch.value)} ${pointsInterval(ch)}${ch.flagged ? ' ⚑' : ''})` : '';
  return { text: `${v === null ? '—' : isScore ? score(v) : Math.round(v)}${change}, n = ${p.n}`, num: true, class: ch && ch.flagged ? 'flag' : '' };
}

function chartPanel(title, t, series, opts, k) {
  // The axis names each wave by the date it opened (an open wave is
  // partial); the index is drawn thicker than the rest; a withheld value
  // breaks its line instead of leaving a loose dot.
  const waves = t.waves.map((w) => `${fmtDate(w.opens_at)}${w.status === 'open' ? ' (partial)' : ''}`);
  const lines = series.map((s) => ({ name: s.label, values: s.points.map(valueOf), flags: (s.changes || []).map((c) => Boolean(c && c.flagged)), emphasis: s.key === 'index' }));
  const [min, max] = range(lines, opts.lo, opts.hi);
  return panel(title,
    how(opts.how),
    lineChart(waves, lines, { name: `${title} across ${waves.length} waves`, min, max }),
    altTable(`${title} as a table`, table(title, ['Series', ...waves.map((w) => ({ text: w, num: true }))],
      series.map((s) => [s.label, ...s.points.map((p, i) => pointCell(p, s.changes[i], k, opts.score))]))));
}

export async function render(root, st) {
  const t = st.by || st.filter ? await st.api('trend', { by: st.by }) : st.trend;
  const th = t.thresholds || {};
  const waves = t.waves || [];
  root.append(h('p', { class: 'results-meta' }, `${waves.length} wave${waves.length === 1 ? '' : 's'} · published values only · groups smaller than ${th.k} (${th.k_s} on sensitive questions) are withheld`));
  if (waves.length < 2) root.append(h('p', { class: 'note' }, 'A trend needs at least two waves; only one has opened so far.'));
  const scoreHow = `Scores from 0 to 100 for each wave. A ringed point is a flagged change from the wave before: its interval excludes zero and it is at least ${th.practical_gap_points} points of the favourable share (⚑ in the table). Other movements may be chance.`;
  const overall = (t.series || []).filter((s) => !s.group);

  if (!st.by) {
    const scores = overall.filter((s) => s.kind !== 'enps').map((s) => ({ ...s, label: s.name }));
    root.append(chartPanel('Index and competencies', t, scores, { lo: 0, hi: 100, score: true, how: scoreHow }, th.k));
    const enps = overall.filter((s) => s.kind === 'enps').map((s) => ({ ...s, label: 'eNPS' }));
    if (enps.length) {
      root.append(chartPanel('eNPS', t, enps, { lo: -100, hi: 100, score: false, how: 'eNPS for each wave: promoters minus detractors, from −100 to 100.' }, th.k));
    }
    return;
  }
  // By a dimension: one metric at a time, one line per group.
  const k = kFor(st, t, st.by);
  const metrics = overall.filter((s) => s.kind !== 'enps');
  const select = h('select', { id: 'trend-metric' }, metrics.map((m) => h('option', { value: m.key }, m.name)));
  const slot = h('div');
  const draw = () => {
    const key = select.value;
    const groups = (t.series || []).filter((s) => s.key === key && s.group).map((s) => ({ ...s, label: s.group.split(':').slice(1).join(':') }));
    const whole = overall.filter((s) => s.key === key).map((s) => ({ ...s, label: 'Organisation' }));
    clear(slot).append(chartPanel(`${metrics.find((m) => m.key === key).name} by group`, t, [...whole, ...groups], { lo: 0, hi: 100, score: true, how: `${scoreHow} A gap in a line is a withheld wave.` }, k));
  };
  select.addEventListener('change', draw);
  root.append(h('div', { class: 'results-head' }, h('div', { class: 'field' }, h('label', { for: 'trend-metric' }, 'Metric'), select)), slot);
  draw();
}
