// pages/dialog.js: modal confirmations for the survey pages, on the native
// <dialog> element (focus trapped, Escape cancels).
import { h } from '../dom.js';

// confirmDialog shows a modal and resolves true when the person confirms.
export function confirmDialog({ title, body, confirm, cancel: cancelText = 'Cancel', danger = false }) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: danger ? 'danger' : 'primary', id: 'dialog-confirm' }, confirm);
    const cancel = h('button', { type: 'button', id: 'dialog-cancel' }, cancelText);
    const dlg = h('dialog', { 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title), body, h('div', { class: 'actions' }, cancel, ok));
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

const cadenceText = {
  once: 'once', weekly: 'every week', biweekly: 'every two weeks', monthly: 'every month', quarterly: 'every three months',
};

// confirmLaunch lists what launching freezes; sv is a survey as the API
// returns it.
export function confirmLaunch(sv) {
  const a = sv.anonymity;
  const sc = sv.schedule;
  const opens = sc.opens_at ? new Date(sc.opens_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'immediately';
  return confirmDialog({
    title: `Launch “${sv.title}”?`,
    confirm: 'Launch now',
    body: [
      h('p', {}, 'Launching opens the survey to respondents. These become frozen and cannot be edited afterwards:'),
      h('ul', { id: 'frozen-list' },
        h('li', {}, `the ${count(sv.items.length, 'question', 'questions')} and their order`),
        h('li', {}, `the ${count(sv.demographics.length, 'demographic question', 'demographic questions')} and their options`),
        h('li', {}, `the ${count(sv.comments.length, 'comment prompt', 'comment prompts')}${sv.rotation ? ' and the question rotation' : ''}`),
        h('li', {}, `the anonymity thresholds: groups of at least ${a.min_group_size} (${a.min_sensitive_group_size} for sensitive questions), distributions from ${a.min_distribution_size} answers, comments from ${a.min_comment_group_size} respondents`),
        h('li', {}, `the schedule: ${cadenceText[sc.cadence] || sc.cadence}, wave 1 opens ${opens}, each wave stays open ${count(sc.wave_days, 'day', 'days')}`)),
      h('p', {}, 'You can still close the survey at any time; closing ends the open wave at once.'),
    ],
  });
}

// count is n followed by the singular or plural noun.
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
