// The application dossier (/applications/{id}) for the officers who handle it: the header with
// the clock, the step the officer may do now (claim it, or complete it: acceptance, review or
// decision), the approving officer's hold on the clock, then the form data under the e-form's
// labels, the materials, the history and the steps. Every action sends the version read; a
// stale one shows the server's words and the dossier reloads. Each read is audited (personal
// data), so the dossier is read again only after an action.
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api.ts';
import { Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { ProblemLoadError, useProblemText } from '../registries/errors.tsx';
import { formsApi } from '../services/form-api.ts';
import { servicesApi } from '../services/api.ts';
import { applicationsApi, INBOX_PATH, type DossierView, type TaskView } from './api.ts';
import { ClockActions } from './clock-forms.tsx';
import { MessageForm } from './message-form.tsx';
import { DossierSummary, FormData, History, Materials, Steps, SupplementNotice } from './dossier-parts.tsx';
import { AcceptanceForm, OpinionForm } from './step-forms.tsx';
import './applications.css';

export function DossierPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const problemText = useProblemText();
  const loaded = useResource(() => applicationsApi.dossier(id), `dossier-${id}`);
  const [view, setView] = useState<DossierView | undefined>();
  useEffect(() => {
    if (loaded.data) setView(loaded.data);
  }, [loaded.data]);
  const code = view?.serviceCode ?? '';
  const service = useResource(() => (code ? servicesApi.get(code) : Promise.resolve(undefined)), `dossier-service-${code}`);
  const form = useResource(() => (code ? formsApi.get(code) : Promise.resolve(undefined)), `dossier-form-${code}`);
  const duties = useResource(() => applicationsApi.duties(session.user.id), `duties-${session.user.id}`);
  const [notice, setNotice] = useState('');
  const [stale, setStale] = useState<ApiError | undefined>();
  const [claimError, setClaimError] = useState<ApiError | undefined>();
  const [claiming, setClaiming] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  // After an action the forms it came from may be gone: focus goes to what happened.
  const focusResult = () => setTimeout(() => resultRef.current?.focus(), 0);
  function done(next: DossierView, message: string) {
    setView(next);
    setStale(undefined);
    setClaimError(undefined);
    setNotice(message);
    focusResult();
  }
  function onStale(error: ApiError) {
    setNotice('');
    setStale(error);
    loaded.reload();
    focusResult();
  }

  if (!view) {
    return (
      <>
        <p className="breadcrumb">
          <Link to={INBOX_PATH}>{t('dossier.back')}</Link>
        </p>
        <PageTitle>{t('dossier.titleLoading')}</PageTitle>
        {loaded.error ? <ProblemLoadError error={loaded.error} onRetry={loaded.reload} /> : <Loading />}
      </>
    );
  }

  const me = session.user.id;
  const held = duties.data?.duties ?? [];
  // Steps of my organization for my duties (a joint department's step of the same duty is theirs).
  // A leader who countersigned once leaves the other signatures to other leaders.
  const signed = view.tasks.some((task) => task.kind === 'countersign' && task.status === 'done' && task.assigneeId === me);
  const open = view.tasks.filter((task) => (task.status === 'open' || task.status === 'claimed') && task.orgId === session.user.orgId && held.includes(task.duty) && !(signed && task.kind === 'countersign'));
  const workable = open.find((task) => task.status === 'open' || task.assigneeId === me);
  const takenBy = workable ? undefined : open.find((task) => task.status === 'claimed');
  const materialName = (key: string) => {
    const m = service.data?.materials.find((x) => x.key === key);
    return m ? (lang === 'en' ? m.nameEn || m.nameZh : m.nameZh || m.nameEn) : key;
  };
  const materials = (service.data?.materials ?? []).filter((m) => !m.fetchable).map((m) => ({ key: m.key, name: lang === 'en' ? m.nameEn || m.nameZh : m.nameZh || m.nameEn }));
  const stepName = (task: TaskView) => (lang === 'en' ? task.nameEn || task.nameZh : task.nameZh || task.nameEn);

  async function claim(task: TaskView) {
    setClaiming(true);
    setClaimError(undefined);
    setStale(undefined);
    try {
      await applicationsApi.claim(task.id, task.version);
      setNotice(t('tasks.claimed', { number: view!.number, step: stepName(task) }));
    } catch (e) {
      setClaimError(e as ApiError);
    } finally {
      setClaiming(false);
      loaded.reload();
    }
  }

  const stepProps = workable && { task: workable, materials, onDone: (next: DossierView) => done(next, t('dossier.act.done')), onStale };
  return (
    <>
      <p className="breadcrumb">
        <Link to={INBOX_PATH}>{t('dossier.back')}</Link>
      </p>
      <PageTitle>{t('dossier.title', { number: view.number })}</PageTitle>
      <div ref={resultRef} tabIndex={-1} className="dossier-result">
        <Notice>{notice}</Notice>
        {stale && (
          <div className="error-summary" role="alert">
            <p>{problemText(stale)}</p>
            <p>{t('dossier.act.stale')}</p>
          </div>
        )}
      </div>
      <DossierSummary view={view} service={service.data} />
      <section className="panel dossier-act" aria-labelledby="dossier-act-title">
        <h2 id="dossier-act-title">{workable ? t('dossier.act.yourStep', { step: stepName(workable) }) : t('dossier.act.title')}</h2>
        {claimError && (
          <div className="error-summary" role="alert">
            <p>{problemText(claimError)}</p>
          </div>
        )}
        {!workable && <p>{takenBy ? t('dossier.act.claimedBy', { step: stepName(takenBy), name: takenBy.assigneeName ?? '' }) : t('dossier.act.noStep')}</p>}
        {workable?.status === 'open' && (
          <div className="button-row">
            <button type="button" className="button button-secondary" disabled={claiming} onClick={() => void claim(workable)} aria-describedby="dossier-claim-hint">
              {t('dossier.act.claim')}
            </button>
            <p className="hint" id="dossier-claim-hint">
              {t('dossier.act.claimHint')}
            </p>
          </div>
        )}
        {stepProps && (workable!.kind === 'acceptance' ? <AcceptanceForm key={`${workable!.id}-${workable!.version}`} {...stepProps} /> : <OpinionForm key={`${workable!.id}-${workable!.version}`} {...stepProps} />)}
      </section>
      {held.includes('approver') && <ClockActions key={view.version} view={view} onDone={done} onStale={onStale} />}
      <SupplementNotice view={view} materialName={materialName} />
      <FormData view={view} form={form.data} />
      <Materials view={view} materialName={materialName} />
      <History view={view} />
      {view.orgId === session.user.orgId && <MessageForm view={view} onDone={done} />}
      <Steps view={view} />
    </>
  );
}
