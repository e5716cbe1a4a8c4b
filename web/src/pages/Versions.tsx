// Named versions: name the state of the space (or of one recommendation),
// browse what each version holds, and compare any two, or one with now.
// It follows the space's versions document, so it stays live.
import { createMemo, createResource, createSignal, For, Index, Show, type JSX } from 'solid-js'
import { triages } from '../access'
import { address } from '../address'
import { diffable, getJson, recommendationName, routes, send, type Changes, type Diff, type Me, type Run, type Space, type Version } from '../api'
import { createAction, Field, Outcome, ReadFailure, Select, TableHead, when, type Choice } from '../components/controls'
import { loadDiffs, Runs } from '../components/Diff'
import { Frame } from '../components/Header'
import { followList, type Followed } from '../live'
import { nameOf, whoIs } from '../people'
import { DOCS, EXPORT_FORMATS, MAJORITY } from '../schema'

const COLUMNS = ['Version', 'Named', 'Holds', 'Open brackets', 'Alternatives']

export function Versions (props: { me: Me }): JSX.Element {
  const [space] = createResource(async () => await getJson<Space>(routes.space(props.me.space)))
  const versions = followList(props.me, DOCS.versions, DOCS.versions, async () => await getJson<Version[]>(routes.versions(props.me.space)))
  return (
    <Show when={space()}>{space => {
      const titles = new Map(space().recommendations.map(r => [r.id, recommendationName(r)]))
      return (
        <Frame me={props.me} title='Versions' current='versionList' live={versions.live}>
          <Show when={triages(props.me.role)}>
            <NameForm me={props.me} space={space()} titles={titles} />
          </Show>
          <VersionsAndCompare me={props.me} titles={titles} versions={versions} />
        </Frame>
      )
    }}</Show>
  )
}

function NameForm (props: { me: Me, space: Space, titles: Map<string, string> }): JSX.Element {
  const [name, setName] = createSignal('')
  const [scope, setScope] = createSignal('')
  const action = createAction()
  const scopes: Choice[] = [['', 'the whole space'], ...props.space.recommendations.map(r => [r.id, `only ${props.titles.get(r.id) ?? r.id}`] as const)]
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.versions(props.me.space), { name: name(), recommendation: scope() !== '' ? scope() : undefined })
      setName('')
    }, 'Named.')
  }
  return (
    <form class='column inline' onSubmit={submit}>
      <h2>Name the current state</h2>
      <Field label='Version name (e.g. After the 4th meeting)'>
        <input name='name' required value={name()} onInput={event => setName(event.currentTarget.value)} />
      </Field>
      <Select name='scope' label='Of' options={scopes} value={scope()} onChange={setScope} />
      <button type='submit'>Name this version</button>
      <Outcome of={action} />
    </form>
  )
}

function VersionsAndCompare (props: { me: Me, titles: Map<string, string>, versions: Followed<Version> }): JSX.Element {
  const versions = props.versions
  const newestFirst = createMemo(() => [...versions.items].reverse())
  const options = createMemo((): Choice[] => [
    ...versions.items.map(v => [v.id, `${v.name} (${when(v.created_at)})`] as const),
    [diffable.everyLiveText, 'now (the live texts)']
  ])
  // Each select keeps its pick while the pick is still listed; until then,
  // compare the last version named with now: what changed since.
  const [fromPick, setFrom] = createSignal<string>()
  const [toPick, setTo] = createSignal<string>()
  const picked = (pick: string | undefined, otherwise: string): string =>
    pick !== undefined && options().some(([value]) => value === pick) ? pick : otherwise
  const from = (): string => picked(fromPick(), versions.items.at(-1)?.id ?? diffable.everyLiveText)
  const to = (): string => picked(toPick(), diffable.everyLiveText)
  const [diffs, setDiffs] = createSignal<Diff[]>()
  // What the comparison shown compares (the selects may have moved since).
  const [compared, setCompared] = createSignal<{ from: string, to: string }>()
  const action = createAction()
  const compare = (): void => {
    void action.run(async () => {
      const sides = { from: from(), to: to() }
      const found = await loadDiffs(props.me.space, sides.from, sides.to)
      setDiffs(found)
      setCompared(sides)
      return found
    }, found => {
      const changed = found.filter(differs).length
      return changed === 0 ? 'Nothing changed.' : `${changed} of ${found.length} recommendations changed.`
    })
  }
  return <>
    <h2>Named versions</h2>
    <ReadFailure message={versions.error()} />
    <div class='scroll'>
      <Show when={versions.items.length > 0} fallback={<Show when={versions.loaded()}><p class='who'>No version has been named yet.</p></Show>}>
        <table>
          <TableHead columns={COLUMNS} />
          <tbody>
            <For each={newestFirst()}>{version => <VersionRow me={props.me} version={version} titles={props.titles} />}</For>
          </tbody>
        </table>
      </Show>
    </div>
    <h2>Compare</h2>
    <div class='controls'>
      <Select name='from' label='Compare' options={options()} value={from()} onChange={setFrom} />
      <Select name='to' label='with' options={options()} value={to()} onChange={setTo} />
      <button type='button' data-action='compare' onClick={compare}>Compare</button>
    </div>
    <Outcome of={action} />
    <div class='diffs'>
      <Show when={diffs()}>{found => <>
        <Show when={compared()?.from !== diffable.everyLiveText}>
          <ChangesExport space={props.me.space} since={compared()?.from ?? ''} to={compared()?.to ?? ''} />
        </Show>
        <Comparison me={props.me} diffs={found()} titles={props.titles} />
      </>}</Show>
    </div>
  </>
}

/** The people `users` name, as the roster names them, or "nobody". */
function named (space: string, users: string[]): string {
  return users.length > 0 ? users.map(user => whoIs(space, user)).sort().join(', ') : 'nobody'
}

/** Every part of a recommendation that changed: its standing, support, texts and alternatives. */
function Parts (props: { me: Me, parts: Changes }): JSX.Element {
  const space = props.me.space
  const p = (): Changes => props.parts
  const labelOf = (choice: string): string => choice === MAJORITY
    ? 'the recommendation'
    : `the alternative “${p().labels[choice] ?? choice}”`
  const supportChanges = (): Array<[string, string[], string[]]> => {
    const support = p().support
    if (support === undefined) return []
    const choices = [...new Set([...Object.keys(support.from), ...Object.keys(support.to)])].sort()
    return choices
      .map((choice): [string, string[], string[]] => [choice, support.from[choice] ?? [], support.to[choice] ?? []])
      .filter(([, from, to]) => from.join() !== to.join())
  }
  return <>
    <Show when={p().presence !== 'kept'}><p class='who' data-part='presence'>{p().presence === 'added' ? 'New in the later state.' : 'Not in the later state.'}</p></Show>
    <Show when={p().title}>{title => <p class='who' data-part='title'>Retitled from “{title().from}”.</p>}</Show>
    <Show when={p().status}>{status => <p class='who' data-part='status'>Status: {status().from ?? 'none'} → {status().to ?? 'none'}</p>}</Show>
    <Show when={p().consensus}>{consensus => <p class='who' data-part='consensus'>Consensus: {consensus().from ?? 'not assessed'} → {consensus().to ?? 'not assessed'}</p>}</Show>
    <For each={supportChanges()}>{([choice, from, to]) => {
      const joined = to.filter(user => !from.includes(user))
      const left = from.filter(user => !to.includes(user))
      return (
        <p class='who' data-part='support'>
          Support for {labelOf(choice)}: {from.length} → {to.length}
          {joined.length > 0 ? `; joined: ${named(space, joined)}` : ''}{left.length > 0 ? `; left: ${named(space, left)}` : ''}
        </p>
      )
    }}</For>
    <Show when={changedRuns(p().text)}>
      <h4>Majority text</h4>
      <Runs runs={p().text} />
    </Show>
    <For each={p().fields}>{field => <div data-part={`field-${field.field}`}>
      <h4>{field.title}</h4>
      <Runs runs={field.runs} />
    </div>}</For>
    <For each={p().alternatives}>{alt => <div data-part={`alternative-${alt.id}`}>
      <h4>Alternative “{alt.label}” ({alt.presence === 'added' ? 'new' : alt.presence === 'removed' ? 'withdrawn' : 'changed'})</h4>
      <Show when={alt.relabelled}>{label => <p class='who'>Renamed from “{label().from}”.</p>}</Show>
      <Show when={alt.proponents.from.join() !== alt.proponents.to.join()}>
        <p class='who'>Proposed by {named(space, alt.proponents.from)} → {named(space, alt.proponents.to)}</p>
      </Show>
      <Show when={changedRuns(alt.runs)}><Runs runs={alt.runs} /></Show>
    </div>}</For>
  </>
}

/** Links to a report of these changes, in every format. */
function ChangesExport (props: { space: string, since: string, to: string }): JSX.Element {
  return (
    <nav class='exports' aria-label='Export the changes'>
      Export these changes:
      <For each={EXPORT_FORMATS}>{format =>
        <>{' '}<a href={routes.export(props.space, format.key, { since: props.since, version: props.to === diffable.everyLiveText ? undefined : props.to })} download='' class='button'>{format.title}</a></>
      }</For>
    </nav>
  )
}

function VersionRow (props: { me: Me, version: Version, titles: Map<string, string> }): JSX.Element {
  const v = props.version
  return (
    <tr data-version={v.id}>
      <td>{v.name}</td>
      <td>{when(v.created_at)} by {nameOf(props.me.space, v.created_by)}</td>
      <td>
        <Index each={v.recommendations}>{(rec, i) => <>
          {i > 0 ? ', ' : ''}<a href={address(props.me.space, 'version', v.id, rec())}>{props.titles.get(rec()) ?? rec()}</a>
        </>}</Index>
      </td>
      <td>{v.open_brackets}</td>
      <td>{v.alternatives}</td>
    </tr>
  )
}

const changedRuns = (runs: Run[]): boolean => runs.some(r => r.op !== 'equal')

/** Whether anything of a recommendation differs between the two sides: its text, or any other part. */
const differs = (d: Diff): boolean => changedRuns(d.runs) || (d.parts !== undefined && (
  d.parts.presence !== 'kept' || d.parts.title !== undefined || d.parts.status !== undefined || d.parts.consensus !== undefined ||
  d.parts.fields.length > 0 || d.parts.alternatives.length > 0 || d.parts.support !== undefined))

/** The recommendations that changed, each part by part, then those that did not, folded; the outcome beside Compare says how many changed. */
function Comparison (props: { me: Me, diffs: Diff[], titles: Map<string, string> }): JSX.Element {
  const changed = (): Diff[] => props.diffs.filter(differs)
  const same = (): Diff[] => props.diffs.filter(d => !differs(d))
  const section = (d: Diff): JSX.Element => (
    <section class='column diff' data-recommendation={d.recommendation}>
      <h3>{props.titles.get(d.recommendation) ?? d.recommendation}</h3>
      <Show when={d.parts} fallback={<Runs runs={d.runs} />}>{parts => <Parts me={props.me} parts={parts()} />}</Show>
    </section>
  )
  return <>
    <For each={changed()}>{section}</For>
    <Show when={same().length > 0}>
      <details>
        <summary>{same().length} unchanged</summary>
        <For each={same()}>{section}</For>
      </details>
    </Show>
  </>
}
