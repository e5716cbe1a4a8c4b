// A recommendation's page: the majority text and each alternative side by
// side, the structured fields, support, and the chair's controls. The same
// page shows a branch proposal's copy (editable by its author's group) and
// a named version's copy (never editable).
//
// Every part reads only the Yjs values it shows, through signals, so a
// remote change (a support, a new alternative, a status) redraws that part
// alone; the editors are made once and live as long as their texts.
import * as Y from 'yjs'
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show, type Accessor, type JSX } from 'solid-js'
import { ADOPTED, FIRST_STATUS, edits, runsTheSpace, triages } from '../access'
import { address } from '../address'
import { diffable, getJson, Refused, routes, send, type Diff, type Me, type Version } from '../api'
import { BracketList, bracketMarks, type NamedText } from '../components/Brackets'
import { CommentList, commentMarks, type Selected } from '../components/Comments'
import { SuggestionList, suggestionMarks } from '../components/Suggestions'
import type { Mark } from '../marks'
import type { Draft } from '../suggesting'
import { createAction, ExportLinks, Field, focusIfLost, Outcome, Select, StatusBadge, when, type Choice } from '../components/controls'
import { DiffBox, loadDiffs } from '../components/Diff'
import { Editor } from '../components/Editor'
import { Implementation } from '../components/Implementation'
import { Timeline } from '../components/Timeline'
import { NewAlternative } from '../components/NewAlternative'
import { Frame } from '../components/Header'
import { nameOf, whoIs } from '../people'
import { openLive, saveState, syncedOnce, type Live, type SaveState, type Saving } from '../live'
import { ALTERNATIVE, CONSENSUS_LEVELS, FIELDS, MAJORITY, META, ROOT, STATUSES, branchDoc, recommendationDoc, versionDoc, type ConsensusLevel, type FieldKey, type ProposalStatus, type Status } from '../schema'
import { refusal } from '../reach'
import { fromY, sameList } from '../ysignals'

/** The field that names who implements a recommendation: its representatives report on it. */
const RESPONSIBLE: FieldKey = 'responsible'

/** What the page shows: the live recommendation, a branch, or a version. */
export type Source =
  | { kind: 'live', id: string }
  | { kind: 'branch', proposal: string }
  | { kind: 'version', version: string, id: string }

function docOf (source: Source): string {
  switch (source.kind) {
    case 'live': return recommendationDoc(source.id)
    case 'branch': return branchDoc(source.proposal)
    case 'version': return versionDoc(source.version, source.id)
  }
}

/** Opens the document, and draws the page once it holds the server's state (and, for a version, once the version is known). */
export function RecommendationPage (props: { me: Me, source: Source }): JSX.Element {
  const live = openLive(props.me, docOf(props.source))
  const synced = syncedOnce(live)
  const source = props.source
  const [version] = createResource(
    () => source.kind === 'version' ? source.version : false,
    async id => (await getJson<Version[]>(routes.versions(props.me.space))).find(v => v.id === id) ?? null)
  const ready = (): boolean => synced() && (source.kind !== 'version' || version() !== undefined)
  return (
    <Show when={ready()} fallback={<Frame me={props.me} title='Connecting…' current='recommendation' live={live}>{null}</Frame>}>
      <Show when={live.ydoc.getMap(ROOT.meta).get(META.id) !== undefined} fallback={
        <Frame me={props.me} title='Not found' current='recommendation' live={live}>
          <p class='error' role='alert'>There is no such recommendation here.</p>
        </Frame>
      }>
        <Recommendation me={props.me} source={source} live={live} version={version() ?? undefined} />
      </Show>
    </Show>
  )
}

interface PageProps { me: Me, source: Source, live: Live, version: Version | undefined }

const compare = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

/**
 * The alternatives' ids in the order they were made (then by id), the same
 * on every page: the map's own order follows how each page happened to
 * receive them.
 */
function inOrderMade (alternatives: Y.Map<Y.Map<unknown>>): string[] {
  const made = (id: string): string => String(alternatives.get(id)?.get(ALTERNATIVE.createdAt) ?? '')
  return [...alternatives.keys()].sort((a, b) => compare(made(a), made(b)) || compare(a, b))
}

/** What every part of the page shares. */
interface Shared {
  me: Me
  source: Source
  live: Live
  /** The recommendation's id (a branch's too: the one it copies). */
  id: string
  status: Accessor<Status>
  /** Whether the texts take input now. */
  editable: Accessor<boolean>
  /** The majority text as it stands, for the stale markers. */
  majorityText: Accessor<string>
  alternatives: Y.Map<Y.Map<unknown>>
  /** The status this page asked for, so that its arrival is not announced as someone else's doing. */
  ownStatus: OwnStatus
  /** What an editor of `text` shows over it and does with what is selected and suggested in it. */
  annotate: (text: NamedText) => Annotations
  /** Whether what this person types becomes suggestions. */
  suggesting: Accessor<boolean>
}

/** The marks over one text, what its selection is for, and where its suggestions go. */
interface Annotations { marks: () => Mark[], onSelection: (from: number, to: number) => void, onSuggest: (draft: Draft, quote: string) => Promise<boolean> }

/**
 * Brackets, comments and suggestions over `place`'s text; a selection in
 * it becomes what a new comment is on; a suggestion written in it is sent.
 */
function annotations (space: string, place: NamedText, select: (selected: Selected | undefined) => void, suggest: (place: NamedText, draft: Draft, quote: string) => Promise<boolean>): Annotations {
  const layers = [bracketMarks(space, place.text), commentMarks(space, place.text), suggestionMarks(space, place.text)]
  return {
    marks: () => layers.flatMap(layer => layer()),
    onSelection: (from, to) => {
      if (from === to) return
      select({ place, from, to, quote: place.text.toString().slice(from, to) })
    },
    onSuggest: async (draft, quote) => await suggest(place, draft, quote)
  }
}

function Recommendation (props: PageProps): JSX.Element {
  const { me, source, live } = props
  const { ydoc } = live
  const meta = ydoc.getMap(ROOT.meta)
  const metaValue = <T,>(key: string): Accessor<T | undefined> => fromY(meta, () => meta.get(key) as T | undefined)
  const id = String(meta.get(META.id))
  const storedStatus = metaValue<Status>(META.status)
  const status = (): Status => storedStatus() ?? FIRST_STATUS
  const consensus = metaValue<ConsensusLevel>(META.consensus)
  const topic = metaValue<string>(META.topic)
  const number = metaValue<number>(META.number)
  const title = metaValue<string>(META.title)
  // A branch's author, and what became of its proposal once closed.
  const author = metaValue<string>(META.author)
  const closed = metaValue<ProposalStatus>(META.closed)
  // The role and the kind of page are fixed; adoption may freeze a live
  // recommendation while the page is open, and reopening thaw it; a
  // branch takes its author's edits (and those who merge) until its
  // proposal closes. The server holds to the same rules.
  const editable = createMemo(() => {
    // Once the server stops serving the page (a revoked or expired
    // sign-in, say), nothing typed here would be kept.
    if (!edits(me.role) || refusal() !== undefined) return false
    switch (source.kind) {
      case 'live': return status() !== ADOPTED
      case 'branch': return closed() === undefined && (triages(me.role) || author() === undefined || author() === me.user)
      case 'version': return false
    }
  })
  const majority = ydoc.getText(ROOT.text)
  const alternatives = ydoc.getMap<Y.Map<unknown>>(ROOT.alternatives)
  const versionName = (): string => props.version?.name ?? (source.kind === 'version' ? source.version : '')
  const heading = (): string => {
    const name = `${topic()}.${number()} ${title()}`
    switch (source.kind) {
      case 'live': return name
      case 'branch': return `Branch of ${name}`
      case 'version': return `${name}, as of “${versionName()}”`
    }
  }
  const alternativeIds = fromY(alternatives, () => inOrderMade(alternatives), { equals: sameList })
  // Every text, named as the lists beside them name it: the majority text,
  // the alternatives, then the fields.
  const alternativeTexts = fromY(alternatives, () => alternativeIds().flatMap((altId): NamedText[] => {
    const alt = alternatives.get(altId)
    const text = alt?.get(ALTERNATIVE.text)
    return text instanceof Y.Text ? [{ location: `${ROOT.alternatives}/${altId}`, name: `Alternative “${String(alt?.get(ALTERNATIVE.label))}”`, text }] : []
  }), { deep: true, equals: (a, b) => a.length === b.length && a.every((t, i) => t.text === b[i].text && t.name === b[i].name) })
  // The words selected last in any text, for a comment on them.
  const [selected, setSelected] = createSignal<Selected>()
  // Suggesting: typing becomes suggestions, each sent as it is written;
  // whether one was refused is said beside the switch.
  const [suggesting, setSuggesting] = createSignal(false)
  const suggestionSent = createAction()
  const sendSuggestion = async (place: NamedText, draft: Draft, quote: string): Promise<boolean> => {
    let taken = false
    await suggestionSent.run(async () => {
      await send('POST', routes.suggestions(me.space, id), { location: place.location, from: draft.from, to: draft.to, quote, text: draft.text })
      taken = true
    })
    return taken
  }
  const maySuggest = (): boolean => source.kind === 'live' && edits(me.role) && status() !== ADOPTED && refusal() === undefined
  const shared: Shared = { me, source, live, id, status, editable, majorityText: fromY(majority, () => majority.toString()), alternatives, ownStatus: ownStatus(), annotate: text => annotations(me.space, text, setSelected, sendSuggestion), suggesting }
  const texts = createMemo((): NamedText[] => [
    { location: ROOT.text, name: 'Majority text', text: majority },
    ...alternativeTexts(),
    ...FIELDS.map(field => ({ location: field.key, name: field.title, text: ydoc.getText(field.key) }))
  ])
  // Followed for the page's whole life: an edit in flight when the text is
  // frozen may yet be refused, and that must be said.
  const saving = saveState(live)
  return (
    <Frame me={me} title={heading()} current='recommendation' live={live}>
      <div class='status-line'>
        <StatusBadge status={status()} />
        <span>consensus: {consensus() ?? '—'}</span>
        <Show when={runsTheSpace(me.role) && source.kind === 'live'}>
          <StatusControls shared={shared} consensus={consensus} />
        </Show>
        <Show when={maySuggest()}>
          <button type='button' class='suggest-toggle' data-action='suggest' aria-pressed={suggesting()} onClick={() => setSuggesting(!suggesting())}>
            {suggesting() ? 'Suggesting: typing suggests' : 'Suggest changes'}
          </button>
          <Outcome of={suggestionSent} />
        </Show>
        {/* Said while the texts take input, and after, until what it says is "saved". */}
        <Show when={editable() || saving.state() !== 'saved'}>
          <SaveIndicator saving={saving} />
        </Show>
      </div>
      <Announcer shared={shared} />
      <Show when={!editable()}>
        <p class='readonly-note' role='note'>
          <ReadOnlyReason me={me} source={source} version={props.version} versionName={versionName()} author={author()} closed={closed()} />
        </p>
      </Show>
      <div class='with-side'>
      <div class='main-texts'>
      <div class='columns'>
        <section class='column majority' data-column={MAJORITY} aria-label='Majority text'>
          <h2>Majority text</h2>
          <Editor text={majority} awareness={live.provider.awareness} editable={editable()} suggesting={suggesting() && maySuggest()} label='Majority text' {...shared.annotate(texts()[0])} />
          <SupportButton shared={shared} choice={MAJORITY} name={choiceName(MAJORITY)} />
        </section>
        <For each={alternativeIds()}>{altId =>
          <AlternativeColumn shared={shared} id={altId} />
        }</For>
      </div>
      <Show when={source.kind === 'live' && editable()}>
        <NewAlternative me={me} recommendation={id} />
      </Show>
      <h2>Tasks, implementation and monitoring</h2>
      <div class='fields'>
        <For each={FIELDS}>{field =>
          <div>
            <h3 class='field'>{field.title}</h3>
            <Editor text={ydoc.getText(field.key)} awareness={live.provider.awareness} editable={editable()} suggesting={suggesting() && maySuggest()} label={field.title} {...shared.annotate({ location: field.key, name: field.title, text: ydoc.getText(field.key) })} />
          </div>
        }</For>
      </div>
      </div>
      <aside class='side'>
        <BracketList me={me} id={id} ydoc={ydoc} texts={texts} changeable={() => source.kind === 'live' && status() !== ADOPTED && refusal() === undefined} />
        <SuggestionList me={me} id={id} ydoc={ydoc} texts={texts} decidable={() => source.kind === 'live' && status() !== ADOPTED && refusal() === undefined} />
        <CommentList me={me} id={id} ydoc={ydoc} texts={texts} selected={selected} commentable={() => source.kind === 'live' && refusal() === undefined} />
      </aside>
      </div>
      <Show when={status() === ADOPTED && source.kind !== 'branch'}>
        <Implementation me={me} id={id} ydoc={ydoc} responsible={fromY(ydoc.getText(RESPONSIBLE), () => ydoc.getText(RESPONSIBLE).toString())} />
      </Show>
      <Show when={source.kind === 'live'}>
        <Timeline me={me} id={id} ydoc={ydoc} />
      </Show>
      <ExportLinks space={me.space} version={source.kind === 'version' ? source.version : undefined} />
    </Frame>
  )
}

interface ReadOnlyProps { me: Me, source: Source, version: Version | undefined, versionName: string, author: string | undefined, closed: ProposalStatus | undefined }

/** Why the texts do not take input. */
function ReadOnlyReason (props: ReadOnlyProps): JSX.Element {
  const source = props.source
  const refused = refusal()
  if (refused !== undefined && edits(props.me.role)) return `This page no longer takes edits: ${refused}.`
  if (source.kind === 'branch' && edits(props.me.role)) {
    return props.closed !== undefined
      ? <>This branch's proposal is {props.closed}: its text no longer changes. <a href={address(props.me.space, 'inbox')}>See what became of it</a></>
      : `This is ${props.author !== undefined ? nameOf(props.me.space, props.author) : 'another member'}'s branch: only they, the vice-chair and the chair change it.`
  }
  if (source.kind === 'version') {
    const by = props.version !== undefined ? ` (${when(props.version.created_at)}, by ${nameOf(props.me.space, props.version.created_by)})` : ''
    return <>
      This is the text as it stood when the version “{props.versionName}” was named{by}: it never changes.{' '}
      <a href={address(props.me.space, 'recommendation', source.id)}>See the live text</a>
    </>
  }
  return edits(props.me.role)
    ? 'This recommendation is adopted: its text is frozen.'
    : 'You are watching as an observer: the text updates live, and you cannot change it.'
}

/** A status and consensus level, as one value to compare. */
const statusKey = (status: string, consensus: string | undefined): string => `${status}/${consensus ?? ''}`

interface OwnStatus {
  /** Notes the status and consensus level this page asks the server for (or, refused, none). */
  ask: (key: string | undefined) => void
  /** Whether the status and consensus level that just arrived are those asked for; each is owned once. */
  owns: (key: string) => boolean
}

function ownStatus (): OwnStatus {
  let asked: string | undefined
  return {
    ask: key => { asked = key },
    owns: key => {
      const own = key === asked
      if (own) asked = undefined
      return own
    }
  }
}

/**
 * The chair's controls: choose a status and a consensus level, then set
 * them with the button. Nothing reaches the server before that, so that
 * moving through a select with the arrow keys changes nothing.
 */
function StatusControls (props: { shared: Shared, consensus: Accessor<ConsensusLevel | undefined> }): JSX.Element {
  const { me, id, status, ownStatus } = props.shared
  const action = createAction()
  // The chair's choices until they are set. Whatever the recommendation
  // then moves to (from here or from elsewhere) replaces them.
  const [pickedStatus, pickStatus] = createSignal<string>()
  const [pickedConsensus, pickConsensus] = createSignal<string>()
  createEffect(on(status, () => pickStatus(undefined), { defer: true }))
  createEffect(on(props.consensus, () => pickConsensus(undefined), { defer: true }))
  const chosenStatus = (): string => pickedStatus() ?? status()
  const chosenConsensus = (): string => pickedConsensus() ?? props.consensus() ?? ''
  // Adopting freezes the text for everyone: it is asked twice.
  const [confirming, setConfirming] = createSignal(false)
  // Refused for open brackets, the chair may adopt over them, saying why.
  const [overriding, setOverriding] = createSignal(false)
  const [reason, setReason] = createSignal('')
  createEffect(on(status, () => setOverriding(false), { defer: true }))
  const setStatus = (override?: string): void => {
    const next = { status: chosenStatus(), consensus: chosenConsensus() !== '' ? chosenConsensus() : undefined, override }
    void action.run(async () => {
      ownStatus.ask(statusKey(next.status, next.consensus))
      try {
        await send('PUT', routes.status(me.space, id), next)
        setOverriding(false)
      } catch (error) {
        ownStatus.ask(undefined)
        if (error instanceof Refused && error.code === 'open_brackets') setOverriding(true)
        throw error
      }
    }, `Status set to ${next.status}, ${next.consensus !== undefined ? `consensus ${next.consensus}` : 'no consensus level'}.`)
  }
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    if (chosenStatus() === ADOPTED && status() !== ADOPTED && !confirming()) {
      setConfirming(true)
      return
    }
    setConfirming(false)
    setStatus()
  }
  const statuses: Choice[] = STATUSES.map(s => [s, s])
  const levels: Choice[] = [['', 'no consensus level'], ...CONSENSUS_LEVELS.map(c => [c, c] as const)]
  return (
    <form class='controls' aria-label='Status' onSubmit={submit}>
      <Select name={META.status} label='Status' options={statuses} value={chosenStatus()} onChange={pickStatus} />
      <Select name={META.consensus} label='Consensus' options={levels} value={chosenConsensus()} onChange={pickConsensus} />
      <Show when={confirming()} fallback={<button type='submit' data-action='set-status'>Set status</button>}>
        <p class='confirm' role='alert'>
          Adopting freezes every text of this recommendation, for everyone, until you move it back.{' '}
          <button type='submit' data-action='confirm-adopt' ref={button => focusIfLost(button)}>Adopt it</button>{' '}
          <button type='button' onClick={() => setConfirming(false)}>Cancel</button>
        </p>
      </Show>
      <Outcome of={action} />
      <Show when={overriding()}>
        <div class='override'>
          <Field label='Why adopt it with brackets open (the audit log keeps it)'>
            <input name='override' maxlength={2000} value={reason()} onInput={event => setReason(event.currentTarget.value)} ref={field => focusIfLost(field)} />
          </Field>
          <button type='button' data-action='adopt-over-brackets' disabled={reason().trim() === ''} onClick={() => setStatus(reason().trim())}>Adopt over the open brackets</button>{' '}
          <button type='button' onClick={() => setOverriding(false)}>Cancel</button>
        </div>
      </Show>
    </form>
  )
}

/** What the save indicator says; a refusal in a sentence with the server's reason. */
function says (state: SaveState, reason: string): string {
  switch (state) {
    case 'saved': return 'saved'
    case 'saving': return 'saving…'
    case 'offline': return 'not saved: reconnecting…'
    case 'refused': return `Not saved: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}`
  }
}

function SaveIndicator (props: { saving: Saving }): JSX.Element {
  const { state, reason } = props.saving
  return <span class='save' role='status' data-state={state()}>{says(state(), reason())}</span>
}

/** What a support choice is called: the majority text, or an alternative by its label. */
function choiceName (choice: string, label?: string): string {
  return choice === MAJORITY ? 'the majority text' : `alternative “${label ?? choice}”`
}

/** The keys of a map event whose values changed, with their new values (none, if removed). */
function changedKeys<T> (event: Y.YMapEvent<T>, map: Y.Map<T>): Array<[string, T | undefined]> {
  return [...event.changes.keys]
    .filter(([key, change]) => change.oldValue !== map.get(key))
    .map(([key]) => [key, map.get(key)])
}

/**
 * One short sentence, read out politely, for what others just did here: a
 * support, a new alternative, a new status or consensus level. Typing is
 * not announced (the page would never stop talking), nor what this page
 * did itself, which its controls say.
 */
function Announcer (props: { shared: Shared }): JSX.Element {
  const { me, live, alternatives, ownStatus } = props.shared
  const { ydoc } = live
  const [said, say] = createSignal('')
  const labelOf = (id: string): string | undefined => alternatives.get(id)?.get(ALTERNATIVE.label) as string | undefined
  const announce = (sentences: string[]): void => { if (sentences.length > 0) say(`${sentences.join('. ')}.`) }
  const support = ydoc.getMap<string>(ROOT.support)
  const meta = ydoc.getMap(ROOT.meta)
  const heard: Array<[Y.Map<any>, (event: Y.YMapEvent<any>) => void]> = [
    [support, (event: Y.YMapEvent<string>) => announce(changedKeys(event, support)
      .flatMap(([user, choice]) => user !== me.user && choice !== undefined ? [`${nameOf(me.space, user)} supported ${choiceName(choice, labelOf(choice))}`] : []))],
    [alternatives, (event: Y.YMapEvent<Y.Map<unknown>>) => announce([...event.changes.keys]
      .flatMap(([altId, change]) => change.action === 'add' ? [`New ${choiceName(altId, labelOf(altId))}`] : []))],
    [meta, (event: Y.YMapEvent<unknown>) => {
      const changed = changedKeys(event, meta).filter(([key]) => key === META.status || key === META.consensus)
      if (changed.length === 0 || ownStatus.owns(statusKey(String(meta.get(META.status)), meta.get(META.consensus) as string | undefined))) return
      announce(changed.map(([key, value]) => key === META.status
        ? `Status is now ${String(value)}`
        : value !== undefined ? `Consensus is now ${String(value)}` : 'No consensus level now'))
    }]
  ]
  for (const [map, listener] of heard) map.observe(listener)
  onCleanup(() => { for (const [map, listener] of heard) map.unobserve(listener) })
  return <p role='status' class='visually-hidden' data-announcer>{said()}</p>
}

/** Backs `choice` (the majority, or an alternative's id) for the signed-in member. */
function SupportButton (props: { shared: Shared, choice: string, name: string }): JSX.Element {
  const { me, source, id, status, live } = props.shared
  const support = live.ydoc.getMap<string>(ROOT.support)
  // Who supports this text, by name, in a fixed order.
  const supporters = fromY(support, () => [...support.entries()].filter(([, choice]) => choice === props.choice).map(([user]) => user).sort(), { equals: sameList })
  const count = (): number => supporters().length
  const mine = (): boolean => supporters().includes(me.user)
  const action = createAction()
  const disabled = (): boolean => !edits(me.role) || status() === ADOPTED || source.kind !== 'live'
  // A toggle: pressed again, the support is withdrawn.
  const toggle = (): void => {
    void action.run(async () => mine()
      ? await send('DELETE', routes.support(me.space, id))
      : await send('POST', routes.support(me.space, id), { for: props.choice }))
  }
  return <>
    <button type='button' class='support' data-support={props.choice} aria-pressed={mine()} disabled={disabled()}
      aria-label={`Support ${props.name} (${count()} ${count() === 1 ? 'supporter' : 'supporters'})`}
      onClick={toggle}>
      {mine() ? 'Supported' : 'Support'} ({count()})
    </button>
    <p class='proponents' data-supporters={props.choice}>{count() > 0 ? `Supported by ${supporters().map(user => whoIs(me.space, user)).sort().join(', ')}` : 'No support yet'}</p>
    <Outcome of={action} />
  </>
}

/**
 * One alternative's column. Should the server write the alternative anew
 * (it puts back one a client removed), the column is drawn anew for it.
 */
function AlternativeColumn (props: { shared: Shared, id: string }): JSX.Element {
  const { alternatives } = props.shared
  const alternative = fromY(alternatives, () => alternatives.get(props.id))
  return (
    <Show when={alternative()} keyed>{alt =>
      <AlternativeView shared={props.shared} id={props.id} alt={alt} />
    }</Show>
  )
}

/** One alternative as its column shows it: its id and its map. */
interface ShownAlternative { shared: Shared, id: string, alt: Y.Map<unknown> }

function AlternativeView (props: ShownAlternative): JSX.Element {
  const { me, source, live, editable, majorityText } = props.shared
  const alt = props.alt
  const label = fromY(alt, () => String(alt.get(ALTERNATIVE.label)))
  const name = (): string => choiceName(props.id, label())
  // The proponents' array is replaced or grown inside the alternative:
  // follow it deeply, comparing the list it makes.
  const proponentList = fromY(alt, () => (alt.get(ALTERNATIVE.proponents) as Y.Array<string> | undefined)?.toArray() ?? [], { deep: true, equals: sameList })
  const proponents = (): string => proponentList().map(user => whoIs(me.space, user)).join(', ')
  // In a live recommendation, its proponents, the vice-chair and the chair
  // change an alternative (in a branch, whoever may change the branch).
  const theirs = (): boolean => source.kind !== 'live' || triages(me.role) || proponentList().includes(me.user)
  const basedOn = fromY(alt, () => alt.get(ALTERNATIVE.basedOn))
  const stale = (): boolean => basedOn() !== majorityText()
  const text = fromY(alt, () => alt.get(ALTERNATIVE.text) as Y.Text | undefined)
  return (
    <section class='column alternative' data-column={props.id} aria-label={`Alternative: ${label()}`}>
      <h2>Alternative: {label()}</h2>
      <p class='proponents'>Proponents: {proponents() !== '' ? proponents() : '—'}{stale() ? ' · written against an earlier majority text' : ''}</p>
      <Show when={source.kind === 'live' && edits(me.role) && props.shared.status() !== ADOPTED}>
        <Cosponsor shared={props.shared} alternative={props.id} name={name()} joined={proponentList().includes(me.user)} />
      </Show>
      <Show when={editable() && theirs()}>
        <Relabel shared={props.shared} alternative={props.id} label={label()} />
      </Show>
      <Show when={text()} keyed>{ytext =>
        <Editor text={ytext} awareness={live.provider.awareness} editable={editable() && theirs()} suggesting={props.shared.suggesting() && source.kind === 'live' && edits(me.role) && props.shared.status() !== ADOPTED} label={`Alternative ${label()}`} {...props.shared.annotate({ location: `${ROOT.alternatives}/${props.id}`, name: `Alternative “${label()}”`, text: ytext })} />
      }</Show>
      <Show when={editable() && !theirs()}>
        <p class='who' role='note'>Only its proponents, the vice-chair and the chair change this text. Support it, or propose an alternative of your own.</p>
      </Show>
      <SupportButton shared={props.shared} choice={props.id} name={name()} />
      {/* The server diffs the live texts only. */}
      <Show when={source.kind === 'live'}>
        <DiffToggle shared={props.shared} id={props.id} alt={alt} name={name()} />
      </Show>
    </section>
  )
}

/**
 * Joins an alternative's proponents (co-sponsors it), or leaves them; its
 * only proponent cannot leave, and is told why.
 */
function Cosponsor (props: { shared: Shared, alternative: string, name: string, joined: boolean }): JSX.Element {
  const { me, id } = props.shared
  const action = createAction()
  const act = (): void => {
    void action.run(async () => await send(props.joined ? 'DELETE' : 'POST', routes.proponents(me.space, id, props.alternative)))
  }
  return <>
    <button type='button' data-cosponsor={props.alternative} aria-pressed={props.joined} onClick={act}
      aria-label={props.joined ? `Stop co-sponsoring ${props.name}` : `Co-sponsor ${props.name}`}>
      {props.joined ? 'Co-sponsored' : 'Co-sponsor'}
    </button>
    <Outcome of={action} />
  </>
}

/** Renames an alternative, for its proponents, the vice-chair and the chair. */
function Relabel (props: { shared: Shared, alternative: string, label: string }): JSX.Element {
  const { me, id } = props.shared
  const [editing, setEditing] = createSignal(false)
  const [label, setLabel] = createSignal('')
  const action = createAction()
  const open = (): void => {
    setLabel(props.label)
    setEditing(true)
  }
  const save = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('PUT', routes.alternative(me.space, id, props.alternative), { label: label() })
      setEditing(false)
    })
  }
  return <>
    {/* Drawn only while renaming, so that no hidden field is ever announced. */}
    <Show when={editing()} fallback={
      <button type='button' class='rename' aria-label={`Rename the alternative “${props.label}”`} onClick={open}>Rename</button>
    }>
      <form class='relabel' onSubmit={save}>
        <Field label='Label'>
          <input ref={field => focusIfLost(field)} name='label' required maxlength={200} value={label()} onInput={event => setLabel(event.currentTarget.value)} />
        </Field>
        <button type='submit'>Save the label</button>
        <button type='button' onClick={() => setEditing(false)}>Cancel</button>
      </form>
    </Show>
    <Outcome of={action} />
  </>
}

/** Shows, on demand, where an alternative departs from the majority text. */
function DiffToggle (props: ShownAlternative & { name: string }): JSX.Element {
  const [open, setOpen] = createSignal(false)
  const wording = (): string => open() ? 'Hide the differences' : 'Show where it departs from the majority'
  return <>
    <button type='button' class='diff-toggle' aria-expanded={open()} onClick={() => setOpen(!open())} aria-label={`${wording()}: ${props.name}`}>
      {wording()}
    </button>
    <Show when={open()}>
      <FollowedDiff {...props} />
    </Show>
  </>
}

/** How long both texts stay still after a change before the differences are read again. */
const DIFF_FOLLOWS_MS = 400

/**
 * Where the alternative departs from the majority, as the server diffs
 * them: read when shown, and read again once a change to either text (here
 * or anyone's) has settled, for as long as it is shown.
 */
function FollowedDiff (props: ShownAlternative): JSX.Element {
  const { me, id, live } = props.shared
  const majority = live.ydoc.getText(ROOT.text)
  const [diffs, setDiffs] = createSignal<Diff[]>()
  const action = createAction()
  // Readings may overlap; only the latest one asked for is shown.
  let asked = 0
  const read = (): void => {
    const reading = ++asked
    void action.run(async () => {
      const fresh = await loadDiffs(me.space, diffable.liveText(id), diffable.alternative(id, props.id))
      if (reading === asked) setDiffs(fresh)
    })
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const changed = (): void => {
    clearTimeout(timer)
    timer = setTimeout(read, DIFF_FOLLOWS_MS)
  }
  majority.observe(changed)
  props.alt.observeDeep(changed)
  onCleanup(() => {
    clearTimeout(timer)
    majority.unobserve(changed)
    props.alt.unobserveDeep(changed)
  })
  read()
  return <>
    <Outcome of={action} />
    <Show when={diffs()}>{shown => <DiffBox id={props.id} diffs={shown()} />}</Show>
  </>
}
