// The proposals inbox: the vice-chair categorizes, previews, merges and
// rejects; members submit proposals, open branches, withdraw theirs, and
// see what became of each. It follows the space's proposals document and
// index, so it stays live.
import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { edits, triages } from '../access'
import { address } from '../address'
import { getJson, recommendationName, routes, send, type Hunk, type Me, type MergePreview, type Proposal, type ProposalAction, type ProposalStep, type Space, type Summary } from '../api'
import { createAction, Field, focusIfLost, Outcome, ReadFailure, Select, when, type Action, type Choice } from '../components/controls'
import { Runs } from '../components/Diff'
import { Frame } from '../components/Header'
import { whoIs } from '../people'
import { followList, followSummaries, type Followed } from '../live'
import { DOCS, FIELDS, MERGE_KINDS, OPEN_PROPOSAL_STATUSES, ROOT, type MergeKind, type ProposalStatus } from '../schema'

const isOpen = (status: ProposalStatus): boolean => (OPEN_PROPOSAL_STATUSES as readonly ProposalStatus[]).includes(status)

const SHOW: Choice[] = [['open', 'Open proposals'], ['all', 'All proposals'], ['closed', 'Merged, rejected or withdrawn']]

/** What a merge makes of a proposal's text. */
const MERGED_AS: Record<MergeKind, string> = { majority: 'the majority text', alternative: 'an alternative', new: 'a new recommendation' }

/** The space's topics, and its recommendations as they stand, for the selects and the links. */
interface Choices {
  topics: Choice[]
  recommendations: () => Choice[]
  /** A recommendation's number and title, or its id if the index does not list it (yet). */
  nameOf: (id: string) => string
  /** Where a proposal merges unless the vice-chair says otherwise. */
  targetOf: (proposal: Proposal) => string
}

function choicesOf (space: Space, summaries: Record<string, Summary>): Choices {
  const listed = (): Summary[] => Object.values(summaries).sort((a, b) => a.topic.localeCompare(b.topic) || a.number - b.number)
  return {
    topics: space.topics.map(t => [t.letter, `${t.letter}. ${t.title}`] as const),
    recommendations: () => listed().map(r => [r.id, recommendationName(r)] as const),
    nameOf: id => summaries[id] !== undefined ? recommendationName(summaries[id]) : id,
    // A branch merges into the recommendation it copies; free text, into
    // the first recommendation of its topic.
    targetOf: proposal => proposal.branch_of ??
      (listed().find(r => r.topic === proposal.topic) ?? listed()[0])?.id ?? ''
  }
}

export function Inbox (props: { me: Me }): JSX.Element {
  const [space] = createResource(async () => await getJson<Space>(routes.space(props.me.space)))
  // Live, so that a recommendation a merge creates is named at once.
  const summaries = followSummaries(props.me)
  const proposals = followList(props.me, props.me.proposals_doc, DOCS.proposals, async () => await getJson<Proposal[]>(routes.proposals(props.me.space)))
  const triage = triages(props.me.role)
  return (
    <Show when={space()}>{space => {
      const choices = choicesOf(space(), summaries)
      return (
        <Frame me={props.me} title={triage ? 'Proposals inbox' : 'My proposals'} current='inbox'>
          <Show when={edits(props.me.role)}>
            <div class='columns'>
              <ProposeForm me={props.me} choices={choices} proposals={proposals} />
              <BranchForm me={props.me} choices={choices} />
            </div>
          </Show>
          <h2>Proposals</h2>
          <ProposalList me={props.me} choices={choices} proposals={proposals} />
        </Frame>
      )
    }}</Show>
  )
}

interface FormProps { me: Me, choices: Choices, proposals: Followed<Proposal> }

function ProposeForm (props: FormProps): JSX.Element {
  const [title, setTitle] = createSignal('')
  const [text, setText] = createSignal('')
  const [topic, setTopic] = createSignal('')
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.proposals(props.me.space), { title: title(), text: text(), topic: topic() !== '' ? topic() : undefined })
      setTitle('')
      setText('')
      await props.proposals.refresh()
    }, 'Submitted.')
  }
  return (
    <form class='column' onSubmit={submit}>
      <h2>Propose a text</h2>
      <Field label='Title'>
        <input name='title' required value={title()} onInput={event => setTitle(event.currentTarget.value)} />
      </Field>
      <Field label='Proposed text'>
        <textarea name='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
      </Field>
      <Select name='topic' label='Topic' options={[['', 'no topic'], ...props.choices.topics]} value={topic()} onChange={setTopic} />
      <button type='submit'>Submit a proposal</button>
      <Outcome of={action} />
    </form>
  )
}

function BranchForm (props: { me: Me, choices: Choices }): JSX.Element {
  // The first recommendation listed, until one is chosen.
  const [picked, setOf] = createSignal<string>()
  const of = (): string => picked() ?? props.choices.recommendations()[0]?.[0] ?? ''
  const action = createAction()
  const branch = (): void => {
    void action.run(async () => {
      const made = await send<{ id: string }>('POST', routes.proposals(props.me.space), { title: `Changes to ${props.choices.nameOf(of())}`, branch_of: of() })
      location.href = address(props.me.space, 'branch', made.id)
    })
  }
  return (
    <div class='column'>
      <h2>Edit a copy of a recommendation</h2>
      <div class='controls'>
        <Select name='branch_of' label='Recommendation to branch' options={props.choices.recommendations()} value={of()} onChange={setOf} />
        <button type='button' data-action='branch' onClick={branch}>Open a branch</button>
      </div>
      <Outcome of={action} />
    </div>
  )
}

function ProposalList (props: FormProps): JSX.Element {
  // Authors want to see what became of their proposals; the vice-chair,
  // what is left to do.
  const [show, setShow] = createSignal(triages(props.me.role) ? 'open' : 'all')
  const [topic, setTopic] = createSignal('')
  // Proposals acted on from this page: once the filters no longer show
  // one, a line takes its place and says what became of it.
  const [handled, setHandled] = createSignal<ReadonlySet<string>>(new Set())
  const filter = (set: (value: string) => void) => (value: string): void => {
    set(value)
    setHandled(new Set<string>())
  }
  const matches = (p: Proposal): boolean =>
    (show() === 'all' || (show() === 'open') === isOpen(p.status)) &&
    (topic() === '' || p.topic === topic())
  const shown = createMemo(() => props.proposals.items.filter(p => matches(p) || handled().has(p.id)))
  return <>
    <div class='controls filters'>
      <Select name='show' label='Show' options={SHOW} value={show()} onChange={filter(setShow)} />
      <Select name='filter-topic' label='Topic' options={[['', 'every topic'], ...props.choices.topics]} value={topic()} onChange={filter(setTopic)} />
    </div>
    <ReadFailure message={props.proposals.error()} />
    <div class='proposals'>
      {/* Items keep their identity by id, so one proposal's change redraws it alone. */}
      <For each={shown()} fallback={<Show when={props.proposals.loaded()}><p class='who'>No proposals here.</p></Show>}>{proposal =>
        <Show when={matches(proposal)} fallback={<Handled proposal={proposal} />}>
          <ProposalItem {...props} proposal={proposal} handled={handled().has(proposal.id)} acted={() => setHandled(ids => new Set([...ids, proposal.id]))} />
        </Show>
      }</For>
    </div>
  </>
}

/**
 * Where a proposal acted on from this page was, once the filters no longer
 * show it. It takes the focus if the control used went with the proposal,
 * so that someone working by keyboard goes on from here.
 */
function Handled (props: { proposal: Proposal }): JSX.Element {
  return <p class='outcome handled' tabindex='-1' ref={focusIfLost}>“{props.proposal.title}” is now {props.proposal.status}, and no longer among the proposals shown.</p>
}

/** Runs an action on the proposal, its outcome shown by `beside`, beside the control that ran it. */
type Act = (beside: Action, action: ProposalAction, body: unknown, done: string) => void

interface ItemProps extends FormProps {
  proposal: Proposal
  /** Whether it was acted on from this page. */
  handled: boolean
  acted: () => void
}

function ProposalItem (props: ItemProps): JSX.Element {
  const p = props.proposal
  const act: Act = (beside, route, body, done) => {
    props.acted()
    void beside.run(async () => {
      await send('POST', routes.proposalAction(props.me.space, p.id, route), body)
      await props.proposals.refresh()
    }, done)
  }
  const open = (): boolean => isOpen(p.status)
  const line = (): string => [
    p.status,
    `by ${whoIs(props.me.space, p.author)}`,
    ...(p.topic !== undefined ? [`topic ${p.topic}`] : []),
    ...(p.branch_of !== undefined ? [`branch of ${props.choices.nameOf(p.branch_of)}`] : [])
  ].join(' · ')
  return (
    <article class='column proposal' data-proposal={p.id} aria-labelledby={`title-${p.id}`}>
      <h3 id={`title-${p.id}`}>{p.title}</h3>
      <p class='who'>{line()}</p>
      <Show when={p.text !== undefined && p.text !== ''}><p>{p.text}</p></Show>
      <Show when={p.doc !== undefined}>
        <a href={address(props.me.space, 'branch', p.id)} aria-label={`Open the branch of proposal “${p.title}”`}>Open the branch</a>
      </Show>
      <Fate me={props.me} choices={props.choices} proposal={p} handled={props.handled} />
      <Show when={open() && triages(props.me.role)}>
        <Triage {...props} act={act} />
      </Show>
      <Show when={open() && !triages(props.me.role) && p.author === props.me.user}>
        <Withdraw title={p.title} act={act} />
      </Show>
    </article>
  )
}

/** What became of a closed proposal: who closed it and when, why it was rejected, where its text went. */
function Withdraw (props: { title: string, act: Act }): JSX.Element {
  const withdrawing = createAction()
  return <>
    <button type='button' data-action='withdraw' aria-label={`Withdraw proposal “${props.title}”`} onClick={() => props.act(withdrawing, 'withdraw', undefined, 'Withdrawn.')}>Withdraw</button>
    <Outcome of={withdrawing} />
  </>
}

/**
 * What became of a closed proposal: who closed it and when, why it was
 * rejected, where its text went. Closed from this page, it takes the place
 * of the controls, and their focus.
 */
function Fate (props: { me: Me, choices: Choices, proposal: Proposal, handled: boolean }): JSX.Element {
  const p = props.proposal
  // Read as each line is drawn: a proposal is acted on after its item is.
  const focus = (line: HTMLElement): void => { if (props.handled) focusIfLost(line) }
  const closing = (): ProposalStep | undefined => isOpen(p.status) ? undefined : p.history.findLast(step => step.status === p.status)
  return <>
    <For each={p.merged_into}>{merge =>
      <p class='fate' data-fate='merged' tabindex='-1' ref={focus}>
        Merged into <a href={address(props.me.space, 'recommendation', merge.recommendation)}>{props.choices.nameOf(merge.recommendation)}</a>{' '}
        as {MERGED_AS[merge.as]} by {merge.by}, {when(merge.at)}{(merge.hunks ?? []).length > 0 ? `, in part: ${hunkCount(merge.hunks?.length ?? 0)} taken` : ''}.
      </p>
    }</For>
    <Show when={p.merged_into.length === 0 && closing()}>{step =>
      <p class='fate' data-fate={step().status} tabindex='-1' ref={focus}>
        {step().status[0].toUpperCase()}{step().status.slice(1)} by {step().by}, {when(step().at)}{step().note !== undefined && step().note !== '' ? `: “${step().note}”` : '.'}
      </p>
    }</Show>
  </>
}

/**
 * What a merge would change: the majority text and, for a branch, each
 * structured field it changes, each under its name. Nothing else changes.
 */
function PreviewBox (props: { preview: MergePreview }): JSX.Element {
  const several = (): boolean => props.preview.fields.length > 0
  return (
    <div class='diff' data-diff='preview'>
      <Show when={several()}><h4>Majority text</h4></Show>
      <Runs runs={props.preview.runs} />
      <For each={props.preview.fields}>{field => <>
        <h4 data-field={field.field}>{field.title}</h4>
        <Runs runs={field.runs} />
      </>}</For>
    </div>
  )
}

const hunkCount = (n: number): string => n === 1 ? '1 change' : `${n} changes`

/** What a hunk does, in a few words. */
function hunkSays (hunk: Hunk): string {
  if (hunk.deleted === '') return `Insert “${hunk.inserted}”`
  if (hunk.inserted === '') return `Delete “${hunk.deleted}”`
  return `Replace “${hunk.deleted}” with “${hunk.inserted}”`
}

/**
 * The changes a merge into the majority makes, each to take or leave: the
 * vice-chair merges those ticked, and the proposal is merged in part if
 * some are left.
 */
function HunkChooser (props: { hunks: Hunk[], onMerge: (hunks: Hunk[]) => void }): JSX.Element {
  // Each hunk's id starts with its text: `text` (the majority) or a field.
  const textOf = (hunk: Hunk): string => {
    const location = hunk.id.split('#')[0]
    return location === ROOT.text ? 'Majority text' : FIELDS.find(field => field.key === location)?.title ?? location
  }
  const [left, setLeft] = createSignal<ReadonlySet<string>>(new Set())
  const toggle = (id: string, taken: boolean): void => {
    const next = new Set(left())
    if (taken) next.delete(id)
    else next.add(id)
    setLeft(next)
  }
  const chosen = (): Hunk[] => props.hunks.filter(hunk => !left().has(hunk.id))
  return (
    <fieldset class='hunks'>
      <legend>Take each change, or leave it</legend>
      <For each={props.hunks}>{hunk =>
        <label class='hunk' data-hunk={hunk.id}>
          <input type='checkbox' checked={!left().has(hunk.id)} onChange={event => toggle(hunk.id, event.currentTarget.checked)} />
          {' '}<span class='where'>{textOf(hunk)}:</span> {hunkSays(hunk)}
        </label>
      }</For>
      <button type='button' data-action='merge-hunks' disabled={chosen().length === 0} onClick={() => props.onMerge(chosen())}>
        Take the {hunkCount(chosen().length)} ticked
      </button>
    </fieldset>
  )
}

/** The vice-chair's controls on an open proposal. */
function Triage (props: FormProps & { proposal: Proposal, act: Act }): JSX.Element {
  const p = props.proposal
  const [topic, setTopic] = createSignal(p.topic ?? props.choices.topics[0]?.[0] ?? '')
  // Where the proposal would go (see targetOf), until one is chosen; a
  // preview shown is for the choice it was made for.
  const [preview, setPreview] = createSignal<MergePreview>()
  const [pickedInto, pickInto] = createSignal<string>()
  const into = (): string => pickedInto() ?? props.choices.targetOf(p)
  const [kind, pickKind] = createSignal<string>(MERGE_KINDS[0])
  const setInto = (value: string): void => { pickInto(value); setPreview(undefined) }
  const setKind = (value: string): void => { pickKind(value); setPreview(undefined) }
  const [reason, setReason] = createSignal('')
  // Each row's outcome is shown under it.
  const categorizing = createAction()
  const merging = createAction()
  const rejecting = createAction()
  const showPreview = (): void => {
    void merging.run(async () => {
      // The server computes the merge on a copy of the live text: what is
      // previewed is what the merge would do.
      setPreview(await send<MergePreview>(
        'POST', routes.proposalAction(props.me.space, p.id, 'preview'), { into: into(), as: kind(), topic: topic() }))
    })
  }
  const kinds: Choice[] = MERGE_KINDS.map(k => [k, MERGED_AS[k]])
  const named = (verb: string): string => `${verb} proposal “${p.title}”`
  return <>
    <div class='triage'>
      <div class='controls'>
        <Select name='topic' label='Topic' options={props.choices.topics} value={topic()} onChange={setTopic} />
        <button type='button' data-action='categorize' aria-label={named('Categorize')}
          onClick={() => props.act(categorizing, 'categorize', { topic: topic() }, `Categorized under topic ${topic()}.`)}>Categorize</button>
      </div>
      <Outcome of={categorizing} />
      <div class='controls'>
        <Select name='into' label='Merge into' options={props.choices.recommendations()} value={into()} onChange={setInto} />
        <Select name='as' label='Merge as' options={kinds} value={kind()} onChange={setKind} />
        <button type='button' data-action='preview' aria-label={`Preview merging proposal “${p.title}”`} onClick={showPreview}>Preview</button>
        <button type='button' data-action='merge' aria-label={named('Merge')}
          onClick={() => props.act(merging, 'merge', { into: into(), as: kind(), topic: topic() }, 'Merged.')}>Merge</button>
      </div>
      <Outcome of={merging} />
      <Show when={preview()}>{merge => <>
        <PreviewBox preview={merge()} />
        <Show when={kind() === MERGE_KINDS[0] && merge().hunks.length > 1}>
          <HunkChooser hunks={merge().hunks}
            onMerge={hunks => props.act(merging, 'merge', { into: into(), as: kind(), hunks }, `Took ${hunkCount(hunks.length)} of ${merge().hunks.length}.`)} />
        </Show>
      </>}</Show>
      <div class='controls'>
        <Field label='Reason for rejecting'>
          <input name='reason' value={reason()} onInput={event => setReason(event.currentTarget.value)} />
        </Field>
        <button type='button' data-action='reject' aria-label={named('Reject')}
          onClick={() => props.act(rejecting, 'reject', { reason: reason() }, 'Rejected.')}>Reject</button>
      </div>
      <Outcome of={rejecting} />
    </div>
  </>
}
