// Word diffs from the server, drawn as marked-up text: deletions struck,
// insertions underlined.
import { For, Match, Switch, type JSX } from 'solid-js'
import { getJson, routes, type Diff, type Run } from '../api'

/** The word diff of each recommendation between two texts (a version's id, or one of `diffable`). */
export async function loadDiffs (space: string, from: string, to: string): Promise<Diff[]> {
  return (await getJson<{ diffs: Diff[] }>(routes.diff(space, from, to))).diffs
}

export function Runs (props: { runs: Run[] }): JSX.Element {
  return (
    <p>
      <For each={props.runs}>{run =>
        <Switch fallback={run.text}>
          <Match when={run.op === 'delete'}><del>{run.text}</del></Match>
          <Match when={run.op === 'insert'}><ins>{run.text}</ins></Match>
        </Switch>
      }</For>
    </p>
  )
}

/** One comparison shown in place, such as an alternative against the majority text. */
export function DiffBox (props: { diffs: Diff[], id?: string }): JSX.Element {
  return (
    <div class='diff' data-diff={props.id}>
      <For each={props.diffs}>{diff => <Runs runs={diff.runs} />}</For>
    </div>
  )
}
