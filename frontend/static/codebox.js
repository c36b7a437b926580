// codebox.js: the box where a person types an invite code (the public start
// page / and /s/ without a code). It reads codes as internal/shortcode does:
// case-insensitive, hyphens and spaces ignored, O as 0 and I or L as 1, and
// the check character catches a mistyped character or a swap before asking
// the server. What was typed stays in the box whatever the error.
import { h } from './dom.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
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

// parseCode returns { code } in canonical form or { error } in words.
export function parseCode(typed) {
  const vals = [];
  for (const ch of typed.toUpperCase()) {
    if ('- \t\u00a0'.includes(ch)) continue;
    const v = ch === 'O' ? 0 : (ch === 'I' || ch === 'L') ? 1 : alphabet.indexOf(ch);
    if (v < 0) return { error: `“${ch}” is not used in codes: a code has only digits and the letters A to Z without U.` };
    vals.push(v);
  }
  if (vals.length === 0) return { error: 'Type the code from your invitation or card.' };
  if (vals.length !== length) {
    return { error: `A code has ${length} characters; this one has ${vals.length}. Check that none is missing or doubled.` };
  }
  if (check(vals.slice(0, length - 1)) !== vals[length - 1]) {
    return { error: 'This code has a typo: check each character against your invitation (0 and O, 1 and I are the same).' };
  }
  return { code: vals.map((v) => alphabet[v]).join('') };
}

export function formatCode(code) {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`;
}

// codeBox returns the form. A valid code is looked up (GET
// /api/v1/respond/{code}) before the page changes, so an unknown or used-up
// code is said here too.
export function codeBox({ heading = 'Answer a survey', level = 'h2' } = {}) {
  const error = h('p', { class: 'error', id: 'code-error', role: 'alert' });
  const input = h('input', {
    id: 'code-input', name: 'code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    inputmode: 'text', maxlength: '24', placeholder: 'XXXX-XXXX-XXXX-X', 'aria-describedby': 'code-hint code-error',
  });
  const form = h('form', { class: 'card code-box', id: 'code-form', novalidate: true, 'aria-labelledby': 'code-title' },
    h(level, { id: 'code-title' }, heading),
    h('label', { for: 'code-input' }, 'Your survey code'),
    h('p', { id: 'code-hint', class: 'muted' }, 'The 13-character code from your invitation e-mail or card, with or without the hyphens.'),
    input, error,
    h('button', { type: 'submit', class: 'primary' }, 'Open the survey'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const fail = (msg) => { error.textContent = msg; input.setAttribute('aria-invalid', 'true'); input.focus(); };
    const got = parseCode(input.value);
    if (got.error) return fail(got.error);
    const pretty = formatCode(got.code);
    try {
      const res = await fetch(`/api/v1/respond/${encodeURIComponent(pretty)}`, { headers: { Accept: 'application/json' } });
      if (res.status === 404) return fail('No survey has this code. Check it against your invitation, or ask the person who gave it to you.');
      if (res.status === 429) return fail('Too many attempts from this network. Wait a minute and try again.');
      if (res.status === 410) return fail('This survey is closed, or not open yet.');
      if (!res.ok && res.status !== 422) return fail('The survey could not be reached. Try again in a moment.');
      if (res.status === 422) return fail('This code has a typo: check each character against your invitation.');
    } catch {
      return fail('The survey could not be reached. Check your connection and try again.');
    }
    location.assign(`/s/${pretty}`);
  });
  return form;
}
