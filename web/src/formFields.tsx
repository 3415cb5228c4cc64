// The application form's fields, shared by the hall's form (pages/ApplyPage) and the counter
// (pages/staff/CounterPage): values by dotted path ("handler.id_number"), the error shown under a
// field (the server's problem first, then the local check once the field was left or a submit was
// tried), labelled inputs, the fieldset of a person (handler or holder), and the product choice.
import { useState, type Dispatch, type SetStateAction } from 'react';
import type { ApplicationForm, Catalogue } from './api';
import { useI18n } from './i18n';
import { Field } from './ui';
import type { Check } from './validate';

export function useFormFields(
  form: ApplicationForm,
  setForm: Dispatch<SetStateAction<ApplicationForm>>,
  all: Record<string, Check>,
  // Off at the counter: the browser would offer the clerk's own name and e-mail.
  { personAutoComplete = true }: { personAutoComplete?: boolean } = {},
) {
  const { t } = useI18n();
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [attempted, setAttempted] = useState(false);
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});

  const set = (path: string, value: string | number) => {
    setForm((f) => {
      const next: any = structuredClone(f);
      const keys = path.split('.');
      let at = next;
      for (const k of keys.slice(0, -1)) at = at[k];
      at[keys[keys.length - 1]] = value;
      return next;
    });
    setServerProblems((p) => {
      const { [path]: _, ...rest } = p;
      return rest;
    });
    // An 18-character code or ID is checked at once; other fields once left.
    if (typeof value === 'string' && value.length >= 18) setTouched((tt) => ({ ...tt, [path]: true }));
  };
  const get = (path: string): string => {
    let at: any = form;
    for (const k of path.split('.')) at = at?.[k];
    return at == null ? '' : String(at);
  };
  const errorOf = (path: string): string | null => {
    if (serverProblems[path]) return serverProblems[path];
    const c = all[path];
    return c && (touched[path] || attempted) ? t(c.key, c.vars) : null;
  };
  const input = (path: string, label: string, { upper, ...extra }: Record<string, unknown> = {}) => (
    <Field label={label} error={errorOf(path)}>
      {(p) => (
        <input
          {...p}
          {...extra}
          name={path}
          value={get(path)}
          onChange={(e) => set(path, (upper ? e.target.value.toUpperCase() : e.target.value).replace(/^\s+/, ''))}
          onBlur={() => setTouched((tt) => ({ ...tt, [path]: true }))}
        />
      )}
    </Field>
  );
  const person = (prefix: 'handler' | 'holder', legend: string) => (
    <fieldset>
      <legend>{legend}</legend>
      <div className="grid">
        {input(`${prefix}.name`, t('apply.name'), personAutoComplete ? { autoComplete: 'name' } : {})}
        {input(`${prefix}.id_number`, t('apply.idNumber'), { maxLength: 18, upper: true, autoComplete: 'off' })}
        {input(`${prefix}.phone`, t('apply.phone'), { type: 'tel', inputMode: 'numeric', maxLength: 11 })}
        {input(`${prefix}.email`, t('apply.email'), personAutoComplete ? { type: 'email', autoComplete: 'email' } : { type: 'email' })}
      </div>
    </fieldset>
  );
  return { attempted, setAttempted, serverProblems, setServerProblems, set, errorOf, input, person };
}

// The product part of the form: category and product from the catalogue, then the business and
// certificate type the product offers. `locked`: a draft being changed keeps both types.
export function ProductFields(props: {
  catalogue: Catalogue;
  category: number;
  productIndex: number;
  onProduct: (category: number, productIndex: number) => void;
  business: string;
  onBusiness: (business: string) => void;
  certType: string;
  onCertType: (certType: string) => void;
  locked?: boolean;
}) {
  const { t } = useI18n();
  const { catalogue, category, productIndex, business, certType, locked = false } = props;
  const product = catalogue.categories[category]?.products[productIndex];
  return (
    <fieldset>
      <legend>{t('apply.product')}</legend>
      <div className="grid">
        <Field label={t('apply.category')}>
          {(p) => (
            <select {...p} name="category" value={category} onChange={(e) => props.onProduct(+e.target.value, 0)}>
              {catalogue.categories.map((c, i) => (
                <option key={c.name} value={i}>{c.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('apply.product')}>
          {(p) => (
            <select {...p} name="product" value={productIndex} onChange={(e) => props.onProduct(category, +e.target.value)}>
              {catalogue.categories[category].products.map((pr, i) => (
                <option key={pr.name} value={i}>{pr.name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="choices" role="radiogroup" aria-label={t('apply.business')}>
        <span className="choices-label">{t('apply.business')}</span>
        {product?.business.map((b) => (
          <label key={b.business} className="choice">
            <input type="radio" name="business" value={b.business} checked={business === b.business} disabled={locked} onChange={() => props.onBusiness(b.business)} />
            {b.label}
          </label>
        ))}
      </div>
      <div className="choices" role="radiogroup" aria-label={t('apply.certType')}>
        <span className="choices-label">{t('apply.certType')}</span>
        {product?.cert_types.map((c) => (
          <label key={c.type} className="choice">
            <input type="radio" name="cert_type" value={c.type} checked={certType === c.type} disabled={locked} onChange={() => props.onCertType(c.type)} />
            {c.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
