// pages/reports.js: downloads of the executive Excel report and the results
// CSV, per survey and wave, with a choice of breakdown dimensions. Every
// number in a download comes from the same release step as the dashboard;
// the server records each download in the audit log.
import { get } from '../api.js';
import { h, clear } from '../dom.js';

// listOf accepts a paginated page ({items}) or a plain array.
const listOf = (res, key) => (Array.isArray(res) ? res : (res && (res[key] || res.items)) || []);

// demographicsOf finds a survey's breakdown dimensions in its detail.
const demographicsOf = (sv) => (sv.design && sv.design.demographics) || sv.demographics || [];

// downloadURL builds the address of one export.
export function downloadURL(surveyID, file, wave, dims) {
  const q = new URLSearchParams();
  if (wave) q.set('wave', String(wave));
  if (dims.length) q.set('by', dims.join(','));
  const qs = q.toString();
  return `/api/v1/surveys/${encodeURIComponent(surveyID)}/${file}${qs ? `?${qs}` : ''}`;
}

// waveLabel names a wave; an open wave's report is partial.
function waveLabel(w) {
  const status = w.status === 'open' ? ' (open, partial results)' : w.status ? ` (${w.status})` : '';
  return `Wave ${w.number}${status}`;
}

// surveyCard draws the download control of one survey.
function surveyCard(sv, waves) {
  const id = sv.id;
  const opened = waves.filter((w) => w.status !== 'scheduled');
  const card = h('section', { class: 'card report', 'aria-labelledby': `report-${id}-title`, 'data-survey': id },
    h('h2', { id: `report-${id}-title` }, sv.title));
  if (!opened.length) {
    card.append(h('p', { class: 'muted' }, 'No wave has opened yet, so there is nothing to download.'));
    return card;
  }
  const waveSelect = h('select', { id: `report-${id}-wave`, name: 'wave' },
    opened.map((w) => h('option', { value: String(w.number) }, waveLabel(w))));
  // The newest closed wave: a live wave's report is partial and must not
  // be what gets forwarded by default. Without one, the newest opened.
  const closed = opened.filter((w) => w.status === 'closed');
  const offered = closed.length ? closed : opened;
  waveSelect.value = String(offered[offered.length - 1].number);
  const partialNote = h('p', { class: 'note partial-note', 'aria-live': 'polite' });

  const dims = demographicsOf(sv);
  // Every breakdown starts ticked, so that the report forwarded by default
  // compares the same groups as the summary (its largest gaps included);
  // sensitive ones are shown only for groups of at least k_s, as everywhere.
  const boxes = dims.map((d) => h('input', { type: 'checkbox', id: `report-${id}-by-${d.key}`, name: 'by', value: d.key, checked: true }));
  const fieldset = h('fieldset', { class: 'dims' },
    h('legend', {}, 'Break down by'),
    dims.length ? dims.map((d, i) => h('div', { class: 'check' }, boxes[i],
      h('label', { for: boxes[i].id }, d.label || d.key, d.sensitive ? h('span', { class: 'muted' }, ' (sensitive: larger minimum group)') : '')))
      : h('p', { class: 'muted' }, 'This survey has no demographic questions.'));

  const xlsx = h('a', { class: 'download primary', 'data-export': 'xlsx', download: '' }, 'Download Excel report');
  const pdf = h('a', { class: 'download', 'data-export': 'pdf', download: '' }, 'Download PDF summary');
  const csv = h('a', { class: 'download', 'data-export': 'csv', download: '' }, 'Download results CSV');
  const csvNote = h('p', { class: 'muted', 'aria-live': 'polite' });
  const update = () => {
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    xlsx.href = downloadURL(id, 'report.xlsx', waveSelect.value, chosen);
    pdf.href = downloadURL(id, 'report.pdf', waveSelect.value, chosen);
    csv.href = downloadURL(id, 'results.csv', waveSelect.value, chosen.slice(0, 1));
    const shown = opened.find((w) => String(w.number) === waveSelect.value);
    partialNote.textContent = shown && shown.status === 'open'
      ? `Partial results: wave ${shown.number} is still open, so its numbers can change until it closes.` : '';
    const first = dims.find((d) => d.key === chosen[0]);
    csvNote.textContent = chosen.length > 1
      ? `The CSV holds one breakdown: ${first ? first.label || first.key : chosen[0]}. The Excel report holds all ${chosen.length}.`
      : '';
  };
  waveSelect.addEventListener('change', update);
  boxes.forEach((b) => b.addEventListener('change', update));
  update();

  card.append(
    h('div', { class: 'field' }, h('label', { for: waveSelect.id }, 'Wave'), waveSelect),
    partialNote,
    fieldset,
    h('p', { class: 'downloads' }, xlsx, ' ', pdf, ' ', csv),
    csvNote);
  return card;
}

export async function render(main) {
  main.append(
    h('h1', {}, 'Reports'),
    h('p', { class: 'muted' },
      'Download the executive Excel report or the results table for a wave. They hold the same numbers as the dashboard, ',
      'with small groups withheld by the same anonymity rules. Each download is recorded in the audit log.'));
  const list = h('div', { class: 'reports', 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading surveys…'));
  main.append(list);
  const surveys = listOf(await get('/api/v1/surveys?limit=100'), 'surveys').filter((s) => s.status !== 'draft');
  clear(list).removeAttribute('aria-busy');
  if (!surveys.length) {
    list.append(h('p', {}, 'No survey has been launched yet. Reports appear here once a survey has responses.'));
    return;
  }
  const cards = await Promise.all(surveys.map(async (s) => {
    const [detail, waves] = await Promise.all([
      get(`/api/v1/surveys/${encodeURIComponent(s.id)}`),
      get(`/api/v1/surveys/${encodeURIComponent(s.id)}/waves`),
    ]);
    return surveyCard({ ...s, ...(detail.survey || detail) }, listOf(waves, 'waves'));
  }));
  list.append(...cards);
}
