// Controls every page uses: labelled fields and selects, the outcome of an
// action shown next to the control that ran it, status badges, export
// links, dates.
import { createSignal, For, onMount, Show, type Accessor, type JSX } from 'solid-js'
import { messageOf, routes } from '../api'
import { EXPORT_FORMATS, STATUSES, type Status } from '../schema'

/** An option of a select: its value, and what it says. */
export type Choice = readonly [value: string, text: string]

/** A field with its label shown above it, so that everyone knows what it asks for. */
export function Field (props: { label: string, children: JSX.Element }): JSX.Element {
  return <label class='field'><span class='label'>{props.label}</span>{props.children}</label>
}

interface SelectProps {
  name: string
  /** What it asks for, shown beside it. */
  label: string
  options: readonly Choice[]
  /** The option shown selected; the select follows it when it changes. */
  value: string
  onChange: (value: string) => void
}

export function Select (props: SelectProps): JSX.Element {
  return (
    <Field label={props.label}>
      <select name={props.name} onChange={event => props.onChange(event.currentTarget.value)}>
        <For each={props.options}>{([value, text]) =>
          <option value={value} selected={value === props.value}>{text}</option>
        }</For>
      </select>
    </Field>
  )
}

interface Outcome { failed: boolean, text: string }

export interface Action {
  /**
   * Runs `work`; its failure is shown, and its success too if `done` says
   * what to say (given what `work` found). Resolves either way.
   */
  run: <T>(work: () => Promise<T>, done?: string | ((found: T) => string)) => Promise<void>
  outcome: Accessor<Outcome | undefined>
}

export function createAction (): Action {
  const [outcome, setOutcome] = createSignal<Outcome>()
  return {
    outcome,
    run: async (work, done) => {
      setOutcome(undefined)
      try {
        const found = await work()
        setOutcome(done !== undefined ? { failed: false, text: typeof done === 'string' ? done : done(found) } : undefined)
      } catch (error) {
        setOutcome({ failed: true, text: messageOf(error) })
      }
    }
  }
}

/**
 * Where an action says how it went, beside its control. The region is
 * always there, so that screen readers announce what appears in it.
 */
export function Outcome (props: { of: Action }): JSX.Element {
  return <p role='status' class='outcome' classList={{ error: props.of.outcome()?.failed === true }}>{props.of.outcome()?.text}</p>
}

/**
 * A ref for what replaces a control once its action is done (a merged
 * proposal's line, say): drawn, it takes the focus if the focus fell to
 * the page with the control, so that someone working by keyboard goes on
 * from there rather than from the top. It needs tabindex='-1'.
 */
export function focusIfLost (element: HTMLElement): void {
  onMount(() => {
    if (document.activeElement === null || document.activeElement === document.body) element.focus()
  })
}

/** Why a list could not be read, where the list would have been. */
export function ReadFailure (props: { message: string | undefined }): JSX.Element {
  return <Show when={props.message}>{message => <p class='outcome error' role='alert'>{message()}</p>}</Show>
}

export function TableHead (props: { columns: readonly string[] }): JSX.Element {
  return <thead><tr><For each={props.columns}>{column => <th scope='col'>{column}</th>}</For></tr></thead>
}

/** A recommendation's status; its colour follows the status's place in STATUSES. */
export function StatusBadge (props: { status: Status }): JSX.Element {
  return <span class='badge' data-step={STATUSES.indexOf(props.status)}>{props.status}</span>
}

/** Links to the space's exports (of a named version, if given), with each recommendation's comments or without. */
export function ExportLinks (props: { space: string, version?: string }): JSX.Element {
  const [comments, setComments] = createSignal(false)
  const [annex, setAnnex] = createSignal(false)
  return (
    <nav class='exports' aria-label='Export'>
      {props.version !== undefined ? 'Export this version:' : 'Export:'}
      <For each={EXPORT_FORMATS}>{format =>
        <>{' '}<a href={routes.export(props.space, format.key, { comments: comments(), annex: annex(), version: props.version })} download='' class='button'>{format.title}</a></>
      }</For>
      {' '}<label class='with-comments'><input type='checkbox' name='comments' checked={comments()} onChange={event => setComments(event.currentTarget.checked)} /> with comments</label>
      {' '}<label class='with-annex'><input type='checkbox' name='annex' checked={annex()} onChange={event => setAnnex(event.currentTarget.checked)} /> with an annex of who proposed what</label>
    </nav>
  )
}

/** A calendar date (`YYYY-MM-DD`) as the reader writes it: "20 February 2012", whatever their time zone. */
export function day (date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

export function when (iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
