// pages/results/overview.js: the inclusion index and eNPS with their change
// since the previous wave, participation, the competencies with intervals,
// "where to act" and reliability.
import { h } from '../../dom.js';
import { barChart } from './charts.js';
import {
  altTable, has, how, inSentence, metaLine, nText, panel, pct, points, pointsInterval, score, shareCell,
  scoreCell, nCell, scroller, suppressedSpan, table, signed, asOf,
} from './cells.js';

// wideTable is a table that scrolls in its own box on a narrow screen.
const wideTable = (caption, head, rows) => scroller(caption, table(caption, head, rows));

// changeSince compares a trend series' value at wave with the wave before.
function changeSince(trend, key, wave, field) {
  const s = (trend.series || []).find((x) => x.key === key && !x.group);
  const i = (trend.waves || []).findIndex((w) => w.number === wave);
  if (!s || i < 1) return null;
  const cur = s.points[i];
  const prev = s.points[i - 1];
  if (!cur || !prev || cur.suppressed || prev.suppressed || !has(cur[field]) || !has(prev[field])) return null;
  return { delta: cur[field] - prev[field], prevWave: trend.waves[i - 1].number };
}

function changeLine(ch, unit) {
  if (!ch) return h('p', { class: 'sub' }, 'No earlier wave to compare with');
  const cls = ch.delta > 0.05 ? 'change-up' : ch.delta < -0.05 ? 'change-down' : '';
  const arrow = ch.delta > 0.05 ? '▲ ' : ch.delta < -0.05 ? '▼ ' : '';
  return h('p', { class: 'sub' }, h('span', { class: cls || false }, `${arrow}${signed(ch.delta, unit)}`), ` since wave ${ch.prevWave}`);
}

function kpi(label, cell, big, extra, k) {
  if (cell.suppressed) {
    return h('div', { class: 'kpi' }, h('p', { class: 'label' }, label), h('p', { class: 'big' }, '—'), h('p', { class: 'sub' }, suppressedSpan(cell, k)));
  }
  return h('div', { class: 'kpi', 'data-kpi': label }, h('p', { class: 'label' }, label), h('p', { class: 'big' }, big),
    h('p', { class: 'sub' }, `${nText(cell)}${asOf(cell)}`), extra);
}

export async function render(root, st) {
  const [rel, trend] = await Promise.all([st.api('results', { wave: st.wave }), st.filter ? st.api('trend') : st.trend]);
  const k = rel.thresholds.k;
  root.append(...metaLine(rel, rel.respondents));

  const idx = rel.index.overall;
  const enps = rel.enps.overall;
  const part = rel.participation || { overall: {} };
  const partCell = part.overall || {};
  root.append(h('div', { class: 'kpis' },
    kpi('Inclusion index', idx, has(idx.score) ? score(idx.score) : '—', changeLine(changeSince(trend, 'index', rel.wave, 'score'), ''), k),
    kpi('eNPS', enps, has(enps.value) ? String(Math.round(enps.value)) : '—', changeLine(changeSince(trend, 'enps', rel.wave, 'value'), ''), k),
    partCell.suppressed || !has(partCell.value)
      ? h('div', { class: 'kpi' }, h('p', { class: 'label' }, 'Participation'), h('p', { class: 'big' }, '—'),
        h('p', { class: 'sub' }, partCell.suppressed ? suppressedSpan(partCell, k) : 'No invitation count or expected headcount'))
      : h('div', { class: 'kpi', 'data-kpi': 'Participation' }, h('p', { class: 'label' }, 'Participation'), h('p', { class: 'big' }, pct(partCell.value)),
        h('p', { class: 'sub' }, `${partCell.n} responses of ${part.invited} ${part.source === 'invites' ? 'invited' : 'expected'}${asOf(partCell)}`))));
  root.append(how('The index is the mean of the competency scores (0–100). eNPS is the share of promoters (9–10) minus detractors (0–6), from −100 to 100. Participation is responses over people invited.'));

  // Competencies: favourable share with the 95 % interval.
  const comps = rel.competencies || [];
  const rows = comps.map((c) => {
    const o = c.overall;
    if (o.suppressed) return { label: c.name, value: null, text: 'withheld' };
    return { label: c.name, value: o.favourable, low: o.low, high: o.high, text: `${pct(o.favourable)} favourable · score ${score(o.score)} · ${nText(o)}` };
  });
  root.append(panel('Competencies',
    how('Each bar is the share of favourable answers (agree or strongly agree); the thin line is its 95% interval. The score is the 0–100 mean.'),
    barChart(rows, { name: `Favourable share of ${comps.length} competencies with 95% intervals` }),
    altTable('Competencies as a table', table('Competencies', ['Competency', { text: 'Score (0–100)', num: true }, { text: 'Favourable (95% interval)', num: true }, { text: 'n', num: true }],
      comps.map((c) => [c.name, scoreCell(c.overall, k), shareCell(c.overall, k), nCell(c.overall, k)])))));

  root.append(await whereToAct(st, rel));
  const byPart = await participationByGroup(st, rel);
  if (byPart) root.append(byPart);

  const rel2 = rel.reliability || [];
  if (rel2.length) {
    root.append(panel('Reliability',
      how('Cronbach\'s alpha (0–1) says how consistently the items of a competency measure one thing; 0.7 or more is usual. "—" means too few respondents answered every item.'),
      wideTable('Reliability of each competency', ['Competency', { text: 'Items', num: true }, { text: 'Alpha', num: true }, { text: 'Mean inter-item r', num: true }, { text: 'n', num: true }],
        rel2.map((r) => [r.name, { text: String(r.items), num: true }, { text: has(r.alpha) ? r.alpha.toFixed(2) : '—', num: true, title: r.reason },
          { text: has(r.mean_r) ? r.mean_r.toFixed(2) : '—', num: true }, { text: has(r.n) ? String(r.n) : '—', num: true }]))));
  }
}

// participationByGroup shows response rates per segment where invite
// batches carry one (the first dimension with rates), under the same rules.
async function participationByGroup(st, rel) {
  for (const d of st.dims.filter((x) => !x.sensitive && !(st.filter || '').startsWith(`${x.key}:`))) {
    const r = await st.api('results', { wave: rel.wave, by: d.key }).catch(() => null);
    const part = r && r.participation;
    if (!part || !part.groups || !part.groups.length) continue;
    const k = r.thresholds.k;
    return panel(`Participation by ${inSentence(d.label)}`,
      how('Responses over invitations for each group whose invitations carried it. Withheld rates protect small groups; during an open wave a rate moves only when at least k more people have answered.'),
      wideTable(`Participation by ${inSentence(d.label)}`, [d.label, { text: 'Participation', num: true }, { text: 'Responses', num: true }],
        r.groups.map((g, i) => {
          const c = part.groups[i] || {};
          if (c.suppressed) return [g.option, suppressedSpan(c, k), suppressedSpan(c, k)];
          return [g.option, { text: has(c.value) ? pct(c.value) : 'no invitations', num: true }, { text: has(c.n) ? String(c.n) : '—', num: true }];
        })));
  }
  return null;
}

// whereToAct lists the largest flagged gaps (negative, across every
// dimension) and the competencies with high impact and a low score.
async function whereToAct(st, rel) {
  const gapViews = await Promise.all(st.dims.map((d) => st.api('gaps', { wave: rel.wave, by: d.key }).catch(() => null)));
  const flagged = [];
  gapViews.forEach((g) => {
    if (!g) return;
    const dim = st.dims.find((d) => d.key === g.query.by);
    (g.rows || []).forEach((r) => r.groups.forEach((c, i) => {
      if (c.flagged && has(c.value) && c.value < 0) {
        flagged.push({ group: `${dim ? dim.label : g.query.by}: ${g.groups[i].option}`, metric: r.name, cell: c });
      }
    }));
  });
  flagged.sort((a, b) => a.cell.value - b.cell.value);
  const top = flagged.slice(0, 6);
  const drivers = ((rel.drivers && rel.drivers.rows) || []).filter((d) => d.label === 'high impact, low score').slice(0, 3);
  return panel('Where to act',
    how('Gaps listed here are flagged: their 95% interval excludes zero and they are at least the practical minimum. Drivers are competencies that move with eNPS and intent to stay but score below the index.'),
    h('h3', {}, 'Largest flagged gaps'),
    top.length
      ? wideTable('Largest flagged gaps against the rest of the organisation', ['Group', 'Metric', { text: 'Gap (favourable)', num: true }, { text: '95% interval', num: true }],
        top.map((f) => [f.group, f.metric, { text: points(f.cell.value), num: true, class: 'flag' }, { text: pointsInterval(f.cell), num: true }]))
      : h('p', {}, 'No gap is flagged in this wave.'),
    h('h3', {}, 'Lowest competencies with high impact'),
    drivers.length
      ? wideTable('Competencies with high impact and a low score', ['Competency', { text: 'Score', num: true }, { text: 'Below index', num: true }, { text: 'Correlation with eNPS (n)', num: true }],
        drivers.map((d) => [d.name, { text: score(d.score), num: true }, { text: d.below_index.toFixed(1), num: true },
          { text: d.enps ? `${d.enps.r.toFixed(2)} (n = ${d.enps.n})` : '—', num: true }]))
      : h('p', {}, (rel.drivers && rel.drivers.reason) || 'No competency has both a high impact and a score below the index.'));
}
