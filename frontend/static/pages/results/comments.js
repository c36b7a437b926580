// pages/results/comments.js: free-text comments of a population of at least
// k_c respondents, detached from scores and from each other, without dates,
// contact details already removed. Leads and admins only: executives get a
// friendly note instead (the API answers them 403).
import { ApiError } from '../../api.js';
import { h, clear } from '../../dom.js';
import { how, metaLine, panel } from './cells.js';

export async function render(root, st) {
  const dims = st.dims.filter((d) => !d.sensitive);
  const slot = h('div');
  let filter = '';
  if (dims.length) {
    const select = h('select', { id: 'comment-filter' }, h('option', { value: '' }, 'Everyone'),
      dims.map((d) => h('optgroup', { label: d.label }, d.options.map((o) => h('option', { value: `${d.key}:${o}` }, o)))));
    select.addEventListener('change', () => { filter = select.value; load(); });
    root.append(h('div', { class: 'results-head' }, h('div', { class: 'field' }, h('label', { for: 'comment-filter' }, 'Whose comments'), select)));
  }
  root.append(slot);
  async function load() {
    clear(slot);
    let c;
    try {
      c = await st.api('comments', { wave: st.wave, filter });
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        slot.append(h('p', { class: 'note', id: 'comments-forbidden' },
          'Comments are shared with DEI leads and administrators only, so that free text, which can be more revealing than numbers, reaches as few people as possible. Ask your DEI lead for the themes.'));
        return;
      }
      if (e instanceof ApiError && e.status === 400) {
        slot.append(h('p', { class: 'note' }, `These comments cannot be shown: ${e.message}`));
        return;
      }
      throw e;
    }
    slot.append(...metaLine(c));
    if (c.suppressed) {
      slot.append(h('p', { class: 'note', id: 'comments-withheld' }, withheldNote(c)));
      return;
    }
    for (const p of c.prompts || []) {
      const items = (c.items || []).filter((i) => i.prompt === p.key);
      slot.append(panel(p.prompt,
        how(`${items.length} comment${items.length === 1 ? '' : 's'}, in a shuffled order and without dates. E-mail addresses, phone numbers, links and @-handles were replaced before storage.`),
        items.length ? h('ul', { class: 'comments' }, items.map((i) => h('li', {}, i.text))) : h('p', { class: 'muted' }, 'No comments.')));
    }
  }
  await load();
}

// withheldNote says in one sentence why a set of comments is not shown: the
// reason from the release step, plus the minimum group size when size is
// what stands in the way.
function withheldNote(c) {
  const reason = c.reason ? c.reason.charAt(0).toUpperCase() + c.reason.slice(1) : 'These comments are withheld';
  if (/minimum group size/.test(c.reason || '')) {
    return `${reason}: comments are shown only for groups of at least ${c.thresholds.k_c} respondents.`;
  }
  return `${reason}.`;
}
