// fields.js: names the field an API error is about in the words of the page.
// The API names fields by their JSON path ("demographics[1].options"); a
// person knows them by the label next to the control.
import { ApiError } from './api.js';
import { h } from './dom.js';

const text = (node) => (node ? node.textContent.replace(/\s+/g, ' ').trim() : '');

// labelOf returns the visible name of a form control or a labelled region:
// its <label> (without the small print of a checkbox label), its fieldset's
// legend, the element its aria-labelledby points at, or its aria-label.
export function labelOf(el) {
  if (!el) return '';
  if (el.labels && el.labels.length) {
    const label = el.labels[0].cloneNode(true);
    for (const small of label.querySelectorAll('.item-meta')) small.remove();
    return text(label);
  }
  if (el.tagName === 'FIELDSET') return text(el.querySelector('legend'));
  const by = el.getAttribute('aria-labelledby');
  if (by) return by.split(' ').map((id) => text(document.getElementById(id))).join(' ');
  return el.getAttribute('aria-label') || '';
}

// humanise turns a JSON path into words, for a field no control shows:
// "new_construct.key" reads "New construct key", "items[2]" "Items 3".
export function humanise(field) {
  const words = field.replace(/\[(\d+)\]/g, (_, i) => ` ${Number(i) + 1}`).replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'This form';
}

// sentence makes an API message ("must be at least 3") read as a sentence.
export const sentence = (message) => {
  const m = String(message || '').trim();
  return m ? `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}` : '';
};

// fieldMessage is one line of an error summary: "Title: is required".
export const fieldMessage = (label, message) => `${label}: ${message}`;

// field builds a labelled input with a place for its error message.
export function field(id, label, input, hint) {
  const err = h('p', { class: 'error field-error', id: `${id}-error` });
  input.id = id;
  input.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
  return h('div', { class: 'field', dataset: { field: input.name } },
    h('label', { for: id }, label), hint ? h('p', { class: 'muted', id: `${id}-hint` }, hint) : null, input, err);
}

// clearErrors removes the messages showErrors put next to form's fields.
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
}

// repeatDiffers checks a "repeat the password" field before anything is
// sent: when it differs from the password, it says so next to it, focuses
// it and returns true.
export function repeatDiffers(password, repeat) {
  if (password.value === repeat.value) return false;
  document.getElementById(`${repeat.id}-error`).textContent = 'does not match the new password';
  repeat.setAttribute('aria-invalid', 'true');
  repeat.focus();
  return true;
}

// showErrors puts an ApiError's field messages next to the fields of form,
// and returns a message for the rest.
export function showErrors(form, e) {
  clearErrors(form);
  if (!(e instanceof ApiError)) return `Something went wrong: ${e.message}`;
  let rest = e.fields.length ? '' : e.message;
  for (const f of e.fields) {
    const box = form.querySelector(`[data-field="${f.field}"]`);
    if (box) {
      box.querySelector('.field-error').textContent = f.message;
      box.querySelector('input, select').setAttribute('aria-invalid', 'true');
    } else rest += `${fieldMessage(humanise(f.field), f.message)}. `;
  }
  return rest;
}
