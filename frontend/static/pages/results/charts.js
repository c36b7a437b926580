// pages/results/charts.js: the dashboard's SVG charts, drawn by our own
// code with presentation attributes only (the CSP forbids inline styles).
// Each chart is an image with a short accessible name; the page puts a
// table with the same numbers next to it.
import { svg } from '../../dom.js';

// Okabe–Ito colours: distinguishable with the common colour-vision
// deficiencies; lines also differ by dash pattern and marker.
export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000', '#7f7f7f'];
const dashes = ['', '6 4', '2 3', '10 3 2 3', '1 5', '12 6'];

const BAR = '#1f5fa8';
const BAR_ALT = '#b35806';
const INTERVAL = '#1b1f24';

const clamp01 = (x) => Math.max(0, Math.min(1, x));

// compact is true on a phone-sized screen: charts are then drawn on a
// narrower canvas with their words below the bars (or a legend below the
// lines), so that scaled to the screen their text stays readable.
const compact = () => typeof window !== 'undefined' && !!window.matchMedia && window.matchMedia('(max-width: 600px)').matches;

// wrap splits text into lines of at most max characters at spaces (a
// longer word stands alone), for labels on a narrow canvas.
function wrap(text, max) {
  const lines = [];
  let cur = '';
  for (const word of String(text).split(/\s+/)) {
    if (cur && cur.length + 1 + word.length > max) { lines.push(cur); cur = word; } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur || !lines.length) lines.push(cur);
  return lines;
}

// label writes a row's label from (x, y) downwards and returns the height
// it took: one line on a wide canvas, wrapped on a phone.
function label(root, x, y, text, small) {
  const lines = small ? wrap(text, 46) : [String(text)];
  lines.forEach((line, i) => root.append(svg('text', { x, y: y + i * 17 }, line)));
  return (lines.length - 1) * 17;
}

// barChart draws horizontal bars of shares (0..1) with their 95 % interval
// as a thin line. rows: [{label, value, low, high, text}] where a row with
// value null is drawn as a hatched placeholder with its text. On a phone
// the words go under the bar and long labels wrap.
export function barChart(rows, { name, colour = BAR } = {}) {
  const small = compact();
  const width = small ? 400 : 800;
  const left = 8;
  const barW = small ? 384 : 440;
  const root = svg('svg', { class: 'chart', role: 'img', 'aria-label': name });
  let y = 4;
  rows.forEach((r) => {
    const extra = label(root, left, y + 15, r.label, small);
    const by = y + 22 + extra;
    const textAt = small ? { x: left, y: by + 36 } : { x: left + barW + 10, y: by + 14 };
    root.append(svg('rect', { x: left, y: by, width: barW, height: 18, fill: '#eef1f5' }));
    y = by + (small ? 48 : 32);
    if (r.value === null || r.value === undefined) {
      root.append(svg('rect', { x: left, y: by, width: barW, height: 18, fill: '#d3d8de' }));
      root.append(svg('text', { ...textAt, class: 'axis' }, r.text));
      return;
    }
    root.append(svg('rect', { x: left, y: by, width: barW * clamp01(r.value), height: 18, fill: colour }));
    if (r.low !== undefined && r.low !== null && r.high !== undefined && r.high !== null) {
      const x1 = left + barW * clamp01(r.low);
      const x2 = left + barW * clamp01(r.high);
      root.append(svg('line', { x1, x2, y1: by + 9, y2: by + 9, stroke: INTERVAL, 'stroke-width': 2 }));
      root.append(svg('line', { x1, x2: x1, y1: by + 3, y2: by + 15, stroke: INTERVAL, 'stroke-width': 2 }));
      root.append(svg('line', { x1: x2, x2, y1: by + 3, y2: by + 15, stroke: INTERVAL, 'stroke-width': 2 }));
    }
    root.append(svg('text', textAt, r.text));
  });
  const axisY = y + 14;
  [0, 0.5, 1].forEach((t) => root.append(svg('text', { x: left + barW * t, y: axisY, class: 'axis', 'text-anchor': t === 0 ? 'start' : t === 1 ? 'end' : 'middle' }, `${t * 100}%`)));
  return sized(root, width, axisY + 6);
}

// sized sets a chart's canvas once its height is known.
function sized(root, width, height) {
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('width', width);
  root.setAttribute('height', height);
  return root;
}

// pairChart draws two bars per row (e.g. self and experienced) with their
// intervals. rows: [{label, a: {value, low, high, text}, b: {...}, note}].
// On a phone each bar's words go under it and the legend takes two lines.
export function pairChart(rows, { name, labels }) {
  const small = compact();
  const width = small ? 400 : 800;
  const left = 8;
  const barW = small ? 384 : 480;
  const root = svg('svg', { class: 'chart', role: 'img', 'aria-label': name });
  root.append(svg('rect', { x: left, y: 4, width: 16, height: 12, fill: BAR }), svg('text', { x: left + 22, y: 15 }, labels[0]));
  const second = small ? { x: left, y: 26 } : { x: left + 220, y: 4 };
  root.append(svg('rect', { ...second, width: 16, height: 12, fill: BAR_ALT }), svg('text', { x: second.x + 22, y: second.y + 11 }, labels[1]));
  let y = small ? 54 : 32;
  rows.forEach((r) => {
    const extra = label(root, left, y + 14, r.label, small);
    let by = y + 22 + extra;
    [[r.a, BAR], [r.b, BAR_ALT]].forEach(([c, fill]) => {
      const textAt = small ? { x: left, y: by + 32 } : { x: left + barW + 10, y: by + 13 };
      root.append(svg('rect', { x: left, y: by, width: barW, height: 16, fill: '#eef1f5' }));
      if (c.value === null || c.value === undefined) {
        root.append(svg('text', { ...textAt, class: 'axis' }, c.text));
      } else {
        root.append(svg('rect', { x: left, y: by, width: barW * clamp01(c.value), height: 16, fill }));
        if (c.low !== undefined && c.high !== undefined) {
          root.append(svg('line', { x1: left + barW * clamp01(c.low), x2: left + barW * clamp01(c.high), y1: by + 8, y2: by + 8, stroke: INTERVAL, 'stroke-width': 2 }));
        }
        root.append(svg('text', textAt, c.text));
      }
      by += small ? 42 : 24;
    });
    if (r.note) {
      const lines = small ? wrap(r.note, 50) : [r.note];
      lines.forEach((line, i) => root.append(svg('text', { x: left, y: by + 10 + i * 16, class: 'axis' }, line)));
      by += lines.length * 16;
    }
    y = by + 12;
  });
  return sized(root, width, y + 8);
}

// lineChart draws series across waves. waves: axis labels; series:
// [{name, values: [number|null], flags: [bool]}]; min/max bound the y axis.
// A missing value breaks the line; a flagged change is ringed; each series
// ends with its name as a direct label.
export function lineChart(waves, series, { name, min, max, unit = '' }) {
  // On a phone the series are named in a legend under the plot, not at the
  // line ends, and only some wave dates are written.
  const small = compact();
  const width = small ? 340 : 900;
  const plotH = small ? 280 : 360;
  const height = plotH + (small ? series.length * 22 + 8 : 0);
  const pad = small ? { l: 40, r: 24, t: 16, b: 40 } : { l: 48, r: 330, t: 16, b: 40 };
  const w = width - pad.l - pad.r;
  const hgt = plotH - pad.t - pad.b;
  const x = (i) => pad.l + (waves.length === 1 ? w / 2 : (w * i) / (waves.length - 1));
  const y = (v) => pad.t + hgt * (1 - (v - min) / (max - min));
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': name });
  const step = [1, 2, 5, 10, 20, 25, 50].find((st) => (max - min) / st <= 8) || 50;
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) {
    root.append(svg('line', { x1: pad.l, x2: pad.l + w, y1: y(v), y2: y(v), stroke: '#d5dae1', 'stroke-width': 1 }));
    root.append(svg('text', { x: pad.l - 8, y: y(v) + 5, class: 'axis', 'text-anchor': 'end' }, `${Math.round(v)}${unit}`));
  }
  // On a phone only the first and the last date fit side by side.
  waves.forEach((label, i) => {
    if (small && i !== 0 && i !== waves.length - 1) return;
    const anchor = small && waves.length > 1 ? (i === 0 ? 'start' : i === waves.length - 1 ? 'end' : 'middle') : 'middle';
    root.append(svg('text', { x: small && i === 0 && waves.length > 1 ? x(i) - 6 : x(i), y: plotH - 12, class: 'axis', 'text-anchor': anchor }, label));
  });
  const ends = [];
  series.forEach((s, si) => {
    const colour = palette[si % palette.length];
    const dash = dashes[si % dashes.length];
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    // An emphasised series (the index) is drawn thicker than the others.
    if (d) root.append(svg('path', { d: d.trim(), fill: 'none', stroke: colour, 'stroke-width': s.emphasis ? 5 : 2.5, 'stroke-dasharray': dash || null }));
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      root.append(marker(si, x(i), y(v), colour));
      if (s.flags && s.flags[i]) {
        root.append(svg('circle', { cx: x(i), cy: y(v), r: 9, fill: 'none', stroke: '#1b1f24', 'stroke-width': 1.5 }));
      }
    });
    const last = s.values.map((v, i) => [v, i]).filter(([v]) => v !== null && v !== undefined).pop();
    if (last) ends.push({ y: y(last[0]), name: s.name, colour, dash, si });
  });
  if (small) {
    series.forEach((s, si) => {
      const ly = plotH + 8 + si * 22;
      const colour = palette[si % palette.length];
      root.append(svg('line', { x1: pad.l, x2: pad.l + 24, y1: ly + 8, y2: ly + 8, stroke: colour, 'stroke-width': s.emphasis ? 5 : 2.5, 'stroke-dasharray': dashes[si % dashes.length] || null }));
      root.append(marker(si, pad.l + 12, ly + 8, colour));
      root.append(svg('text', { x: pad.l + 32, y: ly + 13 }, s.name));
    });
    return root;
  }
  // Direct labels at the line ends, nudged apart so they do not overlap.
  ends.sort((a, b) => a.y - b.y);
  let prev = -Infinity;
  ends.forEach((e) => {
    const ly = Math.max(e.y + 5, prev + 18);
    prev = ly;
    root.append(svg('line', { x1: pad.l + w + 10, x2: pad.l + w + 34, y1: ly - 5, y2: ly - 5, stroke: e.colour, 'stroke-width': 2.5, 'stroke-dasharray': e.dash || null }));
    root.append(marker(e.si, pad.l + w + 22, ly - 5, e.colour));
    root.append(svg('text', { x: pad.l + w + 40, y: ly }, e.name));
  });
  return root;
}

// marker is a different shape per series, so lines differ by more than colour.
function marker(i, cx, cy, fill) {
  switch (i % 3) {
    case 1: return svg('rect', { x: cx - 4.5, y: cy - 4.5, width: 9, height: 9, fill });
    case 2: return svg('path', { d: `M${cx},${cy - 6} L${cx + 6},${cy + 4} L${cx - 6},${cy + 4} Z`, fill });
    default: return svg('circle', { cx, cy, r: 4.5, fill });
  }
}

// Colours of the stacked answer bars: unfavourable orange, neutral grey,
// favourable blue (distinguishable with the common colour-vision
// deficiencies, and the order is fixed left to right).
export const STACK = [['Disagree', '#b35806'], ['Neutral', '#bdbdbd'], ['Agree', '#2166ac']];

// stackedBars draws one bar per row split into unfavourable, neutral and
// favourable shares (0..1). rows: [{label, parts: [u, n, f] | null, text}];
// a row without parts is withheld and says why in its text.
export function stackedBars(rows, { name, legend = STACK.map((s) => s[0]) } = {}) {
  const small = compact();
  const width = small ? 400 : 800;
  const left = 8;
  const barW = small ? 384 : 560;
  const legendStep = small ? 120 : 150;
  const root = svg('svg', { class: 'chart', role: 'img', 'aria-label': name });
  STACK.forEach(([, colour], i) => {
    root.append(svg('rect', { x: left + i * legendStep, y: 4, width: 14, height: 14, fill: colour }),
      svg('text', { x: left + i * legendStep + 20, y: 16 }, legend[i]));
  });
  let y = 30;
  rows.forEach((r) => {
    const extra = label(root, left, y + 14, r.label, small);
    const by = y + 20 + extra;
    const textAt = small ? { x: left, y: by + 36 } : { x: left + barW + 10, y: by + 14 };
    y = by + (small ? 50 : 30);
    if (!r.parts) {
      root.append(svg('rect', { x: left, y: by, width: barW, height: 18, fill: '#d3d8de' }),
        svg('text', { ...textAt, class: 'axis' }, r.text));
      return;
    }
    let x = left;
    r.parts.forEach((p, j) => {
      const w = barW * clamp01(p || 0);
      root.append(svg('rect', { x, y: by, width: w, height: 18, fill: STACK[j][1] }));
      x += w;
    });
    root.append(svg('text', textAt, r.text));
  });
  return sized(root, width, y + 6);
}
