// The chair's form for a new recommendation: its topic, title and first
// text. The dashboard lists it as soon as the server has it, from the
// space's live index.
import { createSignal, type JSX } from 'solid-js'
import { address } from '../address'
import { routes, send, type Me, type Topic } from '../api'
import { createAction, Field, Outcome, Select } from './controls'

export function NewRecommendation (props: { me: Me, topics: Topic[] }): JSX.Element {
  const [topic, setTopic] = createSignal(props.topics[0]?.letter ?? '')
  const [title, setTitle] = createSignal('')
  const [text, setText] = createSignal('')
  const [made, setMade] = createSignal<{ href: string, name: string }>()
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    setMade(undefined)
    void action.run(async () => {
      const created = await send<{ id: string }>('POST', routes.recommendations(props.me.space), { topic: topic(), title: title(), text: text() })
      setMade({ href: address(props.me.space, 'recommendation', created.id), name: title() })
      setTitle('')
      setText('')
    })
  }
  return (
    <form class='column new-recommendation' onSubmit={submit}>
      <h2>New recommendation</h2>
      <Select name='topic' label='Topic' options={props.topics.map(t => [t.letter, `${t.letter}. ${t.title}`] as const)} value={topic()} onChange={setTopic} />
      <Field label='Title'>
        <input name='title' required maxlength={200} value={title()} onInput={event => setTitle(event.currentTarget.value)} />
      </Field>
      <Field label='First text of the majority'>
        <textarea name='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
      </Field>
      <div><button type='submit'>Create the recommendation</button></div>
      <Outcome of={action} />
      {made() !== undefined && <p role='status' class='outcome'>Created: <a href={made()?.href}>{made()?.name}</a></p>}
    </form>
  )
}
