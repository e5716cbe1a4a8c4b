// The space's dashboard: topics with their recommendations, live from the
// space's index document, and a chart per topic of how many brackets and
// alternatives stayed open across the named versions.
import { createMemo, createResource, For, Show, type JSX } from 'solid-js'
import { runsTheSpace, triages } from '../access'
import { address } from '../address'
import { getJson, recommendationName, routes, type Me, type Space, type Summary, type Topic, type Version } from '../api'
import { ExportLinks, ReadFailure, StatusBadge, TableHead } from '../components/controls'
import { Frame } from '../components/Header'
import { NewRecommendation } from '../components/NewRecommendation'
import { ProgressChart, type Point } from '../components/ProgressChart'
import { ReportHeaderForm } from '../components/ReportHeader'
import { followList, openLive } from '../live'
import { nameOf } from '../people'
import { DOCS, INDEX } from '../schema'
import { sameList, storeOf } from '../ysignals'

const COLUMNS = ['Recommendation', 'Status', 'Consensus', 'Alternatives', 'Open brackets', 'Open comments', 'Suggestions waiting', 'Stale']

export function Dashboard (props: { me: Me }): JSX.Element {
  const [space] = createResource(async () => await getJson<Space>(routes.space(props.me.space)))
  const index = openLive(props.me, DOCS.index)
  const summaries = storeOf(index.ydoc.getMap<Summary>(INDEX.recommendations))
  // A version named elsewhere adds a point to the charts.
  const versions = followList(props.me, DOCS.versions, DOCS.versions, async () => await getJson<Version[]>(routes.versions(props.me.space)))
  const wholeSpaceVersions = createMemo(() => versions.items.filter(v => v.recommendation === undefined))
  return (
    <Show when={space()}>{space =>
      <Frame me={props.me} title={space().title} current='dashboard' live={index}>
        <p>
          <a href={address(props.me.space, 'inbox')}>{triages(props.me.role) ? 'Proposals to merge' : 'Propose a text'}</a>
          {' · '}
          <a href={address(props.me.space, 'versionList')}>Named versions</a>
        </p>
        <ExportLinks space={props.me.space} />
        <Show when={runsTheSpace(props.me.role)}>
          <ReportHeaderForm me={props.me} header={space().report} />
        </Show>
        <Show when={runsTheSpace(props.me.role)}>
          <NewRecommendation me={props.me} topics={space().topics} />
        </Show>
        <ReadFailure message={versions.error()} />
        <div>
          <For each={space().topics}>{topic =>
            <TopicSection me={props.me} topic={topic} summaries={summaries} versions={wholeSpaceVersions()} />
          }</For>
        </div>
      </Frame>
    }</Show>
  )
}

interface TopicProps { me: Me, topic: Topic, summaries: Record<string, Summary>, versions: Version[] }

function TopicSection (props: TopicProps): JSX.Element {
  const rows = createMemo(() => Object.values(props.summaries)
    .filter(summary => summary.topic === props.topic.letter)
    .sort((a, b) => a.number - b.number))
  // The rows are keyed by id: a recommendation's change redraws its cells only.
  const ids = createMemo(() => rows().map(summary => summary.id), [], { equals: sameList })
  const points = createMemo((): Point[] => [
    ...props.versions.map(v => ({
      label: v.name,
      open_brackets: v.topics?.[props.topic.letter]?.open_brackets ?? 0,
      alternatives: v.topics?.[props.topic.letter]?.alternatives ?? 0
    })),
    {
      label: 'now',
      open_brackets: rows().reduce((n, r) => n + r.open_brackets, 0),
      alternatives: rows().reduce((n, r) => n + r.alternatives, 0)
    }
  ])
  // How many brackets the topic has open, and who holds them.
  const bracketsLine = (): string => {
    const open = rows().reduce((n, r) => n + r.open_brackets, 0)
    const holders = [...new Set(rows().flatMap(r => r.bracket_holders ?? []).map(holder => nameOf(props.me.space, holder)))].sort()
    const count = open === 1 ? '1 open bracket' : `${open} open brackets`
    return holders.length > 0 ? `${count}, held by ${holders.join(', ')}` : count
  }
  return (
    <section class='topic'>
      <div class='topic-head'>
        <h2>{props.topic.letter}. {props.topic.title}</h2>
        <p class='who' data-topic-brackets={props.topic.letter}>{bracketsLine()}</p>
        <ProgressChart topic={props.topic} points={points()} />
      </div>
      <Show when={ids().length > 0} fallback={<p class='who'>No recommendations yet.</p>}>
        <div class='scroll'>
          <table>
            <TableHead columns={COLUMNS} />
            <tbody>
              <For each={ids()}>{id => <SummaryRow me={props.me} summary={props.summaries[id]} />}</For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  )
}

function SummaryRow (props: { me: Me, summary: Summary }): JSX.Element {
  return (
    <tr data-recommendation={props.summary.id}>
      <td><a href={address(props.me.space, 'recommendation', props.summary.id)}>{recommendationName(props.summary)}</a></td>
      <td><StatusBadge status={props.summary.status} /></td>
      <td>{props.summary.consensus ?? '—'}</td>
      <td>{props.summary.alternatives}</td>
      <td data-brackets>
        {props.summary.open_brackets}
        <Show when={(props.summary.bracket_holders ?? []).length > 0}>
          <span class='who'> held by {(props.summary.bracket_holders ?? []).map(holder => nameOf(props.me.space, holder)).join(', ')}</span>
        </Show>
      </td>
      <td data-comments>{props.summary.open_comments ?? 0}</td>
      <td data-suggestions>{props.summary.pending_suggestions ?? 0}</td>
      <td>{props.summary.stale_alternatives}</td>
    </tr>
  )
}
