// pages/builder-start.js: the builder's "Start from" choice on a new
// survey: a blank survey or one of the templates of GET /api/v1/templates
// (the full inclusion baseline, the monthly pulse, the ally behaviours
// check-in), each with its estimated minutes and questions per wave.
import { h } from '../dom.js';
import { t } from '../messages.js';
import { SCREEN } from './preview.js';

// startFrom returns the section; use(template) receives the chosen
// template, or null for a blank survey.
export function startFrom(templates, use) {
  const choice = (value, name, why, plan) => {
    const id = `start-${value}`;
    const input = h('input', { type: 'radio', name: 'start-from', id, value, checked: value === 'blank' });
    return h('label', { class: 'check', for: id }, input,
      h('span', {}, name, h('span', { class: 'item-meta' }, why), plan ? h('span', { class: 'item-meta template-plan' }, plan) : null));
  };
  const done = h('p', { class: 'why', id: 'start-status', role: 'status' });
  const button = h('button', { type: 'button', id: 'use-template' }, t('builder.start.use'));
  button.addEventListener('click', () => {
    const key = document.querySelector('input[name="start-from"]:checked').value;
    const tpl = templates.find((x) => x.key === key) || null;
    use(tpl);
  });
  return h('section', { 'aria-labelledby': 'b-start', id: 'start-from' },
    h('h2', { id: 'b-start' }, t('builder.start.heading')),
    h('fieldset', { class: 'start-choices' },
      h('legend', { class: 'why' }, t('builder.start.why')),
      choice('blank', t('builder.start.blank'), t('builder.start.blank_why'), ''),
      templates.map((tpl) => choice(tpl.key, tpl.name, tpl.description,
        t('builder.template.plan', { count: tpl.wave_plan.minutes, questions: tpl.wave_plan.questions })))),
    button, done);
}

// draftOf turns a template's draft into the builder's draft.
export function draftOf(tpl, defaults) {
  const d = tpl.draft;
  return {
    ...defaults,
    title: d.title, intro: d.intro, items: d.items.filter((k) => k !== SCREEN),
    demographics: d.demographics.map((x) => ({ ...x, options: x.options.filter((o) => o !== 'Prefer not to say') })),
    comments: d.comments.map((c) => ({ ...c })),
    anonymity: { ...d.anonymity },
    schedule: { cadence: d.schedule.cadence, opens_at: '', wave_days: d.schedule.wave_days },
    practical_gap_points: d.practical_gap_points, rotation: null,
    pulse_items: d.schedule.cadence === 'once' ? 15 : d.pulse_items,
    languages: d.languages.length ? [...d.languages] : ['en'], translations: {}, thank_you: d.thank_you,
  };
}
