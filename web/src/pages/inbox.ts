// The proposals inbox: the vice-chair categorizes, previews, merges and
// rejects; members submit proposals, open branches, and withdraw theirs.
import { follow } from '../live'
import { app, button, canTriage, el, getJson, header, outcome, select, send, showDiff, type Me, type Space } from '../ui'

interface Proposal { id: string, title: string, text?: string, topic?: string, branch_of?: string, doc?: string, author: string, status: string, merged_into: Array<{ recommendation: string, as: string }> }

const OPEN = ['submitted', 'categorized']

export async function inbox (me: Me): Promise<void> {
  const space = await getJson<Space>(`/api/spaces/${me.space}`)
  const triage = canTriage(me)
  const list = el('div', { class: 'proposals' })
  const message = outcome()
  const act = async (method: string, path: string, body?: unknown): Promise<void> => {
    await message.run(async () => { await send(method, path, body) })
    await render()
  }
  const topics = space.topics.map(t => [t.letter, `${t.letter}. ${t.title}`] as [string, string])
  const recs = space.recommendations.map(r => [r.id, `${r.topic}.${r.number} ${r.title}`] as [string, string])
  const filter = select('show', [['open', 'Open proposals'], ['all', 'All proposals'], ['closed', 'Merged, rejected or withdrawn']], 'Show')
  const byTopic = select('filter-topic', [['', 'every topic'], ...topics], 'Topic')
  const render = async (): Promise<void> => {
    const proposals = (await getJson<Proposal[]>(`/api/spaces/${me.space}/proposals`)).filter(p =>
      (filter.value === 'all' || (filter.value === 'open') === OPEN.includes(p.status)) &&
      (byTopic.value === '' || p.topic === byTopic.value))
    list.replaceChildren(...(proposals.length > 0 ? proposals.map(p => item(p)) : [el('p', { class: 'who' }, 'No proposals here.')]))
  }
  const item = (p: Proposal): HTMLElement => {
    const open = OPEN.includes(p.status)
    const path = `/api/spaces/${me.space}/proposals/${p.id}`
    const node = el('article', { class: 'column proposal', 'data-proposal': p.id },
      el('h3', {}, p.title),
      el('p', { class: 'who' }, `${p.status} · by ${p.author}${p.topic !== undefined ? ` · topic ${p.topic}` : ''}${p.branch_of !== undefined ? ` · branch of ${p.branch_of}` : ''}`),
      ...(p.text !== undefined && p.text !== '' ? [el('p', {}, p.text)] : []),
      ...(p.doc !== undefined ? [el('a', { href: `/s/${me.space}/p/${p.id}` }, 'Open the branch')] : []))
    if (p.merged_into.length > 0) node.append(el('p', { class: 'who' }, `Merged into ${p.merged_into.map(m => `${m.recommendation} (${m.as})`).join(', ')}`))
    if (open && triage) {
      const topic = select('topic', topics)
      if (p.topic !== undefined) topic.value = p.topic
      const into = select('into', recs)
      if (p.branch_of !== undefined) into.value = p.branch_of
      const as = select('as', [['majority', 'into the majority text'], ['alternative', 'as an alternative']])
      const reason = el('input', { name: 'reason', placeholder: 'Reason for rejecting', 'aria-label': 'reason' })
      const preview = el('div', { class: 'diff', hidden: '' })
      node.append(el('div', { class: 'controls' },
        topic, button('Categorize', 'categorize', () => { void act('POST', `${path}/categorize`, { topic: topic.value }) }),
        button('Preview', 'preview', () => {
          void showDiff(preview, me.space, `live:${into.value}`, `proposal:${p.id}`)
        }),
        into, as, button('Merge', 'merge', () => { void act('POST', `${path}/merge`, { into: into.value, as: as.value }) }),
        reason, button('Reject', 'reject', () => { void act('POST', `${path}/reject`, { reason: reason.value }) })), preview)
    } else if (open && p.author === me.user) {
      node.append(button('Withdraw', 'withdraw', () => { void act('POST', `${path}/withdraw`) }))
    }
    return node
  }
  const parts: HTMLElement[] = [header(me, triage ? 'Proposals inbox' : 'My proposals', 'proposals'), message.node]
  if (me.role !== 'observer') {
    const title = el('input', { name: 'title', placeholder: 'Title', 'aria-label': 'title', required: '' })
    const text = el('textarea', { name: 'text', placeholder: 'Proposed text', 'aria-label': 'text', rows: '3' })
    const topic = select('topic', [['', 'no topic'], ...topics])
    const form = el('form', { class: 'column' }, el('h3', {}, 'Propose a text'), title, text, topic, el('button', { type: 'submit' }, 'Submit a proposal'))
    form.addEventListener('submit', event => {
      event.preventDefault()
      void act('POST', `/api/spaces/${me.space}/proposals`, { title: title.value, text: text.value, topic: topic.value !== '' ? topic.value : undefined })
    })
    const of = select('branch_of', recs)
    const branch = button('Open a branch', 'branch', () => {
      void message.run(async () => {
        const made = await send<{ id: string }>('POST', `/api/spaces/${me.space}/proposals`, { title: `Changes to ${of.value}`, branch_of: of.value })
        location.href = `/s/${me.space}/p/${made.id}`
      })
    })
    parts.push(el('div', { class: 'columns' }, form, el('div', { class: 'column' }, el('h3', {}, 'Edit a copy of a recommendation'), of, ' ', branch)))
  }
  for (const control of [filter, byTopic]) control.addEventListener('change', () => { void render() })
  parts.push(el('h2', {}, 'Proposals'), el('div', { class: 'controls filters' }, filter, byTopic), list)
  app.replaceChildren(...parts)
  // The inbox document changes whenever a proposal does: follow it live.
  follow(me, 'proposals', () => { void render() })
  await render()
}
