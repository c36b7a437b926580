// pages/results/summary.js: the executive's summary of one survey, the
// landing page of executives and a tab for leads. It shows the latest
// closed wave (an open wave only when asked, labelled partial): the index,
// eNPS and participation with their change, the three largest flagged
// gaps, the strongest and weakest competencies, the trend and the actions
// under way. Every number is a released cell from /summary.
import { h } from '../../dom.js';
import { lineChart } from './charts.js';
import { altTable, has, how, nText, panel, pct, points, pointsInterval, score, scroller, suppressedSpan, table, signed } from './cells.js';

const fmtDate = (s) => (s ? new Date(s).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '');

export const STATUS_LABEL = { planned: 'Planned', in_progress: 'In progress', done: 'Done', dropped: 'Dropped' };

// change is the "▲ +2.0 since wave 1" line of a headline.
function change(hl, prevWave, unit) {
  if (!prevWave) return h('p', { class: 'sub' }, 'First wave: nothing to compare with yet');
  if (!has(hl.change)) return h('p', { class: 'sub' }, `No comparison with wave ${prevWave}: one of the two values is withheld`);
  const up = hl.change > 0.05;
  const down = hl.change < -0.05;
  return h('p', { class: 'sub' }, h('span', { class: up ? 'change-up' : down ? 'change-down' : false },
    `${up ? '▲ ' : down ? '▼ ' : ''}${signed(hl.change, unit)}`), ` since wave ${prevWave}`,
  hl.flagged ? h('span', { class: 'flag-note' }, ' (a real change: its interval excludes zero)') : '');
}

function kpi(label, hl, big, sum, unit, k) {
  const c = hl.cell || {};
  if (c.suppressed || big === null) {
    return h('div', { class: 'kpi', 'data-kpi': label }, h('p', { class: 'label' }, label), h('p', { class: 'big' }, '—'),
      h('p', { class: 'sub' }, c.suppressed ? suppressedSpan(c, k) : 'Not available for this wave'));
  }
  return h('div', { class: 'kpi', 'data-kpi': label }, h('p', { class: 'label' }, label), h('p', { class: 'big' }, big),
    change(hl, sum.previous_wave, unit), h('p', { class: 'sub' }, nText(c)));
}

// competencyList is a short list of competencies with score and change.
function competencyList(title, list, sum) {
  return h('div', { class: 'summary-list' }, h('h3', {}, title),
    list.length ? h('ul', {}, list.map((c) => h('li', { 'data-competency': c.key },
      h('strong', {}, c.name), `: score ${score(c.cell.score)}, ${pct(c.cell.favourable)} favourable`,
      has(c.change) && sum.previous_wave ? ` (score ${signed(c.change)} since wave ${sum.previous_wave})` : '')))
      : h('p', { class: 'muted' }, sum.competencies.some((c) => has(c.cell.score))
        ? 'Too few competencies have a released score to compare.' : 'No competency score is released for this wave.'));
}

// trendPanel draws the index across waves with their dates; a withheld
// wave is a gap in the line, an open wave is marked partial.
function trendPanel(sum) {
  const pts = sum.trend || [];
  if (pts.length < 2) return null;
  const labels = pts.map((p) => `${fmtDate(p.opens_at)}${p.partial ? ' (partial)' : ''}`);
  const idx = pts.map((p) => (p.index && !p.index.suppressed && has(p.index.score) ? p.index.score : null));
  const enps = pts.map((p) => (p.enps && !p.enps.suppressed && has(p.enps.value) ? (p.enps.value + 100) / 2 : null));
  return panel('Trend',
    how('The thick line is the inclusion index (0–100) at each wave, by the date the wave opened. The thin line is eNPS moved onto the same scale. A break in a line is a wave whose value is withheld.'),
    lineChart(labels, [{ name: 'Inclusion index', values: idx, emphasis: true }, { name: 'eNPS (rescaled)', values: enps }],
      { name: 'Inclusion index and eNPS across waves', min: 0, max: 100 }),
    altTable('Trend as a table', table('Trend', ['Wave', 'Opened', { text: 'Index', num: true }, { text: 'eNPS', num: true }],
      pts.map((p) => [`Wave ${p.wave}${p.partial ? ' (partial)' : ''}`, fmtDate(p.opens_at),
        { text: p.index && has(p.index.score) ? score(p.index.score) : 'withheld', num: true },
        { text: p.enps && has(p.enps.value) ? String(Math.round(p.enps.value)) : 'withheld', num: true }]))));
}

// actionsPanel lists the actions under way, soonest due first.
function actionsPanel(sum, st) {
  const a = sum.actions || { by_status: {}, under_way: [] };
  const counts = Object.entries(a.by_status || {}).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${STATUS_LABEL[s].toLowerCase()}`);
  return panel('Actions under way',
    h('p', {}, a.focus_areas ? `${a.focus_areas} focus area${a.focus_areas === 1 ? '' : 's'}; actions: ${counts.join(', ') || 'none yet'}.` : 'No action plan yet.',
      st && st.url ? [' ', h('a', { href: st.url('plans', { wave: '' }) }, 'See the action plans')] : ''),
    a.under_way.length ? scroller('Actions under way', table('Actions under way',
      ['Action', 'Focus area', 'Owner', 'Due', 'Status'],
      a.under_way.map((x) => [x.title, x.focus_title, x.owner || '—', x.due || '—', STATUS_LABEL[x.status] || x.status]), { class: 'sticky-first' })) : null);
}

// renderSummary draws a summary answer into root.
export function renderSummary(root, sum, st) {
  const k = sum.thresholds ? sum.thresholds.k : 5;
  if (sum.live_wave && sum.live_wave !== sum.wave) {
    root.append(h('p', { class: 'note partial-note', 'data-live-wave': String(sum.live_wave) },
      `Wave ${sum.live_wave} is still open. Its results are partial and can change, so this summary shows the last closed wave.`));
  }
  if (!sum.wave) {
    root.append(h('p', { class: 'note', id: 'no-closed-wave' }, 'No wave of this survey has closed yet, so there is no final result to summarise.'));
    root.append(actionsPanel(sum, st));
    return;
  }
  if (sum.partial) {
    root.append(h('p', { class: 'note partial-note', role: 'note' },
      `Partial results: wave ${sum.wave} is still open. These numbers can change until it closes.`));
  }
  root.append(h('p', { class: 'results-meta', id: 'summary-wave' },
    `Wave ${sum.wave} · ${fmtDate(sum.opens_at)} to ${fmtDate(sum.closes_at)} · ${sum.partial ? 'open (partial)' : 'closed'}`,
    has(sum.respondents && sum.respondents.n) ? ` · ${sum.respondents.n} people answered` : ''));
  const part = sum.participation || {};
  root.append(h('div', { class: 'kpis' },
    kpi('Inclusion index', sum.index, has(sum.index.cell.score) ? score(sum.index.cell.score) : null, sum, ' pts', k),
    kpi('eNPS', sum.enps, has(sum.enps.cell.value) ? String(Math.round(sum.enps.cell.value)) : null, sum, '', k),
    kpi('Participation', part, part.cell && has(part.cell.value) ? pct(part.cell.value) : null, sum, ' pts', k)));
  root.append(how('The index is the average of the competency scores (0–100). eNPS is the share of people who would recommend working here (9–10) minus those who would not (0–6). Participation is the share of invited people who answered.'));

  root.append(panel('Largest gaps',
    how('Groups that fare clearly worse than everyone else: the difference is larger than the practical minimum and its 95% interval excludes zero.'),
    sum.gaps.length ? scroller('Largest gaps', table('Largest flagged gaps', ['Group', 'On', { text: 'Gap', num: true }, { text: '95% interval', num: true }],
      sum.gaps.map((g) => [`${g.dimension_label}: ${g.option}`, g.name, { text: points(g.cell.value), num: true, class: 'flag' }, { text: pointsInterval(g.cell), num: true }]), { class: 'sticky-first' }))
      : h('p', {}, 'No group fares clearly worse than the rest in this wave.')));
  root.append(panel('Strongest and weakest',
    h('div', { class: 'summary-pair' }, competencyList('Strongest', sum.strongest, sum), competencyList('Weakest', sum.weakest, sum))));
  const tp = trendPanel(sum);
  if (tp) root.append(tp);
  root.append(actionsPanel(sum, st));
}

export async function render(root, st) {
  const sum = await st.api('summary', st.waveAsked ? { wave: st.wave, filter: '' } : { filter: '' });
  renderSummary(root, sum, st);
}
