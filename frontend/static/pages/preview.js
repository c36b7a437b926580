// pages/preview.js: the respondent's view of a survey form, for the builder's
// live preview and the survey page. It draws the form JSON of
// GET /api/v1/surveys/{id}/preview (the same shape /api/v1/respond/{code}
// returns) with the markup and texts of the employee page (respond.js), and
// formFromDesign builds that JSON in the browser from an unsaved draft the
// way survey.Form does on the server.
import { h, clear } from '../dom.js';
import { aboutYouHint } from '../respond-form.js';

export const PREFER_NOT_TO_SAY = 'Prefer not to say';
export const SCREEN = 'screen.witnessed';

// useSurveyCss links builder.css once (no inline styles under the CSP).
export function useSurveyCss() {
  if (document.querySelector('link[data-builder-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/static/builder.css', 'data-builder-css': 'true' }));
}

// normaliseItems mirrors survey.ValidateDraft: the opportunity screen goes
// right before the first item it gates.
export function normaliseItems(keys, fw) {
  const byKey = new Map(fw.items.map((it) => [it.key, it]));
  let out = keys.filter((k) => byKey.has(k));
  for (let i = 0; i < out.length; i++) {
    const gate = byKey.get(out[i]).gated_by;
    if (!gate) continue;
    const at = out.indexOf(gate);
    if (at >= 0 && at < i) continue;
    out = [...out.slice(0, i).filter((k) => k !== gate), gate, ...out.slice(i).filter((k) => k !== gate)];
  }
  return out;
}

export function withPreferNotToSay(options) {
  const clean = options.map((o) => o.trim()).filter(Boolean);
  return clean.some((o) => o.toLowerCase() === PREFER_NOT_TO_SAY.toLowerCase()) ? clean : [...clean, PREFER_NOT_TO_SAY];
}

// formFromDesign builds the respondent form of wave 1 from a draft.
export function formFromDesign(draft, fw) {
  const items = new Map(fw.items.map((it) => [it.key, it]));
  const scales = new Map(fw.scales.map((s) => [s.key, s]));
  const constructs = new Map(fw.constructs.map((c) => [c.key, c]));
  const sections = [];
  for (const key of normaliseItems(draft.items, fw)) {
    const it = items.get(key);
    const sc = scales.get(it.scale) || {};
    const fi = { key: it.key, text: it.text, scale: it.scale, allows_na: !!sc.allows_na };
    if (sc.points && sc.points.length) fi.points = sc.points;
    if (sc.na_label) fi.na_label = sc.na_label;
    if (it.options && it.options.length) fi.options = it.options;
    if (it.gated_by) fi.gated_by = it.gated_by;
    const last = sections[sections.length - 1];
    if (!last || last.key !== it.construct) {
      sections.push({ key: it.construct, title: sectionTitle(constructs.get(it.construct)) || it.construct, items: [] });
    }
    sections[sections.length - 1].items.push(fi);
  }
  const opens = draft.schedule.opens_at ? new Date(draft.schedule.opens_at) : new Date();
  const closes = new Date(opens.getTime() + (Number(draft.schedule.wave_days) || 14) * 86400000);
  return {
    title: draft.title.trim(), intro: draft.intro.trim(), sections,
    demographics: draft.demographics.filter((d) => d.label.trim()).map((d) => ({ key: d.key, label: d.label.trim(), options: withPreferNotToSay(d.options), sensitive: Boolean(d.sensitive) })),
    comments: draft.comments.filter((c) => c.prompt.trim()),
    min_group_size: Number(draft.anonymity.min_group_size) || 5,
    min_sensitive_group_size: Number(draft.anonymity.min_sensitive_group_size) || 10,
    min_comment_group_size: Number(draft.anonymity.min_comment_group_size) || 10,
    closes_at: closes.toISOString(),
  };
}

const fieldId = (kind, key) => `pv-${kind}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function choices(item) {
  if (item.options && item.options.length) return item.options.map((o) => ({ value: o, label: o }));
  const pts = (item.points || []).map((p) => ({ value: p.value, label: item.scale === 'nps11' ? String(p.value) : p.label }));
  if (item.allows_na) pts.push({ value: 'na', label: item.na_label || 'Not applicable', na: true });
  return pts;
}

function radioGroup(kind, key, legend, opts, extra = {}) {
  const id = fieldId(kind, key);
  const hintId = extra.hint ? `${id}-hint` : null;
  return h('fieldset', { class: 'q', id, 'aria-describedby': hintId, dataset: { key } },
    h('legend', {}, legend),
    extra.hint ? h('p', { class: 'hint', id: hintId }, extra.hint) : null,
    h('div', { class: `opts ${extra.layout || ''}` },
      opts.map((o) => h('label', { class: o.na ? 'opt na' : 'opt' },
        h('input', { type: 'radio', name: id, value: String(o.value), onchange: extra.onchange }),
        h('span', {}, o.label)))));
}

// renderPreview draws form into container; answering the screen "No" hides
// the items it gates, as on the employee page.
export function renderPreview(container, form) {
  const k = form.min_group_size;
  const closes = new Date(form.closes_at);
  const all = form.sections.flatMap((s) => s.items);
  const applySkips = () => {
    for (const it of all) {
      if (!it.gated_by) continue;
      const screen = all.find((x) => x.key === it.gated_by);
      const picked = container.querySelector(`input[name="${fieldId('q', it.gated_by)}"]:checked`);
      const el = container.querySelector(`#${fieldId('q', it.key)}`);
      if (el) el.hidden = !!(screen && screen.options && picked && picked.value === screen.options[1]);
    }
  };
  const body = [
    h('p', { class: 'preview-label' }, 'Preview: this is what respondents see.'),
    h('h1', {}, form.title || 'Untitled survey'),
    form.intro ? h('p', {}, form.intro) : null,
    h('p', { class: 'promise' },
      `Your answers are combined with others. No result is shown for a group smaller than ${k} people. `,
      'We do not store your name, e-mail, IP address or the time you answered.'),
    Number.isNaN(closes.getTime()) ? null
      : h('p', { class: 'hint' }, `Open until ${closes.toLocaleDateString(undefined, { dateStyle: 'long' })}. Every question is optional; skip any you prefer not to answer.`),
    h('p', { class: 'hint' }, `0 of ${all.length} questions answered`),
  ];
  for (const s of form.sections) {
    const sid = fieldId('s', s.key);
    body.push(h('section', { 'aria-labelledby': sid },
      h('h2', { id: sid }, s.title),
      s.items.map((it) => {
        const pts = it.points || [];
        const hint = it.scale === 'nps11' && pts.length
          ? `0 means ${pts[0].label.toLowerCase()}, 10 means ${pts[pts.length - 1].label.toLowerCase()}.` : '';
        const layout = it.scale === 'nps11' ? 'nps' : (it.options ? '' : 'row');
        return radioGroup('q', it.key, it.text, choices(it), { hint, layout, onchange: applySkips });
      })));
  }
  if (form.demographics.length) {
    body.push(h('section', { 'aria-labelledby': 'pv-about' },
      h('h2', { id: 'pv-about' }, 'About you'),
      h('p', { class: 'hint' }, aboutYouHint(form)),
      form.demographics.map((d) => radioGroup('d', d.key || d.label, d.label, d.options.map((o) => ({ value: o, label: o }))))));
  }
  if (form.comments.length) {
    body.push(h('section', { 'aria-labelledby': 'pv-comments' },
      h('h2', { id: 'pv-comments' }, 'In your own words'),
      form.comments.map((c) => {
        const id = fieldId('c', c.key);
        return h('div', {},
          h('label', { class: 'comment', for: id }, c.prompt),
          h('p', { class: 'hint', id: `${id}-hint` },
            `Optional, up to 2,000 characters. Comments are shown to the survey owners only for groups of at least ${form.min_comment_group_size} people, separately from your other answers. E-mail addresses, phone numbers, links and @-names are removed before your comment is stored; please leave out names.`),
          h('textarea', { id, maxlength: '2000', 'aria-describedby': `${id}-hint` }));
      })));
  }
  body.push(h('button', { type: 'button', class: 'primary', disabled: true }, 'Submit my answers'));
  clear(container).append(h('div', { class: 'preview', id: 'preview', dataset: { items: all.map((it) => it.key).join(' ') } }, body));
}

// sectionTitle is what respondents see above a construct's questions: its
// heading when the name is analysts' wording, as the server's form does.
function sectionTitle(c) {
  return c && (c.heading || c.name);
}
