// Word diffs from the server, drawn as marked-up text: deletions struck,
// insertions underlined, each also said in words for those who cannot see
// the marks or their colours.
import { For, Show, type JSX } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { getJson, routes, type Diff, type Run } from '../api'

/** The word diff of each recommendation between two texts (a version's id, or one of `diffable`). */
export async function loadDiffs (space: string, from: string, to: string): Promise<Diff[]> {
  return (await getJson<{ diffs: Diff[] }>(routes.diff(space, from, to))).diffs
}

/** A change's element, and the words that say where it starts and ends. */
const CHANGES = {
  delete: { tag: 'del', start: 'deleted: ', end: ' (end of deletion)' },
  insert: { tag: 'ins', start: 'inserted: ', end: ' (end of insertion)' }
} as const

export function Runs (props: { runs: Run[] }): JSX.Element {
  return (
    <p>
      <For each={props.runs}>{run =>
        <Show when={run.op !== 'equal' && CHANGES[run.op]} fallback={run.text}>{change =>
          <Dynamic component={change().tag}>
            <span class='visually-hidden'>{change().start}</span>{run.text}<span class='visually-hidden'>{change().end}</span>
          </Dynamic>
        }</Show>
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
