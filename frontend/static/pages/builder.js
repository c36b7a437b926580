// pages/builder.js: the survey builder at /app/surveys/new and
// /app/surveys/{id}/edit. A lead browses the framework by competency and
// family, picks items, adds demographics, sets the schedule and the anonymity
// thresholds, and sees a live preview of the respondent's form. Saving keeps
// a draft; launching asks for confirmation of what becomes frozen.
import { h, clear } from '../dom.js';
import { get, post, patch, ApiError } from '../api.js';
import { useSurveyCss, formFromDesign, renderPreview, SCREEN } from './preview.js';
import { confirmLaunch } from './dialog.js';
import { labelOf, humanise, sentence, fieldMessage } from '../fields.js';
import { t } from '../messages.js';
import { startFrom, draftOf } from './builder-start.js';
import { languagesSection, translationsBody, idFor } from './builder-languages.js';

const families = [
  { kind: 'competency', title: 'Inclusion competencies', why: 'How people experience inclusion. Agreement scale; scored 0–100.' },
  { kind: 'behaviour', title: 'Ally and advocate behaviours', why: 'How often people act, asked as “I did” and “a colleague did”, so the report shows the perception gap. Ally items come after a screen question; people who saw no biased act skip them.' },
  { kind: 'access', title: 'Development access', why: 'Mentors, sponsors and advocates.' },
  { kind: 'barrier', title: 'Barriers to allyship', why: 'What holds people back; reported as % agree, higher is worse.' },
  { kind: 'outcome', title: 'Outcomes', why: 'eNPS and intent to stay, used to find which competencies matter most.' },
];

const thresholds = [
  { key: 'min_group_size', label: 'Smallest group whose results are shown', min: 3, why: 'No score, count or chart is shown for fewer respondents, so nobody in a small team can be singled out. At least 3.' },
  { key: 'min_sensitive_group_size', label: 'Smallest group shown for a sensitive question', why: 'The same rule, stricter, for groups defined by a sensitive question such as gender or ethnicity, where being identified costs most (at least the smallest group above).' },
  { key: 'min_distribution_size', label: 'Answers needed to show how answers split', why: 'Answers needed before showing how many people chose each option, so that one answer cannot be read off a chart (at least the smallest group).' },
  { key: 'min_comment_group_size', label: 'People needed before comments are shown', why: 'People needed in a group before its comments are shown, since writing style can reveal who wrote them (at least the smallest group).' },
];

const cadences = [
  ['once', 'Once'], ['weekly', 'Weekly pulse'], ['biweekly', 'Every two weeks'], ['monthly', 'Monthly pulse'], ['quarterly', 'Quarterly pulse'],
];

function defaults() {
  return {
    title: '', intro: '', items: [], demographics: [],
    comments: [{ key: 'general', prompt: 'Anything else you would like to share?' }],
    anonymity: { min_group_size: 5, min_sensitive_group_size: 10, min_distribution_size: 10, min_comment_group_size: 10 },
    schedule: { cadence: 'once', opens_at: '', wave_days: 14 },
    practical_gap_points: 5, rotation: null, pulse_items: 15,
    languages: ['en'], translations: {}, thank_you: '',
  };
}

function fromSurvey(sv) {
  return {
    title: sv.title, intro: sv.intro, items: sv.items.filter((k) => k !== SCREEN),
    demographics: sv.demographics.map((d) => ({ ...d, options: d.options.filter((o) => o !== 'Prefer not to say') })),
    comments: sv.comments.map((c) => ({ ...c })),
    anonymity: { ...sv.anonymity },
    schedule: { cadence: sv.schedule.cadence, opens_at: sv.schedule.opens_at ? localInput(sv.schedule.opens_at) : '', wave_days: sv.schedule.wave_days },
    practical_gap_points: sv.practical_gap_points, rotation: sv.rotation ? { ...sv.rotation } : null,
    // A one-off survey stores no limit; a pulse made from it starts at 15.
    pulse_items: sv.schedule.cadence === 'once' ? 15 : sv.pulse_items,
    languages: [...sv.languages], translations: JSON.parse(JSON.stringify(sv.translations || {})), thank_you: sv.thank_you || '',
  };
}

// localInput turns an RFC 3339 time into a datetime-local value.
function localInput(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// frameworkOrder compares two item keys by the framework's order: by
// construct, then by position, so a custom item sits with its competency.
function frameworkOrder(fw) {
  const rank = new Map(fw.constructs.map((c, i) => [c.key, i]));
  const pos = new Map(fw.items.map((it, i) => [it.key, [rank.get(it.construct) ?? fw.constructs.length, i]]));
  return (a, b) => {
    const [ca, ia] = pos.get(a) || [Infinity, Infinity];
    const [cb, ib] = pos.get(b) || [Infinity, Infinity];
    return (ca - cb) || (ia - ib);
  };
}

// addItem puts a newly picked item among the picked ones where the
// framework would: before the first picked item that follows it there.
function addItem(items, key, fw) {
  if (items.includes(key)) return items;
  const cmp = frameworkOrder(fw);
  const at = items.findIndex((k) => cmp(key, k) < 0);
  return at < 0 ? [...items, key] : [...items.slice(0, at), key, ...items.slice(at)];
}

// body is the JSON the API takes; items keep the order the lead gave them.
function body(draft, fw) {
  const known = new Set(fw.items.map((it) => it.key));
  const items = draft.items.filter((k) => known.has(k));
  return {
    title: draft.title, intro: draft.intro, items,
    demographics: draft.demographics.map((d) => ({ key: d.key, label: d.label, options: d.options, sensitive: d.sensitive })),
    comments: draft.comments,
    anonymity: Object.fromEntries(Object.entries(draft.anonymity).map(([k, v]) => [k, Number(v)])),
    schedule: {
      cadence: draft.schedule.cadence, wave_days: Number(draft.schedule.wave_days),
      opens_at: draft.schedule.opens_at ? new Date(draft.schedule.opens_at).toISOString() : null,
    },
    practical_gap_points: Number(draft.practical_gap_points),
    rotation: draft.schedule.cadence !== 'once' && draft.rotation
      ? { items_per_wave: Number(draft.rotation.items_per_wave), cover_every: Number(draft.rotation.cover_every) } : null,
    pulse_items: Number(draft.pulse_items),
    languages: draft.languages, translations: translationsBody(draft, fw), thank_you: draft.thank_you,
  };
}

const slug = (s) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'd$1').slice(0, 40);


function fieldFor(field) {
  let f = field;
  for (;;) {
    const el = document.getElementById(idFor(f));
    if (el) return el;
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) return null;
    f = f.slice(0, cut);
  }
}

// carry keeps the unsaved draft across a redraw (after adding a custom item).
let carry = null;

// customItemForm lets a lead add a question to a competency, or to a new
// competency; added() receives the stored item.
function customItemForm(fw, added) {
  const errs = h('ul', { class: 'error', id: 'custom-errors', role: 'alert' });
  const text = h('input', { id: 'f-custom-text', maxlength: '300' });
  const scale = h('select', { id: 'f-custom-scale' },
    [['agree5', 'Agreement (5 points)'], ['frequency5', 'Frequency (5 points, with “No opportunity”)'], ['nps11', '0–10 likelihood']]
      .map(([v, l]) => h('option', { value: v }, l)));
  const construct = h('select', { id: 'f-custom-construct' },
    fw.constructs.filter((c) => c.kind === 'competency').map((c) => h('option', { value: c.key }, c.name)),
    h('option', { value: '' }, 'A new competency…'));
  const newName = h('input', { id: 'f-custom-new-name' });
  const newField = h('div', { class: 'field', hidden: true }, h('label', { for: 'f-custom-new-name' }, 'Name of the new competency'), newName);
  construct.addEventListener('change', () => { newField.hidden = construct.value !== ''; });
  const add = h('button', { type: 'button', id: 'add-custom' }, 'Add this question');
  add.addEventListener('click', async () => {
    clear(errs);
    const req = { text: text.value, scale: scale.value, construct: construct.value };
    if (!construct.value) req.new_construct = { key: slug(newName.value), name: newName.value };
    try {
      added(await post('/api/v1/items', req));
    } catch (e) {
      // The new competency's key is made from its name, so errors about
      // either point at the name.
      const ids = { text: text.id, scale: scale.id, construct: construct.id, 'new_construct.key': newName.id, 'new_construct.name': newName.id };
      const msgs = e instanceof ApiError && e.fields.length
        ? e.fields.map((f) => fieldMessage(labelOf(document.getElementById(ids[f.field])) || humanise(f.field), f.message)) : [e.message];
      errs.append(...msgs.map((m) => h('li', {}, m)));
    }
  });
  return h('details', { class: 'family', id: 'family-custom' }, h('summary', {}, 'Add your own question'),
    h('p', { class: 'why' }, 'Write one idea in at most 25 plain words. It joins the question bank for every survey.'),
    h('div', { class: 'field' }, h('label', { for: 'f-custom-text' }, 'Question text'), text),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'f-custom-scale' }, 'Answer scale'), scale),
      h('div', { class: 'field' }, h('label', { for: 'f-custom-construct' }, 'Competency'), construct)),
    newField, errs, add);
}

// codesToggle shows or hides the item keys and answer-scale codes
// (Advanced), which analysts use and most leads do not need.
function codesToggle() {
  const box = h('input', { type: 'checkbox', id: 'show-codes' });
  box.addEventListener('change', () => document.getElementById('f-items').classList.toggle('show-codes', box.checked));
  return h('div', { class: 'check advanced-codes' }, box, h('label', { for: 'show-codes' }, 'Advanced: show item keys and answer-scale codes'));
}

// estimate is the live estimate of one wave before the draft is saved: the
// questions asked (at most the pulse limit), the demographics and the
// comment prompts, at the employee page's pace (10 s a question, 1 min a
// comment, as survey.EstimatedMinutes); saving replaces it with the
// server's wave_plan.
function estimate(draft, fw) {
  const items = normaliseCount(draft, fw);
  const limit = Number(draft.pulse_items);
  const asked = draft.schedule.cadence !== 'once' && !draft.rotation && limit > 0 ? Math.min(limit, items) : items;
  const questions = asked + draft.demographics.length;
  const comments = draft.comments.length;
  return { questions, comments, minutes: Math.ceil((questions * 10 + comments * 60) / 60) };
}

// normaliseCount counts the items with the screen question the server adds
// before ally items.
function normaliseCount(draft, fw) {
  const gated = new Set(fw.items.filter((it) => it.gated_by).map((it) => it.key));
  return draft.items.length + (draft.items.some((k) => gated.has(k)) ? 1 : 0);
}

export async function render(main, ctx) {
  useSurveyCss();
  let id = ctx.params[0] || null;
  const fw = await get('/api/v1/framework');
  let draft = defaults();
  // saved is the body of the draft as last saved (or as the page opened),
  // so leaving with anything else asks first.
  let saved = null;
  let started = '';
  if (carry) {
    ({ draft, id, saved } = carry);
    started = carry.started || '';
    carry = null;
  } else if (id) {
    const sv = await get(`/api/v1/surveys/${encodeURIComponent(id)}`);
    if (sv.status !== 'draft') {
      main.append(h('h1', {}, sv.title), h('p', {}, `This survey is ${sv.status}; only drafts can be edited.`),
        h('p', {}, h('a', { href: `/app/surveys/${sv.id}` }, 'Back to the survey')));
      return;
    }
    draft = fromSurvey(sv);
  }
  if (saved === null) saved = JSON.stringify(body(draft, fw));
  ctx.onLeave(() => JSON.stringify(body(draft, fw)) !== saved);

  const errors = h('div', { id: 'errors', tabindex: '-1' });
  const status = h('p', { id: 'save-status', role: 'status' });
  const previewBox = h('div', { id: 'preview-box' });
  let previewTimer = null;
  const livePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => renderPreview(previewBox, formFromDesign(body(draft, fw), fw)), 150);
  };
  const estimateLine = h('p', { id: 'wave-estimate', class: 'estimate', role: 'status' });
  const drawEstimate = (plan, fromServer) => {
    const e = plan || estimate(draft, fw);
    clear(estimateLine).append(fromServer ? t('builder.estimate.saved') : '',
      t('builder.estimate.parts', {
        wave: t('builder.estimate.wave', { count: e.minutes }),
        questions: t('builder.estimate.questions', { count: e.questions }),
        comments: t('builder.estimate.comments', { count: e.comments }),
      }),
      plan ? ` ${t('builder.estimate.cover', { count: plan.cover_waves })}` : '');
  };
  let langs = null;
  const changed = () => {
    status.textContent = '';
    livePreview();
    drawEstimate();
    if (langs && !document.activeElement.closest('#translations')) langs.redraw();
  };

  const input = (fid, label, value, onInput, attrs = {}, why = '') => {
    const el = h(attrs.tag || 'input', { id: fid, name: fid, ...attrs, tag: null, 'aria-describedby': why ? `${fid}-why` : null });
    el.value = value ?? '';
    el.addEventListener('input', () => { onInput(el.value); changed(); });
    return h('div', { class: 'field' }, h('label', { for: fid }, label), why ? h('p', { class: 'why', id: `${fid}-why` }, why) : null, el);
  };

  // Basics.
  const basics = h('section', { 'aria-labelledby': 'b-basics' }, h('h2', { id: 'b-basics' }, 'Basics'),
    input('f-title', 'Title', draft.title, (v) => { draft.title = v; }, { maxlength: '200', required: true }),
    input('f-intro', 'Introduction for respondents (optional)', draft.intro, (v) => { draft.intro = v; }, { tag: 'textarea' }),
    input('f-thank_you', t('builder.thank_you.label'), draft.thank_you, (v) => { draft.thank_you = v; }, { tag: 'textarea' }, t('builder.thank_you.why')));

  // Items, browsed by family and construct.
  const chosen = new Set(draft.items);
  const pick = (key, on) => {
    if (on) { chosen.add(key); draft.items = addItem(draft.items, key, fw); } else { chosen.delete(key); draft.items = draft.items.filter((k) => k !== key); }
  };
  const itemsSection = h('section', { 'aria-labelledby': 'b-items', id: 'f-items', tabindex: '-1' },
    h('h2', { id: 'b-items' }, 'Questions'),
    h('p', { class: 'why' }, 'Pick the questions to ask. Each competency has several; two or more give a more reliable score.'),
    estimateLine,
    codesToggle(),
    families.map((fam) => {
      const cons = fw.constructs.filter((c) => c.kind === fam.kind);
      if (!cons.length) return null;
      return h('details', { class: 'family', id: `family-${fam.kind}`, open: fam.kind === 'competency' || cons.some((c) => fw.items.some((it) => it.construct === c.key && chosen.has(it.key))) },
        h('summary', {}, fam.title),
        h('p', { class: 'why' }, fam.why),
        cons.map((c) => {
          const items = fw.items.filter((it) => it.construct === c.key);
          const boxes = items.map((it) => {
            const cb = h('input', { type: 'checkbox', id: `item-${it.key}`, value: it.key, checked: chosen.has(it.key) });
            cb.addEventListener('change', () => {
              pick(it.key, cb.checked);
              drawOrder();
              changed();
            });
            // Plain words first; the item key and answer-scale code only
            // under "Advanced" (the codes checkbox above the families).
            const meta = [it.perspective === 'self' ? 'about what the person did' : it.perspective === 'experienced' ? 'about what others did' : '',
              it.reverse ? 'reverse-scored: agreeing is unfavourable' : '', it.custom ? 'your own question' : '']
              .filter(Boolean).join(' · ');
            return h('label', { class: 'check', for: `item-${it.key}` }, cb, h('span', {}, it.text,
              meta ? h('span', { class: 'item-meta' }, meta) : null,
              h('span', { class: 'item-meta item-codes' }, `${it.key} · ${it.scale}`)));
          });
          const all = h('button', { type: 'button', class: 'link', dataset: { construct: c.key } }, `Choose all ${items.length}`);
          all.addEventListener('click', () => {
            for (const it of items) pick(it.key, true);
            for (const b of boxes) b.querySelector('input').checked = true;
            drawOrder();
            changed();
          });
          return h('fieldset', { class: 'construct', id: `construct-${c.key}` },
            h('legend', {}, c.name),
            c.description ? h('p', { class: 'why' }, c.description) : null,
            c.source ? h('p', { class: 'source' }, `Source: ${c.source}`) : null,
            all, boxes);
        }));
    }),
    customItemForm(fw, (it) => {
      draft.items = addItem(draft.items, it.key, { ...fw, items: [...fw.items, it] });
      carry = { draft, id, saved };
      render(clear(main), ctx);
    }));

  // The picked items in the order respondents see them, with controls to
  // move each one up or down.
  const itemText = new Map(fw.items.map((it) => [it.key, it.text]));
  const orderList = h('ol', { id: 'picked-order' });
  const orderStatus = h('p', { class: 'why', id: 'picked-order-status', role: 'status' });
  const move = (i, by, dir) => {
    const items = [...draft.items];
    [items[i], items[i + by]] = [items[i + by], items[i]];
    draft.items = items;
    drawOrder();
    changed();
    // Keep the focus on the moved question, on the button just used while
    // it can still move that way.
    const row = orderList.children[i + by];
    const again = row.querySelector(`button[data-move="${dir}"]`);
    (again.disabled ? row.querySelector('button:not([disabled])') : again).focus();
    orderStatus.textContent = `“${itemText.get(items[i + by])}” is now question ${i + by + 1} of ${items.length}.`;
  };
  function drawOrder() {
    orderStatus.textContent = '';
    clear(orderList).append(...draft.items.map((k, i) => {
      const text = itemText.get(k) || k;
      const up = h('button', { type: 'button', class: 'move', dataset: { move: 'up' }, 'aria-label': `Move “${text}” up`, disabled: i === 0 }, '↑ Up');
      const down = h('button', { type: 'button', class: 'move', dataset: { move: 'down' }, 'aria-label': `Move “${text}” down`, disabled: i === draft.items.length - 1 }, '↓ Down');
      up.addEventListener('click', () => move(i, -1, 'up'));
      down.addEventListener('click', () => move(i, 1, 'down'));
      return h('li', { dataset: { key: k } }, h('span', { class: 'picked-text' }, text), h('span', { class: 'move-buttons' }, up, down));
    }));
    orderBox.hidden = !draft.items.length;
  }
  const orderBox = h('div', { class: 'picked', id: 'picked' },
    h('h3', { id: 'b-order' }, 'Order of the chosen questions'),
    h('p', { class: 'why' }, 'Respondents see the questions in this order; consecutive questions of one competency form a section. The “witnessed” screen question is placed before the first ally question for you.'),
    orderList, orderStatus);
  itemsSection.append(orderBox);
  drawOrder();

  // Demographics.
  const demoList = h('div', { id: 'f-demographics', tabindex: '-1' });
  const drawDemographics = () => {
    clear(demoList).append(...draft.demographics.map((d, i) => {
      const p = `f-demographics-${i}`;
      const keyTouched = { v: !!d.key && d.key !== slug(d.label) };
      const keyField = input(`${p}-key`, 'Key (used in reports and filters)', d.key, (v) => { d.key = v; keyTouched.v = true; });
      const labelField = input(`${p}-label`, 'Question', d.label, (v) => {
        d.label = v;
        if (!keyTouched.v) { d.key = slug(v); keyField.querySelector('input').value = d.key; }
      });
      const opts = input(`${p}-options`, 'Options, one per line', d.options.join('\n'), (v) => { d.options = v.split('\n'); },
        { tag: 'textarea' }, '“Prefer not to say” is added for you.');
      const sens = h('input', { type: 'checkbox', id: `${p}-sensitive`, checked: d.sensitive });
      sens.addEventListener('change', () => { d.sensitive = sens.checked; changed(); });
      const remove = h('button', { type: 'button' }, `Remove “${d.label || 'question'}”`);
      remove.addEventListener('click', () => { draft.demographics.splice(i, 1); drawDemographics(); changed(); });
      return h('div', { class: 'demo-row', id: p, tabindex: '-1' }, labelField, keyField, opts,
        h('label', { class: 'check', for: `${p}-sensitive` }, sens,
          h('span', {}, 'Sensitive (gender, ethnicity, sexual orientation, disability, caregiving…)',
            h('span', { class: 'item-meta' }, 'Groups defined by it follow the stricter minimum for sensitive questions, and it is never combined with another sensitive question.'))),
        remove);
    }));
  };
  drawDemographics();
  const addDemo = h('button', { type: 'button', id: 'add-demographic' }, 'Add a demographic question');
  addDemo.addEventListener('click', () => {
    draft.demographics.push({ key: '', label: '', options: [], sensitive: false });
    drawDemographics();
    demoList.querySelector(`#f-demographics-${draft.demographics.length - 1}-label`).focus();
  });
  const demoSection = h('section', { 'aria-labelledby': 'b-demo' }, h('h2', { id: 'b-demo' }, 'Demographics'),
    h('p', { class: 'why' }, 'Optional questions used to compare groups. Results are shown only for groups large enough to stay anonymous.'),
    demoList, addDemo);

  // Comment prompts.
  const commentList = h('div', { id: 'f-comments', tabindex: '-1' });
  const drawComments = () => {
    clear(commentList).append(...draft.comments.map((c, i) => {
      const remove = h('button', { type: 'button' }, `Remove prompt ${i + 1}`);
      remove.addEventListener('click', () => { draft.comments.splice(i, 1); drawComments(); changed(); });
      return h('div', { class: 'demo-row', id: `f-comments-${i}` },
        input(`f-comments-${i}-prompt`, `Comment prompt ${i + 1}`, c.prompt, (v) => { c.prompt = v; }), remove);
    }));
  };
  drawComments();
  const addComment = h('button', { type: 'button' }, 'Add a comment prompt');
  addComment.addEventListener('click', () => {
    const used = new Set(draft.comments.map((c) => c.key));
    let n = draft.comments.length + 1;
    while (used.has(`comment_${n}`)) n++;
    draft.comments.push({ key: draft.comments.length ? `comment_${n}` : 'general', prompt: '' });
    drawComments();
  });
  const commentSection = h('section', { 'aria-labelledby': 'b-comments' }, h('h2', { id: 'b-comments' }, 'Comments'),
    h('p', { class: 'why' }, 'Free-text questions. Contact details are removed before storage; comments are shown only for groups large enough (see Anonymity).'),
    commentList, addComment);

  // Schedule and rotation.
  const cadence = h('select', { id: 'f-schedule-cadence', 'aria-describedby': 'f-schedule-cadence-why' },
    cadences.map(([v, label]) => h('option', { value: v, selected: draft.schedule.cadence === v }, label)));
  const rotationBox = h('div', { id: 'f-rotation', tabindex: '-1' });
  const drawRotation = () => {
    clear(rotationBox);
    if (draft.schedule.cadence === 'once') return;
    if (!draft.rotation) {
      rotationBox.append(input('f-pulse_items', t('builder.pulse.label'), draft.pulse_items, (v) => { draft.pulse_items = v; },
        { type: 'number', min: '0', max: '200' }, t('builder.pulse.why')));
    }
    const on = h('input', { type: 'checkbox', id: 'rotation-on', checked: !!draft.rotation });
    on.addEventListener('change', () => {
      draft.rotation = on.checked ? { items_per_wave: 4, cover_every: 2 } : null;
      drawRotation();
      changed();
    });
    rotationBox.append(h('label', { class: 'check', for: 'rotation-on' }, on,
      h('span', {}, 'Rotate competency questions between waves',
        h('span', { class: 'item-meta' }, 'Shorter pulses: each wave asks a subset, and every competency is still asked regularly. Other questions are asked every wave.'))));
    if (draft.rotation) {
      rotationBox.append(h('div', { class: 'field-row' },
        input('f-rotation-items_per_wave', 'Competency questions per wave', draft.rotation.items_per_wave, (v) => { draft.rotation.items_per_wave = v; }, { type: 'number', min: '1' }),
        input('f-rotation-cover_every', 'Ask every competency at least every … waves', draft.rotation.cover_every, (v) => { draft.rotation.cover_every = v; }, { type: 'number', min: '1', max: '12' })));
    }
  };
  cadence.addEventListener('change', () => {
    draft.schedule.cadence = cadence.value;
    const days = { once: 14, weekly: 5, biweekly: 7, monthly: 7, quarterly: 14 }[cadence.value];
    draft.schedule.wave_days = days;
    document.getElementById('f-schedule-wave_days').value = days;
    drawRotation();
    changed();
  });
  drawRotation();
  drawEstimate();
  const scheduleSection = h('section', { 'aria-labelledby': 'b-schedule' }, h('h2', { id: 'b-schedule' }, 'Schedule'),
    h('div', { class: 'field' }, h('label', { for: 'f-schedule-cadence' }, 'How often'),
      h('p', { class: 'why', id: 'f-schedule-cadence-why' }, 'A pulse opens a new wave every period; trends compare the waves.'), cadence),
    h('div', { class: 'field-row' },
      input('f-schedule-opens_at', 'First wave opens', draft.schedule.opens_at, (v) => { draft.schedule.opens_at = v; }, { type: 'datetime-local' }, 'Leave empty to open when you launch.'),
      input('f-schedule-wave_days', 'Days each wave stays open', draft.schedule.wave_days, (v) => { draft.schedule.wave_days = v; }, { type: 'number', min: '1', max: '90' }, 'Shorter than the period, so waves never overlap.')),
    rotationBox);

  // Anonymity thresholds.
  const anonSection = h('section', { 'aria-labelledby': 'b-anon' }, h('h2', { id: 'b-anon' }, 'Anonymity and reporting'),
    h('p', { class: 'why' }, 'These rules protect respondents. They can be raised, never lowered below the floor, and are frozen at launch.'),
    thresholds.map((t) => input(`f-anonymity-${t.key}`, t.label, draft.anonymity[t.key], (v) => { draft.anonymity[t.key] = v; },
      { type: 'number', min: String(t.min || 3) }, t.why)),
    input('f-practical_gap_points', 'Practical gap threshold (points)', draft.practical_gap_points, (v) => { draft.practical_gap_points = v; },
      { type: 'number', min: '0', max: '50', step: '0.5' }, 'A gap between groups is flagged only when it is statistically clear and at least this many points on the 0–100 scale, so noise is not mistaken for a problem.'));

  // describe names an API field the way the page does: the label of its
  // control, within its demographic question or comment prompt.
  const describe = (field, el) => {
    const own = el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) ? labelOf(el) : '';
    const row = field.match(/^(demographics|comments)\[(\d+)\]/);
    if (row) {
      const i = Number(row[2]);
      if (row[1] === 'comments') return own || `Comment prompt ${i + 1}`;
      const d = draft.demographics[i];
      const which = `Demographic question ${i + 1}${d && d.label ? ` (“${d.label}”)` : ''}`;
      return own ? `${which}, ${own.charAt(0).toLowerCase()}${own.slice(1)}` : which;
    }
    const item = field.match(/^items\[(\d+)\]/);
    if (item) return `Question ${Number(item[1]) + 1}`;
    return own || (el && labelOf(el)) || humanise(field);
  };

  // Saving and launching.
  const showErrors = (fields) => {
    for (const el of document.querySelectorAll('.field-error')) el.remove();
    for (const el of document.querySelectorAll('.invalid-field')) {
      el.classList.remove('invalid-field');
      el.removeAttribute('aria-invalid');
      const desc = (el.getAttribute('aria-describedby') || '').split(' ').filter((d) => d && !d.endsWith('-error'));
      if (desc.length) el.setAttribute('aria-describedby', desc.join(' ')); else el.removeAttribute('aria-describedby');
    }
    clear(errors);
    if (!fields.length) { errors.className = ''; return; }
    // The summary follows the page from top to bottom.
    const found = fields.map((f) => ({ ...f, el: fieldFor(f.field) }));
    const place = (el) => (el ? [...document.querySelectorAll('[id]')].indexOf(el) : Infinity);
    found.sort((a, b) => place(a.el) - place(b.el));
    const list = found.map((f) => {
      const { el } = f;
      const text = fieldMessage(describe(f.field, el), f.message);
      if (el) {
        el.classList.add('invalid-field');
        const msg = h('p', { class: 'field-error', id: `${el.id}-error`, dataset: { field: f.field } },
          /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) ? sentence(f.message) : text);
        if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
          // The message is read with the field, not only seen next to it.
          el.setAttribute('aria-invalid', 'true');
          el.setAttribute('aria-describedby', `${el.getAttribute('aria-describedby') || ''} ${msg.id}`.trim());
        }
        if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) el.after(msg); else el.prepend(msg);
      }
      return h('li', {}, el ? h('a', { href: `#${el.id}` }, text) : text);
    });
    errors.className = 'error-summary';
    errors.append(h('h2', {}, 'The survey could not be saved'), h('ul', {}, list));
    errors.focus();
  };

  const save = async () => {
    try {
      const sent = body(draft, fw);
      const sv = id ? await patch(`/api/v1/surveys/${encodeURIComponent(id)}`, sent)
        : await post('/api/v1/surveys', sent);
      saved = JSON.stringify(sent);
      if (!id) {
        id = sv.id;
        history.replaceState(null, '', `/app/surveys/${id}/edit`);
        // The page now edits a saved draft: say so, and let "Back" lead to it.
        heading.textContent = 'Edit survey';
        document.title = 'Edit survey · Allypulse';
        back.href = `/app/surveys/${id}`;
        back.textContent = 'Back to the survey';
      }
      showErrors([]);
      status.textContent = 'Draft saved.';
      status.className = 'saved';
      if (sv.wave_plan) drawEstimate(sv.wave_plan, true);
      renderPreview(previewBox, await get(`/api/v1/surveys/${encodeURIComponent(id)}/preview`));
      return sv;
    } catch (e) {
      status.className = 'error';
      if (e instanceof ApiError && e.status === 422) {
        status.textContent = 'Some fields need attention.';
        showErrors(e.fields);
      } else {
        status.textContent = `Not saved: ${e.message}`;
      }
      return null;
    }
  };

  const heading = h('h1', {}, id ? 'Edit survey' : 'New survey');
  const back = h('a', { href: id ? `/app/surveys/${id}` : '/app/surveys', id: 'builder-back' }, id ? 'Back to the survey' : 'Cancel');
  const saveBtn = h('button', { type: 'button', id: 'save-draft' }, 'Save draft');
  saveBtn.addEventListener('click', save);
  const launchBtn = h('button', { type: 'button', class: 'primary', id: 'launch' }, 'Launch…');
  launchBtn.addEventListener('click', async () => {
    const sv = await save();
    if (!sv || !(await confirmLaunch(sv))) return;
    try {
      await post(`/api/v1/surveys/${encodeURIComponent(sv.id)}/launch`);
      ctx.navigate(`/app/surveys/${sv.id}`);
    } catch (e) {
      status.className = 'error';
      status.textContent = `Not launched: ${e.message}`;
      if (e instanceof ApiError && e.fields.length) showErrors(e.fields);
    }
  });

  langs = languagesSection(draft, fw, () => { status.textContent = ''; });
  let start = null;
  if (!id) {
    const { templates } = await get('/api/v1/templates');
    start = startFrom(templates, (tpl) => {
      carry = { draft: tpl ? draftOf(tpl, defaults()) : defaults(), id, saved, started: tpl ? tpl.key : 'blank' };
      render(clear(main), ctx);
    });
  }
  main.append(
    h('div', { class: 'page-head' }, heading, back),
    errors,
    h('div', { class: 'builder' },
      h('form', { class: 'builder-form', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); save(); } },
        start, basics, itemsSection, demoSection, commentSection, langs.section, scheduleSection, anonSection,
        h('div', { class: 'sticky-actions' }, saveBtn, launchBtn, status)),
      h('aside', { class: 'preview-col', 'aria-labelledby': 'b-preview' }, h('h2', { id: 'b-preview' }, 'Live preview'), previewBox)));
  renderPreview(previewBox, formFromDesign(body(draft, fw), fw));
  // A field that takes the focus while it is already on screen is not
  // scrolled by the browser, scroll-padding or not: lift it above the
  // sticky Save/Launch bar so it is never hidden under it.
  const bar = main.querySelector('.sticky-actions');
  main.querySelector('.builder-form').addEventListener('focusin', (ev) => {
    if (bar.contains(ev.target)) return;
    const r = ev.target.getBoundingClientRect();
    const b = bar.getBoundingClientRect();
    if (r.bottom > b.top && r.top < b.bottom) window.scrollBy(0, r.bottom - b.top + 16);
  });
  if (started) {
    // The chosen template stays selected, the page says what it now
    // holds, and the lead continues at the title.
    document.getElementById(`start-${started}`).checked = true;
    const label = document.querySelector(`label[for="start-${started}"] > span`).firstChild.textContent;
    document.getElementById('start-status').textContent = t('builder.start.done', { name: label });
    document.getElementById('f-title').focus();
  }
}
