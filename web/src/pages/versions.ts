// Named versions: name the state of the space (or of one recommendation),
// browse what each version holds, and compare any two, or one with now.
import { follow } from '../live'
import { app, button, canTriage, diffNode, el, getJson, header, outcome, select, send, when, type Diff, type Me, type Space, type Version } from '../ui'

export async function versions (me: Me): Promise<void> {
  const space = await getJson<Space>(`/api/spaces/${me.space}`)
  const titles = new Map(space.recommendations.map(r => [r.id, `${r.topic}.${r.number} ${r.title}`]))
  const message = outcome()
  const list = el('div', { class: 'scroll' })
  const from = select('from', [], 'Compare')
  const to = select('to', [], 'with')
  const result = el('div', { class: 'diffs', 'aria-live': 'polite' })
  let known: Version[] = []

  const compare = async (): Promise<void> => {
    const found = await getJson<{ diffs: Diff[] }>(`/api/spaces/${me.space}/diff?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`)
    const section = (d: Diff): HTMLElement => el('section', { class: 'column diff', 'data-recommendation': d.recommendation },
      el('h3', {}, titles.get(d.recommendation) ?? d.recommendation), diffNode(d.runs))
    const differs = (d: Diff): boolean => d.runs.some(r => r.op !== 'equal')
    const changed = found.diffs.filter(differs)
    const same = found.diffs.filter(d => !differs(d))
    result.replaceChildren(
      el('p', { class: 'who' }, changed.length === 0 ? 'No text differs.' : `${changed.length} of ${found.diffs.length} recommendation texts differ.`),
      ...changed.map(section),
      ...(same.length > 0 ? [el('details', {}, el('summary', {}, `${same.length} unchanged`), ...same.map(section))] : []))
  }
  const render = async (): Promise<void> => {
    known = await getJson<Version[]>(`/api/spaces/${me.space}/versions`)
    const options: Array<[string, string]> = [...known.map(v => [v.id, `${v.name} (${when(v.created_at)})`] as [string, string]), ['live', 'now (the live texts)']]
    for (const [node, pick] of [[from, known.at(-2)?.id ?? known.at(-1)?.id ?? 'live'], [to, 'live']] as Array<[HTMLSelectElement, string]>) {
      const current = node.value
      node.replaceChildren(...options.map(([value, text]) => el('option', { value }, text)))
      node.value = options.some(([value]) => value === current) ? current : pick
    }
    list.replaceChildren(known.length === 0
      ? el('p', { class: 'who' }, 'No version has been named yet.')
      : el('table', {},
        el('thead', {}, el('tr', {}, ...['Version', 'Named', 'Holds', 'Open brackets', 'Alternatives'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...[...known].reverse().map(v => el('tr', { 'data-version': v.id },
          el('td', {}, v.name),
          el('td', {}, `${when(v.created_at)} by ${v.created_by}`),
          el('td', {}, ...v.recommendations.flatMap((rec, i) => [i > 0 ? ', ' : '', el('a', { href: `/s/${me.space}/v/${v.id}/${rec}` }, rec)])),
          el('td', {}, String(v.open_brackets)),
          el('td', {}, String(v.alternatives)))))))
  }

  const parts: HTMLElement[] = [header(me, 'Versions', 'versions'), message.node]
  if (canTriage(me)) {
    const name = el('input', { name: 'name', placeholder: 'e.g. After the 4th meeting', 'aria-label': 'Version name', required: '' })
    const scope = select('scope', [['', 'the whole space'], ...space.recommendations.map(r => [r.id, `only ${titles.get(r.id) ?? r.id}`] as [string, string])], 'Of')
    const form = el('form', { class: 'column inline' }, el('h3', {}, 'Name the current state'), name, scope, el('button', { type: 'submit' }, 'Name this version'))
    form.addEventListener('submit', event => {
      event.preventDefault()
      void message.run(async () => {
        await send('POST', `/api/spaces/${me.space}/versions`, { name: name.value, recommendation: scope.value !== '' ? scope.value : undefined })
        name.value = ''
      })
    })
    parts.push(form)
  }
  parts.push(el('h2', {}, 'Named versions'), list,
    el('h2', {}, 'Compare'), el('div', { class: 'controls' }, from, to, button('Compare', 'compare', () => { void message.run(compare) })), result)
  app.replaceChildren(...parts)
  follow(me, 'versions', () => { void render() })
  await render()
}
