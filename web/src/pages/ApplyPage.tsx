import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, type Application, type ApplicationForm, type Catalogue, type Person, type ServicePoint } from '../api';
import { ProductFields, useFormFields } from '../formFields';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Field, yuan } from '../ui';
import { checkCreditCode, checkEmail, checkMobile, checkResidentId, checkText, type Check } from '../validate';

const emptyPerson = (): Person => ({ name: '', id_number: '', phone: '', email: '' });

export function emptyForm(): ApplicationForm {
  return {
    organization: { name: '', credit_code: '' },
    handler: emptyPerson(),
    holder: null,
    algorithm: 'sm2',
    years: 1,
    delivery: 'post',
    address: '',
    recipient: '',
    recipient_phone: '',
    service_point: '',
    certificate_serial: '',
    revoke_reason: '',
    remarks: '',
  };
}

const REVOKE_REASONS: [string, string, string][] = [
  ['unspecified', '未说明', 'Unspecified'],
  ['keyCompromise', '密钥泄露', 'Key compromise'],
  ['affiliationChanged', '单位信息变更', 'Affiliation changed'],
  ['superseded', '已被替代', 'Superseded'],
  ['cessationOfOperation', '停止使用', 'Cessation of operation'],
];

export const ALGORITHMS: Record<string, string> = { sm2: 'SM2（国密）', 'ecdsa-p256': 'ECDSA P-256', rsa2048: 'RSA 2048' };

// Every field's live check, by the API's field path (without the "form." prefix); the same rules
// as src/ra/validation.cpp.
export function checks(form: ApplicationForm, business: string, certType: string, ships: boolean): Record<string, Check> {
  const out: Record<string, Check> = {};
  out['organization.name'] = checkText(form.organization.name, 2, 100);
  out['organization.credit_code'] = checkCreditCode(form.organization.credit_code);
  const person = (prefix: string, p: Person, contact: boolean) => {
    out[`${prefix}.name`] = checkText(p.name, 2, 30);
    out[`${prefix}.id_number`] = checkResidentId(p.id_number);
    out[`${prefix}.phone`] = checkMobile(p.phone, contact);
    out[`${prefix}.email`] = checkEmail(p.email, contact);
  };
  person('handler', form.handler, true);
  if (certType === 'organization-individual' && form.holder) person('holder', form.holder, false);
  if (business !== 'new') {
    const s = form.certificate_serial;
    out['certificate_serial'] = !s ? { key: 'v.required' } : /^[0-9a-fA-F]{1,40}$/.test(s) ? null : { key: 'v.length', vars: { min: 1, max: 40, n: s.length } };
  }
  if (business === 'revoke') out['revoke_reason'] = form.revoke_reason ? null : { key: 'v.required' };
  if (ships) {
    if (form.delivery === 'post') {
      out['address'] = checkText(form.address, 5, 200);
      out['recipient'] = checkText(form.recipient, 2, 30, false);
      out['recipient_phone'] = checkMobile(form.recipient_phone, false);
    } else {
      out['service_point'] = form.service_point ? null : { key: 'v.required' };
    }
  }
  out['remarks'] = checkText(form.remarks, 0, 500, false);
  return out;
}

// New (POST) or, with `existing`, a change of a draft or returned application's form (PUT with the
// version read: a concurrent change is refused with 409).
export function ApplyPage({ existing }: { existing?: Application }) {
  const { t, lang } = useI18n();
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [points, setPoints] = useState<ServicePoint[]>([]);
  const [category, setCategory] = useState(0);
  const [productIndex, setProductIndex] = useState(0);
  const [business, setBusiness] = useState(existing?.business ?? 'new');
  const [certType, setCertType] = useState(existing?.cert_type ?? 'organization');
  const [form, setForm] = useState<ApplicationForm>(() => (existing ? structuredClone(existing.form) : emptyForm()));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Catalogue>('GET', '/api/v1/catalogue').then(setCatalogue, setError);
    api<{ service_points: ServicePoint[] }>('GET', '/api/v1/service-points').then((r) => setPoints(r.service_points), () => {});
  }, []);

  const product = catalogue?.categories[category]?.products[productIndex];
  const rule = product?.business.find((b) => b.business === business);
  const offer = product?.cert_types.find((c) => c.type === certType);
  const ships = rule?.token === 'new';
  const all = useMemo(() => checks(form, business, certType, ships), [form, business, certType, ships]);
  const { setAttempted, setServerProblems, set, errorOf, input, person } = useFormFields(form, setForm, all);

  useEffect(() => {
    if (offer && !offer.years.includes(form.years)) setForm((f) => ({ ...f, years: offer.years[0] }));
  }, [offer, form.years]);
  useEffect(() => {
    setForm((f) => ({ ...f, holder: certType === 'organization-individual' ? f.holder ?? emptyPerson() : null }));
  }, [certType]);

  const fee = (() => {
    const f = rule?.fees[certType];
    if (!f) return 0;
    return f.flat_fen + f.per_year_fen * (business === 'new' || business === 'renew' ? form.years : 1);
  })();


  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setError(null);
    const problems = Object.entries(all).filter(([, c]) => c);
    if (problems.length) {
      setError(new ApiError(422, 'client', t('apply.fix', { n: problems.length })));
      const first = document.querySelector<HTMLElement>(`[name="${problems[0][0]}"]`);
      first?.focus();
      return;
    }
    setBusy(true);
    try {
      const body: ApplicationForm = { ...form, holder: certType === 'organization-individual' ? form.holder : null };
      const app = existing
        ? await api<Application>('PUT', `/api/v1/applications/${existing.id}`, { version: existing.version, form: body })
        : await api<Application>('POST', '/api/v1/applications', { business, cert_type: certType, form: body });
      navigate(`/applications/${app.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.problems.length) {
        const byField: Record<string, string> = {};
        for (const p of err.problems) byField[p.field.replace(/^form\./, '')] = p.message;
        setServerProblems(byField);
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!catalogue) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;


  return (
    <section aria-labelledby="apply-title">
      <h1 id="apply-title">{existing ? t('apply.editTitle', { id: existing.id }) : t('apply.title')}</h1>
      <form onSubmit={submit} noValidate>
        <ProductFields
          catalogue={catalogue}
          category={category}
          productIndex={productIndex}
          onProduct={(c, i) => { setCategory(c); setProductIndex(i); }}
          business={business}
          onBusiness={setBusiness}
          certType={certType}
          onCertType={setCertType}
          locked={!!existing}
        />

        <fieldset>
          <legend>{t('apply.org')}</legend>
          <div className="grid">
            {input('organization.name', t('apply.orgName'), { autoComplete: 'organization' })}
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
                    {REVOKE_REASONS.map(([v, zh, en]) => (
                      <option key={v} value={v}>{lang === 'zh' ? zh : en}</option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
        </fieldset>

        {ships && (
          <fieldset>
            <legend>{t('apply.delivery')}</legend>
            <div className="choices" role="radiogroup" aria-label={t('apply.delivery')}>
              {(['post', 'pickup'] as const).map((d) => (
                <label key={d} className="choice">
                  <input type="radio" name="delivery" value={d} checked={form.delivery === d} onChange={() => set('delivery', d)} />
                  {t(`apply.${d}`)}
                </label>
              ))}
            </div>
            {form.delivery === 'post' ? (
              <div className="grid">
                {input('address', t('apply.address'), { autoComplete: 'street-address' })}
                {input('recipient', t('apply.recipient'))}
                {input('recipient_phone', t('apply.recipientPhone'), { type: 'tel', maxLength: 11 })}
              </div>
            ) : (
              <Field label={t('apply.servicePoint')} error={errorOf('service_point')}>
                {(p) => (
                  <select {...p} name="service_point" value={form.service_point} onChange={(e) => set('service_point', e.target.value)}>
                    <option value="">{t('apply.choose')}</option>
                    {points.map((sp) => (
                      <option key={sp.id} value={sp.id}>
                        {lang === 'zh' ? `${sp.district} · ${sp.name}` : sp.name_en}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </fieldset>
        )}

        <Field label={t('apply.remarks')} error={errorOf('remarks')}>
          {(p) => <textarea {...p} name="remarks" rows={2} value={form.remarks} onChange={(e) => set('remarks', e.target.value)} />}
        </Field>

        <p className="fee" aria-live="polite">
          {t('apply.fee')}: <strong>{t('common.yuan', { v: yuan(fee) })}</strong>
        </p>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {existing ? t('common.save') : t('apply.submit')}
        </button>
      </form>
    </section>
  );
}
