// A recommendation's brackets: marked in every editor with their state, and
// listed beside the texts, each with who holds it and why, a way to show it
// in its text, and the controls each role has: a member holds or releases
// it; the vice-chair and the chair change its holders, reason and state,
// and clear it, keeping one of its options.
import * as Y from 'yjs'
import { createMemo, createSignal, For, onCleanup, Show, type Accessor, type JSX } from 'solid-js'
import { edits, triages } from '../access'
import { routes, send, type Me } from '../api'
import { bracketsIn, stateText, type BracketRecord, type FoundBracket } from '../brackets'
import { BRACKET_STATES, ROOT, type BracketState } from '../schema'
import { sameList } from '../ysignals'
import { nameOf } from '../people'
import { createAction, Field, focusIfLost, Outcome, Select, when, type Choice } from './controls'
import { reveal, type Mark } from './Editor'

/** A text of the recommendation, as the brackets list names it. */
export interface NamedText { location: string, name: string, text: Y.Text }

/** A bracket found in a text, with its record. */
interface Listed { place: NamedText, bracket: FoundBracket, record: BracketRecord | undefined }

const records = (ydoc: Y.Doc): Y.Map<BracketRecord> => ydoc.getMap<BracketRecord>(ROOT.brackets)

/** Who holds a bracket, in a few words: people by name, delegations as written. */
const heldBy = (space: string, record: BracketRecord | undefined): string =>
  (record?.holders ?? []).length > 0 ? `held by ${(record?.holders ?? []).map(holder => nameOf(space, holder)).join(', ')}` : 'held by nobody yet'

/** The marks of `text`'s brackets, for its editor. */
export function bracketMarks (space: string, text: Y.Text): () => Mark[] {
  return () => {
    const map = text.doc === null ? undefined : records(text.doc)
    return bracketsIn(text).map(bracket => {
      const record = map?.get(bracket.id)
      const state = record?.state ?? 'open'
      return {
        from: bracket.from,
        to: bracket.to,
        class: `bracket bracket-${state}`,
        attributes: { 'data-bracket': bracket.id, 'data-state': state, title: `Bracket, ${stateText(record)}, ${heldBy(space, record)}${record?.reason !== undefined && record.reason !== '' ? `: ${record.reason}` : ''}` }
      }
    })
  }
}

/**
 * Every bracket of `texts`, read again once each transaction of the
 * document is over (a record changed, or a text).
 */
function followBrackets (ydoc: Y.Doc, texts: Accessor<NamedText[]>): Accessor<Map<string, Listed>> {
  const read = (): Map<string, Listed> => new Map(texts().flatMap(place =>
    bracketsIn(place.text).map(bracket => [bracket.id, { place, bracket, record: records(ydoc).get(bracket.id) }] as const)))
  const [listed, setListed] = createSignal(read())
  let due = false
  const update = (): void => {
    if (due) return
    due = true
    queueMicrotask(() => { due = false; setListed(read()) })
  }
  ydoc.on('afterTransaction', update)
  onCleanup(() => ydoc.off('afterTransaction', update))
  return listed
}

interface Props {
  me: Me
  /** The recommendation's id. */
  id: string
  ydoc: Y.Doc
  texts: Accessor<NamedText[]>
  /** Whether the brackets may be changed here now (a live recommendation, not adopted). */
  changeable: Accessor<boolean>
}

export function BracketList (props: Props): JSX.Element {
  const listed = followBrackets(props.ydoc, props.texts)
  // Each bracket's item is drawn once, by its id, and follows it: a form
  // open on it keeps what was typed while anyone edits the text.
  const ids = createMemo(() => [...listed().keys()], [], { equals: sameList })
  const cleared = (): Array<[string, BracketRecord]> => [...records(props.ydoc).entries()].filter(([, record]) => record.cleared !== undefined)
  const [clearedShown, setClearedShown] = createSignal<Array<[string, BracketRecord]>>(cleared())
  const updateCleared = (): void => { setClearedShown(cleared()) }
  records(props.ydoc).observe(updateCleared)
  onCleanup(() => records(props.ydoc).unobserve(updateCleared))
  return (
    <section class='bracket-list' aria-label='Brackets'>
      <h2>Brackets <span class='count'>({ids().length} open)</span></h2>
      <Show when={ids().length > 0} fallback={<p class='who'>No text is in brackets.</p>}>
        <ul>
          <For each={ids()}>{id => <Show when={listed().get(id)}>{item => <BracketItem {...props} item={item()} />}</Show>}</For>
        </ul>
      </Show>
      <Show when={clearedShown().length > 0}>
        <details class='cleared'>
          <summary>Cleared ({clearedShown().length})</summary>
          <ul>
            <For each={clearedShown()}>{([id, record]) =>
              <li data-cleared={id}>
                <q>{record.cleared?.passage}</q> → {record.cleared?.kept !== '' ? <q>{record.cleared?.kept}</q> : 'removed'}
                {record.changed_by !== undefined ? `, by ${record.changed_by}` : ''}{record.changed_at !== undefined ? `, ${when(record.changed_at)}` : ''}
              </li>
            }</For>
          </ul>
        </details>
      </Show>
    </section>
  )
}

function BracketItem (props: Props & { item: Listed }): JSX.Element {
  const { me } = props
  const bracket = (): FoundBracket => props.item.bracket
  const record = (): BracketRecord | undefined => props.item.record
  const mine = (): boolean => (record()?.holders ?? []).includes(me.user)
  const action = createAction()
  const [form, setForm] = createSignal<'hold' | 'change' | 'clear'>()
  const change = (body: object, done: string): void => {
    void action.run(async () => {
      await send('PATCH', routes.bracket(me.space, props.id, bracket().id), body)
      setForm(undefined)
    }, done)
  }
  return (
    <li class='bracket-item' data-bracket-item={bracket().id} data-state={record()?.state ?? 'open'}>
      <p>
        <span class='where'>{props.item.place.name}</span>{' '}
        <button type='button' class='link' aria-label={`Show the bracket ${bracket().passage} in ${props.item.place.name}`}
          onClick={() => reveal(props.item.place.text, bracket().from, bracket().to)}>
          <q>{bracket().passage}</q>
        </button>
      </p>
      <p class='bracket-state'>
        <span class={`badge bracket-${record()?.state ?? 'open'}`}>{stateText(record())}</span>{' '}
        <span data-holders>{heldBy(me.space, record())}</span>
        <Show when={(record()?.reason ?? '') !== ''}><span class='reason'>: {record()?.reason}</span></Show>
      </p>
      <Show when={props.changeable() && edits(me.role)}>
        <div class='controls'>
          <Show when={mine()} fallback={
            <button type='button' data-hold={bracket().id} onClick={() => setForm(form() === 'hold' ? undefined : 'hold')}>Hold</button>
          }>
            <button type='button' data-release={bracket().id} onClick={() => change({ hold: false }, 'You no longer hold it.')}>Release</button>
          </Show>
          <Show when={triages(me.role)}>
            <button type='button' data-change-bracket={bracket().id} onClick={() => setForm(form() === 'change' ? undefined : 'change')}>Change…</button>
            <button type='button' data-clear={bracket().id} onClick={() => setForm(form() === 'clear' ? undefined : 'clear')}>Clear…</button>
          </Show>
        </div>
        <Show when={form() === 'hold'}>
          <HoldForm asks={(record()?.reason ?? '') === ''} onSubmit={reason => change({ hold: true, reason: reason !== '' ? reason : undefined }, 'You hold it.')} onCancel={() => setForm(undefined)} />
        </Show>
        <Show when={form() === 'change'}>
          <ChangeForm record={record()} onSubmit={body => change(body, 'Bracket changed.')} onCancel={() => setForm(undefined)} />
        </Show>
        <Show when={form() === 'clear'}>
          <ClearForm bracket={bracket()} onSubmit={body => change(body, 'Bracket cleared.')} onCancel={() => setForm(undefined)} />
        </Show>
      </Show>
      <Outcome of={action} />
    </li>
  )
}

/** Holding a bracket; with a reason, if `asks` (the bracket has none yet: the group's reason is the vice-chair's and the chair's to change). */
function HoldForm (props: { asks: boolean, onSubmit: (reason: string) => void, onCancel: () => void }): JSX.Element {
  const [reason, setReason] = createSignal('')
  return (
    <form class='bracket-form' onSubmit={event => { event.preventDefault(); props.onSubmit(props.asks ? reason().trim() : '') }}>
      <Show when={props.asks}>
        <Field label='Why you hold it (optional)'>
          <input ref={field => focusIfLost(field)} name='reason' maxlength={2000} value={reason()} onInput={event => setReason(event.currentTarget.value)} />
        </Field>
      </Show>
      <button type='submit'>Hold it</button> <button type='button' onClick={() => props.onCancel()}>Cancel</button>
    </form>
  )
}

/** The states a bracket is set to by hand: clearing edits the text, so it has a form of its own. */
const SETTABLE: Choice[] = BRACKET_STATES.filter(state => state !== 'cleared').map(state => [state, stateText({ state, pending: '(name it below)' })])

function ChangeForm (props: { record: BracketRecord | undefined, onSubmit: (body: object) => void, onCancel: () => void }): JSX.Element {
  const [state, setState] = createSignal<string>(props.record?.state ?? 'open')
  const [pending, setPending] = createSignal(props.record?.pending ?? '')
  const [holders, setHolders] = createSignal((props.record?.holders ?? []).join(', '))
  const [reason, setReason] = createSignal(props.record?.reason ?? '')
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    props.onSubmit({
      state: state() as BracketState,
      pending: state() === 'pending' ? pending().trim() : undefined,
      holders: holders().split(',').map(holder => holder.trim()).filter(holder => holder !== ''),
      reason: reason().trim()
    })
  }
  return (
    <form class='bracket-form' onSubmit={submit}>
      <Select name='state' label='State' options={SETTABLE} value={state()} onChange={setState} />
      <Show when={state() === 'pending'}>
        <Field label='Pending which delegation'>
          <input name='pending' required maxlength={200} value={pending()} onInput={event => setPending(event.currentTarget.value)} />
        </Field>
      </Show>
      <Field label='Held by (people or delegations, separated by commas)'>
        <input name='holders' maxlength={2000} value={holders()} onInput={event => setHolders(event.currentTarget.value)} />
      </Field>
      <Field label='Reason'>
        <input name='reason' maxlength={2000} value={reason()} onInput={event => setReason(event.currentTarget.value)} />
      </Field>
      <button type='submit'>Save the bracket</button> <button type='button' onClick={() => props.onCancel()}>Cancel</button>
    </form>
  )
}

/** What clearing keeps: an option by its place, or nothing. */
const REMOVE = 'remove'

function ClearForm (props: { bracket: FoundBracket, onSubmit: (body: object) => void, onCancel: () => void }): JSX.Element {
  const choices = (): Choice[] => [
    ...props.bracket.options.map((option, i): Choice => [String(i), option !== '' ? `Keep “${option}”` : 'Keep nothing of it']),
    [REMOVE, 'Remove the whole passage']
  ]
  const [kept, setKept] = createSignal('0')
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    props.onSubmit(kept() === REMOVE ? { state: 'cleared', remove: true } : { state: 'cleared', keep: Number(kept()) })
  }
  return (
    <form class='bracket-form' onSubmit={submit}>
      <Select name='keep' label='Clearing the bracket edits the text' options={choices()} value={kept()} onChange={setKept} />
      <button type='submit' data-action='clear-bracket'>Clear the bracket</button> <button type='button' onClick={() => props.onCancel()}>Cancel</button>
    </form>
  )
}
