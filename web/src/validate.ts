// Live checks of the application form, the same rules as the server's (src/ra/validation.cpp,
// src/pki/identifiers.cpp); the server still judges and its per-field problems are shown too.
// Each check gives an i18n key (and values) or null when the value is fine.

export type Check = { key: string; vars?: Record<string, string | number> } | null;

// GB 32100-2015 §4, §5: 18 characters of 0-9 and A-Y without I, O, S, V, Z; the 18th is a check
// character over the first 17 with weights 3^(i) mod 31.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i]);
    if (v < 0) return '?';
    sum += v * CREDIT_WEIGHTS[i];
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(code: string): Check {
  if (!code) return { key: 'v.required' };
  if (code.length !== 18) return { key: 'v.credit.length', vars: { n: code.length } };
  for (let i = 0; i < 18; i++)
    if (CREDIT_ALPHABET.indexOf(code[i]) < 0) return { key: 'v.credit.char', vars: { i: i + 1, c: code[i] } };
  const want = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== want) return { key: 'v.credit.checksum', vars: { c: code[17], want } };
  return null;
}

// GB 11643-1999 §8.2: ISO 7064 MOD 11-2 over the first 17 digits; 'X' stands for 10.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = first17.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return '?';
    sum += d * ID_WEIGHTS[i];
  }
  return ID_CHECK[sum % 11];
}

export function checkResidentId(id: string): Check {
  if (!id) return { key: 'v.required' };
  if (id.length !== 18) return { key: 'v.id.length', vars: { n: id.length } };
  if (!/^\d{17}[\dX]$/.test(id)) return { key: 'v.id.char' };
  const y = +id.slice(6, 10), m = +id.slice(10, 12), d = +id.slice(12, 14);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { key: 'v.id.birth', vars: { s: id.slice(6, 14) } };
  const want = residentIdCheckChar(id.slice(0, 17));
  if (id[17] !== want) return { key: 'v.id.checksum', vars: { c: id[17], want } };
  return null;
}

export function checkMobile(phone: string, required = true): Check {
  if (!phone) return required ? { key: 'v.required' } : null;
  return /^1[3-9]\d{9}$/.test(phone) ? null : { key: 'v.phone' };
}

export function checkEmail(email: string, required = true): Check {
  if (!email) return required ? { key: 'v.required' } : null;
  const ok = email.length >= 5 && email.length <= 254 && /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]{2,}$/.test(email);
  return ok ? null : { key: 'v.email' };
}

export function checkText(value: string, min: number, max: number, required = true): Check {
  const n = [...value].length;
  if (n === 0) return required ? { key: 'v.required' } : null;
  if (n < min || n > max) return { key: 'v.length', vars: { min, max, n } };
  if (/[\u0000-\u001f\u007f]/.test(value)) return { key: 'v.control' };
  return null;
}
