// ballot.js: unlinkable ballots on the employee page. An invitation's holder
// takes one ballot: this page picks a random token, blinds it (RSA blind
// signatures, RFC 9474, RSABSSA-SHA384-PSSZERO-Deterministic), and the
// server signs the blinded number after checking the invitation, without
// seeing the token. The answers are later sent in a separate request with
// the token and its unblinded signature, which prove only that some
// invitation of the key's group took a ballot (see internal/ballot/ballot.go).
// Plain JavaScript: BigInt for the arithmetic, WebCrypto for SHA-384 and
// randomness. The ballot waits in localStorage, so a reload resumes it
// without a second ballot; it is forgotten once the answers are recorded.

const prefix = 'allypulse.ballot.';

// ---- Encodings ----

export function fromB64u(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function toB64u(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function toInt(bytes) {
  let hex = '0x0';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt(hex);
}

function toBytes(x, len) {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

// ---- Arithmetic ----

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

function modInv(a, m) {
  let [r0, r1, t0, t1] = [m, a % m, 0n, 1n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((t0 % m) + m) % m;
}

function bitLength(x) { return x.toString(2).length; }

// ---- EMSA-PSS with SHA-384 and no salt (RFC 8017 section 9.1.1) ----

async function sha384(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) { buf.set(p, at); at += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-384', buf));
}

async function mgf1(seed, len) {
  const out = new Uint8Array(len);
  for (let c = 0, at = 0; at < len; c++) {
    const block = await sha384(seed, toBytes(BigInt(c), 4));
    out.set(block.subarray(0, Math.min(block.length, len - at)), at);
    at += block.length;
  }
  return out;
}

async function encodePSS(msg, emBits) {
  const emLen = Math.ceil(emBits / 8);
  const hLen = 48;
  const mHash = await sha384(msg);
  const H = await sha384(new Uint8Array(8), mHash);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - 1] = 0x01;
  const mask = await mgf1(H, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array(emLen);
  em.set(db, 0);
  em.set(H, db.length);
  em[emLen - 1] = 0xbc;
  return em;
}

// ---- Blind, finalize ----

function publicKey(jwk) {
  const n = toInt(fromB64u(jwk.n));
  return { n, e: toInt(fromB64u(jwk.e)), size: Math.ceil(bitLength(n) / 8) };
}

function randomUnit(n, size) {
  for (;;) {
    const r = toInt(crypto.getRandomValues(new Uint8Array(size))) % n;
    if (r > 1n && gcd(r, n) === 1n) return r;
  }
}

// blind returns the blinded token to send and what finalize needs.
export async function blind(jwk, token) {
  const { n, e, size } = publicKey(jwk);
  const em = await encodePSS(token, bitLength(n) - 1);
  const m = toInt(em);
  if (gcd(m, n) !== 1n) throw new Error('invalid message');
  const r = randomUnit(n, size);
  const z = (m * modPow(r, e, n)) % n;
  return { blinded: toBytes(z, size), inv: modInv(r, n), m };
}

// finalize unblinds the server's answer and checks it is a signature of the
// token under the key (RFC 9474 section 4.4).
export function finalize(jwk, blindSig, inv, m) {
  const { n, e, size } = publicKey(jwk);
  if (blindSig.length !== size) throw new Error('unexpected size');
  const s = (toInt(blindSig) * inv) % n;
  if (modPow(s, e, n) !== m) throw new Error('the signature does not verify');
  return toBytes(s, size);
}

// ---- The ballot of one invitation ----

function load(code) {
  try { return JSON.parse(localStorage.getItem(prefix + code)) || null; } catch { return null; }
}
function keep(code, b) {
  try { localStorage.setItem(prefix + code, JSON.stringify(b)); } catch { /* private mode: the ballot lives in memory */ }
}
export function forgetBallot(code) {
  try { localStorage.removeItem(prefix + code); } catch { /* nothing kept */ }
}

let inMemory = null;

// ballotStarted reports whether this page already began taking the ballot
// of code (a reload must finish what it started before anything else).
export function ballotStarted(code) {
  return !!(load(code) || (inMemory && inMemory.code === code));
}

// takeBallot makes sure this page holds a signed ballot for the invitation
// code, asking the server at most once per blinded token. info is the form's
// ballot: {key, jwk}. It returns null or {status, problem} when the server
// refuses (409: the invitation's ballot went to another device).
export async function takeBallot(code, info) {
  let b = load(code) || (inMemory && inMemory.code === code ? inMemory.b : null);
  if (b && b.key !== info.key) b = null;
  if (b && b.signature) return null;
  if (!b) {
    const token = crypto.getRandomValues(new Uint8Array(32));
    const bl = await blind(info.jwk, token);
    b = { key: info.key, token: toB64u(token), blinded: toB64u(bl.blinded), inv: bl.inv.toString(16), m: bl.m.toString(16) };
  }
  // Kept before asking: a reload after the server signed asks again with
  // the same blinded token and gets the same signature.
  keep(code, b);
  inMemory = { code, b };
  const res = await fetch(`/api/v1/respond/${encodeURIComponent(code)}/ballot`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ key: b.key, blinded: b.blinded }),
  });
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch { /* no body */ }
    return { status: res.status, problem };
  }
  const got = await res.json();
  const sig = finalize(info.jwk, fromB64u(got.blind_signature), BigInt(`0x${b.inv}`), BigInt(`0x${b.m}`));
  b = { key: b.key, token: b.token, signature: toB64u(sig) };
  keep(code, b);
  inMemory = { code, b };
  return null;
}

// sendWithBallot posts the answers with the ballot, never with the code.
export async function sendWithBallot(code, body) {
  const b = load(code) || (inMemory && inMemory.code === code ? inMemory.b : null);
  if (!b || !b.signature) throw new Error('no ballot');
  const res = await fetch('/api/v1/ballots', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ ...body, ballot: { key: b.key, token: b.token, signature: b.signature } }),
    credentials: 'omit', referrerPolicy: 'no-referrer',
  });
  // Spent (201) or spent before (409): either way this ballot is done.
  if (res.status === 201 || res.status === 409) { forgetBallot(code); inMemory = null; }
  return res;
}
