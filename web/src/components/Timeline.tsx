// Where a recommendation's text came from and where it went, from the
// space's audit log: its creation, the proposals merged into it (whose,
// from which delegation), its alternatives and who joined them, who
// supports which text, brackets
// cleared, its statuses, the versions it passed through with the status it
// had in each, its adoption and the reports on its implementation, in time
// order. Read again whenever the recommendation's status, alternatives,
// brackets or reports change, not as its words are typed.
import * as Y from 'yjs'
import { createResource, For, onCleanup, Show, type JSX } from 'solid-js'
import { getJson, routes, type Me } from '../api'
import { nameOf, whoIs } from '../people'
import { MAJORITY, ROOT, type ConsensusLevel, type ImplementationStatus, type MergeKind, type Status } from '../schema'
import { STATUS_WORDS } from './Implementation'
import { ReadFailure, day, when } from './controls'

type Step = { seq: number, at: string, by: string } & (
  | { kind: 'created', title: string, topic: string }
  | { kind: 'merged', proposal: string, title: string, author: string, as: MergeKind | null, partial: boolean }
  | { kind: 'status', status: Status, consensus: ConsensusLevel | null }
  | { kind: 'bracket-cleared', passage: string, kept: string | null }
  | { kind: 'version', version: string, name: string, status?: Status }
  | { kind: 'alternative', alternative: string, label: string, step: 'added' | 'cosponsored' | 'left' }
  | { kind: 'support', choice: string | null, label?: string }
  | { kind: 'implementation', entry: { status: ImplementationStatus, as_of: string, note: string } }
)

const MERGED_AS: Record<MergeKind, string> = { majority: 'into the majority text', alternative: 'as an alternative', new: 'as this new recommendation' }

/** What a step says, in a sentence. */
function told (space: string, step: Step): string {
  const by = nameOf(space, step.by)
  switch (step.kind) {
    case 'created': return `Created by ${by} under topic ${step.topic}: “${step.title}”.`
    case 'merged': return `Proposal “${step.title}” by ${whoIs(space, step.author)} merged${step.partial ? ' in part' : ''} ${MERGED_AS[step.as ?? 'majority']} by ${by}.`
    case 'status': return step.status === 'adopted'
      ? `Adopted${step.consensus !== null ? ` (${step.consensus})` : ''}; moved by ${by}.`
      : `Moved to ${step.status}${step.consensus !== null ? ` (${step.consensus})` : ''} by ${by}.`
    case 'bracket-cleared': return `Bracket cleared by ${by}: “${step.passage}”${step.kept !== null && step.kept !== step.passage ? `, keeping “${step.kept}”` : ''}.`
    case 'version': return `Named in the version “${step.name}” by ${by}${step.status !== undefined ? `, as ${step.status}` : ''}.`
    case 'alternative': return step.step === 'added'
      ? `Alternative “${step.label}” added by ${whoIs(space, step.by)}.`
      : `${whoIs(space, step.by)} ${step.step === 'cosponsored' ? 'joined' : 'left'} the proponents of “${step.label}”.`
    case 'support': return step.choice === null
      ? `${whoIs(space, step.by)} withdrew their support.`
      : `${whoIs(space, step.by)} supports ${step.choice === MAJORITY ? 'the majority text' : `the alternative “${step.label ?? step.choice}”`}.`
    case 'implementation': return `Implementation reported by ${whoIs(space, step.by)}: ${STATUS_WORDS[step.entry.status]} as of ${day(step.entry.as_of)}.${step.entry.note !== '' ? ` ${step.entry.note}` : ''}`
  }
}

export function Timeline (props: { me: Me, id: string, ydoc: Y.Doc }): JSX.Element {
  const [lineage, { refetch }] = createResource(async () => (await getJson<{ steps: Step[] }>(routes.lineage(props.me.space, props.id))).steps)
  // The log gains its entry once the change is made: read it again then,
  // a moment after, once for a burst of changes.
  let timer: ReturnType<typeof setTimeout> | undefined
  const reread = (events: Array<Y.YEvent<any>>): void => {
    // An alternative's words being typed are no step of its lineage.
    if (events.every(event => event.target instanceof Y.Text)) return
    clearTimeout(timer)
    timer = setTimeout(() => { void refetch() }, 300)
  }
  const followed: Array<Y.AbstractType<any>> = [ROOT.meta, ROOT.alternatives, ROOT.brackets, ROOT.implementationReports].map(name => props.ydoc.getMap(name))
  for (const type of followed) type.observeDeep(reread)
  onCleanup(() => {
    clearTimeout(timer)
    for (const type of followed) type.unobserveDeep(reread)
  })
  return (
    <section class='column timeline' aria-labelledby='timeline'>
      <h2 id='timeline'>Timeline</h2>
      <ReadFailure message={lineage.error !== undefined ? String(lineage.error) : undefined} />
      <Show when={(lineage.latest ?? []).length > 0} fallback={<p class='who'>Nothing recorded yet.</p>}>
        <ol class='lineage'>
          <For each={lineage.latest}>{step =>
            <li data-kind={step.kind} data-seq={step.seq}>
              <time datetime={step.at}>{when(step.at)}</time> {told(props.me.space, step)}
            </li>
          }</For>
        </ol>
      </Show>
    </section>
  )
}
