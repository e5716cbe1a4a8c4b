// The proposals inbox: the vice-chair categorizes, previews, merges and
// rejects; members submit proposals, open branches, and withdraw theirs.
// It follows the space's proposals document, so it stays live.
import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { edits, triages } from '../access'
import { address } from '../address'
import { getJson, routes, send, type Diff, type Me, type Proposal, type ProposalAction, type Space } from '../api'
import { createAction, Outcome, ReadFailure, Select, type Choice } from '../components/controls'
import { DiffBox } from '../components/Diff'
import { Header } from '../components/Header'
import { followList, type Followed } from '../live'
import { DOCS, MERGE_KINDS, OPEN_PROPOSAL_STATUSES, type ProposalStatus } from '../schema'

const isOpen = (status: ProposalStatus): boolean => (OPEN_PROPOSAL_STATUSES as readonly ProposalStatus[]).includes(status)

const SHOW: Choice[] = [['open', 'Open proposals'], ['all', 'All proposals'], ['closed', 'Merged, rejected or withdrawn']]

/** The space's topics and recommendations, as choices for the selects. */
interface Choices {
  topics: Choice[]
  recommendations: Choice[]
  /** Where a proposal merges unless the vice-chair says otherwise. */
  targetOf: (proposal: Proposal) => string
}

function choicesOf (space: Space): Choices {
  const first = space.recommendations[0]?.id ?? ''
  return {
    topics: space.topics.map(t => [t.letter, `${t.letter}. ${t.title}`] as const),
    recommendations: space.recommendations.map(r => [r.id, `${r.topic}.${r.number} ${r.title}`] as const),
    // A branch merges into the recommendation it copies; free text, into
    // the first recommendation of its topic.
    targetOf: proposal => proposal.branch_of ??
      space.recommendations.find(r => r.topic === proposal.topic)?.id ?? first
  }
}

export function Inbox (props: { me: Me }): JSX.Element {
  const [space] = createResource(async () => await getJson<Space>(routes.space(props.me.space)))
  const proposals = followList(props.me, DOCS.proposals, async () => await getJson<Proposal[]>(routes.proposals(props.me.space)))
  const triage = triages(props.me.role)
  return (
    <Show when={space()}>{space => {
      const choices = choicesOf(space())
      return <>
        <Header me={props.me} title={triage ? 'Proposals inbox' : 'My proposals'} current='inbox' live={proposals.live} />
        <Show when={edits(props.me.role)}>
          <div class='columns'>
            <ProposeForm me={props.me} choices={choices} proposals={proposals} />
            <BranchForm me={props.me} choices={choices} />
          </div>
        </Show>
        <h2>Proposals</h2>
        <ProposalList me={props.me} choices={choices} proposals={proposals} />
      </>
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
      <h3>Propose a text</h3>
      <input name='title' placeholder='Title' aria-label='title' required value={title()} onInput={event => setTitle(event.currentTarget.value)} />
      <textarea name='text' placeholder='Proposed text' aria-label='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
      <Select name='topic' options={[['', 'no topic'], ...props.choices.topics]} value={topic()} onChange={setTopic} />
      <button type='submit'>Submit a proposal</button>
      <Outcome of={action} />
    </form>
  )
}

function BranchForm (props: { me: Me, choices: Choices }): JSX.Element {
  const [of, setOf] = createSignal(props.choices.recommendations[0]?.[0] ?? '')
  const action = createAction()
  const branch = (): void => {
    void action.run(async () => {
      const made = await send<{ id: string }>('POST', routes.proposals(props.me.space), { title: `Changes to ${of()}`, branch_of: of() })
      location.href = address(props.me.space, 'branch', made.id)
    })
  }
  return (
    <div class='column'>
      <h3>Edit a copy of a recommendation</h3>
      <Select name='branch_of' options={props.choices.recommendations} value={of()} onChange={setOf} />{' '}
      <button type='button' data-action='branch' onClick={branch}>Open a branch</button>
      <Outcome of={action} />
    </div>
  )
}

function ProposalList (props: FormProps): JSX.Element {
  const [show, setShow] = createSignal('open')
  const [topic, setTopic] = createSignal('')
  const shown = createMemo(() => props.proposals.items.filter(p =>
    (show() === 'all' || (show() === 'open') === isOpen(p.status)) &&
    (topic() === '' || p.topic === topic())))
  return <>
    <div class='controls filters'>
      <Select name='show' label='Show' options={SHOW} value={show()} onChange={setShow} />
      <Select name='filter-topic' label='Topic' options={[['', 'every topic'], ...props.choices.topics]} value={topic()} onChange={setTopic} />
    </div>
    <ReadFailure message={props.proposals.error()} />
    <div class='proposals'>
      {/* Items keep their identity by id, so one proposal's change redraws it alone. */}
      <For each={shown()} fallback={<Show when={props.proposals.loaded()}><p class='who'>No proposals here.</p></Show>}>{proposal =>
        <ProposalItem me={props.me} choices={props.choices} proposals={props.proposals} proposal={proposal} />
      }</For>
    </div>
  </>
}

/** Runs an action on the proposal, its outcome shown on the proposal. */
type Act = (action: ProposalAction, body?: unknown) => void

function ProposalItem (props: FormProps & { proposal: Proposal }): JSX.Element {
  const p = props.proposal
  const action = createAction()
  const act: Act = (route, body) => {
    void action.run(async () => {
      await send('POST', routes.proposalAction(props.me.space, p.id, route), body)
      await props.proposals.refresh()
    })
  }
  const open = (): boolean => isOpen(p.status)
  const line = (): string => [
    p.status,
    `by ${p.author}`,
    ...(p.topic !== undefined ? [`topic ${p.topic}`] : []),
    ...(p.branch_of !== undefined ? [`branch of ${p.branch_of}`] : [])
  ].join(' · ')
  return (
    <article class='column proposal' data-proposal={p.id}>
      <h3>{p.title}</h3>
      <p class='who'>{line()}</p>
      <Show when={p.text !== undefined && p.text !== ''}><p>{p.text}</p></Show>
      <Show when={p.doc !== undefined}><a href={address(props.me.space, 'branch', p.id)}>Open the branch</a></Show>
      <Show when={p.merged_into.length > 0}>
        <p class='who'>Merged into {p.merged_into.map(m => `${m.recommendation} (${m.as})`).join(', ')}</p>
      </Show>
      <Show when={open() && triages(props.me.role)}>
        <Triage {...props} act={act} />
      </Show>
      <Show when={open() && !triages(props.me.role) && p.author === props.me.user}>
        <button type='button' data-action='withdraw' onClick={() => act('withdraw')}>Withdraw</button>
      </Show>
      <Outcome of={action} />
    </article>
  )
}

/** The vice-chair's controls on an open proposal. */
function Triage (props: FormProps & { proposal: Proposal, act: Act }): JSX.Element {
  const p = props.proposal
  const [topic, setTopic] = createSignal(p.topic ?? props.choices.topics[0]?.[0] ?? '')
  const [into, setInto] = createSignal(props.choices.targetOf(p))
  const [kind, setKind] = createSignal<string>(MERGE_KINDS[0])
  const [reason, setReason] = createSignal('')
  const [preview, setPreview] = createSignal<Diff[]>()
  const previewing = createAction()
  // The server computes the merge on a copy of the live text: what is
  // previewed is what the merge would do.
  const showPreview = (): void => {
    void previewing.run(async () => {
      const merged = await send<{ recommendation: string | null, runs: Diff['runs'] }>(
        'POST', routes.proposalAction(props.me.space, p.id, 'preview'), { into: into(), as: kind(), topic: topic() })
      setPreview([{ recommendation: merged.recommendation ?? 'new', runs: merged.runs }])
    })
  }
  const kinds: Choice[] = MERGE_KINDS.map(k => [k, `merge as: ${k}`])
  return <>
    <div class='controls'>
      <Select name='topic' options={props.choices.topics} value={topic()} onChange={setTopic} />
      <button type='button' data-action='categorize' onClick={() => props.act('categorize', { topic: topic() })}>Categorize</button>
      <button type='button' data-action='preview' onClick={showPreview}>Preview</button>
      <Select name='into' options={props.choices.recommendations} value={into()} onChange={value => { setInto(value); setPreview(undefined) }} />
      <Select name='as' label='Merge as' options={kinds} value={kind()} onChange={value => { setKind(value); setPreview(undefined) }} />
      <button type='button' data-action='merge' onClick={() => props.act('merge', { into: into(), as: kind(), topic: topic() })}>Merge</button>
      <input name='reason' placeholder='Reason for rejecting' aria-label='reason' value={reason()} onInput={event => setReason(event.currentTarget.value)} />
      <button type='button' data-action='reject' onClick={() => props.act('reject', { reason: reason() })}>Reject</button>
    </div>
    <Outcome of={previewing} />
    <Show when={preview()}>{diffs => <DiffBox diffs={diffs()} />}</Show>
  </>
}
