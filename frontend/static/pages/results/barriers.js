// pages/results/barriers.js: what holds people back from acting as allies
// (fear of the penalty, of getting it wrong, fatigue, performative
// allyship), overall and by group. Agreeing is the unfavourable direction.
import { h } from '../../dom.js';
import { barChart } from './charts.js';
import { altTable, has, how, inSentence, kFor, metaLine, nText, panel, pct, scroller, shareCell, nCell, table } from './cells.js';

export async function render(root, st) {
  const rel = await st.api('results', { wave: st.wave, by: st.by });
  root.append(...metaLine(rel, rel.respondents));
  const k = rel.thresholds.k;
  const barriers = rel.barriers || [];
  if (!barriers.length) {
    root.append(h('p', { class: 'note' }, 'This wave asks no barrier questions.'));
    return;
  }
  root.append(panel('Barriers to allyship',
    how('Each bar is the share who agree that this holds them back: higher is worse. The thin line is the 95% interval.'),
    barChart(barriers.map((r) => {
      const c = r.overall;
      return c.suppressed || !has(c.favourable)
        ? { label: r.name, value: null, text: 'withheld' }
        : { label: r.name, value: c.favourable, low: c.low, high: c.high, text: `${pct(c.favourable)} agree · ${nText(c)}` };
    }), { name: 'Barriers to allyship: share who agree', colour: '#b35806' }),
    altTable('Barriers as a table', table('Barriers to allyship', ['Barrier', { text: 'Agree (95% interval)', num: true }, { text: 'n', num: true }],
      barriers.map((r) => [r.name, shareCell(r.overall, k), nCell(r.overall, k)])))));

  const groups = rel.groups || [];
  if (!groups.length) return;
  const gk = kFor(st, rel, st.by);
  const dim = st.dims.find((d) => d.key === st.by);
  root.append(panel(`Barriers by ${dim ? inSentence(dim.label) : st.by}`,
    how('Share of each group who agree, with the 95% interval. Compare a group with the organisation column; withheld cells protect small groups.'),
    scroller('Barriers by group', table(`Barriers to allyship by ${dim ? inSentence(dim.label) : st.by}: share who agree`,
      ['Barrier', { text: 'Organisation', num: true }, ...groups.map((g) => ({ text: `${g.option} (${g.count.suppressed ? 'withheld' : `n = ${g.count.n}`})`, num: true }))],
      barriers.map((r) => [r.name, shareCell(r.overall, k), ...groups.map((g, i) => shareCell(r.groups[i], gk))]),
      { id: 'barriers-by-group' }))));
}
