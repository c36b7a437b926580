// pages/invitations.js: the Invitations part of the survey detail page: a
// wave's people list (CSV upload with a per-row report and a confirm step),
// sending invitations and reminders with progress, the two e-mail templates
// with a preview, and the live response rate overall and by group. Every
// rate is a released cell of the results (GET .../invites, which reads
// report.Engine.Segments); no address ever comes back from the server.
//
// survey.js calls renderInvitations(container, survey, waves).
import { h, clear, pct } from '../dom.js';
import { get, post, api, postText } from '../api.js';

const refreshEvery = 5000;

function segmentText(seg, survey) {
  const labels = new Map((survey.demographics || []).map((d) => [d.key, d.label]));
  const parts = Object.entries(seg || {}).map(([k, v]) => `${labels.get(k) || k}: ${v}`);
  return parts.join(', ');
}

function rateText(c) {
  if (!c) return '—';
  if (c.suppressed) return `withheld: ${c.reason || 'too few'}`;
  return c.value === null || c.value === undefined ? 'not known' : pct(c.value);
}

export function renderInvitations(container, survey, waves) {
  clear(container);
  container.append(h('h2', { id: 'invitations-title' }, 'Invitations'));
  const open = (waves || []).find((w) => w.status === 'open') || (waves || []).find((w) => w.status === 'scheduled');
  if (!open) {
    container.append(h('p', { class: 'muted' }, 'Invitations go out for an open or scheduled wave. People lists are deleted when their wave closes.'));
    return;
  }
  const wave = open.number;
  const base = `/api/v1/surveys/${encodeURIComponent(survey.id)}`;
  const wbase = `${base}/waves/${wave}`;
  const k = (survey.anonymity && survey.anonymity.min_group_size) || 5;
  const ks = (survey.anonymity && survey.anonymity.min_sensitive_group_size) || 10;

  // ---- Status and sending ----
  const notConfigured = h('p', { class: 'notice', id: 'inv-no-smtp', hidden: true },
    'E-mail sending is not configured on this server, so nothing can be sent from here. ',
    'Ask your administrator to set ALLYPULSE_SMTP_HOST and the other ALLYPULSE_SMTP_ settings (see the README). ',
    'You can still upload the people list and print codes for people without e-mail.');
  const progress = h('div', { id: 'inv-progress', 'aria-live': 'polite' });
  const sendMsg = h('p', { id: 'inv-send-msg', role: 'status' });
  const sendButton = (id, label, kind) => {
    const b = h('button', { type: 'button', id }, label);
    b.addEventListener('click', async () => {
      sendMsg.className = '';
      try {
        const res = await post(`${wbase}/mail`, { kind });
        sendMsg.textContent = kind === 'retry' ? `${res.queued} failed messages queued again.`
          : `${res.queued} ${kind === 'reminder' ? 'reminders' : 'invitations'} queued; they go out in the background.`;
      } catch (err) {
        sendMsg.className = 'error';
        sendMsg.textContent = err.message;
      }
      refreshStatus();
    });
    return b;
  };
  const inviteBtn = sendButton('inv-send', 'Send invitations', 'invitation');
  const remindBtn = sendButton('inv-remind', 'Send reminders', 'reminder');
  const retryBtn = sendButton('inv-retry', 'Retry failed', 'retry');
  let timer = 0;

  async function refreshStatus() {
    clearTimeout(timer);
    if (!container.isConnected) return;
    try {
      const st = await get(wbase + '/people');
      notConfigured.hidden = st.sending;
      inviteBtn.disabled = !st.sending || st.people === 0;
      remindBtn.disabled = !st.sending || st.people === 0;
      const m = st.mail;
      retryBtn.hidden = m.failed === 0;
      retryBtn.disabled = !st.sending;
      clear(progress).append(...[
        h('p', { id: 'inv-people' }, `${st.people} people on the list of wave ${wave}.`),
        h('dl', { class: 'facts', id: 'inv-counts' },
          h('dt', {}, 'Sent'), h('dd', { id: 'inv-sent' }, String(m.sent)),
          h('dt', {}, 'Pending'), h('dd', { id: 'inv-pending' }, String(m.pending)),
          h('dt', {}, 'Failed'), h('dd', { id: 'inv-failed' }, String(m.failed)),
          m.skipped ? [h('dt', {}, 'Not needed'), h('dd', {}, `${m.skipped} (took their ballot before their reminder went)`)] : null,
          m.unsure ? [h('dt', {}, 'Unsure'), h('dd', {}, `${m.unsure} (interrupted or not confirmed by the mail server; not sent again so that nobody gets two)`)] : null),
        m.problem ? h('p', { class: 'error', id: 'inv-problem' }, `The mail server's last answer: ${m.problem}`) : null].filter(Boolean));
      if (m.pending > 0) timer = setTimeout(refreshStatus, refreshEvery);
    } catch (err) {
      clear(progress).append(h('p', { class: 'error' }, `Could not load the people list: ${err.message}`));
    }
  }

  // ---- Upload ----
  const file = h('input', { id: 'inv-file', type: 'file', accept: '.csv,text/csv' });
  const report = h('div', { id: 'inv-report', 'aria-live': 'polite' });
  const upload = h('form', { class: 'card', id: 'inv-upload', novalidate: true },
    h('h3', {}, 'People list'),
    h('p', { class: 'muted' },
      'A CSV file with an email column and, if you like, columns named after the survey\'s demographics holding their options. ',
      `People who share attributes form a group of at least ${k} (${ks} for a sensitive attribute). `,
      'Each person gets a personal link and a code. The list is deleted when the wave closes; addresses are never shown again.'),
    h('div', { class: 'field' }, h('label', { for: 'inv-file' }, 'CSV file'), file),
    h('button', { type: 'submit', class: 'primary' }, 'Check and upload'),
    report);
  let text = '';
  async function send(confirm) {
    clear(report);
    try {
      const res = await postText(`${wbase}/people${confirm ? '?confirm=valid' : ''}`, text, 'text/csv');
      report.append(h('p', { id: 'inv-stored', role: 'status' }, `${res.stored} people stored; ${res.people} on the list.`,
        res.problems.length ? ` ${res.problems.length} rows left out.` : ''));
      if (res.problems.length) report.append(problemTable(res.problems.map((p) => ({ field: rowField(p), message: p.reason }))));
      file.value = '';
      refreshStatus();
    } catch (err) {
      if (!err.fields.length) {
        report.append(h('p', { class: 'error', role: 'alert' }, err.message));
        return;
      }
      const fileLevel = err.fields.find((f) => f.field === 'file');
      if (fileLevel) {
        report.append(h('p', { class: 'error', role: 'alert' }, `This file cannot be used: ${fileLevel.message}`));
        return;
      }
      const confirmBtn = h('button', { type: 'button', id: 'inv-confirm' }, 'Store the valid rows, leave out these');
      confirmBtn.addEventListener('click', () => send(true));
      report.append(
        h('p', { class: 'error', role: 'alert', id: 'inv-problems' },
          `${err.fields.length} problems found; nothing was stored. Fix the file and upload it again, or store only the valid rows.`),
        problemTable(err.fields), confirmBtn);
    }
  }
  upload.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(report);
    const f = file.files && file.files[0];
    if (!f) {
      report.append(h('p', { class: 'error', role: 'alert' }, 'Choose a CSV file first.'));
      return;
    }
    text = await f.text();
    send(false);
  });

  // ---- Templates ----
  const kind = h('select', { id: 'tpl-kind' }, h('option', { value: 'invitation' }, 'Invitation'), h('option', { value: 'reminder' }, 'Reminder'));
  const subject = h('input', { id: 'tpl-subject', type: 'text', maxlength: '200', class: 'wide' });
  const body = h('textarea', { id: 'tpl-body', rows: '10', class: 'wide' });
  const tplMsg = h('div', { id: 'tpl-msg', 'aria-live': 'polite' });
  const preview = h('div', { id: 'tpl-preview' });
  const tplPath = () => `${base}/mail-templates/${kind.value}`;
  async function loadTemplate() {
    clear(tplMsg);
    clear(preview);
    try {
      const t = await get(tplPath());
      subject.value = t.subject;
      body.value = t.body;
    } catch (err) {
      tplMsg.append(h('p', { class: 'error' }, err.message));
    }
  }
  kind.addEventListener('change', loadTemplate);
  const showErrors = (err) => {
    const msgs = err.fields.length ? err.fields.map((f) => `${f.field === 'subject' ? 'Subject' : f.field === 'body' ? 'Message' : f.field}: ${f.message}`) : [err.message];
    tplMsg.append(h('ul', { class: 'error', role: 'alert' }, msgs.map((m) => h('li', {}, m))));
  };
  const previewBtn = h('button', { type: 'button', id: 'tpl-preview-btn' }, 'Preview');
  previewBtn.addEventListener('click', async () => {
    clear(tplMsg);
    clear(preview);
    try {
      const r = await post(`${tplPath()}/preview`, { subject: subject.value, body: body.value });
      preview.append(h('div', { class: 'card' }, h('p', {}, h('strong', {}, 'Subject: '), r.subject), h('pre', { class: 'mail-preview' }, r.body)));
    } catch (err) { showErrors(err); }
  });
  const saveBtn = h('button', { type: 'button', id: 'tpl-save', class: 'primary' }, 'Save template');
  saveBtn.addEventListener('click', async () => {
    clear(tplMsg);
    try {
      await api('PUT', tplPath(), { subject: subject.value, body: body.value });
      tplMsg.append(h('p', { role: 'status' }, 'Saved.'));
    } catch (err) { showErrors(err); }
  });
  const templates = h('details', { class: 'card', id: 'inv-templates' },
    h('summary', {}, 'Edit the invitation and reminder'),
    h('p', { class: 'muted' }, '{survey}, {link}, {code}, {closes} and {promise} are filled in for each person. The message needs {link} or {code}.'),
    h('div', { class: 'field' }, h('label', { for: 'tpl-kind' }, 'Message'), kind),
    h('div', { class: 'field' }, h('label', { for: 'tpl-subject' }, 'Subject'), subject),
    h('div', { class: 'field' }, h('label', { for: 'tpl-body' }, 'Text'), body),
    h('div', { class: 'actions' }, previewBtn, saveBtn), tplMsg, preview);

  // ---- Live response rate ----
  const rate = h('div', { id: 'inv-rate', 'aria-live': 'polite' });
  let rateTimer = 0;
  async function refreshRate() {
    clearTimeout(rateTimer);
    if (!container.isConnected) return;
    try {
      const { batches, participation } = await get(`${wbase}/invites`);
      const groups = new Map();
      for (const b of batches) {
        const name = segmentText(b.segment, survey);
        if (name && b.segment_participation) groups.set(name, b.segment_participation);
      }
      clear(rate).append(
        h('p', { id: 'inv-rate-overall' }, h('strong', {}, 'Overall: '), participation ? rateText(participation) : 'not yet'),
        groups.size ? h('table', {},
          h('caption', { class: 'muted' }, `As the results release them: a group's rate moves only when at least ${k} more of its people have answered, and is withheld when the results withhold it.`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Response rate'))),
          h('tbody', {}, [...groups].map(([name, c]) => h('tr', {}, h('td', {}, name), h('td', {}, rateText(c)))))) : null);
    } catch (err) {
      clear(rate).append(h('p', { class: 'error' }, `Could not load the response rate: ${err.message}`));
    }
    rateTimer = setTimeout(refreshRate, 6 * refreshEvery);
  }

  container.append(
    h('p', { class: 'muted' }, `Wave ${wave}. The server records who has started answering from their personal link and so taken a ballot (reminders skip them), and cannot tell which answers are whose.`),
    notConfigured, upload,
    h('h3', {}, 'Sending'), progress, h('div', { class: 'actions' }, inviteBtn, remindBtn, retryBtn), sendMsg,
    templates,
    h('h3', {}, 'Response rate'), rate);
  refreshStatus();
  loadTemplate();
  if (open.status === 'open') refreshRate();
  else rate.append(h('p', { class: 'muted' }, 'Shown once the wave opens.'));
}

function rowField(p) {
  return `rows[${p.line}]${p.column ? `.${p.column}` : ''}`;
}

// problemTable lists per-row problems by line and column.
function problemTable(fields) {
  const rows = fields.map((f) => {
    const m = /^rows\[(\d+)\](?:\.(.+))?$/.exec(f.field);
    return m ? { line: m[1], column: m[2] || 'whole row', message: f.message } : { line: '', column: f.field, message: f.message };
  });
  return h('table', { id: 'inv-report-table' },
    h('caption', {}, 'Problems by line of the file (line 1 is the header)'),
    h('thead', {}, h('tr', {}, ['Line', 'Column', 'Problem'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, r.line), h('td', {}, r.column), h('td', {}, r.message)))));
}
