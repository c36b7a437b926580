// pages/results/plans.js: action plans. A lead turns a flagged gap, a weak
// competency or a behaviour's perception gap of a closed wave into a focus
// area with actions (title, owner, due date, status, notes), adopting the
// framework's suggested ally and advocate actions; progress is the same
// metric in the released views of the waves that follow. Executives read.
// Leads also publish the "What we heard" page for employees here.
import { api, get, ApiError } from '../../api.js';
import { h, clear, pct, score } from '../../dom.js';
import { has, how, panel, points, scroller, table } from './cells.js';
import { STATUS_LABEL } from './summary.js';
import { confirmDialog } from '../dialog.js';

const STATUSES = ['planned', 'in_progress', 'done', 'dropped'];

// problemText turns an API error into one sentence naming its fields.
function problemText(e) {
  if (e instanceof ApiError && e.fields.length) return e.fields.map((f) => `${f.field.replace(/_/g, ' ')}: ${f.message}`).join('. ');
  if (e instanceof ApiError && e.status === 409) return `${e.message || 'Someone else changed this in the meantime.'} Reload the page to see their change.`;
  return e.message;
}

// progressText is a progress point's value in words.
function progressText(kind, c) {
  if (!c || c.suppressed) return 'withheld';
  if (kind === 'competency') return has(c.score) ? `score ${score(c.score)} · ${pct(c.favourable)} favourable` : '—';
  return has(c.value) ? points(c.value) : '—';
}

const sourceText = (f) => (f.source.kind === 'gap' ? `Gap for ${f.source.option} (${f.source.dimension}) on ${f.metric_name}`
  : f.source.kind === 'behaviour' ? `Perception gap: ${f.metric_name}` : `Competency: ${f.metric_name}`);

// field is a labelled control.
const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);

// candidates lists what a focus area can be taken from: the summary's
// flagged gaps, the competencies from the weakest up, and the behaviours
// whose perception gap is flagged.
function candidates(sum, beh) {
  const out = [];
  (sum.gaps || []).forEach((g) => out.push({ label: `Gap: ${g.dimension_label} ${g.option} on ${g.name} (${points(g.cell.value)})`,
    title: `${g.name} for ${g.option}`, source: { kind: 'gap', metric: g.metric, dimension: g.dimension, option: g.option } }));
  [...(sum.competencies || [])].reverse().filter((c) => has(c.cell.score)).forEach((c) => out.push({
    label: `Competency: ${c.name} (score ${score(c.cell.score)})`, title: c.name, source: { kind: 'competency', metric: c.key } }));
  ((beh && beh.rows) || []).filter((r) => r.gap && r.gap.flagged).forEach((r) => out.push({
    label: `Behaviour: ${r.experienced_text} (${points(r.gap.value)})`, title: r.experienced_text, source: { kind: 'behaviour', metric: r.key } }));
  return out;
}

function newFocusForm(st, sum, beh, refresh) {
  const list = candidates(sum, beh);
  if (!list.length) return h('p', { class: 'muted' }, 'This wave shows nothing to act on yet.');
  const from = h('select', { id: 'focus-from', name: 'source' }, list.map((c, i) => h('option', { value: String(i) }, c.label)));
  const title = h('input', { id: 'focus-title', name: 'title', type: 'text', maxlength: '200', required: true, value: list[0].title });
  const notes = h('textarea', { id: 'focus-notes', name: 'notes', rows: '2', maxlength: '4000' });
  const err = h('p', { class: 'error', role: 'alert', id: 'focus-error' });
  from.addEventListener('change', () => { title.value = list[Number(from.value)].title; });
  const form = h('form', { class: 'form', id: 'focus-form', novalidate: true },
    field('focus-from', 'Act on', from), field('focus-title', 'Focus area title', title), field('focus-notes', 'Notes (optional)', notes), err,
    h('button', { type: 'submit', class: 'primary' }, 'Create focus area'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      await api('POST', `/api/v1/surveys/${encodeURIComponent(st.id)}/plans`, { wave: sum.wave, source: list[Number(from.value)].source, title: title.value, notes: notes.value });
      await refresh();
    } catch (e) { err.textContent = problemText(e); }
  });
  return h('details', { class: 'card add-focus' }, h('summary', {}, `New focus area from wave ${sum.wave}`), form);
}

// actionForm adds an action, or edits one when a is given.
function actionForm(st, f, owners, refresh, a) {
  const pre = `act-${f.id}-${a ? a.id : 'new'}`;
  const title = h('input', { id: `${pre}-title`, type: 'text', maxlength: '200', value: a ? a.title : '' });
  const owner = h('select', { id: `${pre}-owner` }, h('option', { value: '' }, 'Nobody yet'), owners.map((o) => h('option', { value: o.id }, `${o.name} (${o.role})`)));
  owner.value = a ? a.owner_id : '';
  const due = h('input', { id: `${pre}-due`, type: 'date', value: a ? a.due : '' });
  const status = h('select', { id: `${pre}-status` }, STATUSES.map((s) => h('option', { value: s }, STATUS_LABEL[s])));
  status.value = a ? a.status : 'planned';
  const notes = h('textarea', { id: `${pre}-notes`, rows: '2', maxlength: '4000' }, a ? a.notes : '');
  const err = h('p', { class: 'error', role: 'alert' });
  const parts = [];
  let suggestion = null;
  if (!a) {
    suggestion = h('select', { id: `${pre}-suggestion` }, h('option', { value: '' }, 'Write my own'),
      f.suggestions.map((s) => h('option', { value: s.key }, `${s.title} (${s.family})`)));
    const detail = h('p', { class: 'muted', 'aria-live': 'polite' });
    suggestion.addEventListener('change', () => {
      const s = f.suggestions.find((x) => x.key === suggestion.value);
      detail.textContent = s ? s.detail : '';
      if (s) { title.value = s.title; notes.value = s.detail; }
    });
    parts.push(field(suggestion.id, 'Start from a suggested ally or advocate action', suggestion), detail);
  }
  const form = h('form', { class: 'form action-form', 'data-action-form': a ? a.id : 'new', novalidate: true },
    ...parts, field(title.id, 'Action', title), field(owner.id, 'Owner', owner), field(due.id, 'Due date', due),
    field(status.id, 'Status', status), field(notes.id, 'Notes', notes), err,
    h('button', { type: 'submit', class: 'primary' }, a ? 'Save action' : 'Add action'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    const base = `/api/v1/surveys/${encodeURIComponent(st.id)}/plans/${encodeURIComponent(f.id)}/actions`;
    const body = { title: title.value, owner_id: owner.value, due: due.value, status: status.value, notes: notes.value };
    try {
      if (a) await api('PATCH', `${base}/${encodeURIComponent(a.id)}`, { ...body, revision: a.revision });
      else await api('POST', base, { ...body, suggestion: suggestion.value });
      await refresh();
    } catch (e) { err.textContent = problemText(e); }
  });
  return form;
}

function focusCard(st, f, owners, refresh) {
  const card = h('section', { class: 'card focus', 'data-focus': f.id, 'aria-labelledby': `focus-${f.id}` },
    h('h3', { id: `focus-${f.id}` }, f.title),
    h('p', { class: 'muted' }, `${sourceText(f)} · from wave ${f.wave}`),
    f.notes ? h('p', {}, f.notes) : null);
  card.append(h('h4', {}, 'Progress'),
    scroller(`Progress of ${f.title}`, table(`Progress of ${f.title}`, ['Wave', 'Value'],
      f.progress.map((p) => [`Wave ${p.wave}${p.partial ? ' (partial)' : ''}${p.wave === f.wave ? ' (start)' : ''}`, { text: progressText(f.source.kind, p.cell), num: true }]), { class: 'sticky-first' })));
  card.append(h('h4', {}, 'Actions'));
  if (!f.actions.length) card.append(h('p', { class: 'muted' }, 'No action yet.'));
  else {
    card.append(scroller(`Actions of ${f.title}`, table(`Actions of ${f.title}`, ['Action', 'Owner', 'Due', 'Status', 'Notes'],
      f.actions.map((a) => [a.title, a.owner_name || '—', a.due || '—', STATUS_LABEL[a.status] || a.status, a.notes || '']), { class: 'sticky-first' })));
  }
  if (st.designer) {
    f.actions.forEach((a) => card.append(h('details', { class: 'edit-action' }, h('summary', {}, `Edit "${a.title}"`), actionForm(st, f, owners, refresh, a))));
    card.append(h('details', { class: 'add-action' }, h('summary', {}, 'Add an action'), actionForm(st, f, owners, refresh)));
    const remove = h('button', { type: 'button', class: 'danger' }, 'Delete this focus area');
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({ title: 'Delete this focus area?', body: h('p', {}, `"${f.title}" and its ${f.actions.length} action(s) are deleted for everyone.`),
        confirm: 'Delete focus area', cancel: 'Keep it', danger: true });
      if (!ok) return;
      await api('DELETE', `/api/v1/surveys/${encodeURIComponent(st.id)}/plans/${encodeURIComponent(f.id)}`);
      await refresh();
    });
    card.append(h('p', {}, remove));
  }
  return card;
}

// heardPanel lets a lead publish the "What we heard" page of the wave.
async function heardPanel(st, sum, plans) {
  const base = `/api/v1/surveys/${encodeURIComponent(st.id)}/waves/${sum.wave}/heard`;
  const state = await get(base);
  const page = state.page;
  const chosen = new Set(page ? page.metrics : ['respondents', 'participation', 'index', 'enps']);
  const chosenFocus = new Set(page ? page.focus_ids : plans.map((f) => f.id));
  const box = (id, name, label, checked) => h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, name, value: id, checked: checked || false }), h('label', { for: id }, label));
  const metrics = h('fieldset', { class: 'dims' }, h('legend', {}, 'Numbers to share (whole organisation only, as released)'),
    state.choices.map((c) => box(`heard-m-${c.key}`, 'metric', c.name, chosen.has(c.key))));
  const focus = h('fieldset', { class: 'dims' }, h('legend', {}, 'Focus areas and their actions to share'),
    plans.length ? plans.map((f) => box(`heard-f-${f.id}`, 'focus', f.title, chosenFocus.has(f.id))) : h('p', { class: 'muted' }, 'No focus area yet.'));
  const message = h('textarea', { id: 'heard-message', rows: '4', maxlength: '2000' }, page ? page.message : '');
  const err = h('p', { class: 'error', role: 'alert', id: 'heard-error' });
  const link = h('p', { id: 'heard-link', 'aria-live': 'polite' });
  const showLink = (p) => clear(link).append(...(p ? ['Published at ', h('a', { href: p.url, target: '_blank', rel: 'noopener' }, p.url)] : ['Not published.']));
  showLink(page);
  const form = h('form', { class: 'form', id: 'heard-form', novalidate: true }, metrics, focus,
    field('heard-message', 'A short message to employees (optional)', message), err,
    h('button', { type: 'submit', class: 'primary' }, page ? 'Publish the changes' : 'Publish'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    const ids = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value.replace(/^heard-[mf]-/, ''));
    try {
      showLink(await api('PUT', base, { message: message.value, metrics: ids('metric'), focus_ids: ids('focus') }));
    } catch (e) { err.textContent = problemText(e); }
  });
  return panel(`What we heard: share wave ${sum.wave} with employees`,
    how('A public page, no sign-in, for everyone who was asked: the numbers you choose, exactly as released for the whole organisation, and the focus areas with their actions (without owners or notes). The survey page links to it.'),
    link, form);
}

export async function render(root, st) {
  const enc = encodeURIComponent(st.id);
  const draw = async () => {
    const [plans, sum, owners] = await Promise.all([
      get(`/api/v1/surveys/${enc}/plans`),
      get(`/api/v1/surveys/${enc}/summary`),
      st.designer ? get('/api/v1/plan-owners') : Promise.resolve({ owners: [] }),
    ]);
    const beh = sum.wave && st.designer ? await get(`/api/v1/surveys/${enc}/behaviours?wave=${sum.wave}`).catch(() => null) : null;
    clear(root);
    root.append(how('A focus area is something a closed wave shows needs attention. Its progress is the same number in each later wave, as released; a wave still open is marked partial.'));
    if (st.designer && sum.wave) root.append(newFocusForm(st, sum, beh, draw));
    const areas = plans.focus_areas || [];
    root.append(panel('Focus areas', areas.length ? h('div', { class: 'focus-list' }, areas.map((f) => focusCard(st, f, owners.owners, draw)))
      : h('p', {}, st.designer ? 'No focus area yet. Create one from a gap or a weak competency above.' : 'No action plan has been made yet.')));
    if (st.designer && sum.wave) root.append(await heardPanel(st, sum, areas));
    root.dataset.ready = 'true';
  };
  await draw();
}
