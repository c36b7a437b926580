// pages/results/overview.js: the inclusion index and eNPS with their change
// since the previous wave, participation, the competencies with intervals,
// "where to act" and reliability.
import { h } from '../../dom.js';
import { barChart, stackedBars } from './charts.js';
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
  // The same competencies as stacked disagree / neutral / agree bars: all
  // the answers to their questions, pooled.
  if (comps.some((c) => !c.overall.suppressed && has(c.overall.neutral))) {
    root.append(panel('Answers by competency',
      how('Each bar splits all the answers to a competency\'s questions into disagree, neutral and agree (reverse-scored questions already flipped, so blue is always the favourable side).'),
      stackedBars(comps.map((c) => {
        const o = c.overall;
        if (o.suppressed || !has(o.neutral)) return { label: c.name, parts: null, text: `withheld (fewer than ${k})` };
        return { label: c.name, parts: [o.unfavourable, o.neutral, o.favourable], text: `${pct(o.favourable)} agree · ${o.answers} answers` };
      }), { name: `Answers to the questions of ${comps.length} competencies` }),
      altTable('Answers by competency as a table', table('Answers by competency',
        ['Competency', { text: 'Disagree', num: true }, { text: 'Neutral', num: true }, { text: 'Agree', num: true }, { text: 'Answers', num: true }],
        comps.map((c) => {
          const o = c.overall;
          if (o.suppressed || !has(o.neutral)) return [c.name, suppressedSpan(o, k), '', '', ''];
          return [c.name, { text: pct(o.unfavourable), num: true }, { text: pct(o.neutral), num: true }, { text: pct(o.favourable), num: true }, { text: String(o.answers), num: true }];
        })))));
  }
  const changes = competencyChanges(trend, rel.wave, comps);
  if (changes) root.append(changes);
  root.append(itemsPanel(rel, k));
  // A drill-down from the heatmap (#items-KEY) lands on its questions.
  const target = location.hash.startsWith('#items-') && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) requestAnimationFrame(() => target.scrollIntoView());

  root.append(await whereToAct(st, rel));
  const byPart = await participationByGroup(st, rel);
  if (byPart) root.append(byPart);

  const rel2 = rel.reliability || [];
  if (rel2.length) {
    // Reliability statistics are for analysts: folded under "Advanced".
    root.append(h('details', { class: 'advanced', id: 'advanced-reliability' }, h('summary', {}, 'Advanced: how consistently each competency is measured'),
      how('Cronbach\'s alpha (0 to 1) says how consistently the questions of a competency measure one thing; 0.7 or more is usual. The mean inter-item correlation is the average agreement between pairs of its questions. "—" means too few people answered every question.'),
      wideTable('Reliability of each competency', ['Competency', { text: 'Questions', num: true }, { text: 'Alpha', num: true }, { text: 'Mean inter-item correlation', num: true }, { text: 'n', num: true }],
        rel2.map((r) => [r.name, { text: String(r.items), num: true }, { text: has(r.alpha) ? r.alpha.toFixed(2) : '—', num: true, title: r.reason },
          { text: has(r.mean_r) ? r.mean_r.toFixed(2) : '—', num: true }, { text: has(r.n) ? String(r.n) : '—', num: true }]))));
  }
}

// competencyChanges shows each competency's change in favourable share
// since the previous wave, as the trend releases it (flagged changes
// marked in words, unflagged ones plain).
function competencyChanges(trend, wave, comps) {
  const i = (trend.waves || []).findIndex((w) => w.number === wave);
  if (i < 1) return null;
  const prev = trend.waves[i - 1].number;
  const rows = comps.map((c) => {
    const s = (trend.series || []).find((x) => x.key === c.key && !x.group);
    const ch = s && s.changes && s.changes[i];
    if (!ch || ch.suppressed || !has(ch.value)) return [c.name, { text: 'withheld', num: true }, ''];
    return [c.name, { text: points(ch.value), num: true, class: ch.flagged ? 'flag' : '' }, ch.flagged ? (ch.value < 0 ? 'real drop' : 'real rise') : 'within noise'];
  });
  return panel(`Change since wave ${prev}`,
    how('Change in the favourable share of each competency, in percentage points. "Real" changes are larger than the practical minimum and their 95% interval excludes zero; the others may be chance.'),
    wideTable(`Change since wave ${prev}`, ['Competency', { text: 'Change', num: true }, 'Reading'], rows));
}

// itemsPanel shows each competency's questions as stacked disagree /
// neutral / agree bars; a reverse-scored question is marked, its shares
// already flipped. The heatmap links a cell here (#items-KEY).
function itemsPanel(rel, k) {
  const byConstruct = new Map();
  (rel.items || []).filter((it) => it.scale === 'agree5').forEach((it) => {
    if (!byConstruct.has(it.construct)) byConstruct.set(it.construct, []);
    byConstruct.get(it.construct).push(it);
  });
  const names = new Map([...(rel.competencies || []), ...(rel.access || []), ...(rel.barriers || [])].map((c) => [c.key, c.name]));
  const label = (it) => `${it.text}${it.reverse ? ' (reverse-scored)' : ''}`;
  const sections = [...byConstruct.entries()].map(([key, items]) => h('details', {
    class: 'items', id: `items-${key}`, open: location.hash === `#items-${key}` ? true : false,
  }, h('summary', {}, `${names.get(key) || key}: ${items.length} question${items.length === 1 ? '' : 's'}`),
  stackedBars(items.map((it) => {
    const o = it.overall;
    if (o.suppressed) return { label: label(it), parts: null, text: `withheld (fewer than ${k})` };
    return { label: label(it), parts: [o.unfavourable, o.neutral, o.favourable], text: `${pct(o.favourable)} agree · n = ${o.n}` };
  }), { name: `Answers to the questions of ${names.get(key) || key}` }),
  altTable('These questions as a table', table(`Questions of ${names.get(key) || key}`,
    ['Question', { text: 'Disagree', num: true }, { text: 'Neutral', num: true }, { text: 'Agree', num: true }, { text: 'n', num: true }],
    items.map((it) => {
      const o = it.overall;
      if (o.suppressed) return [label(it), suppressedSpan(o, k), '', '', ''];
      return [label(it), { text: pct(o.unfavourable), num: true }, { text: pct(o.neutral), num: true }, { text: pct(o.favourable), num: true }, { text: String(o.n), num: true }];
    })))));
  if (!sections.length) return h('div');
  return panel('Questions, by competency',
    how('Each bar splits the answers to one question into disagree, neutral and agree. A reverse-scored question is worded so that agreeing is unfavourable; its answers are already flipped, so blue is always the favourable side.'),
    ...sections);
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
