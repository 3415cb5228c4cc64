import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  problemsByField,
  REVOCATION_REASONS,
  type Application,
  type ApplicationForm,
  type Catalogue,
  type Payment,
  type Person,
} from '../../api';
import { ProductFields, useFormFields } from '../../formFields';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router';
import { ErrorBox, Field, StateBadge } from '../../ui';
import { ALGORITHMS, checks, emptyForm } from '../ApplyPage';
import type { Desk, Token } from './types';

// Counter mode (guide §8 on-site service; docs/ca-side.md "Counter"): the clerk serves a walk-in
// handler in one sitting. The form is checked by the hall's own rules (ApplyPage's checks, without
// delivery: the counter hands the Ukey over on the spot), the paper materials of the catalogue's
// counter list are ticked, payment is taken in cash or by card, and then claim → approve → issue
// onto a Ukey from the inventory → hand over, the state shown after each step.

const emptyPerson = (): Person => ({ name: '', id_number: '', phone: '', email: '' });

export function CounterPage() {
  const { t } = useI18n();
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [category, setCategory] = useState(0);
  const [productIndex, setProductIndex] = useState(0);
  const [business, setBusiness] = useState('new');
  const [certType, setCertType] = useState('organization');
  const [form, setForm] = useState<ApplicationForm>(() => ({ ...emptyForm(), delivery: 'pickup' }));
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Catalogue>('GET', '/api/v1/catalogue').then(setCatalogue, setError);
  }, []);

  const product = catalogue?.categories[category]?.products[productIndex];
  const rule = product?.business.find((b) => b.business === business);
  const offer = product?.cert_types.find((c) => c.type === certType);
  const list = (rule?.counter ?? []).filter((m) => !m.only || m.only === certType);
  const all = useMemo(() => checks(form, business, certType, false), [form, business, certType]);
  const { attempted, setAttempted, serverProblems, setServerProblems, set, errorOf, input, person } = useFormFields(form, setForm, all, { personAutoComplete: false });

  useEffect(() => {
    if (offer && !offer.years.includes(form.years)) setForm((f) => ({ ...f, years: offer.years[0] }));
  }, [offer, form.years]);
  useEffect(() => {
    setForm((f) => ({ ...f, holder: certType === 'organization-individual' ? f.holder ?? emptyPerson() : null }));
  }, [certType]);


  const uncheckedItems = list.filter((m) => !checked[m.kind]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setError(null);
    const problems = Object.entries(all).filter(([, c]) => c);
    if (problems.length || uncheckedItems.length) {
      setError(new ApiError(422, 'client', t('apply.fix', { n: problems.length + uncheckedItems.length })));
      const first = problems.length ? `[name="${problems[0][0]}"]` : `[name="checked.${uncheckedItems[0].kind}"]`;
      document.querySelector<HTMLElement>(first)?.focus();
      return;
    }
    setBusy(true);
    try {
      const body: ApplicationForm = { ...form, delivery: 'pickup', holder: certType === 'organization-individual' ? form.holder : null };
      const app = await api<Application>('POST', '/api/v1/staff/counter/applications', {
        business,
        cert_type: certType,
        form: body,
        checked: list.filter((m) => checked[m.kind]).map((m) => m.kind),
      });
      navigate(`/staff/counter/${app.id}`);
    } catch (err) {
      setServerProblems(problemsByField(err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!catalogue) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;

  return (
    <section aria-labelledby="counter-title">
      <h2 id="counter-title">{t('counter.title')}</h2>
      <p className="muted">{t('counter.intro')}</p>
      <form onSubmit={submit} noValidate>
        <ProductFields
          catalogue={catalogue}
          category={category}
          productIndex={productIndex}
          onProduct={(c, i) => { setCategory(c); setProductIndex(i); }}
          business={business}
          onBusiness={(b) => { setBusiness(b); setChecked({}); }}
          certType={certType}
          onCertType={setCertType}
        />

        <fieldset>
          <legend>{t('apply.org')}</legend>
          <div className="grid">
            {input('organization.name', t('apply.orgName'))}
            {input('organization.credit_code', t('apply.creditCode'), { maxLength: 18, upper: true, autoComplete: 'off' })}
          </div>
        </fieldset>
        {person('handler', t('apply.handler'))}
        {certType === 'organization-individual' && form.holder && person('holder', t('apply.holder'))}

        <fieldset>
          <legend>{t('apply.certType')}</legend>
          <div className="grid">
            <Field label={t('apply.algorithm')}>
              {(p) => (
                <select {...p} name="algorithm" value={form.algorithm} onChange={(e) => set('algorithm', e.target.value)}>
                  {product?.algorithms.map((a) => (
                    <option key={a} value={a}>{ALGORITHMS[a] ?? a}</option>
                  ))}
                </select>
              )}
            </Field>
            {(business === 'new' || business === 'renew') && (
              <Field label={t('apply.years')}>
                {(p) => (
                  <select {...p} name="years" value={form.years} onChange={(e) => set('years', +e.target.value)}>
                    {offer?.years.map((y) => (
                      <option key={y} value={y}>{y}</option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {business !== 'new' && input('certificate_serial', t('apply.serial'), { autoComplete: 'off' })}
            {business === 'revoke' && (
              <Field label={t('apply.revokeReason')} error={errorOf('revoke_reason')}>
                {(p) => (
                  <select {...p} name="revoke_reason" value={form.revoke_reason} onChange={(e) => set('revoke_reason', e.target.value)}>
                    <option value="">{t('apply.choose')}</option>
                    {REVOCATION_REASONS.map((r) => (
                      <option key={r} value={r}>{t(`revoke.reason.${r}`)}</option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          <Field label={t('apply.remarks')} error={errorOf('remarks')}>
            {(p) => <textarea {...p} name="remarks" rows={2} value={form.remarks} onChange={(e) => set('remarks', e.target.value)} />}
          </Field>
        </fieldset>

        <fieldset aria-describedby="counter-list-hint">
          <legend>{t('counter.checklist')}</legend>
          <p id="counter-list-hint" className="hint">{t('counter.checklistHint')}</p>
          <ul className="checklist">
            {list.map((m) => {
              const problem = serverProblems[`checked.${m.kind}`] ?? (attempted && !checked[m.kind] ? t('counter.mustCheck') : null);
              return (
                <li key={m.kind}>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      name={`checked.${m.kind}`}
                      checked={!!checked[m.kind]}
                      aria-invalid={!!problem}
                      aria-describedby={problem ? `check-err-${m.kind}` : undefined}
                      onChange={(e) => setChecked((c) => ({ ...c, [m.kind]: e.target.checked }))}
                    />
                    {m.label}
                  </label>
                  {problem && (
                    <div className="field-error" id={`check-err-${m.kind}`}>
                      {problem}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </fieldset>
        <p className="fee" aria-live="polite">
          {t('counter.listDone', { n: list.length - uncheckedItems.length, of: list.length })}
        </p>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('counter.open')}
        </button>
      </form>
    </section>
  );
}

// The steps of one sitting and where the application stands.
const STEPS: { state: string; key: string }[] = [
  { state: 'awaiting_payment', key: 'counter.step.pay' },
  { state: 'paid', key: 'counter.step.claim' },
  { state: 'in_review', key: 'counter.step.approve' },
  { state: 'approved', key: 'counter.step.issue' },
  { state: 'issued', key: 'counter.step.handOver' },
  { state: 'delivered', key: 'counter.step.done' },
];

export function CounterSitting({ id }: { id: string }) {
  const { t } = useI18n();
  const [desk, setDesk] = useState<Desk | null>(null);
  const [payment, setPayment] = useState<Payment | null>(null);
  const [method, setMethod] = useState<'cash' | 'card'>('cash');
  const [reference, setReference] = useState('');
  const [tokens, setTokens] = useState<Token[]>([]);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => {
    api<Desk>('GET', `/api/v1/staff/applications/${id}/desk`).then(setDesk, setError);
  }, [id]);
  useEffect(reload, [reload]);
  const state = desk?.application.state;
  useEffect(() => {
    if (state !== 'approved') return;
    api<{ tokens: Token[] }>('GET', '/api/v1/staff/tokens?state=in_stock').then((r) => {
      setTokens(r.tokens);
      if (r.tokens[0]) setToken((cur) => cur || r.tokens[0].serial);
    }, () => setTokens([]));
  }, [state]);

  if (!desk) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;
  const app = desk.application;
  const at = STEPS.findIndex((s) => s.state === app.state);

  const step = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await fn();
      reload();
    } catch (e) {
      setFieldErrors(problemsByField(e));
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const post = (path: string, body?: unknown) => api<Application>('POST', `/api/v1/staff/applications/${id}/${path}`, body);
  const pay = (e: FormEvent) => {
    e.preventDefault();
    void step(async () => setPayment(await api<Payment>('POST', `/api/v1/staff/counter/applications/${id}/payment`, { method, reference })));
  };

  return (
    <section aria-labelledby="sitting-title" className="detail">
      <p>
        <Link href="/staff/counter">← {t('counter.next')}</Link>
      </p>
      <div className="heading-row">
        <h2 id="sitting-title">{t('counter.sitting', { id: app.id })}</h2>
        <StateBadge state={app.state} />
      </div>
      <p className="muted">
        {app.form.organization.name} · {app.form.organization.credit_code} · {app.form.handler.name} {app.form.handler.phone}
      </p>
      {app.channel !== 'counter' && <p className="notice">{t('counter.notCounter')}</p>}
      <ol className="steps" aria-label={t('counter.progress')}>
        {STEPS.map((s, i) => (
          <li key={s.state} className={i < at ? 'done' : i === at ? 'current' : ''} aria-current={i === at ? 'step' : undefined}>
            {t(s.key)}
          </li>
        ))}
      </ol>
      <p className="visually-hidden" aria-live="polite" role="status">
        {t('counter.now', { state: t(`state.${app.state}`) })}
      </p>

      <div className="card">
        {app.state === 'awaiting_payment' && (
          <form onSubmit={pay} noValidate>
            <p className="fee">
              {t('apply.fee')}: <strong>{t('common.yuan', { v: app.quote.total })}</strong>
            </p>
            <div className="choices" role="radiogroup" aria-label={t('counter.method')}>
              <span className="choices-label">{t('counter.method')}</span>
              {(['cash', 'card'] as const).map((m) => (
                <label key={m} className="choice">
                  <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                  {t(`counter.${m}`)}
                </label>
              ))}
            </div>
            {fieldErrors.method && <div className="field-error" role="alert">{fieldErrors.method}</div>}
            <Field label={t(method === 'cash' ? 'counter.receiptNo' : 'counter.slipNo')} error={fieldErrors.reference}>
              {(p) => <input {...p} name="reference" value={reference} onChange={(e) => setReference(e.target.value.trim())} />}
            </Field>
            <button type="submit" className="primary" disabled={busy}>
              {t('counter.takePayment')}
            </button>
          </form>
        )}
        {app.state === 'paid' && (
          <>
            {payment && <p className="ok">{t('counter.paid', { v: payment.amount, order: payment.order_no })}</p>}
            <button type="button" className="primary" disabled={busy} onClick={() => step(() => post('claim'))}>
              {t('staff.claim')}
            </button>
          </>
        )}
        {app.state === 'in_review' && (
          <>
            <p>{t('counter.checkedList', { n: Array.isArray(desk.desk.counter_checked) ? desk.desk.counter_checked.length : 0 })}</p>
            <button type="button" className="primary" disabled={busy} onClick={() => step(() => post('approve'))}>
              {t('staff.approve')}
            </button>
          </>
        )}
        {app.state === 'approved' &&
          (app.business === 'revoke' ? (
            <p className="notice">{t('counter.revokeNeedsOperator')}</p>
          ) : app.business === 'unlock' ? (
            <button type="button" className="primary" disabled={busy} onClick={() => step(() => post('fulfil'))}>
              {t('staff.fulfil')}
            </button>
          ) : (
            <div className="row">
              <Field label={t('staff.token')} error={fieldErrors.token_serial}>
                {(p) => (
                  <select {...p} name="token" value={token} onChange={(e) => setToken(e.target.value)}>
                    {tokens.length === 0 && <option value="">{t('staff.noTokens')}</option>}
                    {tokens.map((k) => (
                      <option key={k.serial} value={k.serial}>
                        {k.serial} · {k.label} · {k.driver}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="button" className="primary" disabled={busy} onClick={() => step(() => post('fulfil', token ? { token_serial: token } : {}))}>
                {t('staff.fulfil')}
              </button>
            </div>
          ))}
        {app.state === 'issued' && (
          <>
            {desk.desk.certificate_serial && <p>{t('counter.issuedOn', { serial: String(desk.desk.certificate_serial), token: String(desk.desk.token_serial ?? '') })}</p>}
            <button type="button" className="primary" disabled={busy} onClick={() => step(() => post('deliver'))}>
              {t('counter.handOver')}
            </button>
          </>
        )}
        {app.state === 'delivered' && (
          <div className="ok" data-certificate={String(desk.desk.certificate_serial ?? '')}>
            <p>{t('counter.done')}</p>
            {desk.desk.certificate_serial && <p>{t('desk.certificate_serial')}: <code>{String(desk.desk.certificate_serial)}</code></p>}
          </div>
        )}
        {busy && <p aria-live="polite">{t('common.loading')}</p>}
        <ErrorBox error={error} />
      </div>
      <p>
        <Link href={`/staff/applications/${app.id}`}>{t('counter.fullRecord')}</Link>
      </p>
    </section>
  );
}
