// pages/survey.js: one survey: status, design summary, waves with released
// counts, the open link, lifecycle buttons (edit, launch, close, archive,
// delete) and the distribution section (pages/distribution.js).
import { h, clear, wide } from '../dom.js';
import { get, post, del } from '../api.js';
import { useSurveyCss, renderPreview } from './preview.js';
import { confirmDialog, confirmLaunch } from './dialog.js';
import { renderDistribution } from './distribution.js';
import { renderInvitations } from './invitations.js';
import { renderRetention } from './retention.js';

const fmt = (s) => (s ? new Date(s).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

function countText(r) {
  if (!r) return '—';
  return r.suppressed ? (r.reason || 'fewer than k') : String(r.n);
}

export async function render(main, ctx) {
  useSurveyCss();
  const id = ctx.params[0];
  const base = `/api/v1/surveys/${encodeURIComponent(id)}`;
  const sv = await get(base);
  const { waves } = await get(`${base}/waves`);
  const canDesign = ['admin', 'lead'].includes(ctx.user.role);
  const message = h('p', { role: 'status', id: 'survey-message' });

  const act = async (label, fn) => {
    try {
      await fn();
      ctx.navigate(location.pathname);
    } catch (e) {
      message.className = 'error';
      message.textContent = `${label} failed: ${e.message}`;
    }
  };
  const button = (idAttr, label, cls, onClick) => {
    const b = h('button', { type: 'button', id: idAttr, class: cls }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const actions = [];
  if (canDesign && sv.status === 'draft') {
    actions.push(h('a', { href: `/app/surveys/${id}/edit`, class: 'button', id: 'edit' }, 'Edit'));
    actions.push(button('launch', 'Launch…', 'primary', async () => {
      if (await confirmLaunch(sv)) act('Launch', () => post(`${base}/launch`));
    }));
    actions.push(button('delete', 'Delete draft…', 'danger', async () => {
      const ok = await confirmDialog({ title: `Delete “${sv.title}”?`, confirm: 'Delete', danger: true, body: h('p', {}, 'The draft is removed for good.') });
      if (ok) act('Delete', async () => { await del(base); ctx.navigate('/app/surveys'); });
    }));
  }
  if (canDesign && sv.status === 'launched') {
    actions.push(button('close', 'Close survey…', 'danger', async () => {
      const ok = await confirmDialog({ title: `Close “${sv.title}”?`, confirm: 'Close now', danger: true,
        body: h('p', {}, 'The open wave stops taking answers now, scheduled waves are cancelled, and no new waves are created. This cannot be undone.') });
      if (ok) act('Close', () => post(`${base}/close`));
    }));
  }
  if (canDesign && sv.status === 'closed') {
    actions.push(button('archive', 'Archive', '', () => act('Archive', () => post(`${base}/archive`))));
  }
  if (sv.status !== 'draft') actions.push(h('a', { href: `/app/results/${id}` }, 'Results'));

  const a = sv.anonymity;
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge ${sv.status}`, id: 'survey-status' }, sv.status)),
    h('dt', {}, 'Questions'), h('dd', {}, `${sv.items.length}${sv.rotation ? ` (rotating ${sv.rotation.items_per_wave} competency questions per wave, each competency at least every ${sv.rotation.cover_every} waves)` : ''}`),
    h('dt', {}, 'Demographics'), h('dd', {}, sv.demographics.length ? sv.demographics.map((d) => `${d.label}${d.sensitive ? ' (sensitive)' : ''}`).join(', ') : 'none'),
    h('dt', {}, 'Schedule'), h('dd', {}, `${sv.schedule.cadence}; ${sv.schedule.opens_at ? `first wave ${fmt(sv.schedule.opens_at)}` : 'opens at launch'}; waves stay open ${sv.schedule.wave_days} days`),
    h('dt', {}, 'Anonymity'), h('dd', {}, `k = ${a.min_group_size}, sensitive ${a.min_sensitive_group_size}, distributions ${a.min_distribution_size}, comments ${a.min_comment_group_size}`),
    h('dt', {}, 'Launched'), h('dd', {}, fmt(sv.launched_at)),
    sv.closed_at ? [h('dt', {}, 'Closed'), h('dd', {}, fmt(sv.closed_at))] : null);

  const wavesSection = h('section', { 'aria-labelledby': 'waves-title' }, h('h2', { id: 'waves-title' }, 'Waves'),
    waves.length
      ? wide('Waves table', h('table', { id: 'waves-table' },
        h('caption', { class: 'muted' }, `Responses are shown only from ${a.min_group_size} respondents on, and while a wave is open they move in steps, so nobody can tell who has answered.`),
        h('thead', {}, h('tr', {}, ['Wave', 'Status', 'Opens', 'Closes', 'Questions', 'Responses'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, waves.map((w) => h('tr', {},
          h('td', {}, String(w.number)), h('td', {}, h('span', { class: `badge ${w.status}` }, w.status)),
          h('td', {}, fmt(w.opens_at)), h('td', {}, fmt(w.closes_at)), h('td', {}, String(w.items)), h('td', {}, countText(w.responses)))))))
      : h('p', { class: 'muted' }, 'Waves are created when the survey is launched.'));

  const distribution = h('section', { id: 'distribution', 'aria-labelledby': 'distribution-title' });
  const invitations = h('section', { id: 'invitations', 'aria-labelledby': 'invitations-title' });
  const retention = h('section', { id: 'retention', 'aria-labelledby': 'retention-title' });
  const previewBox = h('div', {});
  const previewSection = h('section', { 'aria-labelledby': 'pv-title' },
    h('details', {}, h('summary', { id: 'pv-title' }, 'Preview the respondent form'), previewBox));

  clear(main).append(
    h('div', { class: 'page-head' }, h('h1', {}, sv.title), h('a', { href: '/app/surveys' }, 'All surveys')),
    h('div', { class: 'actions' }, actions), message, facts, wavesSection, distribution, invitations, retention, previewSection);
  if (canDesign) {
    if (sv.status === 'launched') renderInvitations(invitations, sv, waves);
    else invitations.remove();
    if (sv.status !== 'draft') renderDistribution(distribution, sv, waves);
    else distribution.append(h('h2', { id: 'distribution-title' }, 'Distribution'), h('p', { class: 'muted' }, 'Launch the survey to get its open link and invite codes.'));
    renderPreview(previewBox, await get(`${base}/preview`));
    await renderRetention(retention, sv);
  } else {
    distribution.remove();
    invitations.remove();
    retention.remove();
    previewSection.remove();
  }
}
