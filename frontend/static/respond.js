// respond.js: the employee survey page at /s/{code}. No framework; the page
// loads its form (in the respondent's language, with the page's own words)
// from the API, shows one section per screen, keeps answers, the screen and
// the chosen language in localStorage until they are submitted, and sends
// the answers as JSON. The language is never sent with the answers.
import { h, clear } from './dom.js';
import { fieldId, choices, itemLook, labelled, radioGroup, skipped as gatedOut, translator } from './respond-form.js';
import { takeBallot, sendWithBallot, ballotStarted } from './ballot.js';
import { codeBox } from './codebox.js';

const main = document.getElementById('main');
// A mangled link (a broken %-escape) is a link that does not work.
const code = (() => {
  try { return decodeURIComponent(location.pathname.replace(/^\/s\/?/, '').split('/')[0] || ''); } catch { return ''; }
})();
const api = `/api/v1/respond/${encodeURIComponent(code)}`;
const storeKey = `allypulse.respond.${code}`;
// A screen groups consecutive sections up to this many questions.
const screenSize = 7;

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
let t = (id) => id;
let screens = [];
let state = { answers: {}, demographics: {}, comments: {}, screen: 0, lang: '' };
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

// ---- Pages without a form (broken link, used invitation, closed survey) ----

const pageIds = { 404: 'not_found', 409: 'used', 422: 'typo', ballot_taken: 'ballot_taken', closed: 'closed', 'not-open': 'not_open', 429: 'busy', error: 'error' };

// loadMessages reads the page's words without a form (an error page, the
// code box), in the language asked for or the browser's.
async function loadMessages() {
  try {
    const res = await fetch(`/api/v1/respond-messages${state.lang ? `?lang=${encodeURIComponent(state.lang)}` : ''}`);
    if (res.ok) { const m = await res.json(); t = translator(m.messages, m.language); document.documentElement.lang = m.language; }
  } catch { /* the English words of the code box */ }
}

async function showPage(key) {
  const id = pageIds[key] || 'error';
  if (!form) await loadMessages();
  let [title, text] = [t(`${id}_title`), t(`${id}_text`)];
  if (title === `${id}_title`) [title, text] = ['Something went wrong', 'Please reload the page in a moment.'];
  document.title = title;
  clear(main).append(h('h1', {}, title), h('p', {}, text));
  // A link that does not work: the code from a card or an e-mail can
  // still be typed.
  if (key === 404 || key === 422) main.append(codeBox({ heading: 'code_instead', level: 'h2', t: boxT(), value: code.length <= 24 ? code : '' }));
  main.focus();
}

function pageKey(status, problem) {
  if (status === 410) return (problem.type || '').endsWith('not-open') ? 'not-open' : 'closed';
  return pageIds[status] ? status : 'error';
}

async function readProblem(res) {
  try { return await res.json(); } catch { return {}; }
}

// ---- Loading ----

async function fetchForm(lang) {
  const res = await fetch(`${api}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) return { error: pageKey(res.status, await readProblem(res)) };
  return { form: await res.json() };
}

function useForm(f) {
  form = f;
  t = translator(form.messages, form.language);
  document.documentElement.lang = form.language;
  screens = buildScreens(form);
}

// showCodeBox is /s/ without a code: a box to type one (codebox.js), in
// the browser's language (or ?lang=).
async function showCodeBox() {
  state.lang = new URLSearchParams(location.search).get('lang') || '';
  await loadMessages();
  document.title = boxT()('code_heading');
  clear(main).append(codeBox({ heading: 'code_heading', level: 'h1', t: boxT() }));
}

// boxT is the catalog's translator once loaded, else the box's English.
function boxT() {
  return t && t('code_label') !== 'code_label' ? t : undefined;
}

async function start() {
  if (location.pathname === '/s/' || location.pathname === '/s') return showCodeBox();
  if (!code) return showPage(404);
  const saved = load();
  if (saved) state = { ...state, ...saved };
  // A link may name the language (?lang=fr, as a lead sends it to one
  // country); a language chosen on the page since wins.
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked && !(saved && saved.lang)) state.lang = asked.slice(0, 35);
  let got;
  try { got = await fetchForm(state.lang); } catch { return showPage('error'); }
  if (got.error) return showPage(got.error);
  useForm(got.form);
  // An invitation takes its ballot when the employee starts answering (the
  // first answer or the first Next), well before the answers are sent, and
  // not when the page merely opens: a mail scanner or a glance on a phone
  // must not use it up. A reload finishes a ballot it had started.
  if (form.ballot && ballotStarted(code) && !(await ensureBallot())) return;
  render(saved ? 'heading' : null);
  if (form.ballot) main.addEventListener('change', () => { ensureBallot(); }, { once: true });
}

// ensureBallot makes sure an invitation holds its ballot, and shows why
// not when the server refuses (409: it went to another browser or device).
let ballotTaking = null;
async function ensureBallot() {
  if (!form.ballot) return true;
  if (!ballotTaking) {
    ballotTaking = takeBallot(code, form.ballot).then((refused) => refused, () => ({ status: 'error', problem: {} }));
  }
  const refused = await ballotTaking;
  if (!refused) return true;
  ballotTaking = null;
  showPage(refused.status === 409 ? 'ballot_taken' : pageKey(refused.status, refused.problem));
  return false;
}

// ---- Screens ----

// buildScreens groups the form's sections into screens of up to screenSize
// questions; a section gated by a screening question stands alone (so it
// can be skipped whole), then "About you", then the comments.
function buildScreens(f) {
  const out = [];
  let cur = null;
  for (const s of f.sections) {
    const gated = s.items.some((it) => it.gated_by);
    if (!cur || gated || cur.gated || cur.count + s.items.length > screenSize) {
      cur = { kind: 'q', sections: [], count: 0, gated };
      out.push(cur);
    }
    cur.sections.push(s);
    cur.count += s.items.length;
  }
  if (f.demographics.length) out.push({ kind: 'd' });
  if (f.comments.length) out.push({ kind: 'c' });
  return out;
}

const allItems = () => form.sections.flatMap((s) => s.items);
const skipped = (item) => gatedOut(item, allItems(), (key) => state.answers[key]);
const askedIn = (section) => section.items.filter((it) => !skipped(it));
// A screen whose questions were all skipped by a screening answer is not shown.
const visible = (sc) => sc.kind !== 'q' || sc.sections.some((s) => askedIn(s).length);
const shownScreens = () => screens.filter(visible);

function heading(sc) {
  if (sc.kind === 'd') return t('about_you');
  if (sc.kind === 'c') return t('comments');
  const titles = sc.sections.filter((s) => askedIn(s).length).map((s) => s.title);
  // Several short sections share a screen under their own headings; the
  // screen's heading stays short.
  return titles.length > 2 ? t('screen_experience') : titles.join(' · ');
}

// questions counts the closed questions asked (items not skipped, and the
// "About you" questions) and those answered, from screen index from on.
function questions(from = 0) {
  let total = 0;
  let done = 0;
  let comments = 0;
  for (const sc of shownScreens().slice(from)) {
    const keys = sc.kind === 'q' ? sc.sections.flatMap(askedIn).map((it) => [state.answers, it.key])
      : sc.kind === 'd' ? form.demographics.map((d) => [state.demographics, d.key]) : [];
    total += keys.length;
    done += keys.filter(([bucket, key]) => bucket[key] !== undefined).length;
    if (sc.kind === 'c') comments += form.comments.filter((c) => !(state.comments[c.key] || '').trim()).length;
  }
  return { total, done, comments };
}

function progressText() {
  const shown = shownScreens();
  const i = shown.indexOf(screens[state.screen]);
  const left = questions(i);
  const secs = (left.total - left.done) * form.seconds_per_question + left.comments * form.seconds_per_comment;
  const minutes = Math.ceil(secs / 60);
  return `${t('section_of', { Index: i + 1, Count: shown.length })} · ${minutes > 0 ? t('minutes_left', { Count: minutes }) : t('ready')}`;
}

function progress() {
  const all = questions();
  const bar = document.getElementById('progress');
  bar.max = Math.max(all.total, 1);
  bar.value = all.done;
  document.getElementById('progress-count').textContent = t('answered', { Done: all.done, Count: all.total });
  document.getElementById('progress-text').textContent = progressText();
}

// ---- Drawing ----

function question(kind, key, legend, opts, bucket, look = {}) {
  return radioGroup(fieldId(kind, key), legend, opts, {
    ...look, checked: bucket[key], dataset: { kind, key },
    onchange: (value) => { bucket[key] = value; changed(kind, key); },
  });
}

function changed(kind, key) {
  if (kind === 'q' && allItems().some((it) => it.gated_by === key)) {
    for (const it of allItems()) if (skipped(it)) delete state.answers[it.key];
    applySkips();
  }
  clearError(fieldId(kind, key));
  save();
  progress();
}

// applySkips hides the questions a screening answer skipped, and a
// section heading with nothing left under it.
function applySkips() {
  for (const section of main.querySelectorAll('section.part')) {
    let any = false;
    for (const fs of section.querySelectorAll('fieldset.q')) {
      const item = allItems().find((it) => it.key === fs.dataset.key);
      fs.hidden = skipped(item);
      if (fs.hidden) for (const input of fs.querySelectorAll('input')) input.checked = false;
      any ||= !fs.hidden;
    }
    section.hidden = !any;
  }
  const title = document.getElementById('screen-title');
  if (title) title.textContent = heading(screens[state.screen]);
}

function screenBody(sc) {
  const ends = (low, high) => t('scale_ends', { Low: low, High: high });
  if (sc.kind === 'q') {
    const several = sc.sections.length > 1;
    return sc.sections.map((s) => h('section', { class: 'part', 'aria-labelledby': several ? fieldId('s', s.key) : null },
      several ? h('h3', { id: fieldId('s', s.key) }, s.title) : null,
      s.items.map((it) => question('q', it.key, it.text, choices(it), state.answers, itemLook(it, ends)))));
  }
  if (sc.kind === 'd') {
    const k = form.min_group_size;
    const ks = form.min_sensitive_group_size;
    const sensitive = form.demographics.filter((d) => d.sensitive).map((d) => d.label);
    return [
      h('p', { class: 'hint' }, t('about_hint', { Count: k }),
        sensitive.length && ks > k ? ` ${t('about_sensitive', { Names: sensitive.join(', '), Count: ks })}` : ''),
      form.demographics.map((d) => question('d', d.key, d.label, labelled(d.options, d.option_labels), state.demographics)),
    ];
  }
  return form.comments.map((c) => {
    const id = fieldId('c', c.key);
    const ta = h('textarea', { id, name: id, maxlength: '2000', 'aria-describedby': `${id}-hint`, dataset: { kind: 'c', key: c.key } });
    ta.value = state.comments[c.key] || '';
    ta.addEventListener('input', () => { state.comments[c.key] = ta.value; warned = false; clearError(id); save(); progress(); });
    return h('div', {},
      h('label', { class: 'comment', for: id }, c.prompt),
      h('p', { class: 'hint', id: `${id}-hint` }, t('comment_hint', { Count: form.min_comment_group_size })),
      ta);
  });
}

function languageSwitch() {
  if (!form.languages || form.languages.length < 2) return null;
  const sel = h('select', { id: 'lang', name: 'lang' },
    form.languages.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === form.language }, l.name)));
  sel.addEventListener('change', () => switchLanguage(sel.value));
  return h('div', { class: 'lang' }, h('label', { for: 'lang' }, t('language')), sel);
}

// render draws the current screen; focus is 'heading' to move the focus
// to the screen's heading (after next, back or a reload), or an element id.
function render(focus) {
  const shown = shownScreens();
  if (!shown.includes(screens[state.screen])) state.screen = screens.indexOf(shown.find((sc) => screens.indexOf(sc) > state.screen) || shown[shown.length - 1]);
  const sc = screens[state.screen];
  const i = shown.indexOf(sc);
  const last = i === shown.length - 1;
  const closes = new Date(form.closes_at);
  document.title = `${heading(sc)} – ${form.title}`;
  const f = h('form', { novalidate: true },
    h('div', { class: 'top' }, h('h1', {}, form.title), languageSwitch()),
    form.notice ? h('p', { class: 'notice', role: 'status' }, t(form.notice, { Language: (form.languages.find((l) => l.code === form.language) || {}).name })) : null,
    i === 0 ? [
      form.intro ? h('p', {}, form.intro) : null,
      h('p', { class: 'promise' }, t('promise', { Count: form.min_group_size })),
      Number.isNaN(closes.getTime()) ? null
        : h('p', { class: 'muted' }, t('open_until', { Date: closes.toLocaleDateString(form.language, { dateStyle: 'long' }) })),
      resultsLink() ? h('p', {}, h('a', { href: resultsLink(), class: 'results', id: 'heard-last' }, t('heard_last'))) : null,
    ] : null,
    h('div', { class: 'progress' },
      h('p', { id: 'progress-text' }),
      h('progress', { id: 'progress', 'aria-labelledby': 'progress-count', max: '1', value: '0' }),
      h('p', { id: 'progress-count', class: 'muted' })),
    h('div', { id: 'summary', class: 'summary', tabindex: '-1', hidden: true }),
    h('section', { class: 'screen', 'aria-labelledby': 'screen-title', dataset: { kind: sc.kind } },
      h('h2', { id: 'screen-title', tabindex: '-1' }, heading(sc)),
      screenBody(sc)),
    h('div', { id: 'warning', class: 'warning', role: 'alert', hidden: true }),
    h('div', { class: 'nav' },
      i > 0 ? h('button', { type: 'button', id: 'back', onclick: () => go(-1) }, t('back')) : null,
      h('button', { type: 'submit', class: 'primary', id: last ? 'send' : 'next' }, last ? t('submit') : t('next'))));
  f.addEventListener('submit', (ev) => { ev.preventDefault(); if (last) submit(); else go(1); });
  clear(main).append(f);
  applySkips();
  progress();
  if (focus === 'heading') {
    window.scrollTo(0, 0);
    document.getElementById('screen-title').focus();
  } else if (focus) {
    document.getElementById(focus)?.focus();
  }
}

async function go(step) {
  if (step > 0 && !(await ensureBallot())) return;
  const shown = shownScreens();
  const i = shown.indexOf(screens[state.screen]) + step;
  if (i < 0 || i >= shown.length) return;
  state.screen = screens.indexOf(shown[i]);
  warned = false;
  save();
  render('heading');
}

// switchLanguage reloads the form in another of the survey's languages;
// answers are kept by key and value, so nothing is lost.
async function switchLanguage(lang) {
  let got;
  try { got = await fetchForm(lang); } catch { return; }
  if (got.error) return showPage(got.error);
  state.lang = got.form.language;
  save();
  useForm(got.form);
  render('lang');
}

// ---- Errors ----

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

// screenOf returns the index of the screen that asks an error's field
// ("answers.belonging.1", "demographics.gender", "comments.general").
function screenOf(field) {
  const [kind, ...rest] = field.split('.');
  const key = rest.join('.');
  return screens.findIndex((sc) => (kind === 'answers' && sc.kind === 'q' && sc.sections.some((s) => s.items.some((it) => it.key === key)))
    || (kind === 'demographics' && sc.kind === 'd') || (kind === 'comments' && sc.kind === 'c'));
}

function elementFor(field) {
  const [kind, ...rest] = field.split('.');
  const prefix = { answers: 'q', demographics: 'd', comments: 'c' }[kind];
  return prefix && rest.length ? document.getElementById(fieldId(prefix, rest.join('.'))) : null;
}

// showErrors shows the screen of the first error with every error summarised
// at its top; an error on another screen links there.
function showErrors(errors, title = t('check_answers')) {
  const first = errors.map((e) => screenOf(e.field)).find((i) => i >= 0);
  if (first !== undefined && first !== state.screen) { state.screen = first; save(); render(); }
  const items = [];
  for (const e of errors) {
    const el = elementFor(e.field);
    const label = el ? (el.querySelector('legend') || document.querySelector(`label[for="${el.id}"]`)) : null;
    if (el) {
      clearError(el.id);
      el.classList.add('invalid');
      if (el.tagName === 'TEXTAREA') el.setAttribute('aria-invalid', 'true');
      el.setAttribute('aria-describedby', `${el.getAttribute('aria-describedby') || ''} ${el.id}-err`.trim());
      const msg = h('p', { class: 'err', id: `${el.id}-err` }, e.message);
      if (el.tagName === 'TEXTAREA') el.after(msg); else el.append(msg);
    }
    const text = label ? t('field_error', { Question: label.textContent, Message: e.message }) : e.message;
    const there = screenOf(e.field);
    if (el) items.push(h('li', {}, h('a', { href: `#${el.id}` }, text)));
    else if (there >= 0) items.push(h('li', {}, h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); state.screen = there; save(); render('heading'); } }, text)));
    else items.push(h('li', {}, text));
  }
  const summary = document.getElementById('summary');
  clear(summary).append(h('h2', {}, title), h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

// ---- Sending ----

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
  const risky = Object.entries(body.comments).filter(([, text]) => looksIdentifying(text));
  const box = document.getElementById('warning');
  if (!risky.length || warned) { box.hidden = true; return false; }
  warned = true;
  clear(box).append(
    h('p', {}, h('strong', {}, `${t('warning_title')} `), t('warning_text')),
    h('button', { type: 'button', onclick: () => document.getElementById(fieldId('c', risky[0][0])).focus() }, t('edit_comment')),
    h('button', { type: 'button', class: 'primary', onclick: () => submit() }, t('submit_anyway')));
  box.hidden = false;
  box.querySelector('button').focus();
  return true;
}

// send posts the answers. It is the one place a submission leaves the page,
// so an extension of the sending (such as a ballot step) wraps only this.
function send(body) {
  if (form.ballot) return sendWithBallot(code, body);
  return fetch(api, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
}

async function submit() {
  const body = payload();
  if (!Object.keys(body.answers).length) {
    showErrors([{ field: 'answers', message: t('answer_one') }]);
    return;
  }
  if (warnIfIdentifying(body)) return;
  if (!(await ensureBallot())) return;
  const button = document.getElementById('send');
  button.disabled = true;
  let res;
  try {
    res = await send(body);
  } catch {
    button.disabled = false;
    showErrors([{ field: '', message: t('offline') }], t('not_sent'));
    return;
  }
  button.disabled = false;
  if (res.status === 201) return thankYou();
  const problem = await readProblem(res);
  if (res.status === 422 && problem.errors) return showErrors(problem.errors);
  if (res.status === 429) {
    const wait = Number(res.headers.get('Retry-After')) || 60;
    return showErrors([{ field: '', message: t('rate_limited', { Count: wait }) }], t('not_sent'));
  }
  if ([404, 409, 410].includes(res.status)) { forget(); return showPage(pageKey(res.status, problem)); }
  showErrors([{ field: '', message: t('server_error') }], t('not_sent'));
}

// resultsLink is the survey's published "What we heard" page, when there is
// one at a safe address: a path here, this server, or https.
function resultsLink() {
  const u = form.results_url || '';
  let safe = '';
  if (/^\/[^/\\]/.test(u) || /^https:\/\//.test(u)) safe = u;
  else {
    try { safe = new URL(u).origin === location.origin ? u : ''; } catch { safe = ''; }
  }
  // The page opens in the language this survey is being answered in.
  return safe && form.language ? `${safe}${safe.includes('?') ? '&' : '?'}lang=${encodeURIComponent(form.language)}` : safe;
}

// thankYou closes the loop: the lead's note on when and where results will
// be shared, and the published "What we heard" page once there is one.
function thankYou() {
  forget();
  document.title = t('thanks_title');
  const link = resultsLink();
  clear(main).append(...[h('h1', {}, t('thanks_title')),
    h('p', {}, t('thanks_text')),
    form.thank_you ? [h('h2', {}, t('thanks_shared')), form.thank_you.split(/\n{2,}/).map((para) => h('p', { class: 'note' }, para))] : null,
    link ? h('p', {}, h('a', { href: link, class: 'results' }, t('thanks_results'))) : null,
    h('p', {}, t('thanks_close'))].flat(2).filter(Boolean));
  main.focus();
}

start();
