// A member's form for a dissenting text beside the majority: a label and
// the text. The page shows the new alternative as soon as the server has
// it, from the live document; its author becomes its first proponent.
import { createSignal, Show, type JSX } from 'solid-js'
import { routes, send, type Me } from '../api'
import { createAction, Field, Outcome } from './controls'

export function NewAlternative (props: { me: Me, recommendation: string }): JSX.Element {
  const [open, setOpen] = createSignal(false)
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
    <section class='column new-alternative' aria-label='Propose an alternative text'>
      <button type='button' class='link-like' aria-expanded={open()} onClick={() => setOpen(!open())}>Propose an alternative text</button>
      {/* Drawn only while open, so that no hidden field is ever announced. */}
      <Show when={open()}>
        <form onSubmit={submit}>
          <Field label='Label'>
            <input name='label' required maxlength={200} value={label()} onInput={event => setLabel(event.currentTarget.value)} />
          </Field>
          <Field label='Text'>
            <textarea name='text' rows={3} value={text()} onInput={event => setText(event.currentTarget.value)} />
          </Field>
          <div><button type='submit'>Add the alternative</button></div>
        </form>
      </Show>
      <Outcome of={action} />
    </section>
  )
}
