// How many brackets and alternatives of one topic stayed open across the
// named versions of the space and now: a line each, falling as the group
// converges.
import { For, Index, Show, type JSX } from 'solid-js'
import type { Progress, Topic } from '../api'

export interface Point extends Progress { label: string }

const SERIES: ReadonlyArray<{ key: keyof Progress, name: string, color: string }> = [
  { key: 'open_brackets', name: 'open brackets', color: 'var(--bracket)' },
  { key: 'alternatives', name: 'alternatives', color: 'var(--accent)' }
]

const WIDTH = 280
const HEIGHT = 72
const PAD = 8

export function ProgressChart (props: { topic: Topic, points: Point[] }): JSX.Element {
  const top = (): number => Math.max(1, ...props.points.flatMap(p => SERIES.map(s => p[s.key])))
  const x = (i: number): number => props.points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (props.points.length - 1)
  const y = (value: number): number => HEIGHT - PAD - (value * (HEIGHT - 2 * PAD)) / top()
  const summary = (): string => SERIES.map(s => `${s.name}: ${props.points.map(p => p[s.key]).join(' → ')}`).join('; ')
  const now = (): Point => props.points[props.points.length - 1]
  return (
    <figure class='progress' data-topic={props.topic.letter}>
      <Show when={props.points.length > 1}>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role='img' class='chart'
          aria-label={`Topic ${props.topic.letter} over ${props.points.length - 1} versions and now: ${summary()}`}>
          <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} class='axis' />
          <For each={SERIES}>{series => <>
            <polyline points={props.points.map((p, i) => `${x(i)},${y(p[series.key])}`).join(' ')} fill='none' stroke={series.color} stroke-width={2} data-series={series.key} />
            <Index each={props.points}>{(point, i) =>
              <circle cx={x(i)} cy={y(point()[series.key])} r={3} fill={series.color}>
                <title>{`${point().label}: ${point()[series.key]} ${series.name}`}</title>
              </circle>
            }</Index>
          </>}</For>
        </svg>
      </Show>
      <figcaption>
        <p class='legend'>
          <For each={SERIES}>{series =>
            <span class='key' style={{ '--series': series.color }}>{`${series.name} now: ${now()[series.key]}`}</span>
          }</For>
        </p>
        <Show when={props.points.length === 1}>
          <p class='legend'>The chart starts when a version of the space is named.</p>
        </Show>
      </figcaption>
    </figure>
  )
}
