// The space's dashboard: topics with their recommendations, live from the
// space's index document, and a chart per topic of how many brackets and
// alternatives stayed open across the named versions.
import { connect, follow } from '../live'
import { app, canTriage, el, exportLinks, getJson, header, type Me, type Space, type Summary, type Topic, type Version } from '../ui'

const SVG = 'http://www.w3.org/2000/svg'

function svg (tag: string, attrs: Record<string, string | number>, ...children: Array<Node | string>): SVGElement {
  const node = document.createElementNS(SVG, tag)
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value))
  node.append(...children)
  return node
}

interface Point { label: string, open: number, alternatives: number }

const SERIES: Array<['open' | 'alternatives', string, string]> = [
  ['open', 'open brackets', 'var(--bracket)'],
  ['alternatives', 'alternatives', 'var(--accent)']
]

/**
 * Open brackets and alternatives of one topic at each whole-space version
 * and now: a line each, falling as the group converges.
 */
function progressChart (topic: Topic, points: Point[]): HTMLElement {
  const width = 280
  const height = 72
  const pad = 8
  const top = Math.max(1, ...points.flatMap(p => [p.open, p.alternatives]))
  const x = (i: number): number => points.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (points.length - 1)
  const y = (value: number): number => height - pad - (value * (height - 2 * pad)) / top
  const summary = SERIES.map(([key, name]) => `${name}: ${points.map(p => p[key]).join(' → ')}`).join('; ')
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `Topic ${topic.letter} over ${points.length - 1} versions and now: ${summary}`, class: 'chart' },
    svg('line', { x1: pad, x2: width - pad, y1: height - pad, y2: height - pad, class: 'axis' }))
  for (const [key, name, color] of SERIES) {
    chart.append(svg('polyline', { points: points.map((p, i) => `${x(i)},${y(p[key])}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': key }))
    points.forEach((p, i) => chart.append(svg('circle', { cx: x(i), cy: y(p[key]), r: 3, fill: color }, svg('title', {}, `${p.label}: ${p[key]} ${name}`))))
  }
  const legend = el('p', { class: 'legend' }, ...SERIES.map(([key, name]) =>
    el('span', { class: `key ${key}` }, `${name} now: ${points[points.length - 1][key]}`)))
  const caption = el('figcaption', {}, legend)
  if (points.length === 1) caption.append(el('p', { class: 'legend' }, 'The chart starts when a version of the space is named.'))
  return el('figure', { class: 'progress', 'data-topic': topic.letter }, ...(points.length > 1 ? [chart] : []), caption)
}

function table (me: Me, rows: Summary[]): HTMLElement {
  return el('div', { class: 'scroll' }, el('table', {},
    el('thead', {}, el('tr', {}, ...['Recommendation', 'Status', 'Consensus', 'Alternatives', 'Open brackets', 'Stale'].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map(r => el('tr', { 'data-recommendation': r.id },
      el('td', {}, el('a', { href: `/s/${me.space}/r/${r.id}` }, `${r.topic}.${r.number} ${r.title}`)),
      el('td', {}, el('span', { class: `badge ${r.status}` }, r.status)),
      el('td', {}, r.consensus ?? '—'),
      el('td', {}, String(r.alternatives)),
      el('td', {}, String(r.open_brackets)),
      el('td', {}, String(r.stale_alternatives))
    )))))
}

export async function dashboard (me: Me): Promise<void> {
  const space = await getJson<Space>(`/api/spaces/${me.space}`)
  const index = connect(me, 'index')
  const recs = index.ydoc.getMap<Summary>('recommendations')
  let versions: Version[] = []
  const body = el('div')
  const intro = el('p', {}, el('a', { href: `/s/${me.space}/proposals` }, canTriage(me) ? 'Proposals to merge' : 'Propose a text'), ' · ', el('a', { href: `/s/${me.space}/versions` }, 'Named versions'))
  app.replaceChildren(header(me, space.title, 'dashboard'), intro, exportLinks(me.space), body)
  const render = (): void => {
    const all = [...recs.values()]
    const whole = versions.filter(v => v.recommendation === undefined)
    body.replaceChildren(...space.topics.map(topic => {
      const rows = all.filter(r => r.topic === topic.letter).sort((a, b) => a.number - b.number)
      const points: Point[] = [
        ...whole.map(v => ({ label: v.name, open: v.topics?.[topic.letter]?.open_brackets ?? 0, alternatives: v.topics?.[topic.letter]?.alternatives ?? 0 })),
        { label: 'now', open: rows.reduce((n, r) => n + r.open_brackets, 0), alternatives: rows.reduce((n, r) => n + r.alternatives, 0) }
      ]
      return el('section', { class: 'topic' },
        el('div', { class: 'topic-head' }, el('h2', {}, `${topic.letter}. ${topic.title}`), progressChart(topic, points)),
        rows.length > 0 ? table(me, rows) : el('p', { class: 'who' }, 'No recommendations yet.'))
    }))
  }
  const refreshVersions = async (): Promise<void> => {
    versions = await getJson<Version[]>(`/api/spaces/${me.space}/versions`)
    render()
  }
  recs.observe(render)
  // A version named elsewhere adds a point to the charts.
  follow(me, 'versions', () => { void refreshVersions() })
  render()
  await refreshVersions()
}
