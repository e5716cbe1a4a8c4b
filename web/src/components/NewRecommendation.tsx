// The chair's form for a new recommendation: its topic, title and first
// text. The dashboard lists it as soon as the server has it, from the
// space's live index.
import { createSignal, For, type JSX } from 'solid-js'
import { address } from '../address'
import { routes, send, type Me, type Topic } from '../api'
import { createAction, Outcome } from './controls'

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
      <label>Topic{' '}
        <select name='topic' value={topic()} onChange={event => setTopic(event.currentTarget.value)}>
          <For each={props.topics}>{t => <option value={t.letter}>{t.letter}. {t.title}</option>}</For>
        </select>
      </label>
      <label>Title{' '}
        <input name='title' required maxlength={200} value={title()} onInput={event => setTitle(event.currentTarget.value)} />
      </label>
      <label>First text of the majority{' '}
        <textarea name='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
      </label>
      <div><button type='submit'>Create the recommendation</button></div>
      <Outcome of={action} />
      {made() !== undefined && <p role='status' class='outcome'>Created: <a href={made()?.href}>{made()?.name}</a></p>}
    </form>
  )
}
