// How the implementation of the adopted recommendations goes, for everyone
// in the space: each adopted recommendation with its responsible body, its
// latest status and its history, grouped by responsible body or by topic;
// and the report on implementation as of a date, in every export format.
// Reports are made on each recommendation's own page.
import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { getJson, recommendationName, routes, type Me } from '../api'
import { address } from '../address'
import { Frame } from '../components/Header'
import { EntryLine, inOrder, STATUS_WORDS, type ImplementationEntry } from '../components/Implementation'
import { Field, ReadFailure, Select, type Choice } from '../components/controls'
import { EXPORT_FORMATS } from '../schema'

interface Implemented { id: string, topic: string, number: number, title: string, responsible: string, entries: ImplementationEntry[] }

type Grouping = 'body' | 'topic'
const GROUPINGS: Choice[] = [['body', 'responsible body'], ['topic', 'topic']]

export function ImplementationPage (props: { me: Me }): JSX.Element {
  const [adopted] = createResource(async () => await getJson<Implemented[]>(routes.implementationList(props.me.space)))
  const [grouping, setGrouping] = createSignal<Grouping>('body')
  const [asOf, setAsOf] = createSignal(new Date().toISOString().slice(0, 10))
  // Each group's heading and its recommendations, in the report's order.
  const groups = createMemo((): Array<[string, Implemented[]]> => {
    const grouped = new Map<string, Implemented[]>()
    for (const rec of adopted() ?? []) {
      const key = grouping() === 'body' ? (rec.responsible !== '' ? rec.responsible : 'No responsible body named') : `Topic ${rec.topic}`
      grouped.set(key, [...(grouped.get(key) ?? []), rec])
    }
    return [...grouped.entries()].sort(([a], [b]) => a.localeCompare(b))
  })
  return (
    <Frame me={props.me} title='Implementation' current='implementation'>
      <ReadFailure message={adopted.error !== undefined ? String(adopted.error) : undefined} />
      <nav class='exports controls' aria-label='Report on implementation'>
        <Field label='Report on implementation as of'>
          <input name='as-of' type='date' required value={asOf()} onInput={event => setAsOf(event.currentTarget.value)} />
        </Field>
        <span>
          <For each={EXPORT_FORMATS}>{format =>
            <>{' '}<a href={routes.implementationReport(props.me.space, format.key, asOf())} download='' class='button'>{format.title}</a></>
          }</For>
        </span>
      </nav>
      <Select name='grouping' label='Group by' options={GROUPINGS} value={grouping()} onChange={value => setGrouping(value as Grouping)} />
      <Show when={adopted() !== undefined && groups().length === 0}>
        <p class='who'>No recommendation is adopted yet: implementation is followed once one is.</p>
      </Show>
      <For each={groups()}>{([heading, recs]) =>
        <section class='column implementation-group' data-group={heading} aria-label={heading}>
          <h2>{heading}</h2>
          <For each={recs}>{rec => {
            const history = inOrder(rec.entries)
            const latest = history.at(-1)
            return (
              <article class='implemented' data-recommendation={rec.id}>
                <h3><a href={address(props.me.space, 'recommendation', rec.id)}>{recommendationName(rec)}</a></h3>
                <Show when={grouping() === 'topic'}><p class='who'>Responsible body: {rec.responsible !== '' ? rec.responsible : '—'}</p></Show>
                <p class='implementation-status' data-status={latest?.status ?? 'none'}>
                  {latest !== undefined ? `Latest: ${STATUS_WORDS[latest.status]}.` : 'Nothing reported yet.'}
                </p>
                <Show when={history.length > 0}>
                  <ol class='history'>
                    <For each={history}>{entry => <li data-entry={entry.id}><EntryLine space={props.me.space} entry={entry} /></li>}</For>
                  </ol>
                </Show>
              </article>
            )
          }}</For>
        </section>
      }</For>
    </Frame>
  )
}
