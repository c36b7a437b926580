// respond.js: the employee survey page at /s/{code}. No framework; the page
// loads its form from the API, keeps answers in localStorage until they are
// submitted, and sends them as JSON.
import { h, clear } from './dom.js';
import { fieldId, promise, choices, itemLook, radioGroup, skipped as gatedOut, aboutYouHint } from './respond-form.js';

const main = document.getElementById('main');
// A mangled link (a broken %-escape) is a link that does not work.
const code = (() => {
  try { return decodeURIComponent(location.pathname.replace(/^\/s\/?/, '').split('/')[0] || ''); } catch { return ''; }
})();
const api = `/api/v1/respond/${encodeURIComponent(code)}`;
const storeKey = `allypulse.respond.${code}`;

// The same rules as survey/scrub.go (LooksIdentifying): keep them in step.
const identifying = [
  /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/,
  /\b(?:https?:\/\/|www\.)[^\s<>"]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|io|co|uk|de|fr|nl|eu|info|biz|me|app|dev|ly|gl|us|ca|au|ch|se|no|dk|es|it)\b/i,
  /(^|[^A-Za-z0-9_])@[A-Za-z0-9_]/,
  /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b/,
];
const phone = /\+?\(?\d[\d\s().\-/]{5,}\d/g;
export function looksIdentifying(text) {
  if (identifying.some((re) => re.test(text))) return true;
  return (text.match(phone) || []).some((m) => m.replace(/\D/g, '').length >= 7);
}

let form = null;
let state = { answers: {}, demographics: {}, comments: {} };
let warned = false;

function load() {
  try { return JSON.parse(localStorage.getItem(storeKey)) || null; } catch { return null; }
}
function save() {
  try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch { /* private mode: keep going */ }
}
function forget() {
  try { localStorage.removeItem(storeKey); } catch { /* nothing stored */ }
}

const pages = {
  404: ['This link does not work', 'We could not find a survey for this link. Check that you copied the whole link from your invitation.'],
  409: ['You have already answered', 'This invitation has already been used to answer. Each invitation can be used once. Thank you for taking part.'],
  closed: ['This survey is closed', 'The survey has ended, so it no longer takes answers. Thank you for your interest.'],
  'not-open': ['This survey is not open yet', 'The survey has not started. Please come back when it opens.'],
  429: ['Please wait a moment', 'There were many requests from your network. Wait a minute, then reload this page.'],
  error: ['Something went wrong', 'The survey could not be loaded. Please reload the page in a moment.'],
};

function showPage(key) {
  const [title, text] = pages[key] || pages.error;
  document.title = title;
  clear(main).append(h('h1', {}, title), h('p', {}, text));
  main.focus();
}

function pageKey(status, problem) {
  if (status === 410) return (problem.type || '').endsWith('not-open') ? 'not-open' : 'closed';
  return pages[status] ? status : 'error';
}

async function readProblem(res) {
  try { return await res.json(); } catch { return {}; }
}

async function start() {
  if (!code) return showPage(404);
  let res;
  try { res = await fetch(api, { headers: { Accept: 'application/json' } }); } catch { return showPage('error'); }
  if (!res.ok) return showPage(pageKey(res.status, await readProblem(res)));
  form = await res.json();
  const saved = load();
  if (saved) state = { answers: saved.answers || {}, demographics: saved.demographics || {}, comments: saved.comments || {} };
  render();
  if (saved) resume();
}

// resume brings a person who reloads (or comes back) to where they were:
// the first question after the last one they answered, with the focus on
// it, so the answers above stay as they were left.
function resume() {
  const asked = [...main.querySelectorAll('fieldset.q:not([hidden])')];
  const answered = (fs) => fs.querySelector('input:checked');
  let last = -1;
  asked.forEach((fs, i) => { if (answered(fs)) last = i; });
  const next = asked.slice(last + 1).find((fs) => !answered(fs));
  if (last < 0 || !next) return;
  next.scrollIntoView({ block: 'center' });
  next.querySelector('input').focus({ preventScroll: true });
}

const allItems = () => form.sections.flatMap((s) => s.items);
const screens = () => new Set(allItems().filter((it) => it.gated_by).map((it) => it.gated_by));

const skipped = (item) => gatedOut(item, allItems(), (key) => state.answers[key]);

function question(kind, key, legend, opts, bucket, look = {}) {
  return radioGroup(fieldId(kind, key), legend, opts, {
    ...look, checked: bucket[key], dataset: { kind, key },
    onchange: (value) => { bucket[key] = value; changed(kind, key); },
  });
}

function changed(kind, key) {
  if (kind === 'q' && screens().has(key)) {
    for (const it of allItems()) if (skipped(it)) delete state.answers[it.key];
    applySkips();
  }
  clearError(fieldId(kind, key));
  save();
  progress();
}

function applySkips() {
  for (const it of allItems()) {
    const fs = document.getElementById(fieldId('q', it.key));
    if (!fs) continue;
    const skip = skipped(it);
    fs.hidden = skip;
    if (skip) for (const input of fs.querySelectorAll('input')) input.checked = false;
  }
}

function progress() {
  const shown = allItems().filter((it) => !skipped(it));
  const done = shown.filter((it) => state.answers[it.key] !== undefined).length;
  const bar = document.getElementById('progress');
  bar.max = shown.length;
  bar.value = done;
  document.getElementById('progress-text').textContent = `${done} of ${shown.length} questions answered`;
}

function render() {
  document.title = form.title;
  const k = form.min_group_size;
  const closes = new Date(form.closes_at);
  const body = [
    h('h1', {}, form.title),
    form.intro ? h('p', {}, form.intro) : null,
    h('p', { class: 'promise' }, promise(k)),
    Number.isNaN(closes.getTime()) ? null
      : h('p', { class: 'muted' }, `Open until ${closes.toLocaleDateString(undefined, { dateStyle: 'long' })}. Every question is optional; skip any you prefer not to answer.`),
    h('div', { id: 'summary', class: 'summary', tabindex: '-1', hidden: true }),
    h('div', { class: 'progress' },
      h('p', { id: 'progress-text' }),
      h('progress', { id: 'progress', 'aria-labelledby': 'progress-text', max: '1', value: '0' })),
  ];
  for (const s of form.sections) {
    const sectionId = fieldId('s', s.key);
    body.push(h('section', { 'aria-labelledby': sectionId },
      h('h2', { id: sectionId }, s.title),
      s.items.map((it) => question('q', it.key, it.text, choices(it), state.answers, itemLook(it)))));
  }
  if (form.demographics.length) {
    body.push(h('section', { 'aria-labelledby': 'about' },
      h('h2', { id: 'about' }, 'About you'),
      h('p', { class: 'hint' }, aboutYouHint(form)),
      form.demographics.map((d) => question('d', d.key, d.label, d.options.map((o) => ({ value: o, label: o })), state.demographics))));
  }
  if (form.comments.length) {
    body.push(h('section', { 'aria-labelledby': 'comments' },
      h('h2', { id: 'comments' }, 'In your own words'),
      form.comments.map((c) => {
        const id = fieldId('c', c.key);
        const ta = h('textarea', { id, name: id, maxlength: '2000', 'aria-describedby': `${id}-hint`, dataset: { kind: 'c', key: c.key } });
        ta.value = state.comments[c.key] || '';
        ta.addEventListener('input', () => { state.comments[c.key] = ta.value; warned = false; clearError(id); save(); });
        return h('div', {},
          h('label', { class: 'comment', for: id }, c.prompt),
          h('p', { class: 'hint', id: `${id}-hint` },
            `Optional, up to 2,000 characters. Comments are shown to the survey owners only for groups of at least ${form.min_comment_group_size} people, separately from your other answers. E-mail addresses, phone numbers, links and @-names are removed before your comment is stored; please leave out names.`),
          ta);
      })));
  }
  body.push(h('div', { id: 'warning', class: 'warning', role: 'alert', hidden: true }),
    h('button', { type: 'submit', class: 'primary', id: 'send' }, 'Submit my answers'));
  const f = h('form', { novalidate: true }, body);
  f.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
  clear(main).append(f);
  applySkips();
  progress();
}

function clearError(id) {
  const el = document.getElementById(id);
  const msg = document.getElementById(`${id}-err`);
  if (msg) msg.remove();
  if (el) {
    el.classList.remove('invalid');
    el.removeAttribute('aria-invalid');
    const desc = (el.getAttribute('aria-describedby') || '').split(' ').filter((d) => d && d !== `${id}-err`);
    if (desc.length) el.setAttribute('aria-describedby', desc.join(' ')); else el.removeAttribute('aria-describedby');
  }
}

// elementFor maps an error field ("answers.belonging.1") to its question.
function elementFor(field) {
  const [kind, ...rest] = field.split('.');
  const key = rest.join('.');
  const prefix = { answers: 'q', demographics: 'd', comments: 'c' }[kind];
  if (!prefix) return null;
  if (!key) return main.querySelector('fieldset.q:not([hidden])');
  return document.getElementById(fieldId(prefix, key));
}

function showErrors(errors, title = 'Please check your answers') {
  const summary = document.getElementById('summary');
  const items = [];
  for (const e of errors) {
    const el = elementFor(e.field);
    if (el && e.field.includes('.')) {
      const id = el.id;
      clearError(id);
      el.classList.add('invalid');
      if (el.tagName === 'TEXTAREA') el.setAttribute('aria-invalid', 'true');
      el.setAttribute('aria-describedby', `${el.getAttribute('aria-describedby') || ''} ${id}-err`.trim());
      const msg = h('p', { class: 'err', id: `${id}-err` }, `This ${el.tagName === 'TEXTAREA' ? 'comment' : 'answer'} ${e.message}.`);
      if (el.tagName === 'TEXTAREA') el.after(msg); else el.append(msg);
    }
    // A message about one question names it; one about the whole form
    // ("answer at least one question") reads as a sentence of its own.
    const label = el && e.field.includes('.') ? (el.querySelector('legend') || document.querySelector(`label[for="${el.id}"]`)) : null;
    const text = label ? `${label.textContent}: ${e.message}` : `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
    items.push(h('li', {}, el ? h('a', { href: `#${el.id}` }, text) : text));
  }
  clear(summary).append(h('h2', {}, title), h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

function payload() {
  const answers = {};
  for (const it of allItems()) {
    const v = state.answers[it.key];
    if (v !== undefined && !skipped(it)) answers[it.key] = v;
  }
  const demographics = {};
  for (const d of form.demographics) if (state.demographics[d.key]) demographics[d.key] = state.demographics[d.key];
  const comments = {};
  for (const c of form.comments) if ((state.comments[c.key] || '').trim()) comments[c.key] = state.comments[c.key];
  return { answers, demographics, comments };
}

function warnIfIdentifying(body) {
  const risky = Object.entries(body.comments).filter(([, t]) => looksIdentifying(t));
  const box = document.getElementById('warning');
  if (!risky.length || warned) { box.hidden = true; return false; }
  warned = true;
  clear(box).append(
    h('p', {}, h('strong', {}, 'Your comment may identify you or someone else. '),
      'It seems to contain a name, an e-mail address, a phone number, a link or an @-name. Contact details are removed automatically, but names are not. You can edit the comment, or submit it as it is.'),
    h('button', { type: 'button', onclick: () => document.getElementById(fieldId('c', risky[0][0])).focus() }, 'Edit my comment'),
    h('button', { type: 'button', class: 'primary', onclick: () => submit() }, 'Submit anyway'));
  box.hidden = false;
  box.querySelector('button').focus();
  return true;
}

async function submit() {
  const body = payload();
  if (!Object.keys(body.answers).length) {
    showErrors([{ field: 'answers', message: 'answer at least one question' }]);
    return;
  }
  if (warnIfIdentifying(body)) return;
  const send = document.getElementById('send');
  send.disabled = true;
  let res;
  try {
    res = await fetch(api, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
  } catch {
    send.disabled = false;
    showErrors([{ field: '', message: 'your answers could not be sent. Check your connection and try again; nothing is lost' }], 'Not sent yet');
    return;
  }
  send.disabled = false;
  if (res.status === 201) {
    forget();
    document.title = 'Thank you';
    clear(main).append(h('h1', {}, 'Thank you'),
      h('p', {}, 'Your answers have been recorded. They will be combined with other people\'s answers; nothing you wrote can be traced back to you.'),
      h('p', {}, 'You can close this page now.'));
    main.focus();
    return;
  }
  const problem = await readProblem(res);
  if (res.status === 422 && problem.errors) return showErrors(problem.errors);
  if (res.status === 429) {
    const wait = res.headers.get('Retry-After') || '60';
    return showErrors([{ field: '', message: `too many attempts from your network; wait ${wait} seconds and submit again` }], 'Not sent yet');
  }
  if ([404, 409, 410].includes(res.status)) { forget(); return showPage(pageKey(res.status, problem)); }
  showErrors([{ field: '', message: 'something went wrong on our side; your answers are kept on this device, please try again' }], 'Not sent yet');
}

start();
