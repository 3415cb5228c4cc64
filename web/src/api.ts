// The /api/v1 client: JSON in and out, RFC 9457 problems as ApiError (with their per-field
// `problems`), the session cookie sent by the browser, X-CSRF-Token on every write.

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  status: number;
  code: string;
  problems: FieldProblem[];
  constructor(status: number, code: string, detail: string, problems: FieldProblem[] = []) {
    super(detail || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

let csrfToken = '';
// Called when a request finds the session gone (expired, logged out elsewhere): the app then
// shows the login again. The login and who-am-I calls themselves do not trigger it.
let unauthorized: () => void = () => {};
export function onUnauthorized(fn: () => void): void {
  unauthorized = fn;
}
const SESSION_PROBES = ['/api/v1/me', '/api/v1/staff/me', '/api/v1/auth/login', '/api/v1/staff/login', '/api/v1/auth/logout'];
export function setCsrf(token: string): void {
  csrfToken = token;
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const p = JSON.parse(text);
    return new ApiError(res.status, p.code ?? '', p.detail ?? p.title ?? '', p.problems ?? []);
  } catch {
    return new ApiError(res.status, '', text.trim() || res.statusText);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    if (res.status === 401 && !SESSION_PROBES.includes(path)) unauthorized();
    throw await toError(res);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

// PUT of a file as the request body with upload progress (fetch cannot report it; XHR can).
export function uploadFile<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        reject(new ApiError(xhr.status, body?.code ?? '', body?.detail ?? xhr.statusText, body?.problems ?? []));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(file);
  });
}

// --- the shapes the API answers with (see /api/v1/openapi.json) ------------------------------------

export interface Person {
  name: string;
  id_number: string;
  phone: string;
  email: string;
}

export interface ApplicationForm {
  organization: { name: string; credit_code: string };
  handler: Person;
  holder: Person | null;
  algorithm: string;
  years: number;
  delivery: 'post' | 'pickup';
  address: string;
  recipient: string;
  recipient_phone: string;
  service_point: string;
  certificate_serial: string;
  revoke_reason: string;
  remarks: string;
}

export interface QuoteLine {
  item: string;
  unit_fen: number;
  quantity: number;
  amount_fen: number;
}
export interface Quote {
  total_fen: number;
  total: string;
  lines: QuoteLine[];
}

export type AppState =
  | 'draft'
  | 'submitted'
  | 'awaiting_payment'
  | 'paid'
  | 'in_review'
  | 'returned'
  | 'approved'
  | 'issued'
  | 'shipped'
  | 'delivered'
  | 'cancelled';

export interface Application {
  id: string;
  business: string;
  cert_type: string;
  channel: string;
  state: AppState;
  version: number;
  form: ApplicationForm;
  fee_fen: number;
  quote: Quote;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  paid_at: string | null;
}

export interface Material {
  kind: string;
  content_type: string;
  size: number;
  sha256: string;
  file_name: string;
  uploaded_at: string;
  verdict: string;
  verdict_reason: string;
  href: string;
}

export interface MaterialStatus {
  kind: string;
  label: string;
  stamped: boolean;
  uploaded: Material | null;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  event: string;
  from: string;
  to: string;
  message: string;
}

export interface Payment {
  order_no: string;
  method: string;
  amount_fen: number;
  amount: string;
  status: string;
  qr_content: string;
  qr_png: string | null;
  created_at: string;
  paid_at: string | null;
}

export interface IdentityCheck {
  id: string;
  name: string;
  id_number: string;
  url: string;
  qr_png: string;
  status: 'pending' | 'passed' | 'failed';
  detail: string;
  created_at: string;
}

export interface ServicePoint {
  id: string;
  name: string;
  name_en: string;
  district: string;
  address: string;
  address_en: string;
  hours: string[];
  phone: string;
  open_now: boolean;
  next_opening?: string;
}

export interface CertTypeOffer {
  type: string;
  label: string;
  years: number[];
}
export interface MaterialRule {
  kind: string;
  label: string;
  stamped: boolean;
  only?: string;
}
export interface BusinessRule {
  business: string;
  label: string;
  token: string;
  online: MaterialRule[];
  counter: MaterialRule[];
  fees: Record<string, { item: string; flat_fen: number; per_year_fen: number }>;
}
export interface Product {
  name: string;
  algorithms: string[];
  cert_types: CertTypeOffer[];
  business: BusinessRule[];
}
export interface Catalogue {
  categories: { name: string; products: Product[] }[];
}

export interface Me {
  account_id: number;
  phone: string;
  csrf_token: string;
  consent_current: boolean;
}

export interface Agreement {
  document: string;
  version: string;
  title: string;
  text: string;
}

// --- the staff console's audit log, certificates and revocation (issue 9 §2; docs/ca-side.md) ----------

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  detail: string;
  hash: string;
}
export interface AuditPage {
  events: AuditEvent[];
  next_before: number | null;
}
export interface AuditVerdict {
  events: number;
  ok: boolean;
  breaks: { id: number; problem: string }[];
}

export interface IssuedCertificate {
  serial: string;
  subject: string;
  credit_code: string | null;
  algorithm: string;
  issuer: string;
  not_before: string;
  not_after: string;
  status: 'good' | 'revoked' | 'expired';
  revoked_at: string | null;
  revocation_reason: string | null;
  application_id: string | null;
}

// RFC 5280 §5.3.1 reason codes an operator may give (certificateHold and removeFromCRL are not
// offered: a hold cannot be undone here, and removeFromCRL is for delta CRLs only).
export const REVOCATION_REASONS = [
  'keyCompromise',
  'cessationOfOperation',
  'affiliationChanged',
  'superseded',
  'privilegeWithdrawn',
  'unspecified',
] as const;

// A problem's field as the API names it ("reason", "/reason" or "form.organization.name") as the
// dotted path the forms key their inputs by.
export function problemField(field: string): string {
  return field.replace(/^\//, '').replace(/\//g, '.').replace(/^form\./, '');
}

// The API's per-field problems by field, for showing each beside its input.
export function problemsByField(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const p of e.problems) if (p.field) out[problemField(p.field)] = p.message;
  return out;
}

// POST of a file as the request body (JSON answer), e.g. a signed PDF for the usage log.
export async function postFile<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}
