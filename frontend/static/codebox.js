// codebox.js: the box where a person types an invite code (the public start
// page / and /s/ without a code). It reads codes as internal/shortcode does:
// case-insensitive, hyphens and spaces ignored, O as 0 and I or L as 1, and
// the check character catches a mistyped character or a swap before asking
// the server. What was typed stays in the box whatever the error.
import { h } from './dom.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// english is the box's words when no catalog was loaded; the employee page
// and the start page pass the respond catalog's translator instead
// (internal/catalog/messages/respond.LANG.json, ids code_*).
const english = {
  code_heading: 'Answer a survey',
  code_instead: 'Type your code instead',
  code_label: 'Your survey code',
  code_hint: 'The 13-character code from your invitation e-mail or card, with or without the hyphens.',
  code_open: 'Open the survey',
  code_bad_char: '“{{.Char}}” is not used in codes: a code has only digits and the letters A to Z without U.',
  code_empty: 'Type the code from your invitation or card.',
  code_length: 'A code has {{.Want}} characters; this one has {{.Count}}. Check that none is missing or doubled.',
  code_typo: 'This code has a typo: check each character against your invitation (0 and O, 1 and I are the same).',
  code_unknown: 'No survey has this code. Check it against your invitation, or ask the person who gave it to you.',
  code_busy: 'Too many attempts from this network. Wait a minute and try again.',
  code_closed: 'This survey is closed, or not open yet.',
  code_unreachable: 'The survey could not be reached. Try again in a moment.',
  code_offline: 'The survey could not be reached. Check your connection and try again.',
};

function englishT(id, vars = {}) {
  return String(english[id] ?? id).replace(/\{\{\.(\w+)\}\}/g, (_, k) => String(vars[k] ?? ''));
}
const length = 13;

// gfMul multiplies in GF(32) modulo x^5+x^2+1 (internal/shortcode/shortcode.go).
function gfMul(a, b) {
  let p = 0;
  while (b > 0) {
    if (b & 1) p ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 32) a ^= 0b100101;
  }
  return p;
}

function check(vals) {
  let sum = 0;
  let w = 1;
  for (let i = vals.length - 1; i >= 0; i--) {
    w = gfMul(w, 2);
    sum ^= gfMul(vals[i], w);
  }
  return sum;
}

// parseCode returns { code } in canonical form or { error } in words (t
// translates them).
export function parseCode(typed, t = englishT) {
  const vals = [];
  for (const ch of typed.toUpperCase()) {
    if ('- \t\u00a0'.includes(ch)) continue;
    const v = ch === 'O' ? 0 : (ch === 'I' || ch === 'L') ? 1 : alphabet.indexOf(ch);
    if (v < 0) return { error: t('code_bad_char', { Char: ch }) };
    vals.push(v);
  }
  if (vals.length === 0) return { error: t('code_empty') };
  if (vals.length !== length) {
    return { error: t('code_length', { Want: length, Count: vals.length }) };
  }
  if (check(vals.slice(0, length - 1)) !== vals[length - 1]) {
    return { error: t('code_typo') };
  }
  return { code: vals.map((v) => alphabet[v]).join('') };
}

export function formatCode(code) {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`;
}

// codeBox returns the form. A valid code is looked up (GET
// /api/v1/respond/{code}) before the page changes, so an unknown or used-up
// code is said here too. heading is a message id (code_heading or
// code_instead); t translates, English by default.
export function codeBox({ heading = 'code_heading', level = 'h2', t = englishT, value = '' } = {}) {
  const error = h('p', { class: 'error', id: 'code-error', role: 'alert' });
  const input = h('input', {
    id: 'code-input', name: 'code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    inputmode: 'text', maxlength: '24', placeholder: 'XXXX-XXXX-XXXX-X', 'aria-describedby': 'code-hint code-error',
  });
  // A broken link's code stays in the box, to be corrected rather than retyped.
  if (value) input.value = value;
  const form = h('form', { class: 'card code-box', id: 'code-form', novalidate: true, 'aria-labelledby': 'code-title' },
    h(level, { id: 'code-title' }, t(heading)),
    h('label', { for: 'code-input' }, t('code_label')),
    h('p', { id: 'code-hint', class: 'muted' }, t('code_hint')),
    input, error,
    h('button', { type: 'submit', class: 'primary' }, t('code_open')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const fail = (msg) => { error.textContent = msg; input.setAttribute('aria-invalid', 'true'); input.focus(); };
    const got = parseCode(input.value, t);
    if (got.error) return fail(got.error);
    const pretty = formatCode(got.code);
    try {
      const res = await fetch(`/api/v1/respond/${encodeURIComponent(pretty)}`, { headers: { Accept: 'application/json' } });
      if (res.status === 404) return fail(t('code_unknown'));
      if (res.status === 429) return fail(t('code_busy'));
      if (res.status === 410) return fail(t('code_closed'));
      if (!res.ok && res.status !== 422) return fail(t('code_unreachable'));
      if (res.status === 422) return fail(t('code_typo'));
    } catch {
      return fail(t('code_offline'));
    }
    location.assign(`/s/${pretty}`);
  });
  return form;
}
