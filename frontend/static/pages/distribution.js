// pages/distribution.js: the Distribution part of the survey detail page:
// the wave's open link, invite-code batches (shown once, downloadable as CSV
// for a mail merge) and, per batch, the codes issued and what the results
// release about its segment. No count of used codes reaches the page: a
// segment's respondents and participation are the results' own cells,
// withheld when the results withhold them.
//
// survey.js calls renderDistribution(container, survey, waves) for its
// <section id="distribution">. survey needs id, anonymity.min_group_size and
// demographics [{key, label, options}] (or design.demographics); waves are
// [{number, status}] in order.
import { h, clear, pct } from '../dom.js';
import { get, post, api } from '../api.js';
import { labelOf, humanise, fieldMessage } from '../fields.js';

const fmtDate = (s) => (s ? new Date(s).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '');

function demographicsOf(survey) {
  return survey.demographics || (survey.design && survey.design.demographics) || [];
}

function kOf(survey) {
  return (survey.anonymity && survey.anonymity.min_group_size) || 5;
}

const has = (x) => x !== null && x !== undefined;

// A released cell as text: the engine's reason when withheld, the value
// otherwise ("as of" a date while the results hold an earlier value).
function asOfText(c) {
  return c.as_of ? ` (as of ${fmtDate(c.as_of.published_at)})` : '';
}

function withheldSpan(c) {
  return h('span', { class: 'suppressed-text', title: 'Withheld in the results, so withheld here too.' }, `withheld: ${c.reason || 'too few'}`);
}

function respondentsText(c) {
  if (!c) return '';
  if (c.suppressed) return withheldSpan(c);
  return has(c.n) ? `${c.n}${asOfText(c)}` : '—';
}

function participationText(c) {
  if (!c) return '';
  if (c.suppressed) return withheldSpan(c);
  return has(c.value) ? `${pct(c.value)}${asOfText(c)}` : 'not known';
}

// segmentText names a batch's attributes by their questions' labels, as the
// form that set them did, not by their keys.
function segmentText(seg, survey) {
  const labels = new Map(demographicsOf(survey).map((d) => [d.key, d.label]));
  const parts = Object.entries(seg || {}).map(([k, v]) => `${labels.get(k) || k}: ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

function csvOf(codes) {
  return ['code,link', ...codes.map((c) => `${c.code},${c.link}`)].join('\r\n') + '\r\n';
}

export function renderDistribution(container, survey, waves) {
  clear(container);
  const usable = (waves || []).filter((w) => w.status !== 'closed');
  const chosen = usable.find((w) => w.status === 'open') || usable[usable.length - 1] || (waves || [])[waves.length - 1];
  container.append(h('h2', { id: 'distribution-title' }, 'Distribution'));
  if (!chosen) {
    container.append(h('p', { class: 'muted' }, 'Launch the survey to get its open link and invite codes.'));
    return;
  }
  let wave = chosen.number;
  const linkBox = h('div', {});
  const batchesBox = h('div', {});
  const created = h('div', { 'aria-live': 'polite' });

  const select = h('select', { id: 'dist-wave' },
    (waves || []).map((w) => h('option', { value: String(w.number), selected: w.number === wave }, `Wave ${w.number} (${w.status})`)));
  select.addEventListener('change', () => { wave = Number(select.value); clear(created); refresh(); });

  const k = kOf(survey);
  const count = h('input', { id: 'dist-count', type: 'number', min: '1', max: '10000', value: '50', required: true });
  const segmentSelects = demographicsOf(survey).map((d) => {
    const id = `dist-seg-${d.key}`;
    const s = h('select', { id, dataset: { key: d.key } },
      h('option', { value: '' }, 'Not set'), (d.options || []).map((o) => h('option', { value: o }, o)));
    return h('div', { class: 'field' }, h('label', { for: id }, d.label || d.key), s);
  });
  const errorBox = h('div', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', novalidate: true },
    h('h3', {}, 'Invite codes'),
    h('p', { class: 'muted' },
      'Each code answers once. Codes are shown only now and stored only as hashes, so download them before leaving this page. ',
      `A batch with segment attributes must hold at least ${k} codes; its attributes are copied to every response made with its codes.`),
    h('div', { class: 'field' }, h('label', { for: 'dist-count' }, 'Number of codes'), count),
    segmentSelects.length ? h('fieldset', {}, h('legend', {}, 'Segment attributes (optional)'), segmentSelects) : null,
    errorBox,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Create codes'),
      h('button', { type: 'submit', id: 'dist-cards', value: 'cards' }, 'Create printable cards')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(errorBox);
    const segment = {};
    for (const s of form.querySelectorAll('select[data-key]')) if (s.value) segment[s.dataset.key] = s.value;
    const path = `/api/v1/surveys/${encodeURIComponent(survey.id)}/waves/${wave}/invites`;
    try {
      if (ev.submitter && ev.submitter.value === 'cards') {
        // A print-ready page of cut-out cards with QR codes (api/codesheet.go).
        showCards(await api('POST', `${path}?format=html`, { count: Number(count.value), segment }));
      } else {
        showCodes(await post(path, { count: Number(count.value), segment }));
      }
      refresh();
    } catch (err) {
      const control = (field) => (field === 'count' ? count
        : field === 'segment' ? form.querySelector('fieldset')
          : field.startsWith('segment.') ? document.getElementById(`dist-seg-${field.slice('segment.'.length)}`) : null);
      const msgs = err.fields && err.fields.length
        ? err.fields.map((f) => fieldMessage(labelOf(control(f.field)) || humanise(f.field), f.message)) : [err.message];
      errorBox.append(h('ul', {}, msgs.map((m) => h('li', {}, m))));
    }
  });

  function showCards(html) {
    const n = (html.match(/class="card"/g) || []).length;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    clear(created).append(h('div', { class: 'card', id: 'dist-cards-ready' },
      h('p', {}, h('strong', {}, `${n} printable cards created. `), 'They will not be shown again: open them and print, or save the file.'),
      h('div', { class: 'actions' },
        h('a', { href: url, target: '_blank', rel: 'noopener', class: 'button primary' }, 'Open the cards to print'),
        h('a', { href: url, download: `invitation-cards-wave${wave}.html`, class: 'button' }, 'Save the cards as a file'))));
  }

  function showCodes(res) {
    const blob = new Blob([csvOf(res.codes)], { type: 'text/csv' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `invites-wave${wave}-${res.batch.id}.csv`, class: 'button' }, `Download ${res.codes.length} codes as CSV`);
    clear(created).append(h('div', { class: 'card' },
      h('p', {}, h('strong', {}, `${res.codes.length} codes created. `), 'They will not be shown again.'),
      a,
      h('details', {}, h('summary', {}, 'Show the codes'),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Link'))),
          h('tbody', {}, res.codes.slice(0, 200).map((c) => h('tr', {}, h('td', {}, c.code), h('td', {}, c.link))))),
        res.codes.length > 200 ? h('p', { class: 'muted' }, 'Only the first 200 are listed; the CSV holds all of them.') : null)));
  }

  const closedNote = h('p', { class: 'muted', id: 'dist-closed', hidden: true });
  async function refresh() {
    clear(linkBox);
    clear(batchesBox);
    // A closed wave takes no more answers: no link to hand out, no new codes.
    const closed = ((waves || []).find((w) => w.number === wave) || {}).status === 'closed';
    form.hidden = closed;
    closedNote.hidden = !closed;
    closedNote.textContent = closed ? `Wave ${wave} is closed and takes no more answers, so it has no open link and no new invite codes.` : '';
    if (closed) {
      refreshBatches();
      return;
    }
    try {
      const link = await get(`/api/v1/surveys/${encodeURIComponent(survey.id)}/link?wave=${wave}`);
      const url = link.url || link.link || '';
      if (url) {
        const input = h('input', { id: 'dist-link', type: 'text', readonly: true, value: url, class: 'wide' });
        const copy = h('button', { type: 'button' }, 'Copy link');
        copy.addEventListener('click', async () => {
          try { await navigator.clipboard.writeText(url); copy.textContent = 'Copied'; } catch { input.select(); }
        });
        linkBox.append(h('div', { class: 'field' }, h('label', { for: 'dist-link' }, 'Open link: anyone who has it can answer'), input, copy));
      }
    } catch { /* the link is optional here: the invite part still works */ }
    refreshBatches();
  }

  async function refreshBatches() {
    try {
      const { batches, participation } = await get(`/api/v1/surveys/${encodeURIComponent(survey.id)}/waves/${wave}/invites`);
      if (participation) {
        batchesBox.append(h('p', { id: 'dist-participation' }, `Participation in wave ${wave}: `, participationText(participation)));
      }
      if (!batches.length) {
        batchesBox.append(h('p', { class: 'muted' }, 'No invite batches for this wave yet.'));
        return;
      }
      batchesBox.append(
        h('table', {},
          h('caption', {}, `Invite batches of wave ${wave}. For a batch with a segment, the respondents and participation are those of the whole segment as the results show them (the same for every batch of that segment): withheld when the results withhold them, and while the wave is open they move only when at least ${k} more people of the segment have answered. How many codes of a batch were used is never shown.`),
          h('thead', {}, h('tr', {}, ['Created', 'Segment', 'Issued', 'Segment respondents', 'Segment participation'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, batches.map((b) => h('tr', {},
            h('td', {}, fmtDate(b.created_at)), h('td', {}, segmentText(b.segment, survey)),
            h('td', {}, String(b.issued)), h('td', {}, respondentsText(b.segment_respondents)),
            h('td', {}, participationText(b.segment_participation)))))));
    } catch (err) {
      batchesBox.append(h('p', { class: 'error' }, `Could not load the invite batches: ${err.message}`));
    }
  }

  container.append(h('div', { class: 'field' }, h('label', { for: 'dist-wave' }, 'Wave'), select), closedNote, linkBox, form, created,
    h('h3', {}, 'Batches'), batchesBox);
  refresh();
}
