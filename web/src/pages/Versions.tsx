// Named versions: name the state of the space (or of one recommendation),
// browse what each version holds, and compare any two, or one with now.
// It follows the space's versions document, so it stays live.
import { createMemo, createResource, createSignal, For, Index, Show, type JSX } from 'solid-js'
import { triages } from '../access'
import { address } from '../address'
import { diffable, getJson, recommendationName, routes, send, type Diff, type Me, type Space, type Version } from '../api'
import { createAction, Field, Outcome, ReadFailure, Select, TableHead, when, type Choice } from '../components/controls'
import { loadDiffs, Runs } from '../components/Diff'
import { Frame } from '../components/Header'
import { followList, type Followed } from '../live'
import { nameOf } from '../people'
import { DOCS } from '../schema'

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
  const action = createAction()
  const compare = (): void => {
    void action.run(async () => {
      const found = await loadDiffs(props.me.space, from(), to())
      setDiffs(found)
      return found
    }, found => {
      const changed = found.filter(differs).length
      return changed === 0 ? 'No text differs.' : `${changed} of ${found.length} recommendation texts differ.`
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
      <Show when={diffs()}>{found => <Comparison diffs={found()} titles={props.titles} />}</Show>
    </div>
  </>
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

/** Whether a recommendation's text differs between the two sides. */
const differs = (d: Diff): boolean => d.runs.some(r => r.op !== 'equal')

/** The recommendations whose texts differ, then those that do not, folded; the outcome beside Compare says how many differ. */
function Comparison (props: { diffs: Diff[], titles: Map<string, string> }): JSX.Element {
  const changed = (): Diff[] => props.diffs.filter(differs)
  const same = (): Diff[] => props.diffs.filter(d => !differs(d))
  const section = (d: Diff): JSX.Element => (
    <section class='column diff' data-recommendation={d.recommendation}>
      <h3>{props.titles.get(d.recommendation) ?? d.recommendation}</h3>
      <Runs runs={d.runs} />
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
