// A recommendation's page: the majority text and each alternative side by
// side, the structured fields, support, and the chair's controls. The same
// page shows a branch proposal's copy (editable by its author's group) and
// a named version's copy (never editable).
import type * as Y from 'yjs'
import { connect, editor, saveIndicator, synced } from '../live'
import { app, el, exportLinks, header, select, send, showDiff, when, type Me, type Version } from '../ui'

const FIELDS: Array<[string, string]> = [
  ['tasks', 'Tasks'], ['implementation', 'Implementation'], ['responsible', 'Responsible body'],
  ['timeline', 'Timeline'], ['monitoring', 'Monitoring and evaluation']
]
const STATUSES = ['draft', 'bracketed', 'agreed', 'adopted']
const CONSENSUS = ['full', 'consensus', 'strong-support', 'divergence']

/** What the page shows: the live recommendation, a branch, or a version. */
export type Source =
  | { kind: 'live', id: string }
  | { kind: 'branch', proposal: string }
  | { kind: 'version', version: string, id: string }

function docOf (source: Source): string {
  switch (source.kind) {
    case 'live': return `r/${source.id}`
    case 'branch': return `p/${source.proposal}`
    case 'version': return `v/${source.version}/${source.id}`
  }
}

/** The chair's controls: move the status, set the consensus level. */
function statusControls (me: Me, id: string, meta: Y.Map<unknown>): HTMLElement {
  const status = select('status', STATUSES.map(s => [s, s]))
  status.value = String(meta.get('status') ?? 'draft')
  const consensus = select('consensus', [['', 'no consensus level'], ...CONSENSUS.map(c => [c, c] as [string, string])])
  consensus.value = String(meta.get('consensus') ?? '')
  const apply = (): void => {
    void send('PUT', `/api/spaces/${me.space}/recommendations/${id}/status`, { status: status.value, consensus: consensus.value !== '' ? consensus.value : undefined })
  }
  status.addEventListener('change', apply)
  consensus.addEventListener('change', apply)
  return el('span', { class: 'controls' }, status, consensus)
}

export async function recommendation (me: Me, source: Source): Promise<void> {
  const live = connect(me, docOf(source))
  const version = source.kind === 'version'
    ? (await send<Version[]>('GET', `/api/spaces/${me.space}/versions`)).find(v => v.id === source.version)
    : undefined
  await synced(live)
  const { ydoc } = live
  const meta = ydoc.getMap('meta')
  if (meta.get('id') === undefined) {
    app.replaceChildren(header(me, 'Not found', 'recommendation'), el('p', { class: 'error', role: 'alert' }, 'There is no such recommendation here.'))
    return
  }
  const id = String(meta.get('id'))
  const status = String(meta.get('status') ?? 'draft')
  const editable = me.role !== 'observer' && source.kind !== 'version' && (source.kind === 'branch' || status !== 'adopted')
  const name = `${String(meta.get('topic'))}.${String(meta.get('number'))} ${String(meta.get('title'))}`
  const title = source.kind === 'branch' ? `Branch of ${name}` : source.kind === 'version' ? `${name}, as of “${version?.name ?? source.version}”` : name
  const parts: HTMLElement[] = [header(me, title, 'recommendation')]
  const saveBadge = editable ? saveIndicator(live) : undefined
  const statusLine = el('div', { class: 'status-line' })
  const renderStatus = (): void => {
    const items: Array<Node | string> = [el('span', { class: `badge ${String(meta.get('status'))}` }, String(meta.get('status'))), `consensus: ${String(meta.get('consensus') ?? '—')}`]
    if (me.role === 'chair' && source.kind === 'live') items.push(statusControls(me, id, meta))
    if (saveBadge !== undefined) items.push(saveBadge)
    statusLine.replaceChildren(...items)
  }
  meta.observe(renderStatus)
  renderStatus()
  parts.push(statusLine)
  if (!editable) {
    const why = source.kind === 'version'
      ? `This is the text as it stood when the version “${version?.name ?? source.version}” was named${version !== undefined ? ` (${when(version.created_at)}, by ${version.created_by})` : ''}: it never changes.`
      : me.role === 'observer'
        ? 'You are watching as an observer: the text updates live, and you cannot change it.'
        : 'This recommendation is adopted: its text is frozen.'
    parts.push(el('p', { class: 'readonly-note', role: 'note' }, why, ...(source.kind === 'version' ? [' ', el('a', { href: `/s/${me.space}/r/${id}` }, 'See the live text')] : [])))
  }
  const support = ydoc.getMap<string>('support')
  const supportButton = (choice: string): HTMLElement => {
    const count = [...support.values()].filter(v => v === choice).length
    const mine = support.get(me.user) === choice
    const button = el('button', { type: 'button', class: 'support', 'data-support': choice, 'aria-pressed': String(mine) }, `${mine ? 'Supported' : 'Support'} (${count})`)
    if (me.role === 'observer' || status === 'adopted' || source.kind !== 'live') button.setAttribute('disabled', '')
    button.addEventListener('click', () => { void send('POST', `/api/spaces/${me.space}/recommendations/${id}/support`, { for: choice }) })
    return button
  }
  const columns = el('div', { class: 'columns' })
  const diffs = new Set<string>()
  const renderColumns = (): void => {
    const majority = el('section', { class: 'column majority', 'data-column': 'majority', 'aria-label': 'Majority text' },
      el('h3', {}, 'Majority text'), editor(ydoc.getText('text'), live, editable, 'Majority text'), supportButton('majority'))
    const alternatives = ydoc.getMap<Y.Map<unknown>>('alternatives')
    const alts = [...alternatives.entries()].map(([altId, alt]) => {
      const label = String(alt.get('label'))
      const proponents = (alt.get('proponents') as Y.Array<string> | undefined)?.toArray() ?? []
      const stale = alt.get('based_on') !== ydoc.getText('text').toString()
      const column = el('section', { class: 'column alternative', 'data-column': altId, 'aria-label': `Alternative: ${label}` },
        el('h3', {}, `Alternative: ${label}`),
        el('p', { class: 'proponents' }, `Proponents: ${proponents.join(', ') !== '' ? proponents.join(', ') : '—'}${stale ? ' · written against an earlier majority text' : ''}`),
        editor(alt.get('text') as Y.Text, live, editable, `Alternative ${label}`),
        supportButton(altId))
      // The live diff is the server's: only the live text has one.
      if (source.kind === 'live') {
        const diffBox = el('div', { class: 'diff', 'data-diff': altId, hidden: '' })
        const toggle = el('button', { type: 'button', class: 'diff-toggle', 'aria-expanded': 'false' }, 'Show where it departs from the majority')
        const openDiff = async (): Promise<void> => {
          await showDiff(diffBox, me.space, `live:${id}`, `alt:${id}:${altId}`)
          toggle.setAttribute('aria-expanded', 'true')
          toggle.textContent = 'Hide the differences'
        }
        toggle.addEventListener('click', () => {
          if (diffs.has(altId)) {
            diffs.delete(altId)
            diffBox.hidden = true
            toggle.setAttribute('aria-expanded', 'false')
            toggle.textContent = 'Show where it departs from the majority'
          } else {
            diffs.add(altId)
            void openDiff()
          }
        })
        if (diffs.has(altId)) void openDiff()
        column.append(toggle, diffBox)
      }
      return column
    })
    columns.replaceChildren(majority, ...alts)
  }
  ydoc.getMap('alternatives').observe(renderColumns)
  support.observe(renderColumns)
  renderColumns()
  parts.push(columns)
  parts.push(el('h2', {}, 'Tasks, implementation and monitoring'))
  parts.push(el('div', { class: 'fields' }, ...FIELDS.map(([field, label]) =>
    el('div', {}, el('h3', { class: 'field' }, label), editor(ydoc.getText(field), live, editable, label)))))
  parts.push(exportLinks(me.space))
  app.replaceChildren(...parts)
}
