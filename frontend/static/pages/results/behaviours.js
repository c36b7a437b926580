// pages/results/behaviours.js: ally and advocate behaviours seen from both
// sides (how often people say they act, how often others experience it),
// the perception gap between the two, and development access.
import { h } from '../../dom.js';
import { barChart, pairChart } from './charts.js';
import { altTable, has, how, metaLine, nText, panel, pct, points, pointsInterval, shareCell, nCell, suppressedSpan, table } from './cells.js';

const side = (c) => (c.suppressed || !has(c.favourable)
  ? { value: null, text: c.suppressed ? 'withheld' : 'no data' }
  : { value: c.favourable, low: c.low, high: c.high, text: `${pct(c.favourable)} · ${nText(c)}` });

const label = (key) => key.replace(/^(ally|advocate)\./, '').replace(/^./, (x) => x.toUpperCase());

function gapText(c, k) {
  if (c.suppressed) return suppressedSpan(c, k);
  if (!has(c.value)) return '—';
  return { text: `${points(c.value)} ${pointsInterval(c)}${c.flagged ? ' ⚑' : ''}`, num: true, class: c.flagged ? 'flag' : '' };
}

function gapNote(c) {
  if (c.suppressed || !has(c.value)) return 'Perception gap: not shown';
  return `Perception gap ${points(c.value)} ${pointsInterval(c)}${c.flagged ? ' ⚑ flagged' : ''}`;
}

export async function render(root, st) {
  const b = await st.api('behaviours', { wave: st.wave });
  root.append(...metaLine(b));
  const k = b.thresholds.k;
  const rows = b.rows || [];
  for (const family of ['ally', 'advocate']) {
    const fam = rows.filter((r) => r.family === family || r.key.startsWith(`${family}.`));
    if (!fam.length) continue;
    const title = family === 'ally' ? 'Ally behaviours' : 'Advocate behaviours';
    root.append(panel(title,
      how('Blue: the share who say they did this often or always. Orange: the share who experienced a colleague doing it that often. The perception gap is the first minus the second; ⚑ marks a flagged gap.'),
      family === 'ally' ? h('p', { class: 'how' }, 'Ally items are asked only of people who saw or heard a biased remark or action in the last few weeks.') : null,
      pairChart(fam.map((r) => ({ label: label(r.key), a: side(r.self), b: side(r.experienced), note: gapNote(r.gap) })),
        { name: `${title}: self-reported and experienced frequency`, labels: ['I did this (self)', 'A colleague did this (experienced)'] }),
      altTable(`${title} as a table`, table(title,
        ['Behaviour', { text: 'Self: often (95% interval)', num: true }, { text: 'n', num: true }, { text: 'Experienced: often (95% interval)', num: true }, { text: 'n', num: true }, { text: 'Perception gap (points)', num: true }],
        fam.map((r) => [r.self_text, shareCell(r.self, k), nCell(r.self, k), shareCell(r.experienced, k), nCell(r.experienced, k), gapText(r.gap, k)])))));
  }
  const access = b.access || [];
  if (!rows.length && !access.length) {
    root.append(h('p', { class: 'note', id: 'no-behaviours' }, 'This survey asks no ally, advocate or development-access questions.'));
    return;
  }
  if (access.length) {
    root.append(panel('Development access',
      how('Each bar is the share who agree; the thin line is its 95% interval.'),
      barChart(access.map((r) => ({ label: r.name, ...side(r.overall) })), { name: 'Development access: share who agree' }),
      altTable('Development access as a table', table('Development access', ['Item', { text: 'Agree (95% interval)', num: true }, { text: 'n', num: true }],
        access.map((r) => [r.name, shareCell(r.overall, k), nCell(r.overall, k)])))));
  }
}
