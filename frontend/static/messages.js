// messages.js: the staff app's words by message id, so the app can be
// translated with catalogs. English is complete; another language adds a
// catalog with the same ids and the same {placeholders}, and plural
// messages give one text per plural category of Intl.PluralRules
// (frontend/messages_test.go checks that every id used exists in English).
const en = {
  'builder.start.heading': 'Start from',
  'builder.start.why': 'Begin with a template and adjust it, or start with a blank survey.',
  'builder.start.blank': 'A blank survey',
  'builder.start.blank_why': 'Choose every question yourself.',
  'builder.start.use': 'Start from this choice',
  'builder.start.done': 'The form now holds “{name}”. Adjust it, then save the draft.',
  'builder.template.plan': {
    one: 'About {count} minute a wave, {questions} questions.',
    other: 'About {count} minutes a wave, {questions} questions.',
  },
  'builder.estimate.wave': {
    one: 'Each wave takes about {count} minute',
    other: 'Each wave takes about {count} minutes',
  },
  'builder.estimate.questions': { one: '{count} question', other: '{count} questions' },
  'builder.estimate.comments': { one: '{count} comment box', other: '{count} comment boxes' },
  'builder.estimate.parts': '{wave}: {questions} and {comments}.',
  'builder.estimate.cover': {
    one: 'Every question is asked in every wave.',
    other: 'Every question is asked at least once every {count} waves.',
  },
  'builder.estimate.saved': 'As saved: ',
  'builder.pulse.label': 'Questions per wave, at most',
  'builder.pulse.why': 'Short pulses get answered. Every competency and the outcomes are asked in every wave; the other questions take turns, each at least every 6 waves. 0 asks every question in every wave.',
  'builder.thank_you.label': 'Thank-you note (optional)',
  'builder.thank_you.why': 'Shown after someone answers: say when and where the results will be shared.',
  'builder.languages.heading': 'Languages',
  'builder.languages.why': 'People choose their language on the survey page; results pool every language. The framework’s questions come translated; you translate what you wrote.',
  'builder.languages.first': 'Language the survey is written in',
  'builder.languages.others': 'Also offer the survey in',
  'builder.languages.texts': 'Texts in {language}',
  'builder.languages.complete': '{language}: every text is translated.',
  'builder.languages.missing': {
    one: '{language}: {count} text missing.',
    other: '{language}: {count} texts missing.',
  },
  'builder.languages.gap': 'missing',
  'builder.languages.launch_gaps': 'Translate the missing texts before launching; the survey is never shown half-translated.',
  'builder.translate.title': 'Title',
  'builder.translate.intro': 'Introduction',
  'builder.translate.thank_you': 'Thank-you note',
  'builder.translate.item': 'Question “{text}”',
  'builder.translate.demographic': 'Demographic question “{label}”',
  'builder.translate.options': 'Options of “{label}”, one per line, in this order: {options}',
  'builder.translate.comment': 'Comment prompt “{prompt}”',
};

const catalogs = { en };
const fallback = 'en';

// language is the staff app's language: the page's lang when a catalog
// exists for it, else English.
const language = () => {
  const lang = (document.documentElement.lang || fallback).toLowerCase().split('-')[0];
  return catalogs[lang] ? lang : fallback;
};

// t returns message id in the app's language with {name} replaced by
// vars.name; a plural message picks its form by vars.count.
export function t(id, vars = {}) {
  const lang = language();
  let msg = catalogs[lang][id] ?? catalogs[fallback][id] ?? id;
  if (typeof msg === 'object') msg = msg[new Intl.PluralRules(lang).select(Number(vars.count) || 0)] ?? msg.other;
  return msg.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// catalog returns the messages of a language, for tests and tools.
export const catalog = (lang) => catalogs[lang];
