// pages/builder-languages.js: the builder's Languages section. The lead
// chooses the language the survey is written in and the others it is
// offered in, and writes the survey's own texts in each (title,
// introduction, thank-you note, custom questions, demographic questions and
// their options, comment prompts); what is missing is marked next to the
// field and counted per language. Field ids follow the API's field names
// (translations.fr.demographics.team.options), so the errors of a refused
// launch land next to the text they are about.
import { h, clear } from '../dom.js';
import { t } from '../messages.js';

// names are the shipped languages, each named in itself.
export const names = { en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español' };

// idFor maps an API field ("demographics[1].options") to an element id.
export const idFor = (field) => `f-${field.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;

const lines = (s) => s.split('\n').map((x) => x.trim());

// texts lists what the lead wrote that needs a translation: field (under
// translations.LANG), label, the source text, a getter and a setter on
// one language's translation, and whether it is several lines (options).
function texts(draft, fw) {
  const custom = new Map(fw.items.filter((it) => it.custom).map((it) => [it.key, it.text]));
  const out = [{ field: 'title', label: t('builder.translate.title'), source: draft.title,
    get: (tr) => tr.title || '', set: (tr, v) => { tr.title = v; } }];
  if (draft.intro.trim()) {
    out.push({ field: 'intro', label: t('builder.translate.intro'), source: draft.intro, long: true,
      get: (tr) => tr.intro || '', set: (tr, v) => { tr.intro = v; } });
  }
  if (draft.thank_you.trim()) {
    out.push({ field: 'thank_you', label: t('builder.translate.thank_you'), source: draft.thank_you, long: true,
      get: (tr) => tr.thank_you || '', set: (tr, v) => { tr.thank_you = v; } });
  }
  for (const k of draft.items.filter((key) => custom.has(key))) {
    out.push({ field: `items.${k}`, label: t('builder.translate.item', { text: custom.get(k) }), source: custom.get(k),
      get: (tr) => (tr.items || {})[k] || '', set: (tr, v) => { tr.items = { ...tr.items, [k]: v }; } });
  }
  for (const d of draft.demographics.filter((x) => x.key && x.label.trim())) {
    const opts = d.options.map((o) => o.trim()).filter(Boolean);
    const dem = (tr) => (tr.demographics || {})[d.key] || { label: '', options: [] };
    const put = (tr, x) => { tr.demographics = { ...tr.demographics, [d.key]: x }; };
    out.push({ field: `demographics.${d.key}.label`, label: t('builder.translate.demographic', { label: d.label }), source: d.label,
      get: (tr) => dem(tr).label, set: (tr, v) => put(tr, { ...dem(tr), label: v }) });
    out.push({ field: `demographics.${d.key}.options`, label: t('builder.translate.options', { label: d.label, options: opts.join(', ') }),
      source: opts.join('\n'), long: true, count: opts.length,
      get: (tr) => dem(tr).options.join('\n'), set: (tr, v) => put(tr, { ...dem(tr), options: lines(v) }) });
  }
  for (const c of draft.comments.filter((x) => x.prompt.trim())) {
    out.push({ field: `comments.${c.key}`, label: t('builder.translate.comment', { prompt: c.prompt }), source: c.prompt,
      get: (tr) => (tr.comments || {})[c.key] || '', set: (tr, v) => { tr.comments = { ...tr.comments, [c.key]: v }; } });
  }
  return out;
}

// missing reports whether a text lacks its translation; options need one
// line per option.
const missing = (x, tr) => {
  const v = x.get(tr);
  if (x.count) return lines(v).filter(Boolean).length < x.count;
  return !v.trim();
};

// gaps counts the missing texts per other language.
export function gaps(draft, fw) {
  const all = texts(draft, fw);
  return draft.languages.slice(1).map((lang) => ({ lang, missing: all.filter((x) => missing(x, draft.translations[lang] || {})).length }));
}

// translationsBody is the translations the API takes: the other languages
// only, and only the texts the draft still has.
export function translationsBody(draft, fw) {
  const out = {};
  const all = texts(draft, fw);
  for (const lang of draft.languages.slice(1)) {
    const from = draft.translations[lang] || {};
    const tr = {};
    for (const x of all) {
      const v = x.get(from);
      if (v.trim()) x.set(tr, v);
    }
    out[lang] = tr;
  }
  return out;
}

// languagesSection returns the section; changed() is called after every
// edit, and the returned redraw() refreshes it when the lead's own texts
// change elsewhere on the page.
export function languagesSection(draft, fw, changed) {
  const box = h('div', { id: 'translations' });
  const status = h('ul', { id: 'translation-gaps', class: 'why', 'aria-live': 'polite' });
  const first = h('select', { id: 'f-languages-0' },
    Object.entries(names).map(([code, name]) => h('option', { value: code, lang: code, selected: draft.languages[0] === code }, name)));
  const others = h('fieldset', { id: 'f-languages', tabindex: '-1' }, h('legend', {}, t('builder.languages.others')));
  const drawStatus = () => {
    clear(status).append(...gaps(draft, fw).map((g) => h('li', { class: g.missing ? 'gap' : 'complete' },
      g.missing ? t('builder.languages.missing', { language: names[g.lang], count: g.missing }) : t('builder.languages.complete', { language: names[g.lang] }))));
  };
  const drawOthers = () => {
    clear(others).append(h('legend', {}, t('builder.languages.others')),
      ...Object.entries(names).filter(([code]) => code !== draft.languages[0]).map(([code, name]) => {
        const id = `lang-${code}`;
        const cb = h('input', { type: 'checkbox', id, value: code, checked: draft.languages.includes(code) });
        cb.addEventListener('change', () => {
          draft.languages = cb.checked ? [...draft.languages, code] : draft.languages.filter((l) => l !== code);
          draw();
          changed();
        });
        return h('label', { class: 'check', for: id }, cb, h('span', { lang: code }, name));
      }));
  };
  const drawTexts = () => {
    const all = texts(draft, fw);
    clear(box).append(...draft.languages.slice(1).map((lang) => {
      const tr = draft.translations[lang] || (draft.translations[lang] = {});
      return h('div', { class: 'translation', id: `translation-${lang}` },
        h('h3', {}, t('builder.languages.texts', { language: names[lang] })),
        all.map((x) => {
          const field = `translations.${lang}.${x.field}`;
          const id = idFor(field);
          const el = h(x.long ? 'textarea' : 'input', { id, name: id, lang, 'aria-describedby': `${id}-source` });
          el.value = x.get(tr);
          const flag = h('span', { class: 'gap-flag', hidden: !missing(x, tr) }, ` (${t('builder.languages.gap')})`);
          el.addEventListener('input', () => {
            x.set(tr, el.value);
            flag.hidden = !missing(x, tr);
            drawStatus();
            changed();
          });
          return h('div', { class: 'field' }, h('label', { for: id }, x.label, flag),
            h('p', { class: 'why source-text', id: `${id}-source`, lang: draft.languages[0] }, x.source), el);
        }));
    }));
  };
  const draw = () => { drawOthers(); drawTexts(); drawStatus(); };
  first.addEventListener('change', () => {
    draft.languages = [first.value, ...draft.languages.slice(1).filter((l) => l !== first.value)];
    draw();
    changed();
  });
  draw();
  const section = h('section', { 'aria-labelledby': 'b-languages', id: 'languages' },
    h('h2', { id: 'b-languages' }, t('builder.languages.heading')),
    h('p', { class: 'why' }, t('builder.languages.why')),
    h('div', { class: 'field' }, h('label', { for: 'f-languages-0' }, t('builder.languages.first')), first),
    others, status, h('p', { class: 'why' }, t('builder.languages.launch_gaps')), box);
  return { section, redraw: () => { drawTexts(); drawStatus(); } };
}
