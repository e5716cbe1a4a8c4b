// The chair sets what heads the space's report: the body it goes to, its
// symbol, session, date, title and distribution, and how recommendations
// are numbered. Every export (Word, HTML, Akoma Ntoso, Markdown) takes it.
import { createSignal, For, type JSX } from 'solid-js'
import { routes, send, type Me, type ReportHeader } from '../api'
import { NUMBERINGS, type Numbering } from '../schema'
import { createAction, Field, Outcome, Select, type Choice } from './controls'

type Line = Exclude<keyof ReportHeader, 'numbering' | 'date'>

const LINES: ReadonlyArray<[Line, string, string]> = [
  ['body', 'Body', 'Commission on Science and Technology for Development'],
  ['symbol', 'Document symbol', 'E/CN.16/2012/CRP.2'],
  ['session', 'Session', 'Fifteenth session, Geneva, 21-25 May 2012'],
  ['title', 'Title', 'The space’s title'],
  ['distribution', 'Distribution', 'General']
]

const NUMBERING_CHOICES: Choice[] = NUMBERINGS.map(numbering =>
  [numbering, numbering === 'per-topic' ? 'Within each topic (C.7)' : '1 to N through the report'])

export function ReportHeaderForm (props: { me: Me, header: ReportHeader }): JSX.Element {
  const [header, setHeader] = createSignal<ReportHeader>({ ...props.header })
  const set = (key: keyof ReportHeader, value: string): void => { setHeader(current => ({ ...current, [key]: value })) }
  const action = createAction()
  const save = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      const saved = await send<ReportHeader>('PUT', routes.report(props.me.space), header())
      setHeader(saved)
    }, 'Saved: every export is headed so from now on.')
  }
  return (
    <details class='report-header-form'>
      <summary>The report’s header</summary>
      <form class='column' onSubmit={save}>
        <For each={LINES}>{([key, label, example]) =>
          <Field label={label}>
            <input name={key} maxlength={200} placeholder={example} value={header()[key]} onInput={event => set(key, event.currentTarget.value)} />
          </Field>
        }</For>
        <Field label='Date'>
          <input name='date' type='date' value={header().date} onInput={event => set('date', event.currentTarget.value)} />
        </Field>
        <Select name='numbering' label='Number recommendations' options={NUMBERING_CHOICES} value={header().numbering}
          onChange={value => set('numbering', value as Numbering)} />
        <div class='controls'>
          <button type='submit'>Save the header</button>
        </div>
        <Outcome of={action} />
      </form>
    </details>
  )
}
