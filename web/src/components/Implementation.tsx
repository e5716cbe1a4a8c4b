// How an adopted recommendation's implementation goes: the reports its
// responsible body's representatives, the vice-chair and the chair append
// (status, note, evidence, the date described), live from the
// recommendation's document, newest date last; and, for those who may
// report, a form. Before adoption, nothing: the text is still being drafted.
import type * as Y from 'yjs'
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js'
import { triages } from '../access'
import { routes, send, type Me } from '../api'
import { whoIs } from '../people'
import { IMPLEMENTATION_STATUSES, ROOT, type ImplementationStatus } from '../schema'
import { storeOf } from '../ysignals'
import { createAction, day, Field, Outcome, Select, type Choice } from './controls'

export interface ImplementationEntry { id: string, status: ImplementationStatus, note: string, evidence: string, as_of: string, by: string, at: string }

export const STATUS_WORDS: Record<ImplementationStatus, string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  implemented: 'implemented',
  superseded: 'superseded'
}
const STATUS_CHOICES: Choice[] = IMPLEMENTATION_STATUSES.map(status => [status, STATUS_WORDS[status]])

/** Reports in the order of the dates they describe, then of their making: the last is where implementation stands. */
export const inOrder = (entries: ImplementationEntry[]): ImplementationEntry[] =>
  [...entries].sort((a, b) => a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : a.at < b.at ? -1 : 1)

/** A report as a line of a history: the date it describes and the status, the note, the evidence, who reported it. */
export function EntryLine (props: { space: string, entry: ImplementationEntry }): JSX.Element {
  const entry = (): ImplementationEntry => props.entry
  return <>
    <strong>{day(entry().as_of)}: {STATUS_WORDS[entry().status]}.</strong>{entry().note !== '' ? ` ${entry().note}` : ''}
    <Show when={entry().evidence !== ''}> <a href={entry().evidence} rel='noopener noreferrer' target='_blank'>Evidence</a></Show>
    <span class='who'> Reported by {whoIs(props.space, entry().by)}.</span>
  </>
}

/** Whether `me` reports on this recommendation: the vice-chair and the chair, or someone whose delegation its responsible body names. */
function reports (me: Me, responsible: string): boolean {
  return triages(me.role) || (me.role === 'member' && me.delegation.trim() !== '' && responsible.toLowerCase().includes(me.delegation.trim().toLowerCase()))
}

export function Implementation (props: { me: Me, id: string, ydoc: Y.Doc, responsible: () => string }): JSX.Element {
  const entries = storeOf(props.ydoc.getMap<ImplementationEntry>(ROOT.implementationReports))
  const ordered = createMemo(() => inOrder(Object.values(entries)))
  const [status, setStatus] = createSignal<string>(IMPLEMENTATION_STATUSES[0])
  const [asOf, setAsOf] = createSignal(new Date().toISOString().slice(0, 10))
  const [note, setNote] = createSignal('')
  const [evidence, setEvidence] = createSignal('')
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.implementation(props.me.space, props.id), { status: status(), as_of: asOf(), note: note(), evidence: evidence() })
      setNote('')
      setEvidence('')
    }, 'Reported: everyone sees it now.')
  }
  return (
    <section class='column implementation' aria-labelledby='implementation'>
      <h2 id='implementation'>Implementation</h2>
      <Show when={ordered().length > 0} fallback={<p class='who'>Nothing has been reported on its implementation yet.</p>}>
        <p class='implementation-status' data-status={ordered().at(-1)?.status}>Latest: {STATUS_WORDS[ordered().at(-1)?.status ?? 'not-started']}, as of {day(ordered().at(-1)?.as_of ?? '')}.</p>
        <ol class='history'>
          <For each={ordered()}>{entry =>
            <li data-entry={entry.id}><EntryLine space={props.me.space} entry={entry} /></li>
          }</For>
        </ol>
      </Show>
      <Show when={reports(props.me, props.responsible())}>
        <form class='inline' onSubmit={submit} aria-label='Report on its implementation'>
          <Select name='implementation-status' label='Status' options={STATUS_CHOICES} value={status()} onChange={setStatus} />
          <Field label='As of'>
            <input name='as-of' type='date' required value={asOf()} onInput={event => setAsOf(event.currentTarget.value)} />
          </Field>
          <Field label='Note'>
            <input name='note' maxlength={4000} value={note()} onInput={event => setNote(event.currentTarget.value)} />
          </Field>
          <Field label='Evidence (a link)'>
            <input name='evidence' type='url' maxlength={2000} value={evidence()} onInput={event => setEvidence(event.currentTarget.value)} />
          </Field>
          <button type='submit'>Report</button>
          <Outcome of={action} />
        </form>
      </Show>
    </section>
  )
}
