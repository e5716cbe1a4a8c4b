// The space's meetings, for everyone in it, live from the meetings
// document: each with its dates and venue, its agenda, its documents, and
// its deadline for proposals on its topics, counting down (the vice-chair
// reopens a topic once it has passed); under each topic of its agenda, the
// points of broad agreement (the chair and the vice-chair add them,
// attributed); and its Chair's summary, which the chair drafts from what
// happened in the meeting's days and finishes here. The chair creates
// meetings here.
import { createMemo, createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js'
import { runsTheSpace, triages } from '../access'
import { getJson, routes, send, type Me, type Space } from '../api'
import { createAction, day, Field, Outcome, ReadFailure } from '../components/controls'
import { Frame } from '../components/Header'
import { openLive } from '../live'
import { nameOf } from '../people'
import { DOCS, EXPORT_FORMATS, MEETINGS, summaryDoc } from '../schema'
import { fromY, storeOf } from '../ysignals'
import { Editor } from '../components/Editor'

export interface AgendaItem { topic?: string, title: string }
export interface Meeting {
  id: string, number: number, title: string, starts: string, ends: string, venue: string,
  agenda: AgendaItem[], documents: Array<{ title: string, link: string }>,
  deadline?: string, reopened: Array<{ topic: string, by: string, at: string }>
}
export interface Point { id: string, meeting: string, topic: string, text: string, attribution: string, by: string, at: string }

const dates = (m: Meeting): string => m.starts === m.ends ? day(m.starts) : `${day(m.starts)} to ${day(m.ends)}`
const moment = (at: string): string => new Date(at).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })

/** "2 days 3 h 4 min", to a time to come. */
function left (ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60000))
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor(minutes / 60) % 24, minutes % 60]
  return [d > 0 ? `${d} day${d === 1 ? '' : 's'}` : '', h > 0 ? `${h} h` : '', `${m} min`].filter(part => part !== '').join(' ')
}

/** Now, to the second, for as long as the page shows it. */
function ticking (): () => number {
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 1000)
  onCleanup(() => clearInterval(timer))
  return now
}

export function Meetings (props: { me: Me }): JSX.Element {
  const live = openLive(props.me, DOCS.meetings)
  const meetings = storeOf(live.ydoc.getMap<Meeting>(MEETINGS.meetings))
  const points = storeOf(live.ydoc.getMap<Point>(MEETINGS.points))
  const [space] = createResource(async () => await getJson<Space>(routes.space(props.me.space)))
  const ordered = createMemo(() => Object.values(meetings).sort((a, b) => a.number - b.number))
  const now = ticking()
  return (
    <Frame me={props.me} title='Meetings' current='meetings' live={live}>
      <ReadFailure message={space.error !== undefined ? String(space.error) : undefined} />
      <Show when={runsTheSpace(props.me.role) && space()}>{found => <NewMeeting me={props.me} space={found()} />}</Show>
      <Show when={ordered().length > 0} fallback={<p class='who'>No meeting has been set yet.</p>}>
        <For each={ordered()}>{meeting =>
          <MeetingView me={props.me} meeting={meeting} points={Object.values(points).filter(p => p.meeting === meeting.id)} now={now()} />
        }</For>
      </Show>
    </Frame>
  )
}

function MeetingView (props: { me: Me, meeting: Meeting, points: Point[], now: number }): JSX.Element {
  const m = (): Meeting => props.meeting
  const topics = (): string[] => m().agenda.flatMap(item => item.topic !== undefined ? [item.topic] : [])
  const reopened = (topic: string): boolean => m().reopened.some(r => r.topic === topic)
  const closing = (): number | undefined => m().deadline !== undefined ? Date.parse(m().deadline ?? '') : undefined
  const passed = (): boolean => (closing() ?? Infinity) <= props.now
  return (
    <section class='column meeting' data-meeting={m().id} aria-labelledby={`meeting-${m().id}`}>
      <h2 id={`meeting-${m().id}`}>{m().title}</h2>
      <p class='who'>{dates(m())}{m().venue !== '' ? `, ${m().venue}` : ''}</p>
      <Show when={closing()}>{at =>
        <p class='deadline' data-deadline={passed() ? 'passed' : 'open'}>
          {passed()
            ? `Proposals on topic${topics().length === 1 ? '' : 's'} ${topics().join(', ')} closed on ${moment(m().deadline ?? '')}.`
            : `Proposals on topic${topics().length === 1 ? '' : 's'} ${topics().join(', ')} close on ${moment(m().deadline ?? '')}: in ${left(at() - props.now)}.`}
          <For each={m().reopened}>{r => <> Topic {r.topic} reopened by {nameOf(props.me.space, r.by)}.</>}</For>
        </p>
      }</Show>
      <h3>Agenda</h3>
      <ol class='agenda'>
        <For each={m().agenda}>{item =>
          <li data-agenda={item.topic ?? item.title}>
            {item.topic !== undefined ? `${item.topic}. ` : ''}{item.title}
            <Show when={item.topic}>{topic => <>
              <Show when={passed() && !reopened(topic()) && triages(props.me.role)}>
                {' '}<Reopen me={props.me} meeting={m()} topic={topic()} />
              </Show>
              <Points me={props.me} meeting={m()} topic={topic()} points={props.points.filter(p => p.topic === topic())} />
            </>}</Show>
          </li>
        }</For>
      </ol>
      <Show when={m().documents.length > 0}>
        <h3>Documents</h3>
        <ul>
          <For each={m().documents}>{document => <li><a href={document.link} rel='noopener noreferrer' target='_blank'>{document.title}</a></li>}</For>
        </ul>
      </Show>
      <ChairsSummary me={props.me} meeting={m()} />
    </section>
  )
}

/**
 * The meeting's Chair's summary, opened on request: its document, live,
 * which the chair writes (drafting it first from what happened in the
 * meeting's days) and everyone else reads; and its exports.
 */
function ChairsSummary (props: { me: Me, meeting: Meeting }): JSX.Element {
  const [open, setOpen] = createSignal(false)
  return (
    <details class='chairs-summary' onToggle={event => setOpen(event.currentTarget.open)}>
      <summary>Chair's summary</summary>
      <Show when={open()}><SummaryText me={props.me} meeting={props.meeting} /></Show>
    </details>
  )
}

function SummaryText (props: { me: Me, meeting: Meeting }): JSX.Element {
  const live = openLive(props.me, summaryDoc(props.meeting.id))
  const text = live.ydoc.getText(MEETINGS.summary)
  const begun = fromY(text, () => text.length > 0)
  const chair = runsTheSpace(props.me.role)
  const [confirming, setConfirming] = createSignal(false)
  const action = createAction()
  const draft = (replace: boolean): void => {
    setConfirming(false)
    void action.run(async () => {
      await send('POST', routes.meetingAction(props.me.space, props.meeting.id, 'summary'), { replace })
    }, 'Drafted from what happened in the meeting\'s days: finish it here.')
  }
  return (
    <div class='column summary-text' data-summary={props.meeting.id}>
      <Show when={chair}>
        <div class='controls'>
          <Show when={begun()} fallback={
            <button type='button' onClick={() => draft(false)}>Draft it from what happened</button>
          }>
            <Show when={confirming()} fallback={
              <button type='button' onClick={() => setConfirming(true)}>Draft it again from what happened</button>
            }>
              <span role='alert'>This replaces everything written in the summary.</span>
              {' '}<button type='button' onClick={() => draft(true)}>Replace it</button>
              {' '}<button type='button' onClick={() => setConfirming(false)}>Keep what is written</button>
            </Show>
          </Show>
          <Outcome of={action} />
        </div>
      </Show>
      <Show when={!chair && !begun()}><p class='who'>The chair has not begun this summary.</p></Show>
      <Editor text={text} awareness={live.provider.awareness} editable={chair} label={`Chair's summary of the ${props.meeting.title}`} />
      <Show when={begun()}>
        <nav class='exports' aria-label={`Export the Chair's summary of the ${props.meeting.title}`}>
          Export the summary:
          <For each={EXPORT_FORMATS}>{format =>
            <>{' '}<a href={routes.summaryExport(props.me.space, props.meeting.id, format.key)} download='' class='button'>{format.title}</a></>
          }</For>
        </nav>
      </Show>
    </div>
  )
}

function Reopen (props: { me: Me, meeting: Meeting, topic: string }): JSX.Element {
  const action = createAction()
  return <>
    <button type='button' aria-label={`Reopen topic ${props.topic} for proposals (${props.meeting.title})`}
      onClick={() => { void action.run(async () => await send('POST', routes.meetingAction(props.me.space, props.meeting.id, 'reopen'), { topic: props.topic }), `Topic ${props.topic} takes proposals again.`) }}>
      Reopen topic {props.topic} for proposals
    </button>
    <Outcome of={action} />
  </>
}

/** A topic's points of broad agreement at a meeting, and, for the chair and vice-chair, a form to add one. */
function Points (props: { me: Me, meeting: Meeting, topic: string, points: Point[] }): JSX.Element {
  const ordered = (): Point[] => [...props.points].sort((a, b) => a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1)
  const [text, setText] = createSignal('')
  const [attribution, setAttribution] = createSignal('')
  const action = createAction()
  const add = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.meetingAction(props.me.space, props.meeting.id, 'points'), { topic: props.topic, text: text(), attribution: attribution() })
      setText('')
      setAttribution('')
    })
  }
  return (
    <div class='points' data-points={props.topic}>
      <Show when={ordered().length > 0}>
        <p class='who'>Points of broad agreement:</p>
        <ul>
          <For each={ordered()}>{point =>
            <li data-point={point.id}>{point.text}<Show when={point.attribution !== ''}> <span class='who'>({point.attribution})</span></Show></li>
          }</For>
        </ul>
      </Show>
      <Show when={triages(props.me.role)}>
        <form class='inline' onSubmit={add} aria-label={`A point of broad agreement on topic ${props.topic} (${props.meeting.title})`}>
          <Field label={`Point on topic ${props.topic}`}>
            <input name={`point-${props.meeting.id}-${props.topic}`} required maxlength={4000} value={text()} onInput={event => setText(event.currentTarget.value)} />
          </Field>
          <Field label='Attributed to'>
            <input name={`attribution-${props.meeting.id}-${props.topic}`} maxlength={300} placeholder='summary of discussions by …' value={attribution()} onInput={event => setAttribution(event.currentTarget.value)} />
          </Field>
          <button type='submit' aria-label={`Add the point on topic ${props.topic} (${props.meeting.title})`}>Add the point</button>
          <Outcome of={action} />
        </form>
      </Show>
    </div>
  )
}

/** The chair's form for a new meeting. */
function NewMeeting (props: { me: Me, space: Space }): JSX.Element {
  const [number, setNumber] = createSignal('')
  const [title, setTitle] = createSignal('')
  const [starts, setStarts] = createSignal('')
  const [ends, setEnds] = createSignal('')
  const [venue, setVenue] = createSignal('')
  const [topics, setTopics] = createSignal<string[]>([])
  const [others, setOthers] = createSignal('')
  const [documents, setDocuments] = createSignal('')
  const [deadline, setDeadline] = createSignal('')
  const action = createAction()
  const toggle = (letter: string, on: boolean): void => { setTopics(list => on ? [...list, letter] : list.filter(l => l !== letter)) }
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      const agenda = [
        ...props.space.topics.filter(topic => topics().includes(topic.letter)).map(topic => ({ topic: topic.letter })),
        ...others().split('\n').map(line => line.trim()).filter(line => line !== '').map(line => ({ title: line }))
      ]
      // "Title | https://…", one a line.
      const docs = documents().split('\n').map(line => line.trim()).filter(line => line !== '').map(line => {
        const [name, link = ''] = line.split('|').map(part => part.trim())
        return { title: name, link }
      })
      await send('POST', routes.meetings(props.me.space), {
        ...(number() !== '' ? { number: Number(number()) } : {}),
        title: title(),
        starts: starts(),
        ends: ends() !== '' ? ends() : starts(),
        venue: venue(),
        agenda,
        documents: docs,
        ...(deadline() !== '' ? { deadline: new Date(deadline()).toISOString() } : {})
      })
      setTitle('')
    }, 'Created: everyone in the space sees it.')
  }
  return (
    <details class='new-meeting'>
      <summary>New meeting</summary>
      <form class='column' onSubmit={submit}>
        <Field label='Number (the one after the last, if left empty)'>
          <input name='number' type='number' min={1} value={number()} onInput={event => setNumber(event.currentTarget.value)} />
        </Field>
        <Field label='Title'>
          <input name='title' required maxlength={300} placeholder='4th meeting' value={title()} onInput={event => setTitle(event.currentTarget.value)} />
        </Field>
        <Field label='First day'>
          <input name='starts' type='date' required value={starts()} onInput={event => setStarts(event.currentTarget.value)} />
        </Field>
        <Field label='Last day'>
          <input name='ends' type='date' value={ends()} onInput={event => setEnds(event.currentTarget.value)} />
        </Field>
        <Field label='Venue'>
          <input name='venue' maxlength={300} value={venue()} onInput={event => setVenue(event.currentTarget.value)} />
        </Field>
        <fieldset>
          <legend>Topics on its agenda</legend>
          <For each={props.space.topics}>{topic =>
            <label class='check'><input type='checkbox' name={`topic-${topic.letter}`} checked={topics().includes(topic.letter)} onChange={event => toggle(topic.letter, event.currentTarget.checked)} /> {topic.letter}. {topic.title}</label>
          }</For>
        </fieldset>
        <Field label='Other agenda items, one a line'>
          <textarea name='others' rows={2} value={others()} onInput={event => setOthers(event.currentTarget.value)} />
        </Field>
        <Field label='Documents, one a line: title | https://…'>
          <textarea name='documents' rows={2} value={documents()} onInput={event => setDocuments(event.currentTarget.value)} />
        </Field>
        <Field label='Deadline for proposals on its topics (your time)'>
          <input name='deadline' type='datetime-local' value={deadline()} onInput={event => setDeadline(event.currentTarget.value)} />
        </Field>
        <div class='controls'><button type='submit'>Create the meeting</button></div>
        <Outcome of={action} />
      </form>
    </details>
  )
}

