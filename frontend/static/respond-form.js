// respond-form.js: the pieces of the respondent form that the employee page
// (respond.js) and the staff preview share, so both draw the same markup
// and say the same words. Pure functions of the form JSON of
// GET /api/v1/respond/{code}; no side effects on import.
import { h } from './dom.js';

export const NA = 'na';

// fieldId makes an element id from a question kind (q, d, c, s) and key.
export const fieldId = (kind, key, prefix = '') => `${prefix}${kind}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

// promise is the anonymity promise at the top of the employee page, naming k.
export const promise = (k) => [
  `Your answers are combined with others. No result is shown for a group smaller than ${k} people. `,
  'We do not store your name, e-mail, IP address or the time you answered.',
];

// aboutYouHint explains how the optional "About you" answers are used,
// naming the larger minimum group of the sensitive questions.
export function aboutYouHint(form) {
  const sensitive = form.demographics.filter((d) => d.sensitive).map((d) => d.label);
  const base = `Each of these is optional. They are used only to compare groups of at least ${form.min_group_size} people`;
  if (!sensitive.length || !(form.min_sensitive_group_size > form.min_group_size)) return `${base}.`;
  return `${base}, and at least ${form.min_sensitive_group_size} for ${sensitive.length === 1 ? 'the more personal question' : 'the more personal questions'} (${sensitive.join('; ')}).`;
}

// choices lists an item's answers: its options, or its scale points plus
// "No opportunity" where the scale allows it.
export function choices(item) {
  if (item.options && item.options.length) return labelled(item.options, item.option_labels);
  const pts = (item.points || []).map((p) => ({ value: p.value, label: item.scale === 'nps11' ? String(p.value) : p.label }));
  if (item.allows_na) pts.push({ value: NA, label: item.na_label || 'Not applicable', na: true });
  return pts;
}

// labelled pairs option values with the labels of the form's language
// (option_labels); the value is what is sent back.
export const labelled = (options, labels) => options.map((o, i) => ({ value: o, label: (labels && labels[i]) || o }));

// itemLook returns the hint and option layout of an item: 0-10 scales get a
// one-row grid and a hint naming their ends (worded by ends(low, high) when
// given), agreement scales a row on wide screens.
export function itemLook(item, ends) {
  const pts = item.points || [];
  const [low, high] = pts.length ? [pts[0].label, pts[pts.length - 1].label] : [];
  const hint = item.scale === 'nps11' && pts.length
    ? (ends ? ends(low, high) : `0 means ${low.toLowerCase()}, 10 means ${high.toLowerCase()}.`) : '';
  const layout = item.scale === 'nps11' ? 'nps' : (item.options ? '' : 'row');
  return { hint, layout };
}

// radioGroup is one question: a fieldset with its legend and a row of
// labelled radio buttons (arrow keys move within it; nothing preselected
// unless checked names a value).
export function radioGroup(id, legend, opts, { hint = '', layout = '', checked, onchange, dataset } = {}) {
  const hintId = hint ? `${id}-hint` : null;
  return h('fieldset', { class: 'q', id, 'aria-describedby': hintId, dataset },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('div', { class: `opts ${layout}` },
      opts.map((o) => {
        const input = h('input', { type: 'radio', name: id, value: String(o.value) });
        if (checked !== undefined && String(checked) === String(o.value)) input.checked = true;
        if (onchange) input.addEventListener('change', () => onchange(o.value));
        return h('label', { class: o.na ? 'opt na' : 'opt' }, input, h('span', {}, o.label));
      })));
}

// skipped reports whether item is hidden because the screen that gates it
// was answered with its second option ("No").
export function skipped(item, items, answerOf) {
  if (!item.gated_by) return false;
  const screen = items.find((it) => it.key === item.gated_by);
  return !!screen && !!screen.options && answerOf(screen.key) === screen.options[1];
}

// translator returns t(id, vars): the message id of a catalog from
// GET /api/v1/respond/{code} in lang, its plural form chosen for vars.Count
// by the language's CLDR rules, {{.Name}} placeholders filled from vars.
export function translator(messages, lang) {
  const rules = new Intl.PluralRules(lang);
  return (id, vars = {}) => {
    let m = messages[id];
    if (m && typeof m === 'object') m = m[rules.select(vars.Count ?? 0)] ?? m.other;
    return String(m ?? id).replace(/\{\{\.(\w+)\}\}/g, (_, k) => String(vars[k] ?? ''));
  };
}
