// A member's form for a dissenting text beside the majority: a label and
// the text. The page shows the new alternative as soon as the server has
// it, from the live document; its author becomes its first proponent.
import { createSignal, type JSX } from 'solid-js'
import { routes, send, type Me } from '../api'
import { createAction, Outcome } from './controls'

export function NewAlternative (props: { me: Me, recommendation: string }): JSX.Element {
  const [label, setLabel] = createSignal('')
  const [text, setText] = createSignal('')
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.alternatives(props.me.space, props.recommendation), { label: label(), text: text() })
      setLabel('')
      setText('')
    }, 'Added: it stands beside the majority text, with you as its proponent.')
  }
  return (
    <details class='column new-alternative'>
      <summary>Propose an alternative text</summary>
      <form onSubmit={submit}>
        <label>Label{' '}
          <input name='label' required maxlength={200} placeholder='e.g. Voluntary contributions only' value={label()} onInput={event => setLabel(event.currentTarget.value)} />
        </label>
        <label>Text{' '}
          <textarea name='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
        </label>
        <div><button type='submit'>Add the alternative</button></div>
        <Outcome of={action} />
      </form>
    </details>
  )
}
